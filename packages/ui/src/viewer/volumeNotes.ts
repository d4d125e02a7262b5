// The notes under a volume: its warnings, the files skipped (the first ten) and what is lost
// without orientation. Built from the load result alone; rendered as a list of text items.
import type { Volume } from '@radlab/imaging';
import { el } from '../element.js';

/** The notes for a volume; `geometry`: it has an orientation (NIfTI always has). */
export function volumeNotes(
  volume: Volume,
  skipped: readonly string[],
  how: { geometry: boolean; dicom: boolean }
): string[] {
  // without orientation the viewer says what the user loses (below), not only that axes are assumed
  const notes = volume.warnings.filter(
    w => how.geometry || !w.startsWith('The images have no orientation')
  );
  if (skipped.length) {
    notes.push(`${skipped.length} file(s) skipped:`);
    notes.push(...skipped.slice(0, 10));
    if (skipped.length > 10) notes.push(`… and ${skipped.length - 10} more`);
  }
  if (!how.geometry && how.dicom)
    notes.push(
      'No Image Orientation (Patient): orientation labels and other planes are unavailable.'
    );
  return notes;
}

/** The notes as list items in `list`, hidden when there are none. */
export function renderNotes(list: HTMLElement, notes: readonly string[]): void {
  const d = list.ownerDocument;
  list.replaceChildren(...notes.map(n => el(d, 'li', 'rl-Viewer-note', n)));
  list.hidden = notes.length === 0;
}
