// The grid's toolbar: the filter box (text and column; typing is applied after a short pause, Enter
// and a column change at once) and the Copy, CSV, Chart (and Spark) buttons. The buttons carry a data-action
// that the grid's click handler dispatches.

import { fillColumns } from './chartPanel.js';
import type { ColumnKind, DrillResultColumn } from './model.js';
import { button } from './statusBar.js';
import { el } from '../element.js';

const FILTER_DELAY_MS = 200;

/** The filter as the box holds it: lower-cased trimmed text, and the column (undefined: every one). */
export interface FilterValue {
  text: string;
  column: number | undefined;
}

export class GridToolbar {
  readonly node: HTMLElement;
  readonly filterInput: HTMLInputElement;
  readonly filterSelect: HTMLSelectElement;
  readonly chartButton: HTMLButtonElement;
  /** "Viewer" (Open in viewer), when the host offers it: enabled on a cell with images. */
  readonly viewerButton: HTMLButtonElement | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposers: Array<() => void> = [];

  /**
   * `onFilter` hears the filter box's value when it is to be applied; `spark` adds the Spark button
   * (Open in Spark, when the host offers it).
   */
  constructor(
    private readonly doc: Document,
    private readonly onFilter: (value: FilterValue) => void,
    spark = false,
    viewer = false
  ) {
    this.node = el(doc, 'div', 'rl-Grid-toolbar');
    this.filterInput = el(doc, 'input', 'rl-Grid-filter');
    this.filterInput.type = 'search';
    this.filterInput.placeholder = 'Filter rows…';
    this.filterInput.setAttribute('aria-label', 'Filter rows');
    this.filterInput.spellcheck = false;
    this.filterSelect = el(doc, 'select', 'rl-Grid-select rl-Grid-filterColumn');
    this.filterSelect.setAttribute('aria-label', 'Filter in column');
    const spring = el(doc, 'span', 'rl-Grid-spring');
    const copy = button(
      doc,
      'copy',
      'Copy',
      'Copy the selected cells (or the whole result) as TSV'
    );
    const exportCsv = button(doc, 'export', 'CSV', 'Export the rows (filtered and sorted) as CSV');
    this.chartButton = button(doc, 'chart', 'Chart', 'Show a quick chart of two columns');
    this.chartButton.setAttribute('aria-pressed', 'false');
    this.node.append(
      this.filterInput,
      this.filterSelect,
      spring,
      copy,
      exportCsv,
      this.chartButton
    );
    if (spark)
      this.node.append(
        button(
          doc,
          'open-in-spark',
          'Spark',
          'Open in Spark: load the files this query reads as a Spark DataFrame (Livy)'
        )
      );

    if (viewer) {
      this.viewerButton = button(
        doc,
        'open-in-viewer',
        'Viewer',
        'Open in viewer: the images of the selected cell (a DICOM or NIfTI path, a catalog Folder or SeriesInstanceUID; double-click opens too)'
      );
      this.viewerButton.disabled = true;
      this.node.append(this.viewerButton);
    }

    this.listen(this.filterInput, 'input', () => this.schedule());
    this.listen(this.filterInput, 'keydown', e => {
      if ((e as KeyboardEvent).key === 'Enter') this.apply();
    });
    this.listen(this.filterSelect, 'change', () => this.apply());
  }

  /** The filter as the box holds it now. */
  get value(): FilterValue {
    return {
      text: this.filterInput.value.trim().toLowerCase(),
      column: this.filterSelect.value === '' ? undefined : Number(this.filterSelect.value)
    };
  }

  /** Sets the box (no event; a pending delayed apply of what was typed is dropped). */
  set(text: string, column: number | undefined): void {
    clearTimeout(this.timer);
    this.filterInput.value = text;
    this.filterSelect.value = column === undefined ? '' : String(column);
  }

  /** The columns the filter can look in. */
  setColumns(columns: readonly DrillResultColumn[], kinds: readonly ColumnKind[]): void {
    fillColumns(this.doc, this.filterSelect, columns, kinds, 'All columns');
  }

  /** The value, now (a pending delayed apply is dropped). */
  apply(): void {
    clearTimeout(this.timer);
    this.onFilter(this.value);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const dispose of this.disposers.splice(0)) dispose();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.apply(), FILTER_DELAY_MS);
  }

  private listen(target: EventTarget, type: string, handler: EventListener): void {
    target.addEventListener(type, handler);
    this.disposers.push(() => target.removeEventListener(type, handler));
  }
}
