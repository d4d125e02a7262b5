// "Overlay…" in JupyterLab: the lab's own file dialog, showing folders and NIfTI files only, opened in
// the image's folder; the chosen label map is read from the Radlab bytes endpoint like the image itself.
import { PathExt } from '@jupyterlab/coreutils';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import { FileDialog } from '@jupyterlab/filebrowser';
import type { Contents } from '@jupyterlab/services';
import type { ImageFile } from '@radlab/ui';
import { serverFile } from './serverFiles.js';

/** A label map the viewer can read: `.nii` or `.nii.gz` (any case). */
export function isOverlayName(name: string): boolean {
  return /\.nii(\.gz)?$/i.test(name);
}

/** The file dialog's filter: folders (to move about) and NIfTI files. */
export function overlayFilter(model: Pick<Contents.IModel, 'type' | 'name'>): object | null {
  return model.type === 'directory' || isOverlayName(model.name) ? {} : null;
}

/** Asks for a label map beside `folder` (a local contents path); undefined when cancelled. */
export async function pickOverlay(
  manager: IDocumentManager,
  folder: string
): Promise<ImageFile | undefined> {
  const result = await FileDialog.getOpenFiles({
    manager,
    title: 'Overlay a label map',
    label: 'A NIfTI label map on the same voxel grid as the image',
    defaultPath: folder,
    filter: overlayFilter
  });
  if (!result.button.accept) return undefined;
  // nothing selected: the dialog answers with the folder it shows
  const chosen = (result.value ?? []).find(m => m.type !== 'directory' && isOverlayName(m.name));
  if (!chosen) return undefined;
  const path = manager.services.contents.localPath(chosen.path);
  return serverFile(path, chosen.size ?? undefined);
}

/** The folder a document path lives in (`''` for the server root). */
export function folderOf(path: string): string {
  const dir = PathExt.dirname(path);
  return dir === '.' ? '' : dir;
}
