// The Drill result grid shared by JupyterLab (a Lumino widget, a MIME renderer) and VS Code (a notebook
// renderer). Plain DOM, no host APIs.
//
// Virtualized both ways: a fixed-height scroll container holds a spacer as big as the table; only the rows
// and columns in view (plus an overscan) exist as elements, absolutely positioned. Above ~8M px of rows
// (1M rows at 24 px is 24M px, more than some browsers allow an element to be) the scroll range is scaled.
// Sort and filter work on an index array (the rows are never reordered) and run in time slices for big
// results (ops.ts). Rows come as a payload's arrays or, from Radlab's own query paths, by column
// (core's ColumnarRows: numbers and dates in typed arrays, formatted when a cell is drawn); see rows.ts.
// Every value is shown through textContent — never markup.
import {
  MAX_COLUMN_WIDTH,
  MIN_COLUMN_WIDTH,
  columnKind,
  displayText,
  estimateWidth,
  rowComparator,
  sampleIndices,
  sortKeyBuilder,
  storedRowMatches,
  toCsv,
  toTsv
} from './model.js';
import type {
  ColumnKind,
  DrillResultColumn,
  DrillResultInfo,
  DrillResultPayload,
  SortDirection,
  SortKeys
} from './model.js';
import { Cancelled, filterIndices, sliced, sortIndices } from './ops.js';
import { RowArrays, type RowStore } from './rows.js';
import { drawChart, type ChartKind } from './chart.js';
import { el } from '../element.js';

export interface ResultGridOptions {
  /** Shows "Fetch more" when the result is truncated. */
  onFetchMore?: () => void;
  /** Receives the CSV instead of a download (VS Code webviews cannot download). */
  onExport?: (csv: string, filename: string) => void;
  /** Receives copied text in addition to the clipboard (hosts whose clipboard is restricted). */
  onCopy?: (text: string) => void;
  /** The most the scroll area grows to, in px (default 360); small results take less. */
  maxHeight?: number;
  /** Rows above which sort/filter run in slices (default 200k); for tests. */
  chunkThreshold?: number;
}

export const ROW_HEIGHT = 24;
export const HEADER_HEIGHT = 42;
const OVERSCAN_ROWS = 8;
const OVERSCAN_PX = 240;
/** The tallest spacer: beyond it scrolling is scaled. */
export const MAX_SCROLL_HEIGHT = 8_000_000;
const FILTER_DELAY_MS = 200;
const DEFAULT_MAX_HEIGHT = 360;
/** Assumed viewport size when the host has no layout (hidden output, jsdom). */
const FALLBACK_WIDTH = 800;

interface Cell {
  row: number;
  col: number;
}

interface Listener {
  target: EventTarget;
  type: string;
  handler: EventListener;
  capture: boolean;
}

function button(doc: Document, action: string, label: string, title: string): HTMLButtonElement {
  const b = el(doc, 'button', 'rl-Grid-button', label);
  b.type = 'button';
  b.dataset.action = action;
  b.title = title;
  return b;
}

const numberFormat = new Intl.NumberFormat('en-US');
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

