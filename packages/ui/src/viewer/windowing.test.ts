import { decodeFrame, labelColor, parseDicom, renderGrey8, voiValue } from '@radlab/imaging';
import { vector } from './testing/vectors.js';
import { describe, expect, it } from 'vitest';
import { blendLabels, displayValue, renderRgba } from './render.js';
import { imageToScreen, place, screenToImage, zoomAbout, type Layout } from './viewport.js';
import {
  CT_PRESETS,
  autoWindow,
  dragMultiplier,
  dragWindow,
  formatWindow,
  quantiles
} from './windowing.js';

describe('window/level maths', () => {
  it('drags like Cornerstone: right widens, down raises the centre, 4 units per pixel', () => {
    const w = dragWindow({ center: 40, width: 400 }, 10, -5, dragMultiplier(4096));
    expect(w).toEqual({ center: 20, width: 440 });
    expect(dragWindow({ center: 40, width: 400 }, -1000, 0, 4).width).toBe(1);
  });

  it('scales the drag step with the dynamic range', () => {
    expect(dragMultiplier(1024)).toBe(4);
    expect(dragMultiplier(65535)).toBe(64);
    expect(dragMultiplier(255)).toBeCloseTo(255 / 256, 10);
    expect(dragMultiplier(1)).toBeCloseTo(4 / 1024, 10);
    expect(dragMultiplier(0)).toBe(1);
  });

  it('keeps the presets of the issue', () => {
    const by = Object.fromEntries(CT_PRESETS.map(p => [p.label, p.window]));
    expect(by['CT Soft tissue']).toEqual({ width: 400, center: 40 });
    expect(by['CT Lung']).toEqual({ width: 1500, center: -600 });
    expect(by['CT Bone']).toEqual({ width: 2000, center: 300 });
    expect(by['CT Brain']).toEqual({ width: 80, center: 40 });
    expect(formatWindow({ width: 400, center: 40 })).toBe('W 400 L 40');
    expect(formatWindow({ width: 0.25, center: -1.5 })).toBe('W 0.25 L -1.5');
  });

  it('derives an automatic window from the robust data range', () => {
    const data = new Int16Array(1000).map((_, i) => i);
    const w = autoWindow(data, { slope: 2, intercept: -1000 });
    // 1st..99th percentile of 2i-1000 → about -980..978.
    expect(w.fn).toBe('LINEAR');
    expect(w.width).toBeGreaterThan(1900);
    expect(w.width).toBeLessThan(2000);
    const floats = Float32Array.from({ length: 100 }, (_, i) => i / 100);
    const f = autoWindow(floats, { slope: 1, intercept: 0 });
    expect(f.fn).toBe('LINEAR_EXACT');
    expect(f.width).toBeCloseTo(0.97, 5);
    expect(autoWindow(new Uint8Array(10).fill(7), { slope: 1, intercept: 0 })).toEqual({
      center: 7,
      width: 1,
      fn: 'LINEAR'
    });
    expect(quantiles(new Float32Array([3, 1, 2]), [0, 0.5, 1])).toEqual([1, 2, 3]);
  });
});

describe('rendering through the LUTs', () => {
  it('matches imaging renderGrey8 on a real file (rescale then first window)', async () => {
    const parsed = parseDicom(vector('dicom/u16_explicit_le.dcm'));
    const frame = await decodeFrame(parsed);
    const window = { center: 1000, width: 400, fn: 'LINEAR' as const };
    const grey = renderGrey8(frame.pixels, parsed.header, window);
    const rgba = renderRgba(
      { width: 64, height: 64, data: frame.pixels },
      { rescale: { slope: 2, intercept: -1024 }, window }
    );
    for (let i = 0; i < 64 * 64; i++) {
      expect(rgba[i * 4]).toBe(grey[i]);
      expect(rgba[i * 4 + 1]).toBe(grey[i]);
      expect(rgba[i * 4 + 2]).toBe(grey[i]);
      expect(rgba[i * 4 + 3]).toBe(255);
    }
    // an output not aligned for 32-bit words takes the byte-by-byte path, to the same pixels
    const unaligned = new Uint8ClampedArray(new ArrayBuffer(64 * 64 * 4 + 1), 1, 64 * 64 * 4);
    renderRgba(
      { width: 64, height: 64, data: frame.pixels },
      { rescale: { slope: 2, intercept: -1024 }, window },
      unaligned
    );
    expect([...unaligned]).toEqual([...rgba]);
  });

  it('inverts MONOCHROME1 after the VOI LUT and applies SIGMOID', () => {
    const data = new Int16Array([-1000, 40, 1000]);
    const m = { rescale: { slope: 1, intercept: 0 }, window: { center: 40, width: 400 } };
    expect([...renderRgba({ width: 3, height: 1, data }, m)].filter((_, i) => i % 4 === 0)).toEqual(
      [0, Math.round(voiValue(40, m.window)), 255]
    );
    const inv = renderRgba({ width: 3, height: 1, data }, { ...m, invert: true });
    expect([inv[0], inv[8]]).toEqual([255, 0]);
    const sig = { ...m, window: { center: 40, width: 400, fn: 'SIGMOID' as const } };
    expect(displayValue(40, sig)).toBe(128);
    const floats = renderRgba({ width: 2, height: 1, data: new Float32Array([40, NaN]) }, sig);
    expect([floats[0], floats[4]]).toEqual([128, 0]);
  });

  it('copies RGB and blends label maps', () => {
    const rgb = renderRgba(
      { width: 1, height: 1, data: new Uint8Array([10, 20, 30]), rgb: true },
      { rescale: { slope: 1, intercept: 0 }, window: { center: 0, width: 1 } }
    );
    expect([...rgb]).toEqual([10, 20, 30, 255]);
    const base = new Uint8ClampedArray([100, 100, 100, 255, 100, 100, 100, 255]);
    blendLabels(base, new Uint8Array([0, 1]), 0.5);
    expect([...base.subarray(0, 4)]).toEqual([100, 100, 100, 255]);
    expect(labelColor(1)).toEqual([255, 0, 0]);
    expect([...base.subarray(4)]).toEqual([178, 50, 50, 255]);
  });
});

describe('viewport', () => {
  const layout: Layout = {
    viewWidth: 400,
    viewHeight: 200,
    imageWidth: 100,
    imageHeight: 100,
    pixelSpacing: [0.5, 1]
  };

  it('fits the physical aspect (pixel spacing) into the view', () => {
    const p = place(layout, { zoom: 1, panX: 0, panY: 0 });
    // 50 mm × 100 mm into 400 × 200 px: 2 px/mm, so 1 px per column, 2 px per row.
    expect(p.scaleX).toBeCloseTo(1, 10);
    expect(p.scaleY).toBeCloseTo(2, 10);
    expect(p.left).toBe(150);
    expect(p.top).toBe(0);
    const [x, y] = imageToScreen(p, 10, 20);
    expect(screenToImage(p, x, y)).toEqual([10, 20]);
  });

  it('zooms about the given point', () => {
    const view = { zoom: 1, panX: 0, panY: 0 };
    const before = screenToImage(place(layout, view), 120, 60);
    const after = zoomAbout(layout, view, 2.5, 120, 60);
    const p = screenToImage(place(layout, after), 120, 60);
    expect(p[0]).toBeCloseTo(before[0], 8);
    expect(p[1]).toBeCloseTo(before[1], 8);
    expect(after.zoom).toBe(2.5);
    expect(zoomAbout(layout, view, 1e6, 0, 0).zoom).toBe(40);
  });
});
