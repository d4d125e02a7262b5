import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../dicom/parse.js';
import { orientationLetters } from './orientation.js';
import { reslice, sliceCount } from './reslice.js';
import type { Volume } from './volume.js';

// v(i, j, k) = i + 10 j + 100 k on 4 × 3 × 2, axial DICOM geometry (i → L, j → P, k → S).
function volume(direction?: [Vec3, Vec3, Vec3], frames = 1): Volume {
  const [nx, ny, nz] = [4, 3, 2];
  const data = new Int16Array(nx * ny * nz * frames);
  for (let t = 0; t < frames; t++)
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++)
          data[i + nx * (j + ny * (k + nz * t))] = i + 10 * j + 100 * k + 1000 * t;
  return {
    dims: [nx, ny, nz],
    frames,
    data,
    spacing: [0.5, 0.75, 2.5],
    origin: [-10, 20, 30],
    direction: direction ?? [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1]
    ],
    rescale: { slope: 1, intercept: 0 },
    windows: [],
    warnings: []
  };
}

const rows = (s: { width: number; data: ArrayLike<number> }) => {
  const out: number[][] = [];
  for (let y = 0; y * s.width < s.data.length; y++)
    out.push(Array.from(s.data as Int16Array).slice(y * s.width, (y + 1) * s.width));
  return out;
};

describe('orientationLetters', () => {
  it('names LPS axes and oblique pairs, largest first', () => {
    expect(orientationLetters([1, 0, 0])).toBe('L');
    expect(orientationLetters([-1, 0, 0])).toBe('R');
    expect(orientationLetters([0, -1, 0])).toBe('A');
    expect(orientationLetters([0, 0, 1])).toBe('S');
    expect(orientationLetters([0, 0, -1])).toBe('I');
    expect(orientationLetters([Math.cos(0.3), Math.sin(0.3), 0])).toBe('LP');
    expect(orientationLetters([-0.3, -0.9, 0.2])).toBe('AR');
    expect(orientationLetters([-0.3, -0.9, 0.2], 3)).toBe('ARS');
  });
});

