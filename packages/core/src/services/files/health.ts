// File systems: WebHDFS / HttpFS answer GET /webhdfs/v1/?op=GETHOMEDIRECTORY with {Path}; a posix
// mount (e.g. MapR's /mapr/<cluster>) is checked by the host's probe (a stat of `root`).

import { RadlabError } from '../../errors.js';
import { isObject, wrongShape, type Probe, type ProbeOutcome } from '../../health/probe.js';

/** The WebHDFS REST path of `path`, whether or not the base URL already ends in /webhdfs/v1. */
export function webhdfsPath(baseURL: string, path: string): string {
  const rel = path.startsWith('/') ? path : `/${path}`;
  return /\/webhdfs\/v1\/?$/.test(baseURL) ? rel : `/webhdfs/v1${rel}`;
}

export const checkFiles: Probe = async (context): Promise<ProbeOutcome> => {
  const { connection, transport, signal } = context;
  if (connection.protocol === 'posix') {
    const root = connection.root ?? '/';
    if (!context.posixProbe) {
      throw new RadlabError({
        code: 'config',
        service: 'files',
        connection: connection.name,
        message: `posix connections cannot be checked from this host (root ${root})`,
        hint: 'posix file systems are checked where they are mounted: the Jupyter server or the VS Code host.'
      });
    }
    try {
      await context.posixProbe(root);
    } catch (e) {
      if (RadlabError.isRadlabError(e)) throw e;
      const code = (e as { code?: unknown }).code;
      const errno = typeof code === 'string' ? code : undefined;
      const mapped =
        errno === 'ENOENT' || errno === 'ENOTDIR'
          ? 'notFound'
          : errno === 'EACCES' || errno === 'EPERM'
            ? 'forbidden'
            : errno === 'ETIMEDOUT'
              ? 'timeout'
              : 'unreachable';
      throw new RadlabError({
        code: mapped,
        service: 'files',
        connection: connection.name,
        message: `cannot stat ${root}${errno ? ` (${errno})` : ''}`,
        hint:
          mapped === 'notFound'
            ? `Is the file system mounted at ${root}? Check "root" of this connection.`
            : mapped === 'forbidden'
              ? `The user running Radlab may not read ${root}.`
              : `Check that the file system at ${root} is mounted and responsive.`,
        cause: e instanceof Error ? new Error(e.message) : undefined
      });
    }
    return { details: { root } };
  }

  const path = webhdfsPath(transport.baseURL, '/');
  const answer = await transport.request<unknown>({
    path,
    params: { op: 'GETHOMEDIRECTORY' },
    signal
  });
  const body = answer.data;
  if (!isObject(body) || typeof body['Path'] !== 'string') {
    throw wrongShape(context, `${path}?op=GETHOMEDIRECTORY`, 'a JSON object with "Path"');
  }
  return { details: { home: body['Path'] } };
};
