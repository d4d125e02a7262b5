import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeDicom } from '../dicom/file.js';
import { decodeFrame, type DecodedFrame } from '../dicom/frame.js';
import { parseDicom, type DicomImage, type Vec3 } from '../dicom/parse.js';
import { ImagingError } from '../errors.js';
import { groupSeries } from '../series/group.js';
import { ensureVectors, vector } from '../testing/vectors.js';
import { VolumeBuilder, volumeFromSeries } from './fromSeries.js';
import { readNifti } from '../nifti/read.js';
import { volumeFromNifti } from './fromNifti.js';
import { reslice } from './reslice.js';
import { indexToPatient } from './volume.js';

async function load(prefix: string, folder = 'series') {
  const dir = join(ensureVectors(), folder);
  const names = readdirSync(dir).filter(f => f.startsWith(prefix));
  return Promise.all(
    names.map(async f => {
      const parsed = parseDicom(vector(`${folder}/${f}`));
      return { name: f, header: parsed.header, frames: [await decodeFrame(parsed, 0)] };
    })
  );
}

function header(over: Partial<DicomImage> = {}): DicomImage {
  return {
    transferSyntaxUID: '1.2.840.10008.1.2.1',
    rows: 2,
    columns: 3,
    bitsAllocated: 16,
    bitsStored: 16,
    highBit: 15,
    pixelRepresentation: 1,
    samplesPerPixel: 1,
    photometricInterpretation: 'MONOCHROME2',
    planarConfiguration: 0,
    numberOfFrames: 1,
    rescaleSlope: 1,
    rescaleIntercept: -1024,
    windowCenters: [40],
    windowWidths: [400],
    windowExplanations: [],
    imageOrientationPatient: [1, 0, 0, 0, 1, 0],
    pixelSpacing: [0.8, 0.6],
    seriesInstanceUID: '1.2.3',
    modality: 'CT',
    phi: {},
    phiMasked: true,
    ...over
  };
}

function frame(value: number, frameIndex = 0, rows = 2, columns = 3): DecodedFrame {
  return {
    frameIndex,
    rows,
    columns,
    samplesPerPixel: 1,
    pixels: new Int16Array(rows * columns).fill(value),
    photometricInterpretation: 'MONOCHROME2',
    invert: false,
    minValue: value,
    maxValue: value
  };
}

const at = (z: number, n: number, over: Partial<DicomImage> = {}) => ({
  header: header({
    imagePositionPatient: [5, -7, z] as Vec3,
    instanceNumber: n,
    sopInstanceUID: `1.2.3.${n}.${z}`,
    ...over
  }),
  frames: [frame(z)]
});

describe('volumeFromSeries (dcmtk/pydicom oblique series, shuffled)', () => {
  it('orders by position with patient geometry from the headers', async () => {
    const files = await load('full');
    const v = volumeFromSeries(files);
    expect(v.dims).toEqual([4, 4, 8]);
    expect(v.frames).toBe(1);
    expect(v.data).toBeInstanceOf(Uint16Array);
    for (let k = 0; k < 8; k++) expect(v.data[k * 16 + 5]).toBe(k);
    expect(v.spacing[0]).toBe(1);
    expect(v.spacing[1]).toBe(1);
    expect(v.spacing[2]).toBeCloseTo(2.5, 3);
    expect(v.origin).toEqual([-100, 50, 12]);
    const [row, col, normal] = v.direction;
    expect(row[0]).toBeCloseTo(Math.cos(0.3), 5);
    expect(row[1]).toBeCloseTo(Math.sin(0.3), 5);
    expect(col).toEqual([0, 0, -1]);
    expect(normal[0]).toBeCloseTo(-Math.sin(0.3), 5);
    expect(normal[1]).toBeCloseTo(Math.cos(0.3), 5);
    expect(v.warnings).toEqual([]);
    // Axial plane of an oblique coronal-ish acquisition: oblique letters.
    const s = reslice(v, 'axial', 0);
    expect(s.labels).toEqual({ top: 'S', bottom: 'I', left: 'RA', right: 'LP' });
    const last = s.toPatient(0, 0);
    expect(last).toEqual([-100, 50, 12]);
  });

  it('reports the missing slice and the other series', async () => {
    const files = [...(await load('gapped')), ...(await load('full'))];
    const grouping = groupSeries(files);
    expect(grouping.groups.map(g => g.frames)).toEqual([8, 7]);
    const gapped = volumeFromSeries(files, {
      seriesInstanceUID: grouping.groups[1].seriesInstanceUID
    });
    expect(gapped.dims[2]).toBe(7);
    expect(Array.from({ length: 7 }, (_, k) => gapped.data[k * 16])).toEqual([0, 1, 2, 3, 4, 6, 7]);
    expect(gapped.warnings).toEqual([
      '1 slice missing between slices 5 and 6 (5.00 mm apart where the spacing is 2.50 mm).',
      'The files hold 2 series; showing one with 7 images.'
    ]);
    expect(gapped.warnings.join(' ')).not.toMatch(/Doe|RADLAB-0001|Radlab General/);
  });
});

