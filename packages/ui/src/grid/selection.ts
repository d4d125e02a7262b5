// The grid's cell selection (by view position: what the user sees, sorted and filtered), what the
// grid's keys do with it, the text a copy puts on the clipboard, and the clipboard write that works in
// browsers, JupyterLab and VS Code webviews alike. No layout here.

import { toTsv } from './model.js';
import { formatCount } from './statusBar.js';

export interface Cell {
  row: number;
  col: number;
}

export interface CellRange {
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

/** A rectangle from an anchor to a focus cell, as in a spreadsheet. */
export class Selection {
  anchor: Cell | undefined;
  focus: Cell | undefined;

  clear(): void {
    this.anchor = undefined;
    this.focus = undefined;
  }

  range(): CellRange | undefined {
    if (!this.anchor || !this.focus) return undefined;
    return {
      r0: Math.min(this.anchor.row, this.focus.row),
      r1: Math.max(this.anchor.row, this.focus.row),
      c0: Math.min(this.anchor.col, this.focus.col),
      c1: Math.max(this.anchor.col, this.focus.col)
    };
  }

  has(row: number, col: number): boolean {
    const r = this.range();
    return Boolean(r && row >= r.r0 && row <= r.r1 && col >= r.c0 && col <= r.c1);
  }

  /** Selects a cell, clamped to `rows` × `cols` (`extend`: from the anchor, as with shift-click). */
  select(cell: Cell, rows: number, cols: number, extend = false): void {
    const row = Math.max(0, Math.min(rows - 1, cell.row));
    const col = Math.max(0, Math.min(cols - 1, cell.col));
    if (!extend || !this.anchor) this.anchor = { row, col };
    this.focus = { row, col };
  }

  /** The whole row at `position` (`extend`: from the anchor, as with shift-click on a row number). */
  selectRow(position: number, cols: number, extend = false): void {
    if (!extend || !this.anchor) this.anchor = { row: position, col: 0 };
    this.focus = { row: position, col: cols - 1 };
  }

  selectAll(rows: number, cols: number): void {
    if (!rows || !cols) return;
    this.anchor = { row: 0, col: 0 };
    this.focus = { row: rows - 1, col: cols - 1 };
  }

  /** How many cells are selected (0 without a selection). */
  get size(): number {
    const r = this.range();
    return r ? (r.r1 - r.r0 + 1) * (r.c1 - r.c0 + 1) : 0;
  }
}

/** How a key moves the selection's focus (`[rows, columns]`); PageUp/PageDown by `pageRows`. */
export function keyMove(key: string, pageRows: number): [number, number] | undefined {
  const moves: Record<string, [number, number]> = {
    ArrowUp: [-1, 0],
    ArrowDown: [1, 0],
    ArrowLeft: [0, -1],
    ArrowRight: [0, 1],
    PageUp: [-pageRows, 0],
    PageDown: [pageRows, 0]
  };
  return moves[key];
}

/** What a key does in the grid's table. */
export type GridKey =
  | { kind: 'copy' }
  | { kind: 'selectAll' }
  | { kind: 'move'; by: [number, number]; extend: boolean };

/** The grid's meaning of a key press (Ctrl/Cmd+C, Ctrl/Cmd+A, arrows and pages), or undefined. */
export function gridKey(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>,
  pageRows: number
): GridKey | undefined {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (mod && !event.altKey && key === 'c') return { kind: 'copy' };
  if (mod && key === 'a') return { kind: 'selectAll' };
  const by = keyMove(event.key, pageRows);
  return by ? { kind: 'move', by, extend: event.shiftKey } : undefined;
}

/** The rows in view as a copy reads them. */
export interface CopySource {
  /** Rows in view. */
  count: number;
  names: readonly string[];
  /** The rows at view positions [from, to). */
  rows(from: number, to: number): Iterable<unknown[]>;
}

/** The selected cells as TSV (no header), or '' without a selection. */
export function selectionTsv(range: CellRange | undefined, view: CopySource): string {
  if (!range) return '';
  const cols: number[] = [];
  for (let c = range.c0; c <= range.c1; c++) cols.push(c);
  return toTsv(view.rows(range.r0, range.r1 + 1), cols);
}

/** All rows in view as TSV with a header line. */
export function viewTsv(view: CopySource): string {
  return toTsv(
    view.rows(0, view.count),
    view.names.map((_, i) => i),
    view.names
  );
}

/** What a copy puts on the clipboard (the selection, else all in view) and the note it shows. */
export function copyText(
  selection: Selection,
  view: CopySource,
  all = false
): { text: string; message: string } {
  const range = all ? undefined : selection.range();
  if (range) {
    const cells = selection.size;
    return {
      text: selectionTsv(range, view),
      message: `Copied ${formatCount(cells)} ${cells === 1 ? 'cell' : 'cells'}`
    };
  }
  return { text: viewTsv(view), message: `Copied ${formatCount(view.count)} rows` };
}

/**
 * Puts text on the clipboard. `execCommand('copy')` inside the user's gesture works in webviews and
 * without permissions (its copy event gets our text); the async Clipboard API is the fallback, and
 * `onRefused` hears when that is refused too.
 */
export function writeClipboard(doc: Document, text: string, onRefused: () => void): void {
  let copied = false;
  const onCopy = (event: Event): void => {
    const data = (event as ClipboardEvent).clipboardData;
    if (!data) return;
    data.setData('text/plain', text);
    event.preventDefault();
    copied = true;
  };
  doc.addEventListener('copy', onCopy, true);
  try {
    if (typeof doc.execCommand === 'function') doc.execCommand('copy');
  } catch {
    // not supported
  } finally {
    doc.removeEventListener('copy', onCopy, true);
  }
  if (!copied) doc.defaultView?.navigator?.clipboard?.writeText(text).catch(onRefused);
}
