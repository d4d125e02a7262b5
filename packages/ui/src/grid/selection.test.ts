// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { Selection, copyText, gridKey, writeClipboard, type CopySource } from './selection.js';

describe('Selection', () => {
  it('spans anchor to focus, clamped to the rows and columns', () => {
    const s = new Selection();
    expect(s.range()).toBeUndefined();
    s.select({ row: 2, col: 3 }, 10, 4);
    s.select({ row: 0, col: 9 }, 10, 4, true);
    expect(s.range()).toEqual({ r0: 0, r1: 2, c0: 3, c1: 3 });
    expect(s.size).toBe(3);
    expect(s.has(1, 3)).toBe(true);
    expect(s.has(1, 2)).toBe(false);
    s.select({ row: 5, col: 0 }, 10, 4);
    expect(s.range()).toEqual({ r0: 5, r1: 5, c0: 0, c1: 0 });
  });

  it('selects whole rows and everything', () => {
    const s = new Selection();
    s.selectRow(4, 3);
    expect(s.range()).toEqual({ r0: 4, r1: 4, c0: 0, c1: 2 });
    s.selectRow(6, 3, true);
    expect(s.range()).toEqual({ r0: 4, r1: 6, c0: 0, c1: 2 });
    s.selectAll(8, 3);
    expect(s.size).toBe(24);
    s.clear();
    expect(s.size).toBe(0);
  });
});

describe('writeClipboard', () => {
  it("answers the copy event of execCommand('copy') with the text", () => {
    let copied = '';
    document.execCommand = vi.fn(() => {
      const event = new Event('copy', { cancelable: true }) as ClipboardEvent;
      Object.defineProperty(event, 'clipboardData', {
        value: { setData: (_type: string, text: string) => (copied = text) }
      });
      document.dispatchEvent(event);
      return true;
    });
    const refused = vi.fn();
    writeClipboard(document, 'a\tb', refused);
    expect(copied).toBe('a\tb');
    expect(refused).not.toHaveBeenCalled();
  });
});

describe('gridKey', () => {
  const key = (k: string, mods: Partial<KeyboardEvent> = {}) =>
    gridKey(
      { key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods },
      10
    );

  it('copies and selects all with Ctrl or Cmd; arrows and pages move, Shift extends', () => {
    expect(key('c', { ctrlKey: true })).toEqual({ kind: 'copy' });
    expect(key('C', { metaKey: true })).toEqual({ kind: 'copy' });
    expect(key('c', { ctrlKey: true, altKey: true })).toBeUndefined();
    expect(key('a', { ctrlKey: true })).toEqual({ kind: 'selectAll' });
    expect(key('ArrowDown')).toEqual({ kind: 'move', by: [1, 0], extend: false });
    expect(key('ArrowLeft', { shiftKey: true })).toEqual({
      kind: 'move',
      by: [0, -1],
      extend: true
    });
    expect(key('PageUp')).toEqual({ kind: 'move', by: [-10, 0], extend: false });
    expect(key('c')).toBeUndefined();
    expect(key('Enter')).toBeUndefined();
  });
});

describe('copyText', () => {
  const rows = [
    [1, 'Knee\tMRI', null],
    [2, 'Head CT', 3.5],
    [3, 'chest CT', 10]
  ];
  const view: CopySource = {
    count: rows.length,
    names: ['id', 'name', 'score'],
    rows: (from, to) => rows.slice(from, to)
  };

  it('copies the selected cells as TSV without a header, tabs in values as spaces', () => {
    const s = new Selection();
    s.select({ row: 0, col: 1 }, 3, 3);
    s.select({ row: 1, col: 2 }, 3, 3, true);
    expect(copyText(s, view)).toEqual({
      text: 'Knee MRI\t\nHead CT\t3.5',
      message: 'Copied 4 cells'
    });
  });

  it('copies everything in view, with the header, without a selection or when asked', () => {
    const s = new Selection();
    const all = {
      text: 'id\tname\tscore\n1\tKnee MRI\t\n2\tHead CT\t3.5\n3\tchest CT\t10',
      message: 'Copied 3 rows'
    };
    expect(copyText(s, view)).toEqual(all);
    s.select({ row: 0, col: 0 }, 3, 3);
    expect(copyText(s, view, true)).toEqual(all);
    expect(copyText(s, view).message).toBe('Copied 1 cell');
  });
});
