import { describe, expect, it } from 'vitest';
import { SliceNavigator } from './navigation.js';
import { smallVolume } from './testing/volumes.js';

describe('SliceNavigator', () => {
  it('starts a volume at its middle (or the first decoded slice) and keeps the place for the same one', () => {
    const nav = new SliceNavigator();
    const v = smallVolume({ frames: 2, data: new Int16Array(120) });
    nav.show(v, { mpr: true, startIndex: 3 });
    expect(nav.axis).toBe('axial');
    expect(nav.poi).toEqual([1, 1, 3]);
    expect(nav.index).toBe(3);
    expect(nav.count).toBe(5);
    expect(nav.slot).toBe(3);
    expect(nav.setFrame(1)).toBe(true);
    expect(nav.slot).toBe(8);
    expect(nav.setIndex(99)).toBe(true);
    expect(nav.index).toBe(4);
    expect(nav.setIndex(4)).toBe(false);
    nav.show(v, { mpr: true });
    expect([nav.index, nav.frame]).toEqual([4, 1]);
    nav.show(smallVolume(), { mpr: true });
    expect([nav.index, nav.frame]).toEqual([2, 0]);
  });

  it('switches plane through the point of interest only with MPR, and marks a clicked point', () => {
    const nav = new SliceNavigator();
    nav.show(smallVolume(), { mpr: false });
    expect(nav.setAxis('coronal')).toBe(false);
    nav.show(smallVolume(), { mpr: true });
    const axial = nav.current()!;
    expect(nav.current()).toBe(axial);
    nav.pointAt(2, 3);
    expect(nav.poi).toEqual([2, 3, 2]);
    expect(nav.marker(axial)).toEqual([2, 3]);
    expect(nav.setAxis('coronal')).toBe(true);
    expect(nav.reformatted).toBe(true);
    expect(nav.slot).toBeUndefined();
    expect(nav.poiSlot).toBe(2);
    expect(nav.index).toBe(3);
    expect(nav.current()).not.toBe(axial);
    nav.marked = false;
    expect(nav.marker(nav.current()!)).toBeUndefined();
    nav.clear();
    expect(nav.current()).toBeUndefined();
    expect(nav.count).toBe(0);
  });
});
