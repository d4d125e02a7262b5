// Prometheus: GET /-/ready (200 once it serves queries), then GET /api/v1/status/buildinfo for
// {status: "success", data: {version}}.

import { isObject, optional, wrongShape, type Probe } from '../../health/probe.js';

export const checkPrometheus: Probe = async context => {
  const { transport, signal } = context;
  await transport.request<string>({ path: '/-/ready', responseType: 'text', signal });

  const build = await optional(() =>
    transport.request<unknown>({ path: '/api/v1/status/buildinfo', signal })
  );
  let version: string | undefined;
  const details: Record<string, string> = {};
  const body = build.value?.data;
  if (build.value) {
    const data = isObject(body) ? body['data'] : undefined;
    if (isObject(data) && typeof data['version'] === 'string') {
      version = data['version'];
      if (typeof data['goVersion'] === 'string') details['go'] = data['goVersion'];
    } else {
      return {
        details,
        degraded: wrongShape(context, '/api/v1/status/buildinfo', 'a JSON object with data.version')
      };
    }
  }
  return { version, details, degraded: build.error };
};
