// The header panel under the image: first the slice on screen (plane, number, where it lies), then
// the header of the file that holds it — in a reformatted plane, of the image through the point of
// interest. It follows the displayed slice: scrolling a folder shows each file's own header, as
// OHIF's tag browser does for the instance in view. Identifying values stay masked until the
// user asks (and confirms); the unmasked header of each file is read again, only then.
import { PHI_MASK, type DicomImage, type NiftiVolume } from '@radlab/imaging';
import { el } from '../element.js';
import { dicomHeaderRows, niftiHeaderRows, type HeaderRow } from './header.js';
import { isAbort } from './loader.js';
import type { ImageFile } from './source.js';

/** What the panel describes. */
export type HeaderSubject =
  | {
      kind: 'dicom';
      file: ImageFile;
      /** Masked header of that file. */
      header: DicomImage;
      /** Frame of a multi-frame file (0-based), when the file holds several. */
      frame?: number;
      /** The slice on screen is not this file's image: it is the one through the point of interest. */
      reformatted?: boolean;
    }
  | { kind: 'nifti'; nifti: NiftiVolume };

export interface HeaderPanelOptions {
  /** Asked before identifying values are shown; without it the click is the consent. */
  confirmRevealPhi?: () => Promise<boolean>;
  /** The file's header read again with revealPhi (the decoded ones are masked). */
  readUnmasked(file: ImageFile, signal: AbortSignal): Promise<DicomImage>;
  /** A failure to show in the view. */
  onError(what: string, err: unknown): void;
}

/** Unmasked headers kept while the user scrolls with patient data shown. */
const UNMASKED_CACHE = 16;

export class HeaderPanel {
  readonly node: HTMLDetailsElement;

  private readonly doc: Document;
  private readonly table: HTMLTableElement;
  private readonly revealButton: HTMLButtonElement;
  private subject: HeaderSubject | undefined;
  private slice: HeaderRow[] = [];
  /** The user asked for patient data (and confirmed). */
  private revealed = false;
  private readonly unmasked = new Map<ImageFile, DicomImage>();
  private reading: AbortController | undefined;

  constructor(
    doc: Document,
    private readonly options: HeaderPanelOptions,
    private readonly signal: AbortSignal
  ) {
    this.doc = doc;
    this.node = el(doc, 'details', 'rl-Viewer-header');
    const summary = el(doc, 'summary', 'rl-Viewer-headerTitle', 'Header');
    this.revealButton = el(doc, 'button', 'rl-Viewer-reveal', 'Show patient data');
    this.revealButton.type = 'button';
    this.revealButton.hidden = true;
    this.revealButton.addEventListener('click', () => void this.toggle(), { signal });
    this.table = el(doc, 'table', 'rl-Viewer-headerTable');
    this.node.append(summary, this.revealButton, this.table);
    this.node.hidden = true;
  }

  /** Whether patient data is shown. */
  get isRevealed(): boolean {
    return this.revealed;
  }

  /**
   * Describe `subject` with `slice` (rows about the slice on screen) above it; undefined hides
   * the panel and forgets any revealed data (a new image starts masked).
   */
  show(subject: HeaderSubject | undefined, slice: HeaderRow[] = []): void {
    if (!subject) {
      this.subject = undefined;
      this.slice = [];
      this.revealed = false;
      this.unmasked.clear();
      this.reading?.abort();
      this.node.hidden = true;
      return;
    }
    const same = sameSubject(this.subject, subject);
    this.subject = subject;
    this.slice = slice;
    this.render();
    if (!same && this.revealed && subject.kind === 'dicom' && !this.unmasked.has(subject.file))
      void this.readUnmasked(subject.file);
  }

  private render(): void {
    const subject = this.subject;
    if (!subject) return;
    let rows: HeaderRow[];
    let title: string;
    if (subject.kind === 'dicom') {
      const h = (this.revealed && this.unmasked.get(subject.file)) || subject.header;
      rows = dicomHeaderRows(h, subject.frame);
      title = subject.reformatted
        ? `Image through the point of interest: ${subject.file.name}`
        : `File ${subject.file.name}`;
    } else {
      rows = niftiHeaderRows(subject.nifti, this.revealed);
      title = 'NIfTI header';
    }
    const d = this.doc;
    const section = (heading: string, items: HeaderRow[], className: string): HTMLElement => {
      const body = el(d, 'tbody', className);
      const head = el(d, 'tr', 'rl-Viewer-headerSection');
      const th = el(d, 'th', undefined, heading);
      th.colSpan = 2;
      th.scope = 'colgroup';
      head.append(th);
      body.append(head);
      for (const row of items) {
        const tr = el(d, 'tr', row.phi ? 'rl-Viewer-phi' : undefined);
        const name = el(d, 'th', undefined, row.name);
        name.scope = 'row';
        const td = el(d, 'td', row.value === PHI_MASK ? 'rl-mod-masked' : undefined, row.value);
        tr.append(name, td);
        body.append(tr);
      }
      return body;
    };
    const parts = [section(title, rows, 'rl-Viewer-headerFile')];
    if (this.slice.length)
      parts.unshift(section('Displayed slice', this.slice, 'rl-Viewer-headerSlice'));
    this.table.replaceChildren(...parts);
    const hasPhi = rows.some(r => r.phi);
    this.revealButton.hidden = !hasPhi && !this.revealed;
    this.revealButton.textContent = this.revealed ? 'Hide patient data' : 'Show patient data';
    this.revealButton.setAttribute('aria-pressed', String(this.revealed));
    this.node.hidden = false;
  }

  private async toggle(): Promise<void> {
    const subject = this.subject;
    if (!subject || this.signal.aborted) return;
    if (this.revealed) {
      this.revealed = false;
      this.unmasked.clear();
      this.reading?.abort();
      this.render();
      return;
    }
    try {
      const ok = this.options.confirmRevealPhi ? await this.options.confirmRevealPhi() : true;
      if (!ok || this.signal.aborted || this.subject === undefined) return;
      this.revealed = true;
      const now = this.subject;
      if (now.kind === 'dicom') await this.readUnmasked(now.file);
      else this.render();
    } catch (err) {
      if (this.signal.aborted || isAbort(err)) return;
      this.options.onError('Cannot show patient data', err);
    }
  }

  /** Reads `file`'s header unmasked (the latest request wins) and shows it if still in view. */
  private async readUnmasked(file: ImageFile): Promise<void> {
    this.reading?.abort();
    const ctrl = new AbortController();
    this.reading = ctrl;
    const stop = (): void => ctrl.abort();
    this.signal.addEventListener('abort', stop, { once: true });
    try {
      const header = await this.options.readUnmasked(file, ctrl.signal);
      if (ctrl.signal.aborted || !this.revealed) return;
      if (this.unmasked.size >= UNMASKED_CACHE) this.unmasked.clear();
      this.unmasked.set(file, header);
      const now = this.subject;
      if (now?.kind === 'dicom' && now.file === file) this.render();
    } catch (err) {
      if (ctrl.signal.aborted || isAbort(err)) return;
      this.revealed = false;
      this.render();
      this.options.onError('Cannot show patient data', err);
    } finally {
      this.signal.removeEventListener('abort', stop);
      if (this.reading === ctrl) this.reading = undefined;
    }
  }
}

function sameSubject(a: HeaderSubject | undefined, b: HeaderSubject): boolean {
  if (!a || a.kind !== b.kind) return false;
  if (a.kind === 'nifti') return b.kind === 'nifti' && a.nifti === b.nifti;
  return b.kind === 'dicom' && a.file === b.file;
}
