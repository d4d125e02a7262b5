// The posix probe for files connections: `root` must be an existing, readable directory.

import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';

export async function nodePosixProbe(root: string): Promise<void> {
  const info = await stat(root);
  if (!info.isDirectory()) {
    throw Object.assign(new Error(`${root} is not a directory`), { code: 'ENOTDIR' });
  }
  await access(root, constants.R_OK | constants.X_OK);
}
