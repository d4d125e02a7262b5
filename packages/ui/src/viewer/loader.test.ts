import { createInlineDecoder } from '@radlab/imaging';
import { describe, expect, it } from 'vitest';
import { loadDicom, readHead, restOfFile, type LoadOptions } from './loader.js';
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

/** A vector file that reads ranges too, logging every read as [start, end, bytes]. */
function ranged(path: string, log: [string, number, number | undefined, number][]): ImageFile {
  const f = vectorFile(path);
  const all = f.read();
  return {
    ...f,
    read: async () => {
      const bytes = await all;
      log.push([f.name, 0, undefined, bytes.length]);
      return bytes.slice();
    },
    readRange: async (start, end) => {
      const bytes = (await all).slice(start, end);
      log.push([f.name, start, end, bytes.length]);
      return bytes;
    }
  };
}

describe('loadDicom (range reads)', () => {
  it('reads each header from a range up to Pixel Data and the rest of each file once', async () => {
    const log: [string, number, number | undefined, number][] = [];
    const files = Array.from({ length: 8 }, (_, i) => ranged(`series/full_0${i}.dcm`, log));
    const loaded = await loadDicom(
      planSource({ title: 's', files }),
      createInlineDecoder(),
      options({ headBytes: 256 })
    );
    expect(loaded.filled).toBeUndefined();
    expect(loaded.volume.data[5 * 16 + 15]).toBe(5);
    for (const f of files) {
      const reads = log.filter(r => r[0] === f.name);
      // no byte twice: the ranges tile the file, and the last runs to its end
      expect(reads.reduce((n, r) => n + r[3], 0)).toBe(f.size);
      for (let i = 1; i < reads.length; i++)
        expect(reads[i][1]).toBe(reads[i - 1][1] + reads[i - 1][3]);
      expect(reads[0].slice(1, 3)).toEqual([0, 256]);
    }
  });

  it('joins a head and the rest of a larger file into its bytes, one range each', async () => {
    const log: [string, number, number | undefined, number][] = [];
    const file = ranged('dicom/s16_j2k.dcm', log);
    const signal = new AbortController().signal;
    const head = await readHead(file, 2 ** 30, signal, 1024);
    expect(head.whole).toBe(false);
    const bytes = await restOfFile(file, { bytes: head.bytes, whole: false }, 2 ** 30, signal);
    expect(bytes).toEqual(await vectorFile('dicom/s16_j2k.dcm').read());
    expect(log.map(r => r.slice(1, 3))).toEqual([
      [0, 1024],
      [1024, undefined]
    ]);
    await expect(readHead(file, 100, signal)).rejects.toThrow(/over the viewer's/);
  });

  it("shows an ordered series' middle file first, then the volume starting on it", async () => {
    const log: [string, number, number | undefined, number][] = [];
    const files = Array.from({ length: 8 }, (_, i) => ranged(`series/full_0${i}.dcm`, log));
    const events: string[] = [];
    const loaded = await loadDicom(
      { ...planSource({ title: 's', files }) },
      createInlineDecoder(),
      {
        ...options({ ordered: true, concurrency: 1, headBytes: 256 }),
        onStart: l => events.push(`start ${l.volume.dims[2]} at ${l.startIndex}`),
        onSlice: slot => events.push(`slot ${slot}`)
      }
    );
    // full_03 is the middle of 8: read whole first, shown alone, then slot 3 of the volume
    expect(log[0]).toEqual(['full_03.dcm', 0, undefined, files[3].size]);
    expect(events.slice(0, 2)).toEqual(['start 1 at 0', 'slot 0']);
    expect(events[2]).toBe(`start 8 at ${loaded.startIndex}`);
    expect(loaded.sourceOf(loaded.startIndex)?.file.name).toBe('full_03.dcm');
    expect(events.slice(3).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map(k => `slot ${k}`));
    expect(log.filter(r => r[0] === 'full_03.dcm')).toHaveLength(1);
    expect(loaded.filled).toBeUndefined();
  });
});
