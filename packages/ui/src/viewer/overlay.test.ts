// @vitest-environment jsdom
import { createInlineDecoder, labelColor, volumeFromNifti, readNifti } from '@radlab/imaging';
import { describe, expect, it, vi } from 'vitest';
import { findLabelTable, legendEntries, OverlayController } from './overlay.js';
import type { ImageFile } from './source.js';
import { vector, vectorFile } from './testing/vectors.js';

const textFile = (name: string, text: string): ImageFile => ({
  name,
  read: async () => new TextEncoder().encode(text)
});

/** `file` with a folder of `others` beside it (the hosts' sidecar lookup). */
function beside(file: ImageFile, others: ImageFile[]): ImageFile {
  return {
    ...file,
    sidecar: async names =>
      others.find(o => names.some(n => n.toLowerCase() === o.name.toLowerCase()))
  };
}

describe('legendEntries', () => {
  it("lists each label but background, with the table's names and colours", () => {
    const table = new Map([[2, { name: 'core', color: [1, 2, 3] as [number, number, number] }]]);
    expect(legendEntries([0, 1, 2], table)).toEqual([
      { value: 1, color: labelColor(1) },
      { value: 2, color: [1, 2, 3], name: 'core' }
    ]);
  });
});

describe('findLabelTable', () => {
  it('takes the first table that parses, skipping a README that shares the stem', async () => {
    const seg = beside(vectorFile('nifti/int16_scl.nii', 'seg.nii'), [
      textFile('seg.txt', 'notes about this segmentation\n'),
      textFile('SEG.LUT', '1 liver 255 0 0 0\n')
    ]);
    const found = await findLabelTable(seg, { auxFile: '' }, new AbortController().signal);
    expect(found?.name).toBe('SEG.LUT');
    expect(found?.table.get(1)?.name).toBe('liver');
    expect(
      await findLabelTable(
        vectorFile('nifti/int16_scl.nii'),
        { auxFile: '' },
        new AbortController().signal
      )
    ).toBeUndefined();
  });
});

describe('OverlayController', () => {
  it('loads a label map on the grid, legends it from its sidecar and refuses another grid', async () => {
    const onChange = vi.fn();
    const onError = vi.fn();
    const o = new OverlayController(
      document,
      { decoder: createInlineDecoder(), maxBytes: 2 ** 30, onChange, onError },
      new AbortController().signal
    );
    const base = volumeFromNifti(readNifti(vector('nifti/int16_scl.nii')));
    const labels = beside(vectorFile('nifti/int16_qform.nii', 'labels.nii'), [
      textFile(
        'labels.json',
        JSON.stringify({ '1': 'one', '2': { name: 'two', color: [9, 9, 9] } })
      )
    ]);
    await o.load(labels, base, () => true);
    expect(onError).not.toHaveBeenCalled();
    expect(o.isShown).toBe(true);
    expect(o.entries.slice(0, 2)).toEqual([
      { value: 1, color: labelColor(1), name: 'one' },
      { value: 2, color: [9, 9, 9], name: 'two' }
    ]);
    // 119 labels: 24 rows and a count of the rest
    expect(o.legend.querySelectorAll('.rl-Viewer-legendItem')).toHaveLength(24);
    expect(o.legend.textContent).toContain('… and 95 more');
    expect(o.legend.title).toBe('Names from labels.json');
    const rgba = new Uint8ClampedArray(5 * 4 * 4);
    o.opacity = 1;
    o.blend(rgba, 'axial', 0, 'dicom');
    expect(rgba.some(v => v === 9)).toBe(true);

    await o.load(vectorFile('nifti/float32_4d.nii.gz'), base, () => true);
    expect(onError.mock.calls[0][0]).toBe('Cannot show the overlay float32_4d.nii.gz');
    expect(o.isShown).toBe(true);
    o.remove();
    expect(o.isShown).toBe(false);
    expect(o.legend.hidden).toBe(true);
  });
});
