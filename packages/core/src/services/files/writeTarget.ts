// What every FilesClient checks before a write, and the temporary name it writes to: one rule for
// WebHDFS/HttpFS and a posix mount (a folder in the way, an existing file without overwrite, a file
// changed since it was opened), and one walk over list pages.

import { RadlabError } from '../../errors.js';
import { baseName, childPath, parentPath } from './paths.js';
import type { CallOptions, FileStatus, ListPage, WriteOptions } from './types.js';

/** Throws the write's conflict, if any: `existing` is what is at `target` now. */
export function checkWriteTarget(
  target: string,
  existing: FileStatus | undefined,
  options: WriteOptions,
  connection?: string
): void {
  const overwrite = options.overwrite === true || options.expectModified !== undefined;
  const conflict = (message: string, hint?: string, details?: Record<string, unknown>) =>
    new RadlabError({ code: 'conflict', service: 'files', connection, message, hint, details });
  if (existing?.type === 'directory') throw conflict(`cannot write ${target}: it is a folder`);
  if (existing && !overwrite) {
    throw conflict(`${target} exists`, 'Choose another name, or overwrite it.', {
      reason: 'exists'
    });
  }
  if (
    options.expectModified !== undefined &&
    existing &&
    existing.modified !== options.expectModified
  ) {
    throw conflict(
      `${target} changed on the server since it was opened (by ${existing.owner || 'someone'} at ${new Date(existing.modified).toISOString()})`,
      'Reload it to see the other version, save yours under another name, or overwrite.',
      { reason: 'changed', modified: existing.modified }
    );
  }
}

/** A fresh temporary name beside `target` (hidden, with a random tag). */
export function tempBeside(target: string): string {
  const tag = Math.random().toString(36).slice(2, 10);
  return childPath(parentPath(target), `.${baseName(target)}.radlab-${tag}.part`);
}

/** Every page of a directory, following `next`. */
export async function* allPages(
  list: (path: string, options: CallOptions & { startAfter?: string }) => Promise<ListPage>,
  path: string,
  options: CallOptions
): AsyncIterable<ListPage> {
  let startAfter: string | undefined;
  for (;;) {
    const page = await list(path, { ...options, startAfter });
    yield page;
    if (page.next === undefined) return;
    startAfter = page.next;
  }
}
