// The catalog's de-identification key and its folder, shared by the CLI and the hosts that harvest in
// process (VS Code's extension host). The lab's server extension runs the CLI, which reads them here.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The de-identification key: $RADLAB_CATALOG_KEY_FILE, else ~/.config/radlab/catalog.key. */
export async function catalogKey(env: Record<string, string | undefined>): Promise<Uint8Array> {
  const file =
    env.RADLAB_CATALOG_KEY_FILE ??
    join(env.XDG_CONFIG_HOME ?? join(env.HOME ?? homedir(), '.config'), 'radlab', 'catalog.key');
  try {
    const key = await readFile(file);
    if (key.length >= 32) return key;
  } catch {
    // made below
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  await writeFile(file, key, { mode: 0o600, flag: 'wx' }).catch(async () => {
    // another run made it first: use that one
  });
  await chmod(file, 0o600);
  return readFile(file);
}

/**
 * The catalog folder a host harvests into when the user does not say: $RADLAB_CATALOG_DIR, else the
 * stack Drill's $RADLAB_DRILL_CATALOG, else $RADLAB_STATE/data/drill/catalog (what dfs.catalog
 * reads), else ~/.radlab/catalog. jupyterlab-ext/radlab/server/catalog.py's catalog_dir is the same
 * rule (test_catalog.py and key.test.ts hold both to the same cases).
 */
export function catalogDir(env: Record<string, string | undefined>): string {
  if (env.RADLAB_CATALOG_DIR) return env.RADLAB_CATALOG_DIR;
  if (env.RADLAB_DRILL_CATALOG) return env.RADLAB_DRILL_CATALOG;
  if (env.RADLAB_STATE) return join(env.RADLAB_STATE, 'data', 'drill', 'catalog');
  return join(env.HOME ?? homedir(), '.radlab', 'catalog');
}
