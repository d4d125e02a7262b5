// `radlab harvest SOURCE --into DEST [--profile basic|retain-dates] [--retain-uids]`: a folder of DICOM
// files, or a PACS (`pacs:<dicomweb connection>`: QIDO-RS/WADO-RS metadata, no pixel transfer) → a
// de-identified Parquet catalog (studies, series, instances, quality) that Drill queries.
// The pseudonym key is a file under the user's config folder (0600), made on first use, never printed.
// Exit codes: 0 done (quality findings are not failures), 2 usage, 1 the harvest failed, 130 stopped
// by SIGINT/SIGTERM (what was read is kept: a re-run goes on from there).
// `--progress json`: progress as JSON lines on stderr ({"files","total","bytes","totalBytes"}, at most
// every 200 ms and at the end) for a host that runs the command (the lab's server extension).
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  catalogKey,
  createDeidentifier,
  deidProfile,
  folderSource,
  harvest,
  type HarvestSource,
  type ProfileName
} from '@radlab/imaging/node';

export { catalogKey };
import type { Io } from './connections.js';
import { ProgressBar } from './progress.js';

export interface HarvestFlags {
  into: string;
  profile?: string;
  retainUids?: boolean;
  concurrency?: number;
  json?: boolean;
  /** `json`: machine-readable progress lines on stderr instead of the bar. */
  progress?: string;
}

export async function runHarvest(source: string, flags: HarvestFlags, io: Io): Promise<number> {
  const profile = flags.profile ?? 'basic';
  if (profile !== 'basic' && profile !== 'retain-dates') {
    io.stderr.write(`radlab harvest: --profile is basic or retain-dates, not ${profile}\n`);
    return 2;
  }
  const pacs = source.startsWith('pacs:');
  const root = resolve(source);
  if (!pacs) {
    const s = await stat(root).catch(() => undefined);
    if (!s?.isDirectory()) {
      io.stderr.write(`radlab harvest: ${source} is not a folder\n`);
      return 2;
    }
  }
  const key = await catalogKey(io.env as Record<string, string | undefined>);
  const deid = createDeidentifier(key, deidProfile(profile as ProfileName, flags.retainUids));
  let from: { source: HarvestSource; location: string } = {
    source: folderSource(root),
    location: root
  };
  if (pacs) {
    try {
      const { pacsHarvestSource } = await import('./harvest-pacs.js');
      from = await pacsHarvestSource(source, deid, io);
    } catch (e) {
      const err = e as { message?: string; hint?: string };
      io.stderr.write(`radlab harvest: ${err.message ?? String(e)}\n`);
      if (err.hint) io.stderr.write(`  hint: ${err.hint}\n`);
      return 2;
    }
  }
  if (flags.progress !== undefined && flags.progress !== 'json') {
    io.stderr.write(`radlab harvest: --progress is json, not ${flags.progress}\n`);
    return 2;
  }
  let bar: ProgressBar | undefined;
  let summary;
  let last = 0;
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    summary = await harvest({
      source: from.source,
      sourceLocation: from.location,
      dest: resolve(flags.into),
      deid,
      concurrency: flags.concurrency,
      signal: stop.signal,
      onProgress: p => {
        if (flags.progress === 'json') {
          const now = Date.now();
          if (now - last < 200 && p.files < p.total) return;
          last = now;
          io.stderr.write(JSON.stringify(p) + '\n');
          return;
        }
        if (pacs) {
          // a PACS says no sizes: instances, not bytes
          if (io.stderr.isTTY)
            io.stderr.write(`\r\u001b[2Kharvest ${p.files}/${p.total} instances`);
          return;
        }
        bar ??= new ProgressBar(io.stderr, `harvest ${p.total} files`, p.totalBytes);
        bar.update(p.bytes);
      }
    });
    if (pacs && io.stderr.isTTY) io.stderr.write('\r\u001b[2K');
  } catch (e) {
    bar?.done();
    if (pacs && io.stderr.isTTY) io.stderr.write('\r\u001b[2K');
    if (stop.signal.aborted) {
      io.stderr.write(
        'radlab harvest: stopped; the files read so far are kept, a re-run goes on from there\n'
      );
      return 130;
    }
    // the catalog folder's or the listing's own errors (permissions, disk full; a PACS that fails);
    // a file's problems are findings. Only the error's code (and a PACS error's hint): a message
    // would name a path or a UID, and paths may name patients
    const code = (e as NodeJS.ErrnoException).code;
    const hint = (e as { hint?: unknown }).hint;
    if (pacs && typeof hint === 'string')
      io.stderr.write(`radlab harvest: the PACS failed: ${hint}\n`);
    io.stderr.write(
      `radlab harvest: stopped${code ? ` (${code})` : ''}; the catalog in ${flags.into} is as it ` +
        'was, and a re-run goes on from the files already read\n'
    );
    return 1;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
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
