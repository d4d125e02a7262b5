// "Harvest into Catalog…" on a folder of the lab's file browser (issue 17 item 9): the server runs the
// harvest (radlab/server/catalog.py: `radlab harvest` as a job, the key stays there) into the
// catalog that Drill reads as dfs.catalog; this shows its progress in a notification with Cancel, and
// the summary (quality findings included) when it ends.
import { PathExt } from '@jupyterlab/coreutils';
import {
  harvestProgressText,
  harvestSummaryText,
  type HarvestSummaryLike
} from '@radlab/imaging/catalog';
import { requestAPI } from '../api.js';

export interface HarvestJob {
  id: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  progress: { files: number; total: number; bytes: number; totalBytes: number };
  summary?: HarvestSummaryLike;
  error?: { code: string; message: string };
}

export interface HarvestApi {
  start(path: string): Promise<HarvestJob>;
  get(id: string): Promise<HarvestJob>;
  cancel(id: string): Promise<HarvestJob>;
}

export const serverHarvest: HarvestApi = {
  start: path =>
    requestAPI<HarvestJob>('api/catalog/harvest', {
      method: 'POST',
      body: JSON.stringify({ path })
    }),
  get: id => requestAPI<HarvestJob>(`api/catalog/harvest/${encodeURIComponent(id)}`),
  cancel: id =>
    requestAPI<HarvestJob>(`api/catalog/harvest/${encodeURIComponent(id)}`, { method: 'DELETE' })
};

export interface HarvestNotices {
  started(message: string, cancel: () => void): string;
  update(id: string, message: string, cancel: () => void): void;
  ended(id: string, message: string, type: 'success' | 'warning' | 'error'): void;
}

/** Harvests a folder of the server (a contents path) and follows it to its end. */
export async function harvestFolder(
  path: string,
  notices: HarvestNotices,
  api: HarvestApi = serverHarvest,
  pollMs = 500
): Promise<HarvestJob> {
  const label = PathExt.basename(path) || '/';
  let job = await api.start(path).catch((e: unknown) => {
    const id = notices.started(`Harvesting ${label}…`, () => undefined);
    notices.ended(id, `Harvest of ${label} did not start: ${(e as Error).message}`, 'error');
    throw e;
  });
  const cancel = (): void => void api.cancel(job.id).catch(() => undefined);
  const notice = notices.started(harvestProgressText(label, job.progress), cancel);
  while (job.state === 'running') {
    await new Promise(r => setTimeout(r, pollMs));
    try {
      job = await api.get(job.id);
    } catch (e) {
      notices.ended(notice, `Harvest of ${label}: ${(e as Error).message}`, 'error');
      throw e;
    }
    if (job.state === 'running')
      notices.update(notice, harvestProgressText(label, job.progress), cancel);
  }
  if (job.state === 'done' && job.summary)
    notices.ended(
      notice,
      `Harvested ${harvestSummaryText(label, job.summary)}`,
      Object.keys(job.summary.quality ?? {}).length ? 'warning' : 'success'
    );
  else if (job.state === 'cancelled')
    notices.ended(
      notice,
      `Harvest of ${label} cancelled: the files read so far are kept, a new harvest goes on from there.`,
      'warning'
    );
  else
    notices.ended(
      notice,
      `Harvest of ${label} failed: ${job.error?.message ?? 'no reason given'}`,
      'error'
    );
  return job;
}