describe('reslice', () => {
  it('axial: the stored k plane, rows down, with labels and aspect', () => {
    const v = volume();
    expect(sliceCount(v, 'axial')).toBe(2);
    const s = reslice(v, 'axial', 1);
    expect([s.width, s.height, s.index, s.count]).toEqual([4, 3, 1, 2]);
    expect(s.data).toBeInstanceOf(Int16Array);
    expect(rows(s)).toEqual([
      [100, 101, 102, 103],
      [110, 111, 112, 113],
      [120, 121, 122, 123]
    ]);
    expect(s.pixelSpacing).toEqual([0.5, 0.75]);
    expect(s.labels).toEqual({ top: 'A', bottom: 'P', left: 'R', right: 'L' });
    expect(s.toPatient(2, 1)).toEqual([-10 + 1, 20 + 0.75, 30 + 2.5]);
  });

  it('coronal: superior at the top, slice spacing as row height', () => {
    const v = volume();
    expect(sliceCount(v, 'coronal')).toBe(3);
    const s = reslice(v, 'coronal', 2);
    expect(rows(s)).toEqual([
      [120, 121, 122, 123],
      [20, 21, 22, 23]
    ]);
    expect(s.pixelSpacing).toEqual([0.5, 2.5]);
    expect(s.labels).toEqual({ top: 'S', bottom: 'I', left: 'R', right: 'L' });
    expect(s.flipY).toBe(true);
    // Top-left pixel is k = 1 (superior), i = 0, j = 2.
    expect(s.toPatient(0, 0)).toEqual([-10, 20 + 1.5, 30 + 2.5]);
    expect(s.toIndex(3, 1)).toEqual([3, 2, 0]);
  });

  it('sagittal: columns along j (anterior left), superior at the top', () => {
    const v = volume();
    expect(sliceCount(v, 'sagittal')).toBe(4);
    const s = reslice(v, 'sagittal', 3);
    expect(rows(s)).toEqual([
      [103, 113, 123],
      [3, 13, 23]
    ]);
    expect(s.pixelSpacing).toEqual([0.75, 2.5]);
    expect(s.labels).toEqual({ top: 'S', bottom: 'I', left: 'A', right: 'P' });
  });

  it('radiological orientation flips RAS-stored (NIfTI-like) data', () => {
    // i → R (x−), j → A (y−), k → S: a typical NIfTI affine seen in LPS.
    const v = volume([
      [-1, 0, 0],
      [0, -1, 0],
      [0, 0, 1]
    ]);
    const stored = reslice(v, 'axial', 0);
    expect(stored.labels).toEqual({ top: 'P', bottom: 'A', left: 'L', right: 'R' });
    const s = reslice(v, 'axial', 0, 0, { orient: 'radiological' });
    expect(s.labels).toEqual({ top: 'A', bottom: 'P', left: 'R', right: 'L' });
    expect(rows(s)).toEqual([
      [23, 22, 21, 20],
      [13, 12, 11, 10],
      [3, 2, 1, 0]
    ]);
    expect(s.toPatient(0, 0)).toEqual(v.origin.map((o, a) => o + [-1.5, -1.5, 0][a]));
    const c = reslice(v, 'coronal', 0, 0, { orient: 'radiological' });
    expect(c.labels).toEqual({ top: 'S', bottom: 'I', left: 'R', right: 'L' });
    expect(rows(c)).toEqual([
      [103, 102, 101, 100],
      [3, 2, 1, 0]
    ]);
    const g = reslice(v, 'sagittal', 0, 0, { orient: 'radiological' });
    expect(g.labels).toEqual({ top: 'S', bottom: 'I', left: 'A', right: 'P' });
    expect(rows(g)).toEqual([
      [120, 110, 100],
      [20, 10, 0]
    ]);
  });

  it('radiological orientation transposes when voxel columns run along S/I', () => {
    // i → I, j → P, k → L: the k plane is a sagittal picture stored with rows along A/P.
    const v = volume([
      [0, 0, -1],
      [0, 1, 0],
      [1, 0, 0]
    ]);
    const stored = reslice(v, 'axial', 1);
    expect(stored.labels).toEqual({ top: 'A', bottom: 'P', left: 'S', right: 'I' });
    expect([stored.width, stored.transposed]).toEqual([4, false]);
    const s = reslice(v, 'axial', 1, 0, { orient: 'radiological' });
    expect([s.width, s.height, s.transposed, s.flipX, s.flipY]).toEqual([3, 4, true, false, false]);
    expect(s.labels).toEqual({ top: 'S', bottom: 'I', left: 'A', right: 'P' });
    expect(s.pixelSpacing).toEqual([0.75, 0.5]);
    expect(rows(s)).toEqual([
      [100, 110, 120],
      [101, 111, 121],
      [102, 112, 122],
      [103, 113, 123]
    ]);
    expect(s.toIndex(2, 1)).toEqual([1, 2, 1]);
  });

  it('frames, RGB and output reuse', () => {
    const v = volume(undefined, 2);
    expect(rows(reslice(v, 'axial', 0, 1))[0]).toEqual([1000, 1001, 1002, 1003]);
    const out = new Int16Array(8);
    const s = reslice(v, 'coronal', 0, 1, { out });
    expect(s.data).toBe(out);
    expect(Array.from(out)).toEqual([1100, 1101, 1102, 1103, 1000, 1001, 1002, 1003]);
    expect(() => reslice(v, 'axial', 2)).toThrow(RangeError);
    expect(() => reslice(v, 'axial', 0, 2)).toThrow(RangeError);

    const rgb: Volume = { ...volume(), rgb: true, data: new Uint8Array(4 * 3 * 2 * 3) };
    for (let p = 0; p < 24; p++) rgb.data.set([p, p + 1, p + 2], p * 3);
    const sag = reslice(rgb, 'sagittal', 1);
    expect(sag.rgb).toBe(true);
    // Top-left: k = 1, j = 0, i = 1 → voxel 1 + 12 = 13.
    expect(Array.from(sag.data.slice(0, 6))).toEqual([13, 14, 15, 17, 18, 19]);
  });

  it('coronal of 512×512×64 int16 in a few ms', () => {
    const [nx, ny, nz] = [512, 512, 64];
    const data = new Int16Array(nx * ny * nz);
    for (let p = 0; p < data.length; p++) data[p] = p & 0x7fff;
    const v: Volume = { ...volume(), dims: [nx, ny, nz], data };
    const out = new Int16Array(nx * nz);
    for (let w = 0; w < 5; w++) reslice(v, 'coronal', w, 0, { out });
    const times: number[] = [];
    for (let j = 0; j < 50; j++) {
      const t0 = performance.now();
      reslice(v, 'coronal', j * 10, 0, { out });
      reslice(v, 'sagittal', j * 10, 0);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    expect(times[25]).toBeLessThan(16);
    expect(out[0]).toBe(data[(63 * ny + 490) * nx]);
  });
});
