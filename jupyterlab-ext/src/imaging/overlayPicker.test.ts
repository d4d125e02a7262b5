// The overlay dialog: folders and NIfTI label maps only, opened beside the image, and the chosen file
// read from the Radlab bytes endpoint (the lab's FileDialog is stood in for: it needs a full lab).
import { describe, expect, it, vi } from 'vitest';
import type { IDocumentManager } from '@jupyterlab/docmanager';

const getOpenFiles = vi.fn();
vi.mock('@jupyterlab/filebrowser', () => ({ FileDialog: { getOpenFiles } }));
const { folderOf, isOverlayName, overlayFilter, pickOverlay } = await import('./overlayPicker.js');

const manager = {
  services: { contents: { localPath: (p: string) => p.replace(/^Drive:/, '') } }
} as unknown as IDocumentManager;

describe('overlay picker', () => {
  it('keeps folders and .nii/.nii.gz files', () => {
    expect(overlayFilter({ type: 'directory', name: 'scans' })).toEqual({});
    expect(overlayFilter({ type: 'file', name: 'brain_labels.nii.gz' })).toEqual({});
    expect(overlayFilter({ type: 'file', name: 'SEG.NII' })).toEqual({});
    expect(overlayFilter({ type: 'file', name: 'notes.gz' })).toBeNull();
    expect(overlayFilter({ type: 'file', name: 'IM1.dcm' })).toBeNull();
    expect(isOverlayName('a.nii.gz.bak')).toBe(false);
  });

  it('opens in the folder of the document', () => {
    expect(folderOf('scans/brain.nii.gz')).toBe('scans');
    expect(folderOf('brain.nii.gz')).toBe('');
  });

  it('returns the chosen label map as a server file, nothing when cancelled', async () => {
    getOpenFiles.mockResolvedValueOnce({
      button: { accept: true },
      value: [{ type: 'file', name: 'labels.nii.gz', path: 'Drive:scans/labels.nii.gz', size: 12 }]
    });
    const file = await pickOverlay(manager, 'scans');
    expect(getOpenFiles.mock.calls[0][0]).toMatchObject({ defaultPath: 'scans' });
    expect(file).toMatchObject({ name: 'labels.nii.gz', size: 12 });

    getOpenFiles.mockResolvedValueOnce({ button: { accept: false }, value: null });
    expect(await pickOverlay(manager, 'scans')).toBeUndefined();
    // accepted with only the folder selected
    getOpenFiles.mockResolvedValueOnce({
      button: { accept: true },
      value: [{ type: 'directory', name: 'scans', path: 'scans' }]
    });
    expect(await pickOverlay(manager, 'scans')).toBeUndefined();
  });
});
