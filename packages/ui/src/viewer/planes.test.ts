import {
  AXES,
  decodeDicom,
  readNifti,
  volumeFromNifti,
  volumeFromSeries,
  type Vec3,
  type Volume
} from '@radlab/imaging';
import { describe, expect, it } from 'vitest';
import {
  acquisitionPlane,
  indexPlanes,
  pixelOfVoxel,
  planeCount,
  planeSlice,
  sameGrid
} from './planes.js';
import { hasDicomPreamble, kindFromName, planSource } from './source.js';
import { vector } from './testing/vectors.js';
import { smallVolume } from './testing/volumes.js';

function cube(direction: [Vec3, Vec3, Vec3]): Volume {
  return smallVolume({ direction });
}

describe('anatomical planes over index planes', () => {
  it('maps axial to k for axial data and follows a sagittal acquisition', () => {
    const axial = cube([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1]
    ]);
    expect(indexPlanes(axial)).toEqual({
      axial: 'axial',
      coronal: 'coronal',
      sagittal: 'sagittal'
    });
    expect(acquisitionPlane(axial)).toBe('axial');
    expect(planeCount(axial, 'sagittal')).toBe(3);
    const s = planeSlice(axial, 'axial', 99, 0, 'dicom');
    expect([s.index, s.count, s.width, s.height]).toEqual([4, 5, 3, 4]);
    expect(s.labels).toEqual({ top: 'A', bottom: 'P', left: 'R', right: 'L' });

    // Sagittal MR: rows run P→, columns S→I, slices along L.
    const sagittal = cube([
      [0, 1, 0],
      [0, 0, -1],
      [1, 0, 0]
    ]);
    expect(indexPlanes(sagittal)).toEqual({
      axial: 'coronal',
      coronal: 'sagittal',
      sagittal: 'axial'
    });
    expect(acquisitionPlane(sagittal)).toBe('sagittal');
    const sag = planeSlice(sagittal, 'sagittal', 2, 0, 'dicom');
    expect(sag.labels).toEqual({ top: 'S', bottom: 'I', left: 'A', right: 'P' });
    expect(planeCount(sagittal, 'axial')).toBe(4);
  });

  it('opens an oblique coronal series on its acquisition plane', async () => {
    const files = await Promise.all(
      Array.from({ length: 8 }, (_, n) => decodeDicom(vector(`series/full_0${n}.dcm`)))
    );
    const volume = volumeFromSeries(files);
    expect(acquisitionPlane(volume)).toBe('coronal');
    const s = planeSlice(volume, 'coronal', 3, 0, 'dicom');
    expect(s.data[0]).toBe(3);
    expect(s.labels.top).toBe('S');
    expect(s.labels.right).toBe('LP');
  });

  it('shows NIfTI radiologically whatever its voxel order', () => {
    const v = volumeFromNifti(readNifti(vector('nifti/int16_scl.nii')));
    expect(acquisitionPlane(v)).toBe('axial');
    const s = planeSlice(v, 'axial', 2, 0, 'radiological');
    // Stored with i along A→P and j along R→L: transposed and flipped to the usual axial view.
    expect(s.labels).toEqual({ top: 'A', bottom: 'P', left: 'R', right: 'L' });
    expect([s.width, s.height, s.transposed]).toEqual([5, 4, true]);
    expect(s.data[0]).toBe(3 + 40);
  });

  it('tells whether an overlay shares the image grid', () => {
    const a = volumeFromNifti(readNifti(vector('nifti/int16_scl.nii')));
    const b = volumeFromNifti(readNifti(vector('nifti/int16_qform.nii')));
    expect(sameGrid(b, a)).toBe(true);
    expect(sameGrid({ ...b, origin: [b.origin[0] + 5, b.origin[1], b.origin[2]] }, a)).toBe(false);
    const flipped = {
      ...b,
      direction: [b.direction[1], b.direction[0], b.direction[2]] as Volume['direction']
    };
    expect(sameGrid(flipped, a)).toBe(false);
  });
});

describe('sources', () => {
  it('tells kinds apart by name and bytes', () => {
    expect(kindFromName('a/b/scan.nii.gz')).toBe('nifti');
    expect(kindFromName('IM0001')).toBe('dicom');
    expect(kindFromName('1.2.840.113619.2.1')).toBe('dicom');
    expect(kindFromName('x.DCM')).toBe('dicom');
    expect(kindFromName('notes.txt')).toBe('other');
    expect(hasDicomPreamble(vector('dicom/u8_explicit_le.dcm'))).toBe(true);
    expect(hasDicomPreamble(vector('nifti/float32.nii'))).toBe(false);
    const f = (name: string) => ({ name, read: async () => new Uint8Array() });
    expect(planSource({ title: 't', files: [f('a.nii')] }).kind).toBe('nifti');
    expect(
      planSource({ title: 't', files: [f('a.img'), f('a.hdr')] }).files.map(x => x.name)
    ).toEqual(['a.hdr', 'a.img']);
    const folder = planSource({ title: 't', files: [f('1'), f('2.dcm'), f('README.txt')] });
    expect([folder.kind, folder.files.length, folder.maybe.length]).toEqual(['dicom', 2, 1]);
    expect(() => planSource({ title: 't', files: [] })).toThrow(/no files/);
    expect(() => planSource({ title: 't', files: [f('a.hdr')] })).toThrow(/no matching .img/);
  });
});

describe('pixelOfVoxel', () => {
  it('finds the pixel that shows a voxel in every plane, flipped and transposed alike', () => {
    const volume = volumeFromNifti(readNifti(vector('nifti/int16_scl.nii')));
    for (const orient of ['dicom', 'radiological'] as const)
      for (const axis of AXES) {
        const slice = planeSlice(volume, axis, 1, 0, orient);
        for (const [x, y] of [
          [0, 0],
          [slice.width - 1, 0],
          [1, slice.height - 1]
        ])
          expect(pixelOfVoxel(slice, slice.toIndex(x, y)), `${orient} ${axis}`).toEqual([x, y]);
      }
  });
});
