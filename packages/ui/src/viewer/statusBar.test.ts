// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { ViewerStatus, zoomLabel, zoomTitle } from './statusBar.js';

describe('ViewerStatus', () => {
  it('shows window, slice, cursor and real zoom, and clears them', () => {
    const s = new ViewerStatus(document);
    s.show('W 400 L 40', 31, 64, 'Axial');
    s.setCursor('(1, 2) 40 HU');
    s.setZoom({ scale: 1.5, fitted: true, devicePxPerMm: 2.1 });
    const text = (sel: string) => s.node.querySelector(sel)!;
    expect(text('.rl-Viewer-window').textContent).toBe('W 400 L 40');
    expect(text('.rl-Viewer-slice').textContent).toBe('32 / 64');
    expect(text('.rl-Viewer-slice').getAttribute('title')).toBe('Axial slice');
    expect(text('.rl-Viewer-cursor').textContent).toBe('(1, 2) 40 HU');
    expect(text('.rl-Viewer-zoom').textContent).toBe('Zoom 150% (fit)');
    expect(text('.rl-Viewer-zoom').getAttribute('title')).toContain('1 cm = 21 px');
    s.clear();
    expect(s.node.textContent).toBe('');
  });

  it('words the zoom as screen pixels per image pixel', () => {
    expect(zoomLabel(3.124, false)).toBe('Zoom 312%');
    expect(zoomTitle(2, false)).toBe('1 image pixel = 2 screen pixels');
    expect(zoomTitle(2, true)).toContain('fitted to the view');
  });
});