describe('VolumeBuilder', () => {
  it('allocates from headers and fills slices in any order', () => {
    const files = [at(10, 3), at(0, 1), at(5, 2)];
    const b = new VolumeBuilder(files.map(f => f.header));
    expect(b.volume.dims).toEqual([3, 2, 3]);
    expect(b.volume.data).toBeInstanceOf(Int16Array);
    expect(b.volume.rescale).toEqual({ slope: 1, intercept: -1024 });
    expect(b.volume.windows).toEqual([{ center: 40, width: 400, fn: 'LINEAR' }]);
    expect(b.volume.modality).toBe('CT');
    expect(b.volume.spacing).toEqual([0.6, 0.8, 5]);
    expect(b.volume.origin).toEqual([5, -7, 0]);
    expect(b.slots.map(s => s.file)).toEqual([1, 2, 0]);
    expect(b.filled(2)).toBe(false);
    expect(b.setFrame(0, frame(10))).toBe(true);
    expect(b.filled(2)).toBe(true);
    expect(b.volume.data[2 * 6]).toBe(10);
    expect(b.complete).toBe(false);
    expect(b.finish().warnings).toEqual(['2 slices were not decoded and show as blank.']);
    b.set(0, frame(0));
    b.set(1, frame(5));
    expect(b.complete).toBe(true);
    expect(() => b.set(0, frame(1, 0, 4, 4))).toThrow(ImagingError);
    expect(b.decodeOrder()).toEqual([1, 0, 2]);
    expect(b.decodeOrder(2)).toEqual([2, 1, 0]);
  });

  it('checks the allocation limit before allocating', () => {
    const files = [
      at(0, 1, { rows: 4096, columns: 4096 }),
      at(1, 2, { rows: 4096, columns: 4096 })
    ];
    try {
      new VolumeBuilder(
        files.map(f => f.header),
        { maxVoxelBytes: 32 * 1024 ** 2 }
      );
      expect.unreachable();
    } catch (e) {
      expect((e as ImagingError).code).toBe('tooLarge');
    }
  });

  it('several images per position become frames; duplicates otherwise warn', () => {
    const files = [at(0, 1), at(0, 2), at(2, 3), at(2, 4), at(4, 5), at(4, 6)];
    files.forEach((f, n) => (f.frames = [frame(n)]));
    const v = volumeFromSeries(files);
    expect(v.dims[2]).toBe(3);
    expect(v.frames).toBe(2);
    expect(v.spacing[2]).toBe(2);
    // frame t, slice k → instance 2k + t + 1 → value 2k + t.
    expect([0, 1, 2, 3, 4, 5].map(s => v.data[s * 6])).toEqual([0, 2, 4, 1, 3, 5]);
    expect(v.warnings).toEqual(['2 images at each of 3 positions: shown as 2 frames.']);

    const dup = volumeFromSeries([at(0, 1), at(0, 2), at(2, 3), at(4, 4)]);
    expect(dup.dims[2]).toBe(3);
    expect(dup.frames).toBe(1);
    expect(dup.warnings).toEqual([
      '1 slice shares a position with another; the first at each position is shown.'
    ]);
  });

  it('same file twice is ignored; uneven spacing and differing rescale are reported', () => {
    const a = at(0, 1);
    const v = volumeFromSeries([a, { ...a }, at(2, 2), at(4, 3, { rescaleSlope: 2 }), at(7, 4)]);
    expect(v.dims[2]).toBe(4);
    expect(v.data).toBeInstanceOf(Float32Array);
    expect(v.rescale).toEqual({ slope: 1, intercept: 0 });
    expect(Array.from({ length: 4 }, (_, k) => v.data[k * 6])).toEqual([
      -1024,
      2 - 1024,
      8 - 1024,
      7 - 1024
    ]);
    expect(v.warnings).toEqual([
      '1 file repeats an image already loaded; ignored.',
      'Uneven slice spacing: 3.00 mm between slices 3 and 4 where the spacing is 2.00 mm.',
      'Rescale slope/intercept differ between slices: the volume holds rescaled (real) values.'
    ]);
  });

  it('multi-frame: per-frame positions order the frames; without them, unit spacing + warning', () => {
    const h = header({
      numberOfFrames: 3,
      imagePositionPatient: [0, 0, 0],
      perFrame: [6, 0, 3].map(z => ({
        imagePositionPatient: [0, 0, z] as Vec3,
        rescaleSlope: 1,
        rescaleIntercept: -1024,
        windowCenters: [],
        windowWidths: []
      }))
    });
    const frames = [frame(6, 0), frame(0, 1), frame(3, 2)];
    const v = volumeFromSeries([{ header: h, frames }]);
    expect(v.spacing[2]).toBe(3);
    expect([0, 1, 2].map(k => v.data[k * 6])).toEqual([0, 3, 6]);
    expect(v.warnings).toEqual([]);

    // Enhanced PET-like: per-frame rescale differs → real values.
    const pet = structuredClone(h);
    pet.perFrame![2].rescaleSlope = 4;
    const real = volumeFromSeries([{ header: pet, frames }]);
    expect(real.data).toBeInstanceOf(Float32Array);
    expect([0, 1, 2].map(k => real.data[k * 6])).toEqual([-1024, 3 * 4 - 1024, 6 - 1024]);

    const plain = volumeFromSeries([{ header: header({ numberOfFrames: 3 }), frames }]);
    expect(plain.spacing[2]).toBe(1);
    expect([0, 1, 2].map(k => plain.data[k * 6])).toEqual([6, 0, 3]);
    expect(plain.warnings).toEqual([
      'The multi-frame image has no per-frame positions: frames stacked in file order, 1 mm apart.'
    ]);
  });

  it('PALETTE COLOR and RGB frames fill an RGB volume', () => {
    const h = header({ photometricInterpretation: 'PALETTE COLOR', bitsAllocated: 8 });
    const rgb: DecodedFrame = {
      ...frame(0),
      samplesPerPixel: 3,
      pixels: Uint8Array.from({ length: 18 }, (_, i) => i),
      photometricInterpretation: 'RGB'
    };
    const v = volumeFromSeries([{ header: h, frames: [rgb] }]);
    expect(v.rgb).toBe(true);
    expect(v.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(v.data)).toEqual(Array.from(rgb.pixels));
    expect(reslice(v, 'axial', 0).rgb).toBe(true);
  });

  it('groupSeries leaves out a localizer and a different size, saying why', () => {
    const files = [
      at(0, 1),
      at(2, 2),
      at(4, 3),
      at(0, 4, { imageOrientationPatient: [0, 1, 0, 0, 0, -1] }),
      at(0, 5, { rows: 4, columns: 4 }),
      at(0, 6, { seriesInstanceUID: '9.9' })
    ];
    const { groups, skipped } = groupSeries(files);
    expect(groups.map(g => [g.seriesInstanceUID, g.files.length])).toEqual([
      ['1.2.3', 3],
      ['9.9', 1]
    ]);
    expect(skipped.map(s => s.reason)).toEqual([
      '4×4 pixels where the series is 3×2',
      'its orientation differs from the rest of the series (a localizer?)'
    ]);
    const v = volumeFromSeries(files);
    expect(v.warnings).toContain('A file was left out: 4×4 pixels where the series is 3×2.');
  });
});

