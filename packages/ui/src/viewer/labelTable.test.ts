import { describe, expect, it } from 'vitest';
import { parseLabelTable, sidecarNames } from './labelTable.js';

describe('parseLabelTable', () => {
  it("reads FreeSurfer's LUT and 3D Slicer's .ctbl", () => {
    const t = parseLabelTable(
      '#$Id: FreeSurferColorLUT.txt\n#No. Label Name:   R   G   B   A\n\n0   Unknown   0   0   0   0\n10  Left-Thalamus  0 118  14   0\n'
    );
    expect(t?.get(10)).toEqual({ name: 'Left-Thalamus', color: [0, 118, 14] });
    expect(t?.get(0)?.name).toBe('Unknown');
  });

  it("reads ITK-SNAP's label description file", () => {
    const t = parseLabelTable(
      '# ITK-SnAP Label Description File\n# IDX   -R-  -G-  -B-  -A--  VIS MSH  LABEL\n    0     0    0    0        0  0  0    "Clear Label"\n    1   255    0    0        1  1  1    "Liver tumour"\n'
    );
    expect(t?.get(1)).toEqual({ name: 'Liver tumour', color: [255, 0, 0] });
  });

  it("reads NiiVue's label colormap JSON, a plain map and BIDS dseg.tsv", () => {
    const nv = parseLabelTable(
      JSON.stringify({ R: [0, 255], G: [0, 0], B: [0, 0], I: [0, 3], labels: ['bg', 'vessel'] })
    );
    expect(nv?.get(3)).toEqual({ name: 'vessel', color: [255, 0, 0] });
    expect(parseLabelTable('{"1": "liver", "2": {"name": "spleen", "color": "#00ff00"}}')).toEqual(
      new Map([
        [1, { name: 'liver' }],
        [2, { name: 'spleen', color: [0, 255, 0] }]
      ])
    );
    const tsv = parseLabelTable('index\tname\tabbreviation\tcolor\n1\tGray Matter\tGM\t#ff0000\n');
    expect(tsv?.get(1)).toEqual({ name: 'Gray Matter', color: [255, 0, 0] });
  });

  it('is none of them for a README or a BIDS metadata sidecar', () => {
    expect(parseLabelTable('This folder holds segmentations.\n')).toBeUndefined();
    expect(parseLabelTable('{"RepetitionTime": 2.0}')).toBeUndefined();
    expect(parseLabelTable('{ not json')).toBeUndefined();
  });
});

describe('sidecarNames', () => {
  it("tries the header's aux_file first, then the stem with each extension", () => {
    expect(sidecarNames('seg.nii.gz', 'aparc.ctbl')).toEqual([
      'aparc.ctbl',
      'seg.label.json',
      'seg.json',
      'seg.txt',
      'seg.lut',
      'seg.ctbl',
      'seg.label',
      'seg.tsv'
    ]);
    // a path in aux_file is not followed out of the folder
    expect(sidecarNames('seg.nii', '../../etc/passwd')[0]).toBe('seg.label.json');
  });
});
