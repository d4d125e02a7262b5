import { readNifti } from '@radlab/imaging';
import { describe, expect, it } from 'vitest';
import { niftiHeaderRows, sliceRows } from './header.js';
import { vector } from './testing/vectors.js';

describe('header rows', () => {
  it("names a NIfTI label map's intent", () => {
    const n = readNifti(vector('nifti/int16_scl.nii'));
    expect(niftiHeaderRows(n, false).find(r => r.name === 'Intent')).toBeUndefined();
    const labels = { ...n, intentCode: 1002, intentName: 'aseg' };
    expect(niftiHeaderRows(labels, false).find(r => r.name === 'Intent')?.value).toBe(
      'label map 1002 (aseg)'
    );
  });

  it('describes the displayed slice, numbered from 1, in LPS or RAS', () => {
    const slice = {
      index: 0,
      count: 24,
      width: 96,
      height: 24,
      pixelSpacing: [1.5, 2.5] as [number, number],
      toPatient: (): [number, number, number] => [0.75, -71.25, 0]
    };
    const rows = sliceRows('Sagittal', slice, { index: 1, count: 3 }, 'RAS');
    expect(Object.fromEntries(rows.map(r => [r.name, r.value]))).toEqual({
      Plane: 'Sagittal',
      Slice: '1 / 24',
      Frame: '2 / 3',
      'Columns × Rows': '96 × 24',
      'Pixel size (column, row)': '1.5 × 2.5 mm',
      'Top-left pixel (RAS)': '-0.75, 71.25, 0 mm'
    });
  });
});
