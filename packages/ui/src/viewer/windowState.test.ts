import { describe, expect, it } from 'vitest';
import { smallVolume } from './testing/volumes.js';
import { usableWindow, WindowState } from './windowState.js';

describe('WindowState', () => {
  it("takes the file's usable windows first, else the automatic one", () => {
    const w = new WindowState();
    const v = smallVolume({
      windows: [
        { center: 40, width: 0 },
        { center: 40, width: 400 }
      ]
    });
    w.showVolume(v, ['BROKEN', 'SOFT'], { provisional: false, keep: false });
    expect(w.fileWindows).toEqual([{ label: 'File: SOFT', window: { center: 40, width: 400 } }]);
    expect(w.current).toEqual({ center: 40, width: 400 });
    expect(w.defaultPreset).toBe('file-0');
    expect(w.preset('file-0')).toEqual({ center: 40, width: 400 });
    expect(w.preset('ct-lung')).toEqual({ width: 1500, center: -600 });
    expect(w.preset('nope')).toBeUndefined();
    w.current = { center: 1, width: 2 };
    w.showVolume(v, [], { provisional: false, keep: true });
    expect(w.current).toEqual({ center: 1, width: 2 });
    expect(w.fileWindows[0].label).toBe('File window 2');
  });

  it('sets the automatic window from the first decoded slice of a loading folder', () => {
    const w = new WindowState();
    const v = smallVolume({ data: new Int16Array(60) });
    w.showVolume(v, [], { provisional: true, keep: false });
    expect(w.defaultPreset).toBe('auto');
    v.data.fill(100, 24, 36).fill(300, 30, 36);
    expect(w.firstSlice(v, 2, true)).toBe(true);
    expect(w.auto.width).toBeGreaterThan(1);
    expect(w.current).toBe(w.auto);
    expect(w.default).toBe(w.auto);
    expect(w.multiplier).toBeGreaterThan(0);
    expect(w.firstSlice(v, 3, true)).toBe(false);
  });

  it('refuses windows the VOI LUT would throw on', () => {
    expect(usableWindow({ center: 0, width: 1 })).toBe(true);
    expect(usableWindow({ center: 0, width: 0.5 })).toBe(false);
    expect(usableWindow({ center: 0, width: 0.5, fn: 'SIGMOID' })).toBe(true);
    expect(usableWindow({ center: Number.NaN, width: 10 })).toBe(false);
  });
});
