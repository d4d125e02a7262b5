// The Drill result grid shared by JupyterLab (a Lumino widget, a MIME renderer) and VS Code (a notebook
// renderer). Plain DOM, no host APIs. This file keeps the result (columns, rows, order, selection) and
// puts the parts together; each part holds one concern and is tested on its own:
//   toolbar.ts     the filter box (debounced) and the Copy / CSV / Chart buttons
//   body.ts        the table in the DOM: header, the rows in view, selected cells (virtual.ts: which
//                  rows and columns are in view, where they sit, scaled scrolling past 8M px)
//   sortFilter.ts  sort and filter as an index array over the rows, sliced for big results (ops.ts)
//   selection.ts   the selected cells, what keys do, the copied text and the clipboard write
//   export.ts      the CSV file's name and the download
//   chartPanel.ts  the quick chart's pickers and area (chart.ts draws)
//   statusBar.ts   counts, time, messages, the partial-result notice; nullScan.ts its all-null warning
// Rows come as a payload's arrays or, from Radlab's own query paths, by column (core's ColumnarRows:
// numbers and dates in typed arrays, formatted when a cell is drawn); see rows.ts.
import { columnKind, estimateWidth, sampleIndices, toCsv } from './model.js';
import type {
  ColumnKind,
  DrillResultColumn,
  DrillResultInfo,
  DrillResultPayload,
  SortDirection
} from './model.js';
import { Cancelled } from './ops.js';
import { RowArrays, type RowStore } from './rows.js';
import { GridBody, DEFAULT_MAX_HEIGHT } from './body.js';
import { ChartPanel } from './chartPanel.js';
import { ColumnResize } from './columnResize.js';
import { csvFilename, downloadText } from './export.js';
import { NullScan } from './nullScan.js';
import {
  Selection,
  copyText,
  gridKey,
  selectionTsv,
  viewTsv,
  writeClipboard,
  type Cell,
  type CopySource
} from './selection.js';
import { RowOrder, nextSort } from './sortFilter.js';
import { StatusBar } from './statusBar.js';
import { GridToolbar, type FilterValue } from './toolbar.js';
import { el } from '../element.js';
import { imageTarget, type ImageTarget } from './imageTarget.js';

export { HEADER_HEIGHT, MAX_SCROLL_HEIGHT, ROW_HEIGHT } from './virtual.js';
export { formatCount, formatElapsed } from './statusBar.js';

export interface ResultGridOptions {
  /** Shows "Fetch more" when the result is truncated. */
  onFetchMore?: () => void;
  /** Receives the CSV instead of a download (VS Code webviews cannot download). */
  onExport?: (csv: string, filename: string) => void;
  /** Receives copied text in addition to the clipboard (hosts whose clipboard is restricted). */
  onCopy?: (text: string) => void;
  /** Shows "Spark": the host loads the same data as a Spark DataFrame (the files the query reads). */
  onOpenInSpark?: () => void;
  /**
   * Shows "Viewer" (and opens on a double-click): the images a cell refers to (imageTarget.ts
   * decides which cells; the host opens the target).
   */
  onOpenInViewer?: (target: ImageTarget) => void;
  /** The most the scroll area grows to, in px (default 360); small results take less. */
  maxHeight?: number;
  /** Rows above which sort/filter run in slices (default 200k); for tests. */
  chunkThreshold?: number;
}

interface Listener {
  target: EventTarget;
  type: string;
  handler: EventListener;
  capture: boolean;
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
  private payload: DrillResultInfo | undefined;
  private readonly order: RowOrder;
  private readonly nulls = new NullScan();
  private idle: Promise<void> = Promise.resolve();
  private busyLabel: string | undefined;
  /** Selected cells, by view position. */
  private readonly selection = new Selection();

  // parts
  private readonly toolbar: GridToolbar;
  private readonly body: GridBody;
  private readonly chart: ChartPanel;
  private readonly status: StatusBar;
  private readonly resize: ColumnResize;
  private resizeObserver: ResizeObserver | undefined;

