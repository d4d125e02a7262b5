// Kubernetes: GET /version answers {major, minor, gitVersion, ...}.

import { isObject, wrongShape, type Probe } from '../../health/probe.js';

export const checkKubernetes: Probe = async context => {
  const { transport, signal } = context;
  const answer = await transport.request<unknown>({ path: '/version', signal });
  const body = answer.data;
  if (!isObject(body) || typeof body['gitVersion'] !== 'string') {
    throw wrongShape(context, '/version', 'a JSON object with "gitVersion"');
  }
  const details: Record<string, string> = {};
  if (typeof body['platform'] === 'string') details['platform'] = body['platform'];
  return { version: body['gitVersion'], details };
};
