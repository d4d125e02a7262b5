import { describe, expect, it } from 'vitest';
import { geometryVectors } from '../testing/geometryVectors.js';
import { vector } from '../testing/vectors.js';
import { ImagingError } from '../errors.js';
import { readNifti, readNiftiPair } from './read.js';

// nibabel wrote these with affine rows [0,-1.5,0,10] [2,0,0,-20] [0,0,3,30].
const AFFINE = [
  [0, -1.5, 0, 10],
  [2, 0, 0, -20],
  [0, 0, 3, 30],
  [0, 0, 0, 1]
];

function close(a: number[][], b: number[][]): void {
  a.forEach((row, r) => row.forEach((v, c) => expect(v).toBeCloseTo(b[r][c], 5)));
}

describe('readNifti (nibabel-written files)', () => {
  it.each(['int16_scl.nii', 'int16_scl.nii.gz'])(
    '%s: int16 with scl_slope/inter and sform',
    name => {
      const v = readNifti(vector(`nifti/${name}`));
      expect(v.version).toBe(1);
      expect(v.dims).toEqual([4, 5, 6]);
      expect(v.datatype).toBe('int16');
      expect(v.data).toBeInstanceOf(Int16Array);
      expect(Array.from(v.data as Int16Array)).toEqual(Array.from({ length: 120 }, (_, i) => i));
      expect([v.sclSlope, v.sclInter]).toEqual([2, -10]);
      expect(v.affineSource).toBe('sform');
      close(v.affine, AFFINE);
    }
  );

  it('does not copy voxels of an uncompressed file', () => {
    const bytes = vector('nifti/int16_scl.nii');
    expect(readNifti(bytes).data.buffer).toBe(bytes.buffer);
  });

  it('qform-only file gives the same affine from the quaternion', () => {
    const v = readNifti(vector('nifti/int16_qform.nii'));
    expect(v.affineSource).toBe('qform');
    close(v.affine, AFFINE);
    expect([v.sclSlope, v.sclInter]).toEqual([1, 0]);
  });

  it('float32 and 4D .nii.gz', () => {
    const f = readNifti(vector('nifti/float32.nii'));
    expect(f.data).toBeInstanceOf(Float32Array);
    expect(f.data[0]).toBe(-3);
    expect(f.data[119]).toBe(119 * 0.5 - 3);
    const v4 = readNifti(vector('nifti/float32_4d.nii.gz'));
    expect(v4.dims).toEqual([3, 4, 2, 5]);
    expect(v4.pixdims).toEqual([2, 2, 2, 1.5]);
    expect(v4.data.length).toBe(120);
    expect(v4.data[119]).toBe(119);
  });

  it('RGB24 is interleaved per voxel', () => {
    const v = readNifti(vector('nifti/rgb24.nii'));
    expect(v.components).toBe(3);
    expect(v.dims).toEqual([2, 3, 1]);
    // voxel (i=1, j=2): index i + 2*j = 5
    expect(Array.from(v.data.slice(15, 18) as Uint8Array)).toEqual([10, 40, 200]);
  });

  it('NIfTI-2', () => {
    const v = readNifti(vector('nifti/int16_nifti2.nii'));
    expect(v.version).toBe(2);
    expect(v.dims).toEqual([4, 5, 6]);
    expect(v.data[7]).toBe(7);
    close(v.affine, AFFINE);
  });

  it('rejects non-NIfTI', () => {
    expect(() => readNifti(new Uint8Array(400))).toThrow(/Not a NIfTI/);
  });

  it('bad headers are clear errors, before any allocation', () => {
    const base = vector('nifti/int16_scl.nii');
    const code = (edit: (v: DataView) => void, options?: { maxVoxelBytes?: number }) => {
      const bytes = base.slice();
      edit(new DataView(bytes.buffer));
      try {
        readNifti(bytes, options);
      } catch (e) {
        return (e as ImagingError).code;
      }
      return 'ok';
    };
    expect(code(() => {})).toBe('ok');
    expect(code(v => v.setInt16(40, 9, true))).toBe('malformed'); // dim[0]
    expect(code(v => v.setInt16(42, -4, true))).toBe('malformed'); // dim[1]
    expect(code(v => v.setInt16(70, 0, true))).toBe('unsupportedPixelFormat'); // datatype
    expect(code(v => v.setFloat32(108, 1e9, true))).toBe('malformed'); // vox_offset
    expect(code(v => [42, 44, 46].forEach(o => v.setInt16(o, 30000, true)))).toBe('tooLarge');
    expect(code(() => {}, { maxVoxelBytes: 100 })).toBe('tooLarge');
  });

  it('.hdr/.img pairs, with RGBA32 and big-endian data', () => {
    geometryVectors();
    const hdr = vector('nifti/geom/pair.hdr');
    const img = vector('nifti/geom/pair.img');
    const v = readNiftiPair(hdr, img);
    expect(v.pair).toBe(true);
    expect(v.dims).toEqual([5, 4, 3]);
    expect(v.affineSource).toBe('sform');
    const rgba = readNifti(vector('nifti/geom/dt_rgba32.nii'));
    expect([rgba.components, rgba.datatype, rgba.data.length]).toEqual([4, 'rgba32', 240]);
    const be = readNifti(vector('nifti/geom/bigendian.nii'));
    expect(be.littleEndian).toBe(false);
    expect(Array.from(be.data.slice(0, 3) as Int16Array)).toEqual([0, 7, 14]);
  });
});