export function formatElapsed(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return undefined;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export class ResultGrid {
  readonly node: HTMLElement;
  private readonly doc: Document;
  private readonly options: ResultGridOptions;
  private readonly listeners: Listener[] = [];
  private disposed = false;

  // data
  private columns: DrillResultColumn[] = [];
  private kinds: ColumnKind[] = [];
  private rows: RowStore = new RowArrays();
  /** Bumped whenever the rows change: sort keys of older rows are not cached. */
  private generation = 0;
  private payload: DrillResultInfo | undefined;
  /** Row indices in view order; null: all rows in their order. */
  private view: Uint32Array | null = null;
  private sortKeyCache = new Map<number, SortKeys>();
  private sort: { column: number; direction: SortDirection } | undefined;
  private filterText = '';
  private filterColumn: number | undefined;
  private work: AbortController | undefined;
  private idle: Promise<void> = Promise.resolve();
  private busyLabel: string | undefined;

  // layout
  private widths: number[] = [];
  private lefts: number[] = [];
  private gutterWidth = 40;
  private totalWidth = 0;
  private renderedRows = new Map<number, HTMLElement>();
  private renderedCols: [number, number] = [0, -1];
  private rowsDirty = true;

  // selection (view positions)
  private anchor: Cell | undefined;
  private focus: Cell | undefined;

  // elements
  private readonly filterInput: HTMLInputElement;
  private readonly filterSelect: HTMLSelectElement;
  private readonly copyButton: HTMLButtonElement;
  private readonly exportButton: HTMLButtonElement;
  private readonly chartButton: HTMLButtonElement;
  private readonly chartPanel: HTMLElement;
  private readonly chartX: HTMLSelectElement;
  private readonly chartY: HTMLSelectElement;
  private readonly chartKind: HTMLSelectElement;
  private readonly chartArea: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly header: HTMLElement;
  private readonly corner: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rowLayer: HTMLElement;
  private readonly emptyNode: HTMLElement;
  private readonly countNode: HTMLElement;
  private readonly elapsedNode: HTMLElement;
  private readonly busyNode: HTMLElement;
  private readonly messageNode: HTMLElement;
  private readonly truncatedNode: HTMLElement;
  private readonly truncatedText: HTMLElement;
  private readonly fetchMoreButton: HTMLButtonElement;

  private filterTimer: ReturnType<typeof setTimeout> | undefined;
  private messageTimer: ReturnType<typeof setTimeout> | undefined;
  private resizeObserver: ResizeObserver | undefined;
  private drag: { col: number; startX: number; startWidth: number; moved: boolean } | undefined;
  private suppressClick = false;
  private pendingCopy: string | undefined;

  constructor(host: HTMLElement, options: ResultGridOptions = {}) {
    this.doc = host.ownerDocument;
    this.options = options;
    const doc = this.doc;

    this.node = el(doc, 'div', 'rl-Grid');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', 'Drill result');
    // Lumino (JupyterLab) leaves keys typed in here to us: no notebook shortcuts on j/k/arrows.
    this.node.dataset.lmSuppressShortcuts = 'true';

    // toolbar
    const toolbar = el(doc, 'div', 'rl-Grid-toolbar');
    this.filterInput = el(doc, 'input', 'rl-Grid-filter');
    this.filterInput.type = 'search';
    this.filterInput.placeholder = 'Filter rows…';
    this.filterInput.setAttribute('aria-label', 'Filter rows');
    this.filterInput.spellcheck = false;
    this.filterSelect = el(doc, 'select', 'rl-Grid-select rl-Grid-filterColumn');
    this.filterSelect.setAttribute('aria-label', 'Filter in column');
    const spring = el(doc, 'span', 'rl-Grid-spring');
    this.copyButton = button(
      doc,
      'copy',
      'Copy',
      'Copy the selected cells (or the whole result) as TSV'
    );
    this.exportButton = button(
      doc,
      'export',
      'CSV',
      'Export the rows (filtered and sorted) as CSV'
    );
    this.chartButton = button(doc, 'chart', 'Chart', 'Show a quick chart of two columns');
    this.chartButton.setAttribute('aria-pressed', 'false');
    toolbar.append(
      this.filterInput,
      this.filterSelect,
      spring,
      this.copyButton,
      this.exportButton,
      this.chartButton
    );

    // chart
    this.chartPanel = el(doc, 'div', 'rl-Grid-chart');
    this.chartPanel.hidden = true;
    const chartControls = el(doc, 'div', 'rl-Grid-chartControls');
    this.chartX = el(doc, 'select', 'rl-Grid-select rl-Grid-chartX');
    this.chartX.setAttribute('aria-label', 'Chart X column');
    this.chartY = el(doc, 'select', 'rl-Grid-select rl-Grid-chartY');
    this.chartY.setAttribute('aria-label', 'Chart Y column');
    this.chartKind = el(doc, 'select', 'rl-Grid-select rl-Grid-chartKind');
    this.chartKind.setAttribute('aria-label', 'Chart type');
    for (const kind of ['bar', 'line']) {
      const option = el(doc, 'option', undefined, kind);
      option.value = kind;
      this.chartKind.appendChild(option);
    }
    chartControls.append(
      el(doc, 'span', 'rl-Grid-label', 'X'),
      this.chartX,
      el(doc, 'span', 'rl-Grid-label', 'Y'),
      this.chartY,
      this.chartKind
    );
    this.chartArea = el(doc, 'div', 'rl-Grid-chartArea');
    this.chartPanel.append(chartControls, this.chartArea);

    // the table
    this.viewport = el(doc, 'div', 'rl-Grid-viewport');
    this.viewport.tabIndex = 0;
    this.viewport.setAttribute('role', 'grid');
    this.viewport.setAttribute('aria-label', 'Result rows');
    this.viewport.setAttribute('aria-multiselectable', 'true');
    this.header = el(doc, 'div', 'rl-Grid-header');
    this.header.setAttribute('role', 'row');
    this.header.setAttribute('aria-rowindex', '1');
    this.header.style.height = `${HEADER_HEIGHT}px`;
    this.corner = el(doc, 'div', 'rl-Grid-corner', '#');
    this.header.appendChild(this.corner);
    this.spacer = el(doc, 'div', 'rl-Grid-spacer');
    this.rowLayer = el(doc, 'div', 'rl-Grid-rows');
    this.rowLayer.setAttribute('role', 'rowgroup');
    this.emptyNode = el(doc, 'div', 'rl-Grid-empty', 'No rows');
    this.emptyNode.hidden = true;
    this.viewport.append(this.header, this.spacer, this.rowLayer, this.emptyNode);

    // status bar
    const status = el(doc, 'div', 'rl-Grid-status');
    status.setAttribute('role', 'status');
    this.countNode = el(doc, 'span', 'rl-Grid-count');
    this.elapsedNode = el(doc, 'span', 'rl-Grid-elapsed');
    this.busyNode = el(doc, 'span', 'rl-Grid-busy');
    this.messageNode = el(doc, 'span', 'rl-Grid-message');
    this.truncatedNode = el(doc, 'span', 'rl-Grid-truncated');
    this.truncatedNode.hidden = true;
    this.truncatedText = el(doc, 'span', 'rl-Grid-truncatedText');
    this.fetchMoreButton = button(
      doc,
      'fetch-more',
      'Fetch more',
      'Fetch the next rows of the query'
    );
    this.fetchMoreButton.hidden = !options.onFetchMore;
    this.truncatedNode.append(this.truncatedText, this.fetchMoreButton);
    status.append(
      this.countNode,
      this.elapsedNode,
      this.busyNode,
      this.messageNode,
      el(doc, 'span', 'rl-Grid-spring'),
      this.truncatedNode
    );

    this.node.append(toolbar, this.chartPanel, this.viewport, status);

    this.listen(this.node, 'click', e => this.handleClick(e as MouseEvent));
    this.listen(this.node, 'mousedown', e => this.handleMouseDown(e as MouseEvent));
    this.listen(this.viewport, 'scroll', () => this.render());
    this.listen(this.viewport, 'keydown', e => this.handleKeyDown(e as KeyboardEvent));
    this.listen(this.filterInput, 'input', () => this.scheduleFilter());
    this.listen(this.filterInput, 'keydown', e => {
      if ((e as KeyboardEvent).key === 'Enter') this.applyFilter();
    });
    this.listen(this.filterSelect, 'change', () => this.applyFilter());
    for (const select of [this.chartX, this.chartY, this.chartKind])
      this.listen(select, 'change', () => this.renderChart());

    const win = this.doc.defaultView as (Window & typeof globalThis) | null;
    if (win?.ResizeObserver) {
      this.resizeObserver = new win.ResizeObserver(() => this.render());
      this.resizeObserver.observe(this.viewport);
    }
    host.appendChild(this.node);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Resolves when the running sort/filter (if any) is done. */
  whenIdle(): Promise<void> {
    return this.idle;
  }

  /** Rows in view (after the filter). */
  get viewRowCount(): number {
    return this.view ? this.view.length : this.rows.length;
  }

  /** The row index at a view position. */
  rowAt(position: number): number {
    return this.view ? this.view[position]! : position;
  }

  /** Shows a result (the MIME payload); its row arrays are used as they are. */
  setResult(payload: DrillResultPayload): void {
    if (this.disposed) return;
    const { rows, ...rest } = payload;
    this.setResultRows(rest, new RowArrays(Array.isArray(rows) ? rows : []));
  }

  /**
   * Shows rows from a store, without copying them: core's ColumnarRows (DrillClient.queryColumnar,
   * DrillQuery.columnar()) keep a big result in far less memory than row arrays. When the store grows
   * later (a streamed query), call `rowsAppended`.
   */
  setResultRows(info: DrillResultInfo, rows: RowStore): void {
    if (this.disposed) return;
    const columns = Array.isArray(info?.columns) ? info.columns : [];
    const sameColumns =
      columns.length === this.columns.length &&
      columns.every((c, i) => c.name === this.columns[i]!.name && c.type === this.columns[i]!.type);
    const payload: DrillResultInfo & { rows?: unknown } = { ...info, rowCount: rows.length };
    delete payload.rows; // a whole payload passed as the info: its row arrays are not kept
    this.payload = payload;
    this.columns = columns.map(c => ({ name: String(c.name), type: String(c.type ?? '') }));
    this.kinds = this.columns.map(c => columnKind(c.type));
    this.rows = rows;
    this.generation++;
    this.sortKeyCache.clear();
    this.clearSelection();
    if (!sameColumns) {
      this.sort = undefined;
      this.filterText = '';
      this.filterInput.value = '';
      this.filterColumn = undefined;
      this.fillColumnSelects();
      this.estimateWidths();
      this.viewport.scrollTop = 0;
      this.viewport.scrollLeft = 0;
    }
    this.view = null;
    this.layout();
    if (this.sort || this.filterText) this.recompute();
    else this.refresh();
  }

  /** Adds streamed rows; `truncated` updates the notice (e.g. after Fetch more). */
  appendRows(
    rows: readonly unknown[][],
    info: { truncated?: boolean; elapsedMs?: number } = {}
  ): void {
    if (this.disposed || !this.payload) return;
    const hadRows = this.rows.length > 0;
    this.rows.appendRows(rows);
    this.update(hadRows, info);
  }

  /** The store given to setResultRows has grown (or the query has finished: `truncated`, `elapsedMs`). */
  rowsAppended(info: { truncated?: boolean; elapsedMs?: number } = {}): void {
    if (this.disposed || !this.payload) return;
    this.update(this.payload.rowCount > 0, info);
  }

  private update(hadRows: boolean, info: { truncated?: boolean; elapsedMs?: number }): void {
    this.generation++;
    this.payload = {
      ...this.payload!,
      ...this.payload,
      rowCount: this.rows.length,
      ...(info.truncated !== undefined ? { truncated: info.truncated } : {}),
      ...(info.elapsedMs !== undefined ? { elapsedMs: info.elapsedMs } : {})
    };
    this.sortKeyCache.clear();
    if (!hadRows) this.estimateWidths();
    this.layout();
    if (this.sort || this.filterText) this.recompute();
    else this.refresh();
  }

  /** The most the scroll area grows to (px): for a host that was resized. Keeps sort, filter, selection. */
  setMaxHeight(px: number): void {
    if (this.disposed || this.options.maxHeight === px) return;
    this.options.maxHeight = px;
    this.layout();
    this.render();
  }

  /** A short note in the status bar (gone after a few seconds), e.g. where an export was saved. */
  notify(text: string): void {
    if (!this.disposed) this.showMessage(text);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.work?.abort();
    clearTimeout(this.filterTimer);
    clearTimeout(this.messageTimer);
    this.resizeObserver?.disconnect();
    for (const { target, type, handler, capture } of this.listeners.splice(0))
      target.removeEventListener(type, handler, capture);
    this.renderedRows.clear();
    this.rows = new RowArrays();
    this.view = null;
    this.sortKeyCache.clear();
    this.node.remove();
  }

  // ---- sort / filter --------------------------------------------------------------------------

  /** Sorts by a column (`undefined`: original order). */
  setSort(column: number | undefined, direction: SortDirection = 'asc'): Promise<void> {
    this.sort = column === undefined ? undefined : { column, direction };
    return this.recompute();
  }

  /** Filters rows by a case-insensitive substring, in every cell or in one column. */
  setFilter(text: string, column?: number): Promise<void> {
    this.filterInput.value = text;
    this.filterSelect.value = column === undefined ? '' : String(column);
    return this.applyFilter();
  }

  private scheduleFilter(): void {
    clearTimeout(this.filterTimer);
    this.filterTimer = setTimeout(() => void this.applyFilter(), FILTER_DELAY_MS);
  }

  private applyFilter(): Promise<void> {
    clearTimeout(this.filterTimer);
    const text = this.filterInput.value.trim().toLowerCase();
    const col = this.filterSelect.value === '' ? undefined : Number(this.filterSelect.value);
    if (text === this.filterText && col === this.filterColumn) return this.idle;
    this.filterText = text;
    this.filterColumn = col;
    return this.recompute();
  }

  private recompute(): Promise<void> {
    this.work?.abort();
    const work = new AbortController();
    this.work = work;
    const options = { signal: work.signal, threshold: this.options.chunkThreshold };
    const rows = this.rows;
    const generation = this.generation;
    const needle = this.filterText;
    const filterColumn = this.filterColumn;
    const sort = this.sort;
    this.setBusy(sort && needle ? 'Filtering and sorting…' : needle ? 'Filtering…' : 'Sorting…');
    const run = async (): Promise<void> => {
      let view: Uint32Array | null = null;
      if (needle)
        view = await filterIndices(
          rows.length,
          i => storedRowMatches(rows, i, this.columns.length, needle, filterColumn),
          options
        );
      if (sort) {
        let keys = this.sortKeyCache.get(sort.column);
        if (!keys) {
          const builder = sortKeyBuilder(rows, sort.column, this.kinds[sort.column] ?? 'text');
          keys = await sliced(rows.length, builder.fill, () => builder.keys, options);
          if (!work.signal.aborted && generation === this.generation)
            this.sortKeyCache.set(sort.column, keys);
        }
        if (!view) {
          view = new Uint32Array(rows.length);
          for (let i = 0; i < view.length; i++) view[i] = i;
        }
        view = await sortIndices(view, rowComparator(keys, sort.direction), options);
      }
      if (work.signal.aborted || this.disposed) return;
      this.view = view;
      this.clearSelection();
      this.setBusy(undefined);
      this.layout();
      this.refresh();
    };
    this.idle = run().catch((reason: unknown) => {
      if (reason instanceof Cancelled) return;
      this.setBusy(undefined);
      this.showMessage(`Failed: ${reason instanceof Error ? reason.message : String(reason)}`);
    });
    return this.idle;
  }

  private setBusy(label: string | undefined): void {
    this.busyLabel = label;
    this.busyNode.textContent = label ?? '';
    this.node.setAttribute('aria-busy', String(label !== undefined));
  }

  // ---- layout and rendering ---------------------------------------------------------------------

  private fillColumnSelects(): void {
    const doc = this.doc;
    const fill = (
      select: HTMLSelectElement,
      first: string | undefined,
      only?: ColumnKind[]
    ): void => {
      select.replaceChildren();
      if (first !== undefined) {
        const all = el(doc, 'option', undefined, first);
        all.value = '';
        select.appendChild(all);
      }
      this.columns.forEach((column, i) => {
        if (only && !only.includes(this.kinds[i]!)) return;
        const option = el(doc, 'option', undefined, column.name);
        option.value = String(i);
        select.appendChild(option);
      });
    };
    fill(this.filterSelect, 'All columns');
    fill(this.chartX, undefined);
    fill(this.chartY, undefined, ['number', 'boolean']);
    const firstNumber = this.kinds.findIndex(k => k === 'number');
    const firstOther = this.kinds.findIndex((k, i) => i !== firstNumber && k !== 'json');
    if (firstOther >= 0) this.chartX.value = String(firstOther);
    if (firstNumber >= 0) this.chartY.value = String(firstNumber);
    this.chartButton.disabled = firstNumber < 0;
  }

  private estimateWidths(): void {
    const sample = sampleIndices(this.rows.length);
    this.widths = this.columns.map((column, c) =>
      estimateWidth(
        column,
        sample.map(i => this.rows.value(i, c))
      )
    );
  }

  /** Column offsets, the gutter, spacer size and viewport height. */
  private layout(): void {
    const digits = String(Math.max(1, this.rows.length)).length;
    this.gutterWidth = Math.max(32, digits * 7 + 14);
    this.lefts = [];
    let x = this.gutterWidth;
    for (const w of this.widths) {
      this.lefts.push(x);
      x += w;
    }
    this.totalWidth = x;
    const count = this.viewRowCount;
    const bodyHeight = Math.min(count * ROW_HEIGHT, MAX_SCROLL_HEIGHT);
    this.spacer.style.height = `${bodyHeight}px`;
    this.spacer.style.width = `${this.totalWidth}px`;
    this.header.style.width = `${this.totalWidth}px`;
    this.rowLayer.style.width = `${this.totalWidth}px`;
    this.corner.style.width = `${this.gutterWidth}px`;
    const maxHeight = this.options.maxHeight ?? DEFAULT_MAX_HEIGHT;
    // + room for a horizontal scrollbar
    const wanted = HEADER_HEIGHT + Math.max(count, 1) * ROW_HEIGHT + 16;
    this.viewport.style.height = `${Math.min(maxHeight, wanted)}px`;
    this.viewport.setAttribute('aria-rowcount', String(count + 1));
    this.viewport.setAttribute('aria-colcount', String(this.columns.length));
    this.emptyNode.hidden = count > 0 || this.busyLabel !== undefined;
    this.emptyNode.textContent = this.rows.length ? 'No rows match the filter' : 'No rows';
  }

  /** Re-renders everything: rows, header, status, chart. */
  private refresh(): void {
    this.rowsDirty = true;
    this.render();
    this.renderStatus();
    if (!this.chartPanel.hidden) this.renderChart();
  }

  private viewportSize(): { width: number; height: number } {
    const width = this.viewport.clientWidth || FALLBACK_WIDTH;
    const height =
      this.viewport.clientHeight || parseFloat(this.viewport.style.height) || DEFAULT_MAX_HEIGHT;
    return { width, height };
  }

  /** The first row's offset inside the body for the current scroll position (scaled when huge). */
  private bodyOffset(bodyHeight: number): number {
    const count = this.viewRowCount;
    const full = count * ROW_HEIGHT;
    const scrollTop = this.viewport.scrollTop;
    if (full <= MAX_SCROLL_HEIGHT) return scrollTop;
    const range = MAX_SCROLL_HEIGHT - bodyHeight;
    if (range <= 0) return scrollTop;
    return (Math.min(scrollTop, range) / range) * (full - bodyHeight);
  }

  /** Renders the rows and columns in view: called on every scroll, so it only touches what changed. */
  render(): void {
    if (this.disposed) return;
    const { width, height } = this.viewportSize();
    const bodyHeight = Math.max(ROW_HEIGHT, height - HEADER_HEIGHT);
    const count = this.viewRowCount;
    const offset = this.bodyOffset(bodyHeight);
    const first = Math.max(0, Math.floor(offset / ROW_HEIGHT) - OVERSCAN_ROWS);
    const last = Math.min(count - 1, Math.ceil((offset + bodyHeight) / ROW_HEIGHT) + OVERSCAN_ROWS);

    const left = this.viewport.scrollLeft - OVERSCAN_PX;
    const right = this.viewport.scrollLeft + width + OVERSCAN_PX;
    const firstCol = Math.max(0, this.columnAt(left));
    let lastCol = firstCol;
    while (lastCol + 1 < this.columns.length && this.lefts[lastCol + 1]! < right) lastCol++;
    if (!this.columns.length) lastCol = -1;

    const colsChanged = firstCol !== this.renderedCols[0] || lastCol !== this.renderedCols[1];
    if (colsChanged || this.rowsDirty) {
      this.renderedCols = [firstCol, lastCol];
      this.renderHeader();
    }
    if (this.rowsDirty || colsChanged) {
      for (const row of this.renderedRows.values()) row.remove();
      this.renderedRows.clear();
      this.rowsDirty = false;
    }
    for (const [position, row] of this.renderedRows) {
      if (position < first || position > last) {
        row.remove();
        this.renderedRows.delete(position);
      }
    }
    // Rows sit at their body offset relative to the scroll position: constant while unscaled.
    const shift = this.viewport.scrollTop - offset;
    const fragment = this.doc.createDocumentFragment();
    for (let position = first; position <= last; position++) {
      let row = this.renderedRows.get(position);
      if (!row) {
        row = this.renderRow(position);
        this.renderedRows.set(position, row);
        fragment.appendChild(row);
      }
      const top = `${HEADER_HEIGHT + position * ROW_HEIGHT + shift}px`;
      if (row.style.top !== top) row.style.top = top;
    }
    this.rowLayer.appendChild(fragment);
  }

  /** The column at x (content coordinates); -1 for the gutter. */
  private columnAt(x: number): number {
    let lo = 0;
    let hi = this.lefts.length - 1;
    if (hi < 0 || x < this.lefts[0]!) return hi < 0 ? -1 : 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lefts[mid]! <= x) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private renderHeader(): void {
    const doc = this.doc;
    const [firstCol, lastCol] = this.renderedCols;
    while (this.header.lastChild && this.header.lastChild !== this.corner)
      this.header.removeChild(this.header.lastChild);
    for (let c = firstCol; c <= lastCol; c++) {
      const column = this.columns[c]!;
      const cell = el(doc, 'div', 'rl-Grid-hcell');
      cell.setAttribute('role', 'columnheader');
      cell.setAttribute('aria-colindex', String(c + 1));
      cell.dataset.col = String(c);
      cell.style.left = `${this.lefts[c]}px`;
      cell.style.width = `${this.widths[c]}px`;
      if (this.kinds[c] === 'number') cell.classList.add('rl-mod-number');
      const sorted = this.sort?.column === c ? this.sort.direction : undefined;
      cell.setAttribute(
        'aria-sort',
        sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'
      );
      cell.title = `${column.name} (${column.type}) — click to sort`;
      const name = el(doc, 'span', 'rl-Grid-hname', column.name);
      const type = el(doc, 'span', 'rl-Grid-htype', column.type.toLowerCase());
      const indicator = el(
        doc,
        'span',
        'rl-Grid-sortIndicator',
        sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''
      );
      indicator.setAttribute('aria-hidden', 'true');
      const top = el(doc, 'span', 'rl-Grid-htop');
      top.append(name, indicator);
      const resizer = el(doc, 'span', 'rl-Grid-resizer');
      resizer.dataset.col = String(c);
      resizer.title = 'Drag to resize';
      resizer.setAttribute('aria-hidden', 'true');
      cell.append(top, type, resizer);
      this.header.appendChild(cell);
    }
  }

  private renderRow(position: number): HTMLElement {
    const doc = this.doc;
    const index = this.rowAt(position);
    const row = el(doc, 'div', 'rl-Grid-row');
    row.setAttribute('role', 'row');
    row.setAttribute('aria-rowindex', String(position + 2));
    row.dataset.row = String(position);
    if (position % 2) row.classList.add('rl-mod-odd');
    const gutter = el(doc, 'div', 'rl-Grid-gutter', String(index + 1));
    gutter.style.width = `${this.gutterWidth}px`;
    gutter.setAttribute('role', 'rowheader');
    row.appendChild(gutter);
    const [firstCol, lastCol] = this.renderedCols;
    for (let c = firstCol; c <= lastCol; c++) {
      const value = this.rows.value(index, c);
      const cell = el(doc, 'div', 'rl-Grid-cell');
      cell.setAttribute('role', 'gridcell');
      cell.setAttribute('aria-colindex', String(c + 1));
      cell.dataset.col = String(c);
      cell.style.left = `${this.lefts[c]}px`;
      cell.style.width = `${this.widths[c]}px`;
      const kind = this.kinds[c]!;
      if (kind === 'number') cell.classList.add('rl-mod-number');
      else if (kind === 'boolean') cell.classList.add('rl-mod-boolean');
      if (value === null || value === undefined) {
        cell.classList.add('rl-mod-null');
        cell.textContent = 'null';
      } else {
        const text = displayText(value);
        cell.textContent = text;
        if (text.length > 40) cell.title = text;
      }
      if (this.isSelected(position, c)) {
        cell.classList.add('rl-mod-selected');
        cell.setAttribute('aria-selected', 'true');
      }
      row.appendChild(cell);
    }
    return row;
  }

  private renderStatus(): void {
    const total = this.rows.length;
    const shown = this.viewRowCount;
    const columns = this.columns.length;
    const rowsText = `${formatCount(total)} ${total === 1 ? 'row' : 'rows'}`;
    this.countNode.textContent =
      shown === total
        ? `${rowsText} × ${columns} ${columns === 1 ? 'column' : 'columns'}`
        : `${formatCount(shown)} of ${rowsText} match`;
    const elapsed = formatElapsed(this.payload?.elapsedMs);
    this.elapsedNode.textContent = elapsed ? `in ${elapsed}` : '';
    this.elapsedNode.hidden = !elapsed;
    const truncated = Boolean(this.payload?.truncated);
    this.truncatedNode.hidden = !truncated;
    if (truncated)
      this.truncatedText.textContent = `Showing ${formatCount(total)} rows — the query has more`;
    this.node.classList.toggle('rl-mod-truncated', truncated);
  }

  private showMessage(text: string): void {
    this.messageNode.textContent = text;
    clearTimeout(this.messageTimer);
    this.messageTimer = setTimeout(() => {
      this.messageNode.textContent = '';
    }, 4000);
  }

  // ---- chart ------------------------------------------------------------------------------------

  private renderChart(): void {
    const x = Number(this.chartX.value);
    const y = Number(this.chartY.value);
    if (
      this.chartX.value === '' ||
      this.chartY.value === '' ||
      !this.columns[x] ||
      !this.columns[y]
    ) {
      this.chartArea.replaceChildren(
        el(this.doc, 'p', 'rl-Grid-chartEmpty', 'Pick a numeric column for Y.')
      );
      return;
    }
    drawChart(this.chartArea, {
      kind: this.chartKind.value as ChartKind,
      xName: this.columns[x].name,
      yName: this.columns[y].name,
      count: this.viewRowCount,
      x: i => this.rows.value(this.rowAt(i), x),
      y: i => this.rows.value(this.rowAt(i), y)
    });
  }

  // ---- selection, copy, export --------------------------------------------------------------------

  private clearSelection(): void {
    this.anchor = undefined;
    this.focus = undefined;
  }

  private selectionRange(): { r0: number; r1: number; c0: number; c1: number } | undefined {
    if (!this.anchor || !this.focus) return undefined;
    return {
      r0: Math.min(this.anchor.row, this.focus.row),
      r1: Math.max(this.anchor.row, this.focus.row),
      c0: Math.min(this.anchor.col, this.focus.col),
      c1: Math.max(this.anchor.col, this.focus.col)
    };
  }

  private isSelected(row: number, col: number): boolean {
    const range = this.selectionRange();
    return Boolean(
      range && row >= range.r0 && row <= range.r1 && col >= range.c0 && col <= range.c1
    );
  }

  /** Selects cells by view position (`extend`: from the anchor, as with shift-click). */
  select(cell: Cell, extend = false): void {
    const row = Math.max(0, Math.min(this.viewRowCount - 1, cell.row));
    const col = Math.max(0, Math.min(this.columns.length - 1, cell.col));
    if (!extend || !this.anchor) this.anchor = { row, col };
    this.focus = { row, col };
    this.updateSelectionClasses();
  }

  private updateSelectionClasses(): void {
    for (const [position, row] of this.renderedRows) {
      for (const cell of Array.from(row.querySelectorAll<HTMLElement>('.rl-Grid-cell'))) {
        const selected = this.isSelected(position, Number(cell.dataset.col));
        cell.classList.toggle('rl-mod-selected', selected);
        if (selected) cell.setAttribute('aria-selected', 'true');
        else cell.removeAttribute('aria-selected');
      }
    }
  }

  /** The selected cells as TSV (no header), or '' without a selection. */
  selectionTsv(): string {
    const range = this.selectionRange();
    if (!range) return '';
    const cols: number[] = [];
    for (let c = range.c0; c <= range.c1; c++) cols.push(c);
    return toTsv(this.viewRows(range.r0, range.r1 + 1), cols);
  }

  /** All rows in view (filtered, sorted) as TSV with a header line. */
  viewTsv(): string {
    const cols = this.columns.map((_, i) => i);
    return toTsv(
      this.viewRows(),
      cols,
      this.columns.map(c => c.name)
    );
  }

  /** All rows in view (filtered, sorted) as CSV (RFC 4180). */
  toCsv(): string {
    return toCsv(this.columns, this.viewRows());
  }

  private *viewRows(from = 0, to = this.viewRowCount): Generator<unknown[]> {
    for (let i = from; i < to; i++) yield this.rows.row(this.rowAt(i)) as unknown[];
  }

  /** Copies the selection, or everything in view when nothing is selected. */
  copy(all = false): void {
    const range = this.selectionRange();
    const text = !all && range ? this.selectionTsv() : this.viewTsv();
    const cells = range && !all ? (range.r1 - range.r0 + 1) * (range.c1 - range.c0 + 1) : undefined;
    this.writeClipboard(text);
    this.showMessage(
      cells !== undefined
        ? `Copied ${formatCount(cells)} ${cells === 1 ? 'cell' : 'cells'}`
        : `Copied ${formatCount(this.viewRowCount)} rows`
    );
  }

  private writeClipboard(text: string): void {
    this.options.onCopy?.(text);
    // execCommand('copy') inside the user's gesture works in webviews and without permissions; the
    // copy event it fires gets our text. The async Clipboard API is the fallback.
    let copied = false;
    const onCopy = (event: Event): void => {
      const data = (event as ClipboardEvent).clipboardData;
      if (!data || this.pendingCopy === undefined) return;
      data.setData('text/plain', this.pendingCopy);
      event.preventDefault();
      copied = true;
    };
    this.pendingCopy = text;
    this.doc.addEventListener('copy', onCopy, true);
    try {
      if (typeof this.doc.execCommand === 'function') this.doc.execCommand('copy');
    } catch {
      // not supported
    } finally {
      this.doc.removeEventListener('copy', onCopy, true);
      this.pendingCopy = undefined;
    }
    if (!copied) {
      const clipboard = this.doc.defaultView?.navigator?.clipboard;
      clipboard
        ?.writeText(text)
        .catch(() => this.showMessage('Copying was refused by the browser'));
    }
  }

  /** Exports the rows in view as CSV: through onExport, else as a download. */
  exportCsv(): void {
    const csv = this.toCsv();
    const base = (this.payload?.queryId ?? 'drill-result').replace(/[^A-Za-z0-9_.-]+/g, '_');
    const filename = `${base}.csv`;
    if (this.options.onExport) {
      this.options.onExport(csv, filename);
      return;
    }
    const win = this.doc.defaultView;
    if (!win?.URL?.createObjectURL) return;
    const url = win.URL.createObjectURL(new win.Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const a = el(this.doc, 'a');
    a.href = url;
    a.download = filename;
    a.hidden = true;
    this.node.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => win.URL.revokeObjectURL(url), 10_000);
  }

  // ---- events -----------------------------------------------------------------------------------

  private listen(target: EventTarget, type: string, handler: EventListener, capture = false): void {
    target.addEventListener(type, handler, capture);
    this.listeners.push({ target, type, handler, capture });
  }

  private unlisten(
    target: EventTarget,
    type: string,
    handler: EventListener,
    capture = false
  ): void {
    target.removeEventListener(type, handler, capture);
    const i = this.listeners.findIndex(
      l => l.target === target && l.type === type && l.handler === handler && l.capture === capture
    );
    if (i >= 0) this.listeners.splice(i, 1);
  }

  private handleClick(event: MouseEvent): void {
    const target = event.target as Element | null;
    if (!target?.closest) return;
    if (this.suppressClick) {
      this.suppressClick = false;
      return;
    }
    const action = (target.closest('button[data-action]') as HTMLButtonElement | null)?.dataset
      .action;
    if (action) {
      if (action === 'copy') this.copy();
      else if (action === 'export') this.exportCsv();
      else if (action === 'fetch-more') this.options.onFetchMore?.();
      else if (action === 'chart') this.toggleChart();
      return;
    }
    if (target.closest('.rl-Grid-resizer')) return;
    const header = target.closest<HTMLElement>('.rl-Grid-hcell');
    if (header) {
      this.cycleSort(Number(header.dataset.col));
      return;
    }
    const cell = target.closest<HTMLElement>('.rl-Grid-cell, .rl-Grid-gutter');
    const row = cell?.closest<HTMLElement>('.rl-Grid-row');
    if (cell && row) {
      const position = Number(row.dataset.row);
      if (cell.classList.contains('rl-Grid-gutter')) {
        // the whole row
        if (!event.shiftKey || !this.anchor) this.anchor = { row: position, col: 0 };
        this.focus = { row: position, col: this.columns.length - 1 };
        if (!event.shiftKey) this.anchor = { row: position, col: 0 };
        this.updateSelectionClasses();
      } else this.select({ row: position, col: Number(cell.dataset.col) }, event.shiftKey);
      this.viewport.focus({ preventScroll: true });
    }
  }

  private cycleSort(column: number): void {
    const current = this.sort?.column === column ? this.sort.direction : undefined;
    if (current === undefined) void this.setSort(column, 'asc');
    else if (current === 'asc') void this.setSort(column, 'desc');
    else void this.setSort(undefined);
  }

  private toggleChart(): void {
    this.chartPanel.hidden = !this.chartPanel.hidden;
    this.chartButton.setAttribute('aria-pressed', String(!this.chartPanel.hidden));
    if (!this.chartPanel.hidden) this.renderChart();
    else this.chartArea.replaceChildren();
  }

  private readonly onDragMove = (event: Event): void => {
    const drag = this.drag;
    if (!drag) return;
    const dx = (event as MouseEvent).clientX - drag.startX;
    if (Math.abs(dx) > 2) drag.moved = true;
    const width = Math.max(MIN_COLUMN_WIDTH, Math.min(MAX_COLUMN_WIDTH * 4, drag.startWidth + dx));
    if (width === this.widths[drag.col]) return;
    this.widths[drag.col] = width;
    this.layout();
    this.rowsDirty = true;
    this.render();
  };

  private readonly onDragEnd = (): void => {
    if (this.drag?.moved) this.suppressClick = true;
    this.drag = undefined;
    this.node.classList.remove('rl-mod-resizing');
    this.unlisten(this.doc, 'mousemove', this.onDragMove, true);
    this.unlisten(this.doc, 'mouseup', this.onDragEnd, true);
    // the click that follows a drag (if any) lands on the header: ignore it once
    setTimeout(() => {
      this.suppressClick = false;
    }, 0);
  };

  private handleMouseDown(event: MouseEvent): void {
    const target = event.target as Element | null;
    const resizer = target?.closest?.<HTMLElement>('.rl-Grid-resizer');
    if (resizer && event.button === 0) {
      event.preventDefault();
      event.stopPropagation();
      const col = Number(resizer.dataset.col);
      this.drag = { col, startX: event.clientX, startWidth: this.widths[col]!, moved: false };
      this.node.classList.add('rl-mod-resizing');
      this.listen(this.doc, 'mousemove', this.onDragMove, true);
      this.listen(this.doc, 'mouseup', this.onDragEnd, true);
      return;
    }
    // shift-click extends the selection: keep the browser from selecting text
    if (event.shiftKey && target?.closest?.('.rl-Grid-cell, .rl-Grid-gutter'))
      event.preventDefault();
  }

  private handleKeyDown(event: KeyboardEvent): void {
    const mod = event.ctrlKey || event.metaKey;
    if (mod && !event.altKey && event.key.toLowerCase() === 'c') {
      if (!this.selectionRange()) return;
      event.preventDefault();
      event.stopPropagation();
      this.copy();
      return;
    }
    if (mod && event.key.toLowerCase() === 'a') {
      event.preventDefault();
      event.stopPropagation();
      if (!this.viewRowCount || !this.columns.length) return;
      this.anchor = { row: 0, col: 0 };
      this.focus = { row: this.viewRowCount - 1, col: this.columns.length - 1 };
      this.updateSelectionClasses();
      return;
    }
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      PageUp: [-10, 0],
      PageDown: [10, 0]
    };
    const move = moves[event.key];
    if (!move || !this.viewRowCount || !this.columns.length) return;
    event.preventDefault();
    event.stopPropagation();
    const from = this.focus ?? { row: 0, col: 0 };
    const pageRows = Math.max(
      1,
      Math.floor((this.viewportSize().height - HEADER_HEIGHT) / ROW_HEIGHT) - 1
    );
    const dr = move[0] === 10 || move[0] === -10 ? Math.sign(move[0]) * pageRows : move[0];
    this.select({ row: from.row + dr, col: from.col + move[1] }, event.shiftKey);
    this.scrollIntoView(this.focus!);
  }

  /** Scrolls a cell (view position) into view. */
  scrollIntoView(cell: Cell): void {
    const { width, height } = this.viewportSize();
    const bodyHeight = height - HEADER_HEIGHT;
    const full = this.viewRowCount * ROW_HEIGHT;
    const y = cell.row * ROW_HEIGHT;
    const offset = this.bodyOffset(bodyHeight);
    let target = offset;
    if (y < offset) target = y;
    else if (y + ROW_HEIGHT > offset + bodyHeight - 16) target = y + ROW_HEIGHT - bodyHeight + 16;
    if (target !== offset) {
      const range = Math.min(full, MAX_SCROLL_HEIGHT) - bodyHeight;
      this.viewport.scrollTop =
        full <= MAX_SCROLL_HEIGHT ? target : (target / Math.max(1, full - bodyHeight)) * range;
    }
    const x = this.lefts[cell.col] ?? 0;
    const w = this.widths[cell.col] ?? 0;
    const scrollLeft = this.viewport.scrollLeft;
    if (x - this.gutterWidth < scrollLeft) this.viewport.scrollLeft = x - this.gutterWidth;
    else if (x + w > scrollLeft + width) this.viewport.scrollLeft = x + w - width;
    this.render();
  }
}
