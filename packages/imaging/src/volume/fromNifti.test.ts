import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImagingError } from '../errors.js';
import { readNifti, readNiftiPair } from '../nifti/read.js';
import { geometryVectors } from '../testing/geometryVectors.js';
import { NIFTI_INTENT_LABEL, volumeFromNifti } from './fromNifti.js';
import { isLabelMap, labelColor, labelColorTable, labelValues } from './labelMap.js';
import { orientationLetters } from './orientation.js';
import { reslice } from './reslice.js';
import { indexToPatient } from './volume.js';

interface Case {
  files: string[];
  shape: number[];
  dtype: string;
  datatype: number;
  axcodes: string;
  affine: number[][];
  slope: number | null;
  inter: number | null;
  scaled: [number, number][] | null;
  intent: number;
}

const dir = geometryVectors();
const cases = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, Case>;
const file = (name: string) => new Uint8Array(readFileSync(join(dir, name)));

function open(c: Case) {
  return c.files.length === 2
    ? readNiftiPair(file(c.files[0]), file(c.files[1]))
    : readNifti(file(c.files[0]));
}

const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

describe('volumeFromNifti against nibabel', () => {
  it.each(Object.keys(cases))('%s', name => {
    const c = cases[name];
    const n = open(c);
    expect(n.datatypeCode).toBe(c.datatype);
    const v = volumeFromNifti(n);
    expect(v.dims).toEqual([c.shape[0], c.shape[1], c.shape[2]]);
    expect(v.frames).toBe(c.shape[3] ?? 1);

    // Stored values bit-exact (nibabel's unscaled array, little endian, x fastest).
    const raw = file(`${name}.raw`);
    if (c.dtype === 'int64') {
      const expected = new BigInt64Array(raw.buffer, raw.byteOffset, raw.length / 8);
      expect(v.data).toBeInstanceOf(Float64Array);
      expect(Array.from(v.data)).toEqual(Array.from(expected, Number));
    } else if (c.datatype === 2304) {
      expect(bytes(n.data)).toEqual(raw);
      expect(v.rgb).toBe(true);
      expect(Array.from(v.data)).toEqual(Array.from(raw).filter((_, i) => i % 4 !== 3));
    } else {
      expect(bytes(v.data)).toEqual(raw);
      expect(v.rgb ?? false).toBe(c.datatype === 128);
    }

    // Scaling as nibabel applies it (get_fdata).
    expect(v.rescale).toEqual({ slope: c.slope ?? 1, intercept: c.inter ?? 0 });
    for (const [i, value] of c.scaled ?? [])
      expect(v.data[i] * v.rescale.slope + v.rescale.intercept).toBe(value);

    // Orientation: the letter each voxel axis runs toward is aff2axcodes's.
    expect(v.direction.map(d => orientationLetters(d, 1)).join('')).toBe(c.axcodes);
    // Geometry: voxel → LPS equals nibabel's affine with x, y negated.
    const [nx, ny, nz] = v.dims;
    for (const [i, j, k] of [
      [0, 0, 0],
      [nx - 1, 0, 0],
      [0, ny - 1, nz - 1],
      [1, 2, 1]
    ]) {
      const ras = c.affine.slice(0, 3).map(r => r[0] * i + r[1] * j + r[2] * k + r[3]);
      const lps = indexToPatient(v, i, j, k);
      expect(lps[0]).toBeCloseTo(-ras[0], 4);
      expect(lps[1]).toBeCloseTo(-ras[1], 4);
      expect(lps[2]).toBeCloseTo(ras[2], 4);
    }
    expect(isLabelMap(v, { declared: n.intentCode === NIFTI_INTENT_LABEL })).toBe(
      name === 'labels'
    );
  });

  it('shares the voxels of an uncompressed file instead of copying', () => {
    const bytes = file('dt_int16.nii');
    expect(volumeFromNifti(readNifti(bytes)).data.buffer).toBe(bytes.buffer);
  });

  it('shows LAS data radiologically and maps slice pixels to the affine', () => {
    const c = cases.orient_las;
    const v = volumeFromNifti(open(c));
    const stored = reslice(v, 'axial', 1);
    expect(stored.labels).toEqual({ top: 'P', bottom: 'A', left: 'R', right: 'L' });
    const s = reslice(v, 'axial', 1, 0, { orient: 'radiological' });
    expect(s.labels).toEqual({ top: 'A', bottom: 'P', left: 'R', right: 'L' });
    expect(s.pixelSpacing).toEqual([1.5, 2]);
    // Top-left pixel: i = 0 (LAS: i runs toward L, so R side is i = 0), j = ny - 1.
    expect(s.toIndex(0, 0)).toEqual([0, 3, 1]);
    expect(s.data[0]).toBe(v.data[0 + 5 * 3 + 20 * 1]);
    const sag = reslice(v, 'sagittal', 2, 0, { orient: 'radiological' });
    expect(sag.labels).toEqual({ top: 'S', bottom: 'I', left: 'A', right: 'P' });
    expect(sag.pixelSpacing).toEqual([2, 3]);

    const psl = volumeFromNifti(open(cases.orient_psl));
    // PSL: i → P, j → S, k → L. The index-space "axial" (k) plane is a sagittal picture.
    const p = reslice(psl, 'axial', 0, 0, { orient: 'radiological' });
    expect(p.labels).toEqual({ top: 'S', bottom: 'I', left: 'A', right: 'P' });
  });

  it('4D volumes keep frames in order', () => {
    const v = volumeFromNifti(open(cases['4d']));
    expect(v.frames).toBe(4);
    const a = reslice(v, 'axial', 2, 0);
    const b = reslice(v, 'axial', 2, 3);
    expect(b.data[7] - a.data[7]).toBe(3);
  });

  it('refuses images over the voxel limit before allocating, and truncated files', () => {
    const bytes = file('dt_float64.nii');
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as ImagingError;
      }
      throw new Error('no error');
    };
    expect(err(() => readNifti(bytes, { maxVoxelBytes: 100 })).code).toBe('tooLarge');
    expect(err(() => readNifti(file('orient_las_gz.nii.gz'), { maxVoxelBytes: 100 })).code).toBe(
      'tooLarge'
    );
    expect(err(() => readNifti(bytes.subarray(0, 400))).code).toBe('malformed');
    expect(err(() => readNiftiPair(file('pair.hdr'), file('pair.img').subarray(0, 10))).code).toBe(
      'malformed'
    );
    expect(err(() => readNifti(file('pair.hdr'))).code).toBe('malformed');
  });
});

describe('label maps', () => {
  it('finds labels and gives a stable categorical colour table', () => {
    const v = volumeFromNifti(open(cases.labels));
    expect(labelValues(v)).toEqual([0, 1, 2, 5]);
    expect(isLabelMap(v)).toBe(true);
    const table = labelColorTable(5, 200);
    expect(table.length).toBe(24);
    expect(Array.from(table.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(table.subarray(4, 8))).toEqual([255, 0, 0, 200]);
    expect(Array.from(table.subarray(20, 24))).toEqual([...labelColor(5), 200]);
    const colours = new Set(Array.from({ length: 40 }, (_, i) => labelColor(i + 1).join()));
    expect(colours.size).toBe(40);
  });

  it('an image is not a label map', () => {
    const v = volumeFromNifti(open(cases.dt_int16));
    expect(labelValues(v, 16)).toBeUndefined();
    expect(isLabelMap(v)).toBe(false);
    expect(isLabelMap(volumeFromNifti(open(cases.dt_float32)))).toBe(false);
  });
});
