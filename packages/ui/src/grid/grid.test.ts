// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HEADER_HEIGHT, MAX_SCROLL_HEIGHT, ROW_HEIGHT, ResultGrid } from './grid.js';
import { ColumnarRows, type DrillResultPayload } from './model.js';

const XSS = '<img src=x onerror=alert(1)>';

function payload(rows: unknown[][], extra: Partial<DrillResultPayload> = {}): DrillResultPayload {
  return {
    version: 1,
    queryId: 'q-1',
    columns: [
      { name: 'id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'score', type: 'FLOAT8' },
      { name: 'day', type: 'DATE' }
    ],
    rows,
    rowCount: rows.length,
    truncated: false,
    elapsedMs: 1234,
    ...extra
  };
}

const SMALL: unknown[][] = [
  [1, 'Knee MRI', 2.5, '2024-03-01'],
  [2, XSS, null, '2023-12-31'],
  [3, 'chest CT', 10, null],
  [4, 'Head CT', -1, '2024-01-15']
];

function big(rows: number, cols: number): DrillResultPayload {
  const columns = Array.from({ length: cols }, (_, c) => ({
    name: `col_${c}`,
    type: c % 3 === 0 ? 'BIGINT' : c % 3 === 1 ? 'VARCHAR' : 'DATE'
  }));
  const data = new Array<unknown[]>(rows);
  for (let r = 0; r < rows; r++) {
    const row = new Array<unknown>(cols);
    for (let c = 0; c < cols; c++)
      row[c] = c % 3 === 0 ? r * 31 + c : c % 3 === 1 ? `v${r}-${c}` : '2024-01-01';
    data[r] = row;
  }
  return { version: 1, columns, rows: data, rowCount: rows, truncated: false };
}

/** The id column (first) of the rendered rows, in view order. */
function renderedIds(host: HTMLElement): string[] {
  return [...host.querySelectorAll<HTMLElement>('.rl-Grid-row')]
    .sort((a, b) => Number(a.dataset.row) - Number(b.dataset.row))
    .map(row => row.querySelector('.rl-Grid-cell[data-col="0"]')?.textContent ?? '');
}

function cell(host: HTMLElement, position: number, col: number): HTMLElement {
  return host.querySelector<HTMLElement>(
    `.rl-Grid-row[data-row="${position}"] .rl-Grid-cell[data-col="${col}"]`
  )!;
}

function header(host: HTMLElement, col: number): HTMLElement {
  return host.querySelector<HTMLElement>(`.rl-Grid-hcell[data-col="${col}"]`)!;
}

function scroll(host: HTMLElement, top: number, left = 0): void {
  const viewport = host.querySelector<HTMLElement>('.rl-Grid-viewport')!;
  viewport.scrollTop = top;
  viewport.scrollLeft = left;
  viewport.dispatchEvent(new Event('scroll'));
}

describe('ResultGrid', () => {
  let host: HTMLElement;

  beforeEach(() => {
    host = document.createElement('div');
    document.body.appendChild(host);
  });

  afterEach(() => {
    host.remove();
    vi.restoreAllMocks();
  });

  it('renders typed columns: names, types, numbers right-aligned, null muted', () => {
    const grid = new ResultGrid(host);
    grid.setResult(payload(SMALL));
    expect(header(host, 0).querySelector('.rl-Grid-hname')?.textContent).toBe('id');
    expect(header(host, 0).querySelector('.rl-Grid-htype')?.textContent).toBe('bigint');
    expect(header(host, 0).classList.contains('rl-mod-number')).toBe(true);
    expect(header(host, 1).classList.contains('rl-mod-number')).toBe(false);
    expect(cell(host, 0, 2).classList.contains('rl-mod-number')).toBe(true);
    expect(cell(host, 0, 2).textContent).toBe('2.5');
    const nullCell = cell(host, 1, 2);
    expect(nullCell.textContent).toBe('null');
    expect(nullCell.classList.contains('rl-mod-null')).toBe(true);
    expect(cell(host, 2, 3).classList.contains('rl-mod-null')).toBe(true);
    expect(renderedIds(host)).toEqual(['1', '2', '3', '4']);
    expect(host.querySelector('.rl-Grid-count')?.textContent).toBe('4 rows × 4 columns');
    expect(host.querySelector('.rl-Grid-elapsed')?.textContent).toBe('in 1.23 s');
    grid.dispose();
  });

  it('shows HTML-like text as text, never markup', () => {
    const grid = new ResultGrid(host);
    grid.setResult(
      payload(SMALL, {
        columns: [
          { name: 'id', type: 'BIGINT' },
          { name: '<b>name</b>', type: 'VARCHAR' },
          { name: 'score', type: 'FLOAT8' },
          { name: 'day', type: '<i>DATE</i>' }
        ]
      })
    );
    expect(cell(host, 1, 1).textContent).toBe(XSS);
    expect(header(host, 1).querySelector('.rl-Grid-hname')?.textContent).toBe('<b>name</b>');
    expect(host.querySelector('img, b, i')).toBeNull();
    expect(host.querySelector('.rl-Grid-filterColumn')?.textContent).toContain('<b>name</b>');
    grid.dispose();
  });

  it('keeps the DOM bounded with 1M rows × 20 columns, at the top and at the bottom', () => {
    const data = big(1_000_000, 20);
    const grid = new ResultGrid(host);
    const t0 = performance.now();
    grid.setResult(data);
    const firstWindowMs = performance.now() - t0;
    const rows = host.querySelectorAll('.rl-Grid-row').length;
    const cells = host.querySelectorAll('.rl-Grid-cell').length;
    // 360 px viewport: 14 rows in view + 8 overscan below; 800 px + overscan: a handful of columns
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThanOrEqual(40);
    expect(cells / rows).toBeLessThanOrEqual(12);
    expect(host.querySelector('.rl-Grid-spacer')!.getBoundingClientRect).toBeDefined();
    expect(parseFloat(host.querySelector<HTMLElement>('.rl-Grid-spacer')!.style.height)).toBe(
      MAX_SCROLL_HEIGHT
    );
    expect(host.querySelector('.rl-Grid-count')?.textContent).toBe('1,000,000 rows × 20 columns');

    // the bottom, scrolled right
    scroll(host, MAX_SCROLL_HEIGHT, 100_000);
    const bottom = [...host.querySelectorAll<HTMLElement>('.rl-Grid-row')];
    expect(bottom.length).toBeLessThanOrEqual(40);
    const positions = bottom.map(r => Number(r.dataset.row));
    expect(Math.max(...positions)).toBe(999_999);
    const last = bottom.find(r => r.dataset.row === '999999')!;
    expect(last.querySelector('.rl-Grid-gutter')?.textContent).toBe('1000000');
    // the last column is rendered, the first is not
    expect(last.querySelector('.rl-Grid-cell[data-col="19"]')?.textContent).toBe('v999999-19');
    expect(last.querySelector('.rl-Grid-cell[data-col="0"]')).toBeNull();
    expect(host.querySelectorAll('.rl-Grid-cell').length).toBeLessThanOrEqual(40 * 12);
    // rows sit just above the bottom of the (scaled) scroll range
    const viewportHeight = 360;
    const lastTop = parseFloat(last.style.top);
    expect(lastTop + ROW_HEIGHT).toBeLessThanOrEqual(MAX_SCROLL_HEIGHT + viewportHeight + 1);
    expect(lastTop).toBeGreaterThan(
      MAX_SCROLL_HEIGHT - viewportHeight + HEADER_HEIGHT - ROW_HEIGHT
    );

    // the middle
    scroll(host, MAX_SCROLL_HEIGHT / 2);
    const middle = [...host.querySelectorAll<HTMLElement>('.rl-Grid-row')].map(r =>
      Number(r.dataset.row)
    );
    expect(Math.min(...middle)).toBeGreaterThan(490_000);
    expect(Math.max(...middle)).toBeLessThan(510_000);
    console.info(
      `[grid] first window of 1M × 20 rendered in ${firstWindowMs.toFixed(1)} ms (jsdom)`
    );
    expect(firstWindowMs).toBeLessThan(2000);
    grid.dispose();
  });

  it('sorts by clicking a header: ascending, descending, none; nulls last', async () => {
    const grid = new ResultGrid(host);
    grid.setResult(payload(SMALL));
    header(host, 2).click();
    await grid.whenIdle();
    expect(renderedIds(host)).toEqual(['4', '1', '3', '2']);
    expect(header(host, 2).getAttribute('aria-sort')).toBe('ascending');
    expect(header(host, 2).querySelector('.rl-Grid-sortIndicator')?.textContent).toBe('▲');
    header(host, 2).click();
    await grid.whenIdle();
    expect(renderedIds(host)).toEqual(['3', '1', '4', '2']);
    expect(header(host, 2).getAttribute('aria-sort')).toBe('descending');
    header(host, 2).click();
    await grid.whenIdle();
    expect(renderedIds(host)).toEqual(['1', '2', '3', '4']);
    expect(header(host, 2).getAttribute('aria-sort')).toBe('none');
    // dates chronologically; the gutter keeps the original row numbers
    header(host, 3).click();
    await grid.whenIdle();
    expect(renderedIds(host)).toEqual(['2', '4', '1', '3']);
    expect(
      [...host.querySelectorAll<HTMLElement>('.rl-Grid-row')]
        .sort((a, b) => Number(a.dataset.row) - Number(b.dataset.row))
        .map(r => r.querySelector('.rl-Grid-gutter')?.textContent)
    ).toEqual(['2', '4', '1', '3']);
    grid.dispose();
  });

  it('filters by a substring in any column or in one, and sorts the filtered rows', async () => {
    const grid = new ResultGrid(host);
    grid.setResult(payload(SMALL));
    const input = host.querySelector<HTMLInputElement>('.rl-Grid-filter')!;
    input.value = 'CT';
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await grid.whenIdle();
    expect(renderedIds(host)).toEqual(['3', '4']);
    expect(host.querySelector('.rl-Grid-count')?.textContent).toBe('2 of 4 rows match');
    header(host, 2).click();
    await grid.whenIdle();
    expect(renderedIds(host)).toEqual(['4', '3']);
    await grid.setFilter('2024', 3);
    expect(renderedIds(host)).toEqual(['4', '1']);
    await grid.setFilter('2024', 1);
    expect(renderedIds(host)).toEqual([]);
    expect(host.querySelector<HTMLElement>('.rl-Grid-empty')?.hidden).toBe(false);
    expect(host.querySelector('.rl-Grid-empty')?.textContent).toBe('No rows match the filter');
    await grid.setFilter('');
    expect(renderedIds(host)).toEqual(['4', '1', '3', '2']);
    grid.dispose();
  });

  it('sorts and filters big results in slices without changing the result', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [
      (i * 7919) % 5000,
      `n${i % 10}`,
      i % 13 ? i : null,
      null
    ]);
    const grid = new ResultGrid(host, { chunkThreshold: 100 });
    grid.setResult(payload(rows));
    const pending = grid.setSort(2, 'desc');
    expect(host.querySelector('.rl-Grid')?.getAttribute('aria-busy')).toBe('true');
    await pending;
    expect(host.querySelector('.rl-Grid')?.getAttribute('aria-busy')).toBe('false');
    expect(grid.rowAt(0)).toBe(4999);
    expect(grid.rowAt(grid.viewRowCount - 1) % 13).toBe(0); // nulls last
    await grid.setFilter('n7', 1);
    expect(grid.viewRowCount).toBe(500);
    const scores = Array.from({ length: grid.viewRowCount }, (_, i) => rows[grid.rowAt(i)]![2]);
    const firstNull = scores.indexOf(null);
    expect(scores.slice(firstNull).every(s => s === null)).toBe(true);
    for (let i = 1; i < firstNull; i++) expect(scores[i - 1]).toBeGreaterThan(scores[i] as number);
    grid.dispose();
  });

  it('selects cells with click and shift-click and copies them as TSV with Ctrl+C', () => {
    const copied: string[] = [];
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const grid = new ResultGrid(host, { onCopy: text => copied.push(text) });
    grid.setResult(payload(SMALL));
    cell(host, 0, 1).click();
    cell(host, 2, 2).dispatchEvent(new MouseEvent('click', { bubbles: true, shiftKey: true }));
    expect(host.querySelectorAll('.rl-Grid-cell.rl-mod-selected')).toHaveLength(6);
    const viewport = host.querySelector<HTMLElement>('.rl-Grid-viewport')!;
    const key = new KeyboardEvent('keydown', {
      key: 'c',
      ctrlKey: true,
      bubbles: true,
      cancelable: true
    });
    viewport.dispatchEvent(key);
    expect(key.defaultPrevented).toBe(true);
    expect(copied).toEqual([`Knee MRI\t2.5\n${XSS}\t\nchest CT\t10`]);
    expect(writeText).toHaveBeenCalledWith(copied[0]);
    expect(host.querySelector('.rl-Grid-message')?.textContent).toBe('Copied 6 cells');
    // Cmd+C too; the Copy button without a selection copies everything with a header
    viewport.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'c', metaKey: true, bubbles: true })
    );
    expect(copied).toHaveLength(2);
    grid.setResult(payload(SMALL.slice(0, 2)));
    host.querySelector<HTMLButtonElement>('[data-action="copy"]')!.click();
    expect(copied[2]).toBe(
      `id\tname\tscore\tday\n1\tKnee MRI\t2.5\t2024-03-01\n2\t${XSS}\t\t2023-12-31`
    );
    // arrow keys move the selection
    cell(host, 0, 0).click();
    viewport.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    viewport.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'ArrowDown', shiftKey: true, bubbles: true })
    );
    expect(grid.selectionTsv()).toBe(`Knee MRI\n${XSS}`);
    grid.dispose();
  });

  it('exports the filtered, sorted rows as CSV through onExport', async () => {
    const onExport = vi.fn();
    const grid = new ResultGrid(host, { onExport });
    grid.setResult(payload([...SMALL, [5, 'a, "b"\nc', 1e21, '2020-01-01']]));
    await grid.setSort(0, 'desc');
    await grid.setFilter('a');
    host.querySelector<HTMLButtonElement>('[data-action="export"]')!.click();
    expect(onExport).toHaveBeenCalledTimes(1);
    const [csv, filename] = onExport.mock.calls[0]!;
    expect(filename).toBe('q-1.csv');
    expect(csv).toBe(
      `id,name,score,day\r\n5,"a, ""b""\nc",1e+21,2020-01-01\r\n4,Head CT,-1,2024-01-15\r\n2,${XSS},,2023-12-31\r\n`
    );
    grid.dispose();
  });

  it('downloads the CSV as a Blob without onExport', () => {
    const createObjectURL = vi.fn(() => 'blob:x');
    const revokeObjectURL = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicks: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement
    ) {
      clicks.push(this.download);
    });
    const grid = new ResultGrid(host);
    grid.setResult(payload(SMALL));
    grid.exportCsv();
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    expect(clicks).toEqual(['q-1.csv']);
    expect(host.querySelector('a')).toBeNull();
    grid.dispose();
  });

  it('says when the result is truncated and offers Fetch more only with a handler', async () => {
    const onFetchMore = vi.fn();
    const grid = new ResultGrid(host, { onFetchMore });
    grid.setResult(payload(SMALL, { truncated: true, limit: 4 }));
    const notice = host.querySelector<HTMLElement>('.rl-Grid-truncated')!;
    expect(notice.hidden).toBe(false);
    expect(notice.textContent).toContain('Showing 4 rows — the query has more');
    const more = host.querySelector<HTMLButtonElement>('[data-action="fetch-more"]')!;
    expect(more.hidden).toBe(false);
    more.click();
    expect(onFetchMore).toHaveBeenCalledTimes(1);
    grid.appendRows([[5, 'five', 5, null]], { truncated: false });
    expect(notice.hidden).toBe(true);
    expect(host.querySelector('.rl-Grid-count')?.textContent).toBe('5 rows × 4 columns');
    expect(renderedIds(host)).toEqual(['1', '2', '3', '4', '5']);
    grid.dispose();

    const plain = new ResultGrid(host);
    plain.setResult(payload(SMALL, { truncated: true }));
    // sorting or filtering a partial result says it acts on the rows loaded only
    await plain.setSort(0, 'desc');
    expect(host.querySelector('.rl-Grid-truncated')!.textContent).toContain(
      'Sorted the 4 rows loaded, not the whole result — the query has more (ORDER BY in the SQL'
    );
    await plain.setFilter('ct');
    expect(host.querySelector('.rl-Grid-truncated')!.textContent).toContain(
      'Sorted and filtered the 4 rows loaded'
    );
    expect(host.querySelector<HTMLElement>('.rl-Grid-truncated')!.hidden).toBe(false);
    expect(host.querySelector<HTMLButtonElement>('[data-action="fetch-more"]')!.hidden).toBe(true);
    plain.dispose();
  });

  it('offers Open in Spark only when the host can', () => {
    const onOpenInSpark = vi.fn();
    const grid = new ResultGrid(host, { onOpenInSpark });
    grid.setResult(payload(SMALL));
    host.querySelector<HTMLButtonElement>('[data-action="open-in-spark"]')!.click();
    expect(onOpenInSpark).toHaveBeenCalledTimes(1);
    grid.dispose();
    const plain = new ResultGrid(host);
    expect(host.querySelector('[data-action="open-in-spark"]')).toBeNull();
    plain.dispose();
  });

  it('offers Open in viewer on cells with images: the button and a double-click', () => {
    const onOpenInViewer = vi.fn();
    const grid = new ResultGrid(host, { onOpenInViewer });
    grid.setResult({
      version: 1,
      columns: [
        { name: 'SeriesInstanceUID', type: 'VARCHAR' },
        { name: 'Folder', type: 'VARCHAR' },
        { name: 'SeriesDescription', type: 'VARCHAR' }
      ],
      rows: [
        ['2.25.1234', 'p1/T1', 'T1 AX'],
        ['2.25.99', 'p2/CT', 'Head 5mm']
      ],
      rowCount: 2,
      truncated: false
    });
    const button = host.querySelector<HTMLButtonElement>('[data-action="open-in-viewer"]')!;
    expect(button.disabled).toBe(true);
    grid.select({ row: 0, col: 2 }); // a description: no images
    expect(button.disabled).toBe(true);
    grid.select({ row: 0, col: 0 });
    expect(button.disabled).toBe(false);
    button.click();
    expect(onOpenInViewer).toHaveBeenLastCalledWith({
      kind: 'series',
      seriesInstanceUid: '2.25.1234',
      row: { SeriesInstanceUID: '2.25.1234', Folder: 'p1/T1', SeriesDescription: 'T1 AX' }
    });
    cell(host, 1, 1).dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));
    expect(onOpenInViewer).toHaveBeenLastCalledWith(
      expect.objectContaining({ kind: 'folder', path: 'p2/CT' })
    );
    cell(host, 1, 2).dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));
    expect(onOpenInViewer).toHaveBeenCalledTimes(2);
    grid.dispose();
    const plain = new ResultGrid(host);
    expect(host.querySelector('[data-action="open-in-viewer"]')).toBeNull();
    plain.dispose();
  });

  it('names the CSV after the query, and warns about a column no row has', () => {
    const onExport = vi.fn();
    const grid = new ResultGrid(host, { onExport });
    grid.setResult({
      ...payload([
        [1, 'Sheri', null, null],
        [2, 'Derrick', null, '2024-01-01']
      ]),
      columns: [
        { name: 'employee_id', type: 'BIGINT' },
        { name: 'full_name', type: 'VARCHAR' },
        { name: 'salry', type: 'VARCHAR' },
        { name: 'hire_date', type: 'VARCHAR' }
      ],
      sql: 'SELECT employee_id, full_name, salry, hire_date FROM cp.`employee.json` LIMIT 2'
    });
    grid.exportCsv();
    expect(onExport.mock.calls[0]![1]).toBe('employee.csv');
    const warning = host.querySelector<HTMLElement>('.rl-Grid-warning')!;
    expect(warning.hidden).toBe(false);
    expect(warning.textContent).toMatch(/^column "salry" is null in every row: .*spelling/);
    // a value arriving later clears it
    grid.appendRows([[3, 'Michael', '40000', null]]);
    expect(warning.hidden).toBe(true);
    grid.dispose();
  });

  it('streams rows in with appendRows, keeping the sort', async () => {
    const grid = new ResultGrid(host);
    grid.setResult(payload(SMALL.slice(0, 2)));
    await grid.setSort(0, 'desc');
    grid.appendRows(SMALL.slice(2));
    await grid.whenIdle();
    expect(renderedIds(host)).toEqual(['4', '3', '2', '1']);
    grid.dispose();
  });

  it('shows rows kept by column (ColumnarRows) as it grows, sorting dates by their epoch ms', async () => {
    const { rows: _rows, ...info } = payload([]);
    void _rows;
    const store = new ColumnarRows(info.columns);
    // Drill's REST values: dates as epoch ms
    store.appendRaw([
      { id: 1, name: 'Knee MRI', score: 2.5, day: Date.UTC(2024, 2, 1) },
      { id: 2, name: XSS, score: null, day: Date.UTC(2023, 11, 31) }
    ]);
    const grid = new ResultGrid(host);
    grid.setResultRows({ ...info, truncated: true }, store);
    expect(renderedIds(host)).toEqual(['1', '2']);
    expect(cell(host, 0, 3).textContent).toBe('2024-03-01');
    expect(cell(host, 1, 1).textContent).toBe(XSS);
    expect(host.querySelector('.rl-Grid-count')?.textContent).toBe('2 rows × 4 columns');
    await grid.setSort(3, 'asc');
    expect(renderedIds(host)).toEqual(['2', '1']);
    store.appendRaw([
      { id: 3, name: 'chest CT', score: 10, day: null },
      { id: 4, name: 'Head CT', score: -1, day: Date.UTC(2024, 0, 15) }
    ]);
    grid.rowsAppended({ truncated: false, elapsedMs: 20 });
    await grid.whenIdle();
    expect(renderedIds(host)).toEqual(['2', '4', '1', '3']);
    expect(host.querySelector('.rl-Grid-count')?.textContent).toBe('4 rows × 4 columns');
    expect(host.querySelector<HTMLElement>('.rl-Grid-truncated')!.hidden).toBe(true);
    await grid.setFilter('2024-01');
    expect(renderedIds(host)).toEqual(['4']);
    await grid.setFilter('');
    await grid.setSort(undefined);
    expect(grid.toCsv().split('\r\n')[4]).toBe('4,Head CT,-1,2024-01-15');
    grid.dispose();
  });

  it('resizes a column by dragging its header edge, without sorting', async () => {
    const grid = new ResultGrid(host);
    grid.setResult(payload(SMALL));
    const before = parseFloat(header(host, 1).style.width);
    const resizer = header(host, 1).querySelector<HTMLElement>('.rl-Grid-resizer')!;
    resizer.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, clientX: 100, button: 0 }));
    document.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: 160 }));
    document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, clientX: 160 }));
    header(host, 1).click(); // the click that ends a drag
    await grid.whenIdle();
    expect(parseFloat(header(host, 1).style.width)).toBe(before + 60);
    expect(parseFloat(cell(host, 0, 1).style.width)).toBe(before + 60);
    expect(parseFloat(cell(host, 0, 2).style.left)).toBe(
      parseFloat(cell(host, 0, 1).style.left) + before + 60
    );
    expect(header(host, 1).getAttribute('aria-sort')).toBe('none');
    grid.dispose();
  });

  it('draws a quick chart of two columns', () => {
    const grid = new ResultGrid(host);
    grid.setResult(payload(SMALL));
    host.querySelector<HTMLButtonElement>('[data-action="chart"]')!.click();
    const chart = host.querySelector<HTMLElement>('.rl-Grid-chart')!;
    expect(chart.hidden).toBe(false);
    expect(chart.querySelector('.rl-Grid-chartCaption')?.textContent).toBe('id by name — 4 rows');
    const y = chart.querySelector<HTMLSelectElement>('.rl-Grid-chartY')!;
    expect([...y.options].map(o => o.textContent)).toEqual(['id', 'score']);
    y.value = '2';
    y.dispatchEvent(new Event('change'));
    const figure = (): HTMLElement => chart.querySelector<HTMLElement>('.rl-Chart')!;
    // score has a null: three bars
    expect(figure().getAttribute('aria-label')).toBe('bar chart of score by name, 3 points');
    expect(figure().dataset['kind']).toBe('bar');
    expect(chart.querySelector('.rl-Grid-chartCaption')?.textContent).toBe(
      'score by name — 3 rows'
    );
    // the x labels are text (drawn on the canvas, or uPlot's legend by textContent): no markup
    expect(chart.querySelector('img')).toBeNull();
    const kind = chart.querySelector<HTMLSelectElement>('.rl-Grid-chartKind')!;
    kind.value = 'line';
    kind.dispatchEvent(new Event('change'));
    expect(figure().getAttribute('aria-label')).toBe('line chart of score by name, 3 points');
    expect(chart.querySelectorAll('.rl-Chart')).toHaveLength(1); // the bar chart was replaced
    // jsdom has no canvas: the chart says so instead of failing (browsers draw it: drill-grid.spec)
    expect(figure().textContent).toBe('This view cannot draw charts (no canvas).');
    grid.dispose();
  });

  it('dispose removes every listener it added and the node', () => {
    const added: Array<[EventTarget, string, unknown]> = [];
    const removed: Array<[EventTarget, string, unknown]> = [];
    const add = EventTarget.prototype.addEventListener;
    const remove = EventTarget.prototype.removeEventListener;
    vi.spyOn(EventTarget.prototype, 'addEventListener').mockImplementation(function (
      this: EventTarget,
      type: string,
      listener: EventListenerOrEventListenerObject | null,
      options?: boolean | AddEventListenerOptions
    ) {
      added.push([this, type, listener]);
      return add.call(this, type, listener, options);
    });
    vi.spyOn(EventTarget.prototype, 'removeEventListener').mockImplementation(function (
      this: EventTarget,
      type: string,
      listener: EventListenerOrEventListenerObject | null,
      options?: boolean | EventListenerOptions
    ) {
      removed.push([this, type, listener]);
      return remove.call(this, type, listener, options);
    });
    const grid = new ResultGrid(host);
    grid.setResult(payload(SMALL));
    // start a drag (document listeners) and leave it unfinished
    header(host, 0)
      .querySelector('.rl-Grid-resizer')!
      .dispatchEvent(new MouseEvent('mousedown', { bubbles: true, clientX: 10, button: 0 }));
    expect(added.some(([t, type]) => t === document && type === 'mousemove')).toBe(true);
    grid.dispose();
    const key = ([t, type, l]: [EventTarget, string, unknown]): [EventTarget, string, unknown] => [
      t,
      type,
      l
    ];
    for (const entry of added) expect(removed.map(key)).toContainEqual(key(entry));
    expect(host.querySelector('.rl-Grid')).toBeNull();
    expect(grid.isDisposed).toBe(true);
    // events after dispose do nothing
    grid.setResult(payload(SMALL));
    expect(host.children).toHaveLength(0);
  });
});
