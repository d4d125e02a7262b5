// Hints of the files kind that say more than the generic ones.

import type { ErrorCode } from '../../errors.js';

export const FILES_HINTS: Readonly<Partial<Record<ErrorCode, string>>> = {
  unreachable:
    'Check that HttpFS/WebHDFS is running (the local stack: scripts/services/hdfs start) and that the URL and port are right (HttpFS 14000, NameNode 9870).',
  auth: 'Check the user (auth "hdfsUser") or the username and password (MapR basic auth) of this connection.'
};
