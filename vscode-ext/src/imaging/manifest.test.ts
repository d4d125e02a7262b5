// The imaging contributions: the read-only custom editor for DICOM/NIfTI files, the folder command in
// the explorer, and the imaging webview bundle and codecs shipped in the .vsix.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PACKAGE_JSON_PATH } from '../../scripts/gen-contributes.mjs';
import { IMAGE_VIEW_TYPE, OPEN_FOLDER_COMMAND } from './ids.js';

interface Manifest {
  activationEvents: string[];
  contributes: {
    customEditors: Array<{
      viewType: string;
      selector: Array<{ filenamePattern: string }>;
      priority: string;
    }>;
    menus: Record<string, Array<{ command: string; when: string }>>;
  };
}

const manifest = JSON.parse(readFileSync(PACKAGE_JSON_PATH, 'utf8')) as Manifest;

describe('imaging contributions', () => {
  it('opens DICOM and NIfTI files in the Radlab Image Viewer by default', () => {
    const [editor, ...others] = manifest.contributes.customEditors;
    expect(others).toEqual([]);
    expect(editor.viewType).toBe(IMAGE_VIEW_TYPE);
    expect(editor.priority).toBe('default');
    expect(editor.selector.map(s => s.filenamePattern).sort()).toEqual(
      ['*.dcm', '*.dicom', '*.hdr', '*.nii', '*.nii.gz'].sort()
    );
  });

  it('activates lazily: on the editor and the folder command only', () => {
    expect(manifest.activationEvents).toContain(`onCustomEditor:${IMAGE_VIEW_TYPE}`);
    expect(manifest.activationEvents).toContain(`onCommand:${OPEN_FOLDER_COMMAND}`);
  });

  it('offers "Open as DICOM Series" on explorer folders', () => {
    // other features add their own explorer items (Livy: Submit Batch on .py/.jar)
    expect(manifest.contributes.menus['explorer/context']).toContainEqual(
      expect.objectContaining({ command: OPEN_FOLDER_COMMAND, when: 'explorerResourceIsFolder' })
    );
  });

  it('ships the imaging webview, its decoder worker and the codecs in the .vsix', () => {
    const ignore = readFileSync(new URL('../../.vscodeignore', import.meta.url), 'utf8').split(
      '\n'
    );
    for (const line of [
      '!dist/webview/imaging.js',
      '!dist/webview/imaging.css',
      '!dist/webview/imaging-worker.js',
      '!dist/webview/*.wasm'
    ])
      expect(ignore).toContain(line);
  });
});
