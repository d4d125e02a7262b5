import { createInlineDecoder } from '@radlab/imaging';
import { describe, expect, it } from 'vitest';
import { loadDicom, type LoadOptions } from './loader.js';
import { planSource, type ImageFile } from './source.js';
import { vectorFile } from './testing/vectors.js';

function counted(path: string, reads: Map<string, number>): ImageFile {
  const f = vectorFile(path);
  return {
    ...f,
    read: async signal => {
      reads.set(f.name, (reads.get(f.name) ?? 0) + 1);
      return f.read(signal);
    }
  };
}

function options(extra: Partial<LoadOptions> = {}): LoadOptions {
  return { signal: new AbortController().signal, maxBytes: 2 ** 30, concurrency: 2, ...extra };
}

const full = (reads: Map<string, number>): ImageFile[] =>
  Array.from({ length: 8 }, (_, i) => counted(`series/full_0${i}.dcm`, reads));

describe('loadDicom (folders)', () => {
  it('allocates from the headers, then fills slots middle-out, reporting each', async () => {
    const events: string[] = [];
    const loaded = await loadDicom(
      planSource({ title: 's', files: full(new Map()) }),
      createInlineDecoder(),
      {
        ...options({ concurrency: 1 }),
        onStart: l => events.push(`start ${l.volume.dims.join('×')} at ${l.startIndex}`),
        onSlice: slot => events.push(`slot ${slot}`)
      }
    );
    expect(events).toEqual(['start 4×4×8 at 3', ...[3, 2, 4, 1, 5, 0, 6, 7].map(k => `slot ${k}`)]);
    expect(loaded.filled).toBeUndefined();
    expect(loaded.startIndex).toBe(3);
    // Slot k holds value k (the series' test pattern).
    const [nx, ny] = loaded.volume.dims;
    expect(loaded.volume.data[5 * nx * ny + nx * ny - 1]).toBe(5);
  });

  it('reads each file once or twice as retainBytes allows', async () => {
    for (const [retainBytes, times] of [
      [Infinity, 1],
      [0, 2]
    ]) {
      const reads = new Map<string, number>();
      await loadDicom(
        planSource({ title: 's', files: full(reads) }),
        createInlineDecoder(),
        options({ retainBytes })
      );
      expect([...reads.values()]).toEqual(new Array(8).fill(times));
    }
  });

  it('picks the largest series and notes the others and unreadable files', async () => {
    const reads = new Map<string, number>();
    const files = [
      ...full(reads),
      counted('series/gapped_00.dcm', reads),
      { name: 'notes.txt', read: async () => new TextEncoder().encode('hello') },
      { name: 'broken.dcm', read: async () => new Uint8Array(200) }
    ];
    const loaded = await loadDicom(
      planSource({ title: 's', files }),
      createInlineDecoder(),
      options()
    );
    expect(loaded.volume.dims[2]).toBe(8);
    expect(loaded.volume.warnings).toContain('The files hold 2 series; showing one with 8 images.');
    expect(loaded.skipped).toContain('notes.txt: not a DICOM file');
    expect(loaded.skipped.find(s => s.startsWith('broken.dcm: '))).toBeDefined();
    // The other series' file is never decoded (read once, for its header).
    expect(reads.get('gapped_00.dcm')).toBe(1);
  });
});
