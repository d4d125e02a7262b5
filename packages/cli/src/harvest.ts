// `radlab harvest SOURCE --into DEST [--profile basic|retain-dates] [--retain-uids]`: a folder of DICOM
// files → a de-identified Parquet catalog (studies, series, instances, quality) that Drill queries.
// The pseudonym key is a file under the user's config folder (0600), made on first use, never printed.
// Exit codes: 0 done (quality findings are not failures), 2 usage, 1 the harvest failed.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  createDeidentifier,
  deidProfile,
  folderSource,
  harvest,
  type ProfileName
} from '@radlab/imaging/node';
import type { Io } from './connections.js';
import { ProgressBar } from './progress.js';

export interface HarvestFlags {
  into: string;
  profile?: string;
  retainUids?: boolean;
  concurrency?: number;
  json?: boolean;
}

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

export async function runHarvest(source: string, flags: HarvestFlags, io: Io): Promise<number> {
  const profile = flags.profile ?? 'basic';
  if (profile !== 'basic' && profile !== 'retain-dates') {
    io.stderr.write(`radlab harvest: --profile is basic or retain-dates, not ${profile}\n`);
    return 2;
  }
  const root = resolve(source);
  const s = await stat(root).catch(() => undefined);
  if (!s?.isDirectory()) {
    io.stderr.write(`radlab harvest: ${source} is not a folder\n`);
    return 2;
  }
  const key = await catalogKey(io.env as Record<string, string | undefined>);
  const deid = createDeidentifier(key, deidProfile(profile as ProfileName, flags.retainUids));
  let bar: ProgressBar | undefined;
  let summary;
  try {
    summary = await harvest({
      source: folderSource(root),
      sourceLocation: root,
      dest: resolve(flags.into),
      deid,
      concurrency: flags.concurrency,
      onProgress: p => {
        bar ??= new ProgressBar(io.stderr, `harvest ${p.total} files`, p.totalBytes);
        bar.update(p.bytes);
      }
    });
  } catch (e) {
    bar?.done();
    // the catalog folder's or the listing's own errors (permissions, disk full); a file's problems
    // are findings. Only the error code: a message would name a path, and paths may name patients
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr.write(
      `radlab harvest: stopped${code ? ` (${code})` : ''}; the catalog in ${flags.into} is as it ` +
        'was, and a re-run goes on from the files already read\n'
    );
    return 1;
  }
  bar?.done();
  if (flags.json) {
    io.stdout.write(JSON.stringify(summary) + '\n');
    return 0;
  }
  const q = Object.entries(summary.quality);
  io.stdout.write(
    `${summary.files} files (${summary.read} read, ${summary.files - summary.read} unchanged): ` +
      `${summary.studies} studies, ${summary.series} series, ${summary.instances} instances; ` +
      `profile ${summary.profile}\n` +
      (q.length
        ? `quality: ${q.map(([k, n]) => `${n} ${k}`).join(', ')} (see the quality table)\n`
        : 'quality: no findings\n')
  );
  return 0;
}
