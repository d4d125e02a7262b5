// Files URIs as users write and copy them: maprfs:///p (the default cluster), maprfs://NAME/p and
// hdfs://NAME/p (a files connection by name, or by the host[:port] of its URL), hdfs:///p, a
// /mapr/<cluster>/p path under a posix connection's root, or a plain absolute path. The path part is
// taken as written (not percent-decoded): '%', '#', '?' and spaces are ordinary name characters.

import type { ConnectionConfig } from '../../connection.js';
import { RadlabError } from '../../errors.js';
import { normalizePath } from './paths.js';

export interface FilesTarget {
  /** The files connection the URI names, or undefined for "the default one". */
  connection?: string;
  /** The absolute path on that connection; undefined for "its home". */
  path?: string;
}

const SCHEME = /^(maprfs|hdfs|webhdfs):\/\/([^/]*)(\/.*)?$/i;

function hostOf(url: string | undefined): { host: string; hostPort: string } | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return { host: u.hostname.toLowerCase(), hostPort: u.host.toLowerCase() };
  } catch {
    return undefined;
  }
}

/**
 * What `text` names among the files connections `files` (none chosen: the caller's default).
 * Throws RadlabError `badRequest` for an authority that is no files connection.
 */
export function parseFilesUri(text: string, files: readonly ConnectionConfig[]): FilesTarget {
  const m = SCHEME.exec(text);
  if (m) {
    const authority = m[2] ?? '';
    const path = m[3] ? normalizePath(m[3]) : '/';
    if (authority === '') return { path };
    const byName = files.find(c => c.name === authority);
    if (byName) return { connection: byName.name, path };
    const wanted = authority.toLowerCase();
    const byHost = files.find(c => {
      const h = hostOf(c.url);
      return h !== undefined && (h.hostPort === wanted || h.host === wanted);
    });
    if (byHost) return { connection: byHost.name, path };
    throw new RadlabError({
      code: 'badRequest',
      service: 'files',
      message: `${text}: "${authority}" is not a files connection`,
      hint: `Use maprfs:///path for the default connection, or one of: ${files.map(c => c.name).join(', ') || '(none configured)'}.`
    });
  }
  if (text.startsWith('/')) {
    const posix = files.find(
      c =>
        c.protocol === 'posix' &&
        c.root &&
        (text === c.root || text.startsWith(`${c.root.replace(/\/+$/, '')}/`))
    );
    if (posix?.root) {
      const rest = text.slice(posix.root.replace(/\/+$/, '').length) || '/';
      return { connection: posix.name, path: normalizePath(rest) };
    }
    return { path: normalizePath(text) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new RadlabError({
      code: 'badRequest',
      service: 'files',
      message: `${text}: not a files URI`,
      hint: 'Use maprfs:///path, hdfs://connection/path or an absolute path.'
    });
  }
  // relative: under the home folder (resolved by the caller)
  return { path: text === '' ? undefined : text };
}

/** `path` under `home` when it is relative. */
export function resolveFilesPath(path: string | undefined, home: string): string {
  if (path === undefined) return home;
  if (path.startsWith('/')) return normalizePath(path);
  return normalizePath(`${home === '/' ? '' : home}/${path}`);
}

export interface CopyPaths {
  /** maprfs:///path: MapR's default-cluster form (Spark, hadoop fs on a MapR node). */
  maprfs: string;
  /** hdfs://host:8020/path: the connection's nameNode, else the host of its URL on port 8020. */
  hdfs: string;
  /** The POSIX path: under a posix connection's root, else /mapr/<cluster or connection name>/path. */
  mapr: string;
}

/** The ways to write `path` of `connection` elsewhere (copy path). */
export function copyPaths(
  connection: Pick<ConnectionConfig, 'name' | 'url' | 'protocol' | 'root' | 'nameNode' | 'cluster'>,
  path: string
): CopyPaths {
  const p = normalizePath(path);
  const host = hostOf(connection.url)?.host ?? connection.name;
  const nameNode = connection.nameNode?.replace(/\/+$/, '') ?? `hdfs://${host}:8020`;
  const root =
    connection.protocol === 'posix' && connection.root
      ? connection.root.replace(/\/+$/, '')
      : `/mapr/${connection.cluster ?? connection.name}`;
  return {
    maprfs: `maprfs://${p}`,
    hdfs: `${nameNode}${p}`,
    mapr: p === '/' ? root || '/' : `${root}${p}`
  };
}
