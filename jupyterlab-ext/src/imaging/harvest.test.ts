import { describe, expect, it, vi } from 'vitest';
import { harvestFolder, type HarvestApi, type HarvestJob } from './harvest.js';

const progress = (files: number, total: number) => ({ files, total, bytes: 0, totalBytes: 0 });

function notices() {
  const log: string[] = [];
  return {
    log,
    started: vi.fn((m: string) => (log.push(`start ${m}`), 'n1')),
    update: vi.fn((_id: string, m: string) => void log.push(`update ${m}`)),
    ended: vi.fn((_id: string, m: string, type: string) => void log.push(`${type} ${m}`))
  };
}

describe('Harvest into Catalog (lab)', () => {
  it('follows the server job to its summary', async () => {
    const states: HarvestJob[] = [
      { id: 'a', state: 'running', progress: progress(0, 0) },
      { id: 'a', state: 'running', progress: progress(5, 10) },
      {
        id: 'a',
        state: 'done',
        progress: progress(10, 10),
        summary: {
          files: 10,
          read: 10,
          studies: 1,
          series: 1,
          instances: 9,
          quality: { notDicom: 1 }
        }
      }
    ];
    const api: HarvestApi = {
      start: vi.fn(async () => states[0]!),
      get: vi.fn(async () => states.shift()!),
      cancel: vi.fn()
    };
    const n = notices();
    const job = await harvestFolder('data/exports', n, api, 1);
    expect(job.state).toBe('done');
    expect(api.start).toHaveBeenCalledWith('data/exports');
    expect(n.log).toEqual([
      'start Harvesting exports: listing files…',
      'update Harvesting exports: listing files…',
      'update Harvesting exports: 5 of 10 files',
      'warning Harvested exports: 1 study, 1 series, 9 instances (10 of 10 files read); quality: 1 notDicom (see dfs.catalog.quality)'
    ]);
  });

  it('cancels through the server and says what is kept', async () => {
    let state: HarvestJob = { id: 'b', state: 'running', progress: progress(1, 100) };
    const api: HarvestApi = {
      start: vi.fn(async () => state),
      get: vi.fn(async () => state),
      cancel: vi.fn(async () => {
        state = { ...state, state: 'cancelled' };
        return state;
      })
    };
    const n = notices();
    n.started.mockImplementation((m: string, cancel: () => void) => {
      setTimeout(cancel, 5);
      return 'n2';
    });
    const job = await harvestFolder('big', n, api, 2);
    expect(job.state).toBe('cancelled');
    expect(api.cancel).toHaveBeenCalledWith('b');
    expect(n.log.at(-1)).toMatch(
      /^warning Harvest of big cancelled: the files read so far are kept/
    );
  });

  it('says why it failed', async () => {
    const api: HarvestApi = {
      start: vi.fn(async () => ({
        id: 'c',
        state: 'failed' as const,
        progress: progress(0, 0),
        error: { code: 'harvestFailed', message: 'radlab harvest: stopped (EACCES)' }
      })),
      get: vi.fn(),
      cancel: vi.fn()
    };
    const n = notices();
    await harvestFolder('x', n, api, 1);
    expect(n.log.at(-1)).toBe('error Harvest of x failed: radlab harvest: stopped (EACCES)');
  });
});