  constructor(host: HTMLElement, options: ResultGridOptions = {}) {
    this.doc = host.ownerDocument;
    this.options = options;
    this.order = new RowOrder(options.chunkThreshold);
    const doc = this.doc;

    this.node = el(doc, 'div', 'rl-Grid');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', 'Drill result');
    // Lumino (JupyterLab) leaves keys typed in here to us: no notebook shortcuts on j/k/arrows.
    this.node.dataset.lmSuppressShortcuts = 'true';

    this.toolbar = new GridToolbar(
      doc,
      value => void this.applyFilter(value),
      Boolean(options.onOpenInSpark),
      Boolean(options.onOpenInViewer)
    );
    this.chart = new ChartPanel(doc);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the body reads the grid's state
    const grid = this;
    this.body = new GridBody(doc, {
      get columns() {
        return grid.columns;
      },
      get kinds() {
        return grid.kinds;
      },
      get rows() {
        return grid.rows;
      },
      get count() {
        return grid.viewRowCount;
      },
      rowAt: position => this.rowAt(position),
      get sort() {
        return grid.order.sort;
      },
      isSelected: (position, col) => this.selection.has(position, col)
    });
    this.status = new StatusBar(doc, Boolean(options.onFetchMore));
    this.resize = new ColumnResize(
      doc,
      this.node,
      col => this.body.cols.widths[col]!,
      (col, width) => {
        this.body.cols.widths[col] = width;
        this.layout();
        this.body.invalidate();
        this.render();
      }
    );

    this.node.append(this.toolbar.node, this.chart.node, this.body.viewport, this.status.node);

    const viewport = this.body.viewport;
    this.listen(this.node, 'click', e => this.handleClick(e as MouseEvent));
    this.listen(this.node, 'dblclick', e => this.handleDoubleClick(e as MouseEvent));
    this.listen(this.node, 'mousedown', e => this.handleMouseDown(e as MouseEvent));
    this.listen(viewport, 'scroll', () => this.render());
    this.listen(viewport, 'keydown', e => this.handleKeyDown(e as KeyboardEvent));
    for (const select of [this.chart.x, this.chart.y, this.chart.kind])
      this.listen(select, 'change', () => this.renderChart());

    const win = this.doc.defaultView as (Window & typeof globalThis) | null;
    if (win?.ResizeObserver) {
      this.resizeObserver = new win.ResizeObserver(() => this.render());
      this.resizeObserver.observe(viewport);
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
    return this.order.count(this.rows.length);
  }

  /** The row index at a view position. */
  rowAt(position: number): number {
    return this.order.rowAt(position);
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
    this.nulls.reset();
    this.order.rowsChanged();
    this.selection.clear();
    if (!sameColumns) {
      this.order.reset();
      this.toolbar.set('', undefined);
      this.toolbar.setColumns(this.columns, this.kinds);
      this.toolbar.chartButton.disabled = !this.chart.setColumns(this.columns, this.kinds);
      this.estimateWidths();
      this.body.resetScroll();
    }
    this.order.view = null;
    this.layout();
    if (this.order.active) void this.recompute();
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
    this.order.rowsChanged();
    this.payload = {
      ...this.payload!,
      rowCount: this.rows.length,
      ...(info.truncated !== undefined ? { truncated: info.truncated } : {}),
      ...(info.elapsedMs !== undefined ? { elapsedMs: info.elapsedMs } : {})
    };
    if (!hadRows) this.estimateWidths();
    this.layout();
    if (this.order.active) void this.recompute();
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
    if (!this.disposed) this.status.showMessage(text);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.order.clear();
    this.toolbar.dispose();
    this.chart.dispose();
    this.status.dispose();
    this.resize.dispose();
    this.resizeObserver?.disconnect();
    for (const { target, type, handler, capture } of this.listeners.splice(0))
      target.removeEventListener(type, handler, capture);
    this.body.dispose();
    this.rows = new RowArrays();
    this.node.remove();
  }

  // ---- sort / filter --------------------------------------------------------------------------

  /** Sorts by a column (`undefined`: original order). */
  setSort(column: number | undefined, direction: SortDirection = 'asc'): Promise<void> {
    this.order.sort = column === undefined ? undefined : { column, direction };
    return this.recompute();
  }

  /** Filters rows by a case-insensitive substring, in every cell or in one column. */
  setFilter(text: string, column?: number): Promise<void> {
    this.toolbar.set(text, column);
    return this.applyFilter(this.toolbar.value);
  }

  private applyFilter({ text, column }: FilterValue): Promise<void> {
    if (text === this.order.filterText && column === this.order.filterColumn) return this.idle;
    this.order.filterText = text;
    this.order.filterColumn = column;
    return this.recompute();
  }

  private recompute(): Promise<void> {
    this.setBusy(this.order.label);
    this.idle = this.order.compute(this.rows, this.columns.length, this.kinds).then(
      () => {
        if (this.disposed) return;
        this.selection.clear();
        this.setBusy(undefined);
        this.layout();
        this.refresh();
      },
      (reason: unknown) => {
        if (reason instanceof Cancelled) return;
        this.setBusy(undefined);
        this.status.showMessage(
          `Failed: ${reason instanceof Error ? reason.message : String(reason)}`
        );
      }
    );
    return this.idle;
  }

  private setBusy(label: string | undefined): void {
    this.busyLabel = label;
    this.status.setBusy(label);
    this.node.setAttribute('aria-busy', String(label !== undefined));
  }

  // ---- layout and rendering ---------------------------------------------------------------------

  private estimateWidths(): void {
    const sample = sampleIndices(this.rows.length);
    this.body.cols.widths = this.columns.map((column, c) =>
      estimateWidth(
        column,
        sample.map(i => this.rows.value(i, c))
      )
    );
  }

  private layout(): void {
    this.body.layout(this.options.maxHeight ?? DEFAULT_MAX_HEIGHT, this.busyLabel !== undefined);
  }

  /** Re-renders everything: rows, header, status, chart. */
  private refresh(): void {
    this.body.invalidate();
    this.render();
    this.renderStatus();
    this.updateViewerButton();
    if (this.chart.open) this.renderChart();
  }

  /** Renders the rows and columns in view: called on every scroll, so it only touches what changed. */
  render(): void {
    if (!this.disposed) this.body.render();
  }

  private renderStatus(): void {
    const truncated = Boolean(this.payload?.truncated);
    this.status.update({
      total: this.rows.length,
      shown: this.viewRowCount,
      columns: this.columns.length,
      elapsedMs: this.payload?.elapsedMs,
      truncated,
      sorted: this.order.sort !== undefined,
      filtered: this.order.filterText !== '',
      warning: this.nulls.warning(this.payload?.sql, this.columns, this.rows, truncated)
    });
    this.node.classList.toggle('rl-mod-truncated', truncated);
  }

  // ---- chart ------------------------------------------------------------------------------------

  private renderChart(): void {
    this.chart.render(this.chartSource());
  }

  private chartSource() {
    return {
      count: this.viewRowCount,
      value: (position: number, column: number) => this.rows.value(this.rowAt(position), column)
    };
  }

  private toggleChart(): void {
    const open = this.chart.toggle(this.chartSource());
    this.toolbar.chartButton.setAttribute('aria-pressed', String(open));
  }

  // ---- selection, copy, export --------------------------------------------------------------------

  /** Selects cells by view position (`extend`: from the anchor, as with shift-click). */
  select(cell: Cell, extend = false): void {
    this.selection.select(cell, this.viewRowCount, this.columns.length, extend);
    this.body.updateSelection();
    this.updateViewerButton();
  }

  /** The rows in view (filtered, sorted), as copies and exports read them. */
  private view(): CopySource {
    return {
      count: this.viewRowCount,
      names: this.columns.map(c => c.name),
      rows: (from, to) => this.viewRows(from, to)
    };
  }

  private *viewRows(from = 0, to = this.viewRowCount): Generator<unknown[]> {
    for (let i = from; i < to; i++) yield this.rows.row(this.rowAt(i)) as unknown[];
  }

  /** The selected cells as TSV (no header), or '' without a selection. */
  selectionTsv(): string {
    return selectionTsv(this.selection.range(), this.view());
  }

  /** All rows in view (filtered, sorted) as TSV with a header line. */
  viewTsv(): string {
    return viewTsv(this.view());
  }

  /** All rows in view (filtered, sorted) as CSV (RFC 4180). */
  toCsv(): string {
    return toCsv(this.columns, this.viewRows());
  }

  /** Copies the selection, or everything in view when nothing is selected. */
  // ---- open in viewer -----------------------------------------------------------------------------

  /** The images the cell at a view position refers to (imageTarget.ts), if any. */
  imageTargetAt(cell: Cell): ImageTarget | undefined {
    if (cell.row < 0 || cell.row >= this.viewRowCount) return undefined;
    const column = this.columns[cell.col];
    if (!column) return undefined;
    const index = this.rowAt(cell.row);
    const value = this.rows.value(index, cell.col);
    const target = imageTarget(column.name, value);
    if (!target) return undefined;
    const row: Record<string, unknown> = {};
    this.columns.forEach((c, i) => (row[c.name] = this.rows.value(index, i)));
    return { ...target, row };
  }

  /** Opens the focused cell's images through the host (the Viewer button, a double-click). */
  openInViewer(): void {
    const focus = this.selection.focus;
    const target = focus && this.imageTargetAt(focus);
    if (target) this.options.onOpenInViewer?.(target);
  }

  private updateViewerButton(): void {
    const b = this.toolbar.viewerButton;
    if (!b) return;
    const focus = this.selection.focus;
    b.disabled = !(focus && this.imageTargetAt(focus));
  }

  private handleDoubleClick(event: MouseEvent): void {
    if (!this.options.onOpenInViewer) return;
    const cell = (event.target as Element | null)?.closest?.<HTMLElement>('.rl-Grid-cell');
    const row = cell?.closest<HTMLElement>('.rl-Grid-row');
    if (!cell || !row) return;
    const target = this.imageTargetAt({
      row: Number(row.dataset.row),
      col: Number(cell.dataset.col)
    });
    if (target) this.options.onOpenInViewer(target);
  }

  copy(all = false): void {
    const { text, message } = copyText(this.selection, this.view(), all);
    this.options.onCopy?.(text);
    writeClipboard(this.doc, text, () =>
      this.status.showMessage('Copying was refused by the browser')
    );
    this.status.showMessage(message);
  }

  /** Exports the rows in view as CSV: through onExport, else as a download. */
  exportCsv(): void {
    const csv = this.toCsv();
    const filename = csvFilename({ sql: this.payload?.sql, queryId: this.payload?.queryId });
    if (this.options.onExport) this.options.onExport(csv, filename);
    else downloadText(this.node, csv, filename);
  }

  /** Scrolls a cell (view position) into view. */
  scrollIntoView(cell: Cell): void {
    this.body.scrollIntoView(cell);
  }

  // ---- events -----------------------------------------------------------------------------------

  private listen(target: EventTarget, type: string, handler: EventListener, capture = false): void {
    target.addEventListener(type, handler, capture);
    this.listeners.push({ target, type, handler, capture });
  }

  private handleClick(event: MouseEvent): void {
    const target = event.target as Element | null;
    if (!target?.closest) return;
    if (this.resize.takeClick()) return;
    const action = (target.closest('button[data-action]') as HTMLButtonElement | null)?.dataset
      .action;
    if (action) {
      if (action === 'copy') this.copy();
      else if (action === 'export') this.exportCsv();
      else if (action === 'fetch-more') this.options.onFetchMore?.();
      else if (action === 'open-in-spark') this.options.onOpenInSpark?.();
      else if (action === 'open-in-viewer') this.openInViewer();
      else if (action === 'chart') this.toggleChart();
      return;
    }
    if (target.closest('.rl-Grid-resizer')) return;
    const header = target.closest<HTMLElement>('.rl-Grid-hcell');
    if (header) {
      const sort = nextSort(this.order.sort, Number(header.dataset.col));
      void this.setSort(sort?.column, sort?.direction);
      return;
    }
    const cell = target.closest<HTMLElement>('.rl-Grid-cell, .rl-Grid-gutter');
    const row = cell?.closest<HTMLElement>('.rl-Grid-row');
    if (cell && row) {
      const position = Number(row.dataset.row);
      if (cell.classList.contains('rl-Grid-gutter')) {
        this.selection.selectRow(position, this.columns.length, event.shiftKey);
        this.body.updateSelection();
      } else this.select({ row: position, col: Number(cell.dataset.col) }, event.shiftKey);
      this.body.viewport.focus({ preventScroll: true });
    }
  }

  private handleMouseDown(event: MouseEvent): void {
    const target = event.target as Element | null;
    const resizer = target?.closest?.<HTMLElement>('.rl-Grid-resizer');
    if (resizer && event.button === 0) {
      event.preventDefault();
      event.stopPropagation();
      this.resize.start(Number(resizer.dataset.col), event.clientX);
      return;
    }
    // shift-click extends the selection: keep the browser from selecting text
    if (event.shiftKey && target?.closest?.('.rl-Grid-cell, .rl-Grid-gutter'))
      event.preventDefault();
  }

  private handleKeyDown(event: KeyboardEvent): void {
    const key = gridKey(event, this.body.pageRows());
    if (!key) return;
    const empty = !this.viewRowCount || !this.columns.length;
    if (key.kind === 'copy') {
      if (!this.selection.range()) return;
      event.preventDefault();
      event.stopPropagation();
      this.copy();
    } else if (key.kind === 'selectAll') {
      event.preventDefault();
      event.stopPropagation();
      if (empty) return;
      this.selection.selectAll(this.viewRowCount, this.columns.length);
      this.body.updateSelection();
    } else {
      if (empty) return;
      event.preventDefault();
      event.stopPropagation();
      const from = this.selection.focus ?? { row: 0, col: 0 };
      this.select({ row: from.row + key.by[0], col: from.col + key.by[1] }, key.extend);
      this.scrollIntoView(this.selection.focus!);
    }
  }
}
