// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { Selection, writeClipboard } from './selection.js';

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
