// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GridToolbar, type FilterValue } from './toolbar.js';

const COLUMNS = [
  { name: 'id', type: 'BIGINT' },
  { name: 'name', type: 'VARCHAR' }
];

function toolbar() {
  const heard: FilterValue[] = [];
  const t = new GridToolbar(document, v => heard.push(v));
  t.setColumns(COLUMNS, ['number', 'text']);
  document.body.replaceChildren(t.node);
  return { t, heard };
}

afterEach(() => vi.useRealTimers());

describe('GridToolbar', () => {
  it('applies typed filter text after a pause, once, lower-cased and trimmed', () => {
    vi.useFakeTimers();
    const { t, heard } = toolbar();
    for (const text of ['K', 'Kn', ' Knee ']) {
      t.filterInput.value = text;
      t.filterInput.dispatchEvent(new Event('input'));
    }
    expect(heard).toEqual([]);
    vi.advanceTimersByTime(250);
    expect(heard).toEqual([{ text: 'knee', column: undefined }]);
  });

  it('applies at once on Enter and on a column change', () => {
    vi.useFakeTimers();
    const { t, heard } = toolbar();
    t.filterInput.value = 'ct';
    t.filterInput.dispatchEvent(new Event('input'));
    t.filterInput.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(heard).toEqual([{ text: 'ct', column: undefined }]);
    vi.advanceTimersByTime(250); // the pending delayed apply was dropped
    expect(heard).toHaveLength(1);
    t.filterSelect.value = '1';
    t.filterSelect.dispatchEvent(new Event('change'));
    expect(heard.at(-1)).toEqual({ text: 'ct', column: 1 });
  });

  it('lists the columns, offers the buttons and stops listening when disposed', () => {
    const { t, heard } = toolbar();
    expect([...t.filterSelect.options].map(o => o.textContent)).toEqual([
      'All columns',
      'id',
      'name'
    ]);
    const actions = [...t.node.querySelectorAll<HTMLButtonElement>('button')].map(
      b => b.dataset.action
    );
    expect(actions).toEqual(['copy', 'export', 'chart']);
    t.set('x', 0);
    expect(t.value).toEqual({ text: 'x', column: 0 });
    expect(heard).toEqual([]); // set() is no event
    t.dispose();
    t.filterSelect.dispatchEvent(new Event('change'));
    expect(heard).toEqual([]);
  });
});