describe('volumeFromSeries of an enhanced CT (functional groups)', () => {
  it.each(['enhanced_ct.dcm', 'enhanced_ct_rle.dcm'])(
    '%s: per-frame positions and rescale',
    async name => {
      const decoded = await decodeDicom(vector(`dicom/${name}`));
      const v = volumeFromSeries([decoded]);
      expect(v.dims).toEqual([16, 16, 4]);
      expect(v.spacing[0]).toBeCloseTo(0.8, 6);
      expect(v.spacing[1]).toBeCloseTo(0.7, 6);
      expect(v.spacing[2]).toBeCloseTo(1.25, 6);
      expect(v.origin).toEqual([-50, -60, 10]);
      expect(v.direction[1]).toEqual([0, 0.8, -0.6]);
      v.direction[2].forEach((x, a) => expect(x).toBeCloseTo([0, 0.6, 0.8][a], 9));
      // Rescale intercept differs per frame (-1024 + k): real values, HU.
      expect(v.data).toBeInstanceOf(Float32Array);
      for (const k of [0, 3])
        for (const p of [0, 17, 255])
          expect(v.data[k * 256 + p]).toBe(p * 4 - 500 + 100 * k - 1024 + k);
      expect(v.warnings).toEqual([
        'Rescale slope/intercept differ between slices: the volume holds rescaled (real) values.'
      ]);
      expect(reslice(v, 'coronal', 0).labels.top).toBe('SP');
    }
  );
});

