import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDicom } from '../dicom/parse.js';
import { ensureVectors, vector } from '../testing/vectors.js';
import { sortSeries } from './sort.js';

function load(prefix: string) {
  const dir = join(ensureVectors(), 'series');
  return readdirSync(dir)
    .filter(f => f.startsWith(prefix))
    .sort()
    .map(f => parseDicom(vector(`series/${f}`)).header);
}

describe('sortSeries (oblique slices written in shuffled order)', () => {
  it('orders a shuffled series along the normal', () => {
    const headers = load('full');
    expect(headers.map(h => h.instanceNumber)).not.toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const [s] = sortSeries(headers);
    expect(s.orderedBy).toBe('position');
    expect(s.slices.map(h => h.instanceNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(s.spacing).toBeCloseTo(2.5, 3);
    expect(s.gaps).toEqual([]);
    expect(s.uneven).toEqual([]);
  });

  it('groups by series and reports the missing slice', () => {
    const all = sortSeries([...load('full'), ...load('gapped')]);
    expect(all).toHaveLength(2);
    const gapped = all.find(s => s.slices.length === 7);
    expect(gapped?.slices.map(h => h.instanceNumber)).toEqual([1, 2, 3, 4, 5, 7, 8]);
    expect(gapped?.gaps).toHaveLength(1);
    expect(gapped?.gaps[0].after).toBe(4);
    expect(gapped?.gaps[0].missing).toBe(1);
    expect(gapped?.gaps[0].distance).toBeCloseTo(5, 3);
  });

  it('flags uneven spacing and falls back to instance number', () => {
    const iop: [number, number, number, number, number, number] = [1, 0, 0, 0, 1, 0];
    const at = (z: number, n: number) => ({
      seriesInstanceUID: '1',
      imageOrientationPatient: iop,
      imagePositionPatient: [0, 0, z] as [number, number, number],
      instanceNumber: n
    });
    const [s] = sortSeries([at(0, 1), at(2, 2), at(4, 3), at(7, 4), at(9, 5)]);
    expect(s.uneven).toEqual([{ after: 2, distance: 3, missing: 0 }]);
    const [n] = sortSeries([
      { seriesInstanceUID: '2', instanceNumber: 2 },
      { seriesInstanceUID: '2', instanceNumber: 1 }
    ]);
    expect(n.orderedBy).toBe('instanceNumber');
    expect(n.slices.map(h => h.instanceNumber)).toEqual([1, 2]);
  });
});
