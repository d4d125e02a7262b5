// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { GridBody, type BodySource } from './body.js';
import { RowArrays } from './rows.js';
import { Selection } from './selection.js';
import { HEADER_HEIGHT, ROW_HEIGHT } from './virtual.js';

const XSS = '<img src=x onerror=alert(1)>';

function source(count: number, extra: Partial<BodySource> = {}) {
  const rows: unknown[][] = [];
  for (let i = 0; i < count; i++)
    rows.push([i, i === 1 ? XSS : `row ${i}`, i % 3 ? i * 1.5 : null]);
  const selection = new Selection();
  const src: BodySource & { selection: Selection } = {
    columns: [
      { name: 'id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'score', type: 'FLOAT8' }
    ],
    kinds: ['number', 'text', 'number'],
    rows: new RowArrays(rows),
    count,
    rowAt: p => p,
    sort: undefined,
    isSelected: (p, c) => selection.has(p, c),
    selection,
    ...extra
  };
  return src;
}

function body(src: BodySource): GridBody {
  const b = new GridBody(document, src);
  b.cols.widths = src.columns.map(() => 100);
  document.body.replaceChildren(b.viewport);
  b.layout();
  b.render();
  return b;
}

describe('GridBody', () => {
  it('draws the header and only the rows in view, values as text', () => {
    const b = body(source(10_000));
    const headers = [...b.viewport.querySelectorAll('.rl-Grid-hcell .rl-Grid-hname')];
    expect(headers.map(h => h.textContent)).toEqual(['id', 'name', 'score']);
    const rows = b.viewport.querySelectorAll('.rl-Grid-row');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
    expect(b.viewport.getAttribute('aria-rowcount')).toBe('10001');
    const xss = b.viewport.querySelector('.rl-Grid-row[data-row="1"] .rl-Grid-cell[data-col="1"]');
    expect(xss?.textContent).toBe(XSS);
    expect(b.viewport.querySelector('img')).toBeNull();
    const nullCell = b.viewport.querySelector(
      '.rl-Grid-row[data-row="0"] .rl-Grid-cell[data-col="2"]'
    );
    expect(nullCell?.classList.contains('rl-mod-null')).toBe(true);
    expect(nullCell?.textContent).toBe('null');
  });

  it('moves its window on a scroll and sizes the viewport to few rows', () => {
    const b = body(source(10_000));
    b.viewport.scrollTop = 5000 * ROW_HEIGHT;
    b.render();
    const positions = [...b.viewport.querySelectorAll<HTMLElement>('.rl-Grid-row')].map(r =>
      Number(r.dataset.row)
    );
    expect(Math.min(...positions)).toBeGreaterThan(4900);
    expect(positions).toContain(5000);
    const small = body(source(2));
    expect(parseFloat(small.viewport.style.height)).toBe(HEADER_HEIGHT + 2 * ROW_HEIGHT + 16);
  });

  it('shows the order it is given and marks the sorted column', () => {
    const src = source(5, { rowAt: p => 4 - p, sort: { column: 0, direction: 'desc' } });
    const b = body(src);
    const gutters = [...b.viewport.querySelectorAll('.rl-Grid-gutter')].map(g => g.textContent);
    expect(gutters).toEqual(['5', '4', '3', '2', '1']);
    const id = b.viewport.querySelector('.rl-Grid-hcell[data-col="0"]')!;
    expect(id.getAttribute('aria-sort')).toBe('descending');
    expect(id.querySelector('.rl-Grid-sortIndicator')?.textContent).toBe('▼');
  });

  it('marks the selected cells when told the selection changed', () => {
    const src = source(5);
    const b = body(src);
    src.selection.select({ row: 1, col: 0 }, 5, 3);
    src.selection.select({ row: 2, col: 1 }, 5, 3, true);
    b.updateSelection();
    const selected = b.viewport.querySelectorAll('.rl-Grid-cell.rl-mod-selected');
    expect(selected).toHaveLength(4);
    expect(selected[0]!.getAttribute('aria-selected')).toBe('true');
    src.selection.clear();
    b.updateSelection();
    expect(b.viewport.querySelectorAll('.rl-Grid-cell.rl-mod-selected')).toHaveLength(0);
  });

  it('says why there are no rows', () => {
    const empty = body(source(0));
    const note = empty.viewport.querySelector<HTMLElement>('.rl-Grid-empty')!;
    expect(note.hidden).toBe(false);
    expect(note.textContent).toBe('No rows');
    const filtered = body(source(3, { count: 0 }));
    expect(filtered.viewport.querySelector('.rl-Grid-empty')?.textContent).toBe(
      'No rows match the filter'
    );
  });
});
