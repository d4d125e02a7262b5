// What the stage says over the image: loading progress, "Decoding…" for a slice not yet
// decoded, and an error (what failed, the message, what to do). Text only, never markup.
import { ImagingError } from '@radlab/imaging';
import { el } from '../element.js';
import { HeaderOnlyError } from './loader.js';

/** The message and hint an error shows: ImagingError's own, a generic hint for anything else. */
export function errorText(err: unknown): { message: string; hint: string } {
  if (err instanceof HeaderOnlyError) return errorText(err.cause);
  if (err instanceof ImagingError) return { message: err.message, hint: err.hint };
  const message = err instanceof Error ? err.message : String(err);
  return { message, hint: 'Check that the file is a DICOM or NIfTI image and open it again.' };
}

export class StageMessages {
  readonly progress: HTMLElement;
  readonly pending: HTMLElement;
  readonly errorBox: HTMLElement;

  constructor(private readonly doc: Document) {
    this.progress = el(doc, 'div', 'rl-Viewer-progress');
    this.progress.setAttribute('role', 'status');
    this.progress.hidden = true;
    this.pending = el(doc, 'div', 'rl-Viewer-pending');
    this.pending.hidden = true;
    this.errorBox = el(doc, 'div', 'rl-Viewer-error');
    this.errorBox.setAttribute('role', 'alert');
    this.errorBox.hidden = true;
  }

  /** The elements, in stacking order, for the stage. */
  get nodes(): HTMLElement[] {
    return [this.progress, this.pending, this.errorBox];
  }

  showError(what: string, err: unknown): void {
    const { message, hint } = errorText(err);
    const d = this.doc;
    this.errorBox.replaceChildren(
      el(d, 'div', 'rl-Viewer-errorTitle', what),
      el(d, 'div', 'rl-Viewer-errorMessage', message),
      el(d, 'div', 'rl-Viewer-errorHint', hint)
    );
    this.errorBox.hidden = false;
  }

  /** A new image: no error, nothing pending. */
  clear(): void {
    this.pending.hidden = true;
    this.errorBox.hidden = true;
    this.errorBox.replaceChildren();
  }

  showProgress(text: string): void {
    this.progress.textContent = text;
    this.progress.hidden = false;
  }

  hideProgress(): void {
    this.progress.hidden = true;
    this.progress.textContent = '';
  }

  /** The slice on screen has no pixels yet: why (undefined: it has). */
  setPending(text: string | undefined): void {
    this.pending.hidden = text === undefined;
    this.pending.textContent = text ?? '';
  }
}