describe('volumeFromSeries against dcm2niix', () => {
  const niftiPath = join(ensureVectors(), 'series_geom_nifti/geom.nii');
  it.skipIf(!existsSync(niftiPath))(
    'every voxel sits where dcm2niix puts it (oblique, anisotropic, shuffled)',
    async () => {
      const v = volumeFromSeries(await load('g_', 'series_geom'));
      expect(v.warnings).toEqual([]);
      expect(v.spacing.map(s => +s.toFixed(4))).toEqual([0.7, 0.9, 2]);
      const n = volumeFromNifti(readNifti(new Uint8Array(readFileSync(niftiPath))));
      expect(n.dims).toEqual(v.dims);
      // Columns of n's index → LPS matrix, inverted to find n's voxel at v's patient position.
      const m = n.direction.map((d, a) => d.map(x => x * n.spacing[a]));
      const inv = invert3(m);
      const [nx, ny, nz] = v.dims;
      let checked = 0;
      for (let k = 0; k < nz; k++)
        for (let j = 0; j < ny; j++)
          for (let i = 0; i < nx; i++) {
            const p = indexToPatient(v, i, j, k).map((x, a) => x - n.origin[a]);
            const idx = [0, 1, 2].map(r => inv[r][0] * p[0] + inv[r][1] * p[1] + inv[r][2] * p[2]);
            const [a, b, c] = idx.map(Math.round);
            expect(Math.max(...idx.map((x, r) => Math.abs(x - [a, b, c][r])))).toBeLessThan(1e-3);
            expect(n.data[a + nx * (b + ny * c)]).toBe(v.data[i + nx * (j + ny * k)]);
            checked++;
          }
      expect(checked).toBe(16 * 12 * 6);
      expect(v.data[3 + 16 * (2 + 12 * 5)]).toBe(3 + 16 * 2 + 200 * 5);
    }
  );
});

/** Inverse of the 3×3 matrix whose columns are `cols`, as rows. */
function invert3(cols: number[][]): number[][] {
  const [a, b, c] = cols; // columns
  const m = [
    [a[0], b[0], c[0]],
    [a[1], b[1], c[1]],
    [a[2], b[2], c[2]]
  ];
  const det =
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
    m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
    m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const out: number[][] = [[], [], []];
  for (let r = 0; r < 3; r++)
    for (let col = 0; col < 3; col++) {
      const r1 = (col + 1) % 3;
      const r2 = (col + 2) % 3;
      const c1 = (r + 1) % 3;
      const c2 = (r + 2) % 3;
      out[r][col] = (m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det;
    }
  return out;
}
