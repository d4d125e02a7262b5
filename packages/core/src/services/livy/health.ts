// Apache Livy: GET /sessions answers {from, total, sessions: [...]}; GET /version (newer Livy) gives
// {version}.

import { isObject, optional, wrongShape, type Probe } from '../../health/probe.js';

export const checkLivy: Probe = async context => {
  const { transport, signal } = context;
  const sessions = await transport.request<unknown>({ path: '/sessions', signal });
  const body = sessions.data;
  if (!isObject(body) || !Array.isArray(body['sessions'])) {
    throw wrongShape(context, '/sessions', 'a JSON object with a "sessions" array');
  }
  const total = typeof body['total'] === 'number' ? body['total'] : body['sessions'].length;
  const details: Record<string, string> = { sessions: String(total) };

  const versionAnswer = await optional(() =>
    transport.request<unknown>({ path: '/version', signal })
  );
  const versionBody = versionAnswer.value?.data;
  const version =
    isObject(versionBody) && typeof versionBody['version'] === 'string'
      ? versionBody['version']
      : undefined;
  return { version, details, degraded: versionAnswer.error };
};
