// Path helpers for node hosts: `~` expansion against HOME.

import { homedir } from 'node:os';
import { join } from 'node:path';

export type Env = Record<string, string | undefined>;

/** The home directory: $HOME of `env` when set (tests, sandboxes), else the OS's. */
export function homeDir(env: Env = process.env): string {
  return env['HOME'] || homedir();
}

/** Expands a leading `~` or `~/`. */
export function expandHome(path: string, env: Env = process.env): string {
  if (path === '~') return homeDir(env);
  if (path.startsWith('~/')) return join(homeDir(env), path.slice(2));
  return path;
}
