// File-system paths as the clients take them: absolute, '/'-separated, unencoded. Encoding for a URL
// happens once, per segment, in encodePath.

import { RadlabError } from '../../errors.js';

function refused(path: string, why: string): RadlabError {
  return new RadlabError({
    code: 'badRequest',
    service: 'files',
    message: `refused path ${JSON.stringify(path)}: ${why}`,
    hint: 'Use an absolute path without "." or ".." segments, NUL or control characters.'
  });
}

/** `path` as '/a/b' (no trailing slash, no empty segments); refuses '.', '..' and control characters. */
export function normalizePath(path: string): string {
  if (!path.startsWith('/')) throw refused(path, 'not absolute');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) throw refused(path, 'control characters');
  const segments = path.split('/').filter(s => s !== '');
  if (segments.some(s => s === '.' || s === '..')) throw refused(path, 'dot segments');
  return `/${segments.join('/')}`;
}

/** The URL path of `path`: each segment percent-encoded (space, %, #, ?, unicode and the rest). */
export function encodePath(path: string): string {
  const normal = normalizePath(path);
  return normal === '/' ? '/' : normal.split('/').map(encodeURIComponent).join('/');
}

/** A child of `dir`; `name` must be one segment (a name that would escape its folder is refused). */
export function childPath(dir: string, name: string): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/')) {
    throw refused(name, 'not a single file name');
  }
  const parent = normalizePath(dir);
  return normalizePath(parent === '/' ? `/${name}` : `${parent}/${name}`);
}

export function parentPath(path: string): string {
  const normal = normalizePath(path);
  const cut = normal.lastIndexOf('/');
  return cut <= 0 ? '/' : normal.slice(0, cut);
}

export function baseName(path: string): string {
  const normal = normalizePath(path);
  return normal.slice(normal.lastIndexOf('/') + 1);
}
