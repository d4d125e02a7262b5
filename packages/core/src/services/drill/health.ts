// Apache Drill: GET /status answers "Running!" (an HTML page on most versions); GET /cluster.json
// lists the drillbits with their version.

import { isObject, optional, wrongShape, type Probe } from '../../health/probe.js';

export const checkDrill: Probe = async context => {
  const { transport, signal } = context;
  const status = await transport.request<string>({ path: '/status', responseType: 'text', signal });
  if (!/Running/i.test(status.data)) throw wrongShape(context, '/status', 'Drill\'s "Running!"');

  const cluster = await optional(() =>
    transport.request<unknown>({ path: '/cluster.json', signal })
  );
  const details: Record<string, string> = {};
  let version: string | undefined;
  const body = cluster.value?.data;
  if (isObject(body) && Array.isArray(body['drillbits'])) {
    const drillbits = body['drillbits'] as unknown[];
    details['drillbits'] = String(drillbits.length);
    const first = drillbits[0];
    if (isObject(first) && typeof first['version'] === 'string') version = first['version'];
  }
  return { version, details, degraded: cluster.error };
};
