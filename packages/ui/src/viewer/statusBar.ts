// The status line under the image: window, slice position, the pixel under the cursor and the
// real zoom. It only shows what it is told; the viewer decides what.
import { el } from '../element.js';
import { formatNumber } from './windowing.js';

/**
 * "Zoom 312%": screen pixels per image pixel (the finer axis of non-square pixels) in device
 * pixels, so 100% is one image pixel per screen pixel whatever the fit; "(fit)" while fitted.
 */
export function zoomLabel(scale: number, fitted: boolean): string {
  return `Zoom ${Math.round(scale * 100)}%${fitted ? ' (fit)' : ''}`;
}

/** The zoom's tooltip: the scale in words, a centimetre in screen pixels when spacing is known. */
export function zoomTitle(scale: number, fitted: boolean, devicePxPerMm?: number): string {
  return (
    `1 image pixel = ${formatNumber(scale)} screen pixels` +
    (devicePxPerMm ? `; 1 cm = ${Math.round(devicePxPerMm * 10)} px` : '') +
    (fitted ? '; fitted to the view (R resets to it)' : '')
  );
}

export interface ZoomShown {
  /** Device pixels per image pixel. */
  scale: number;
  fitted: boolean;
  /** Device pixels per millimetre, when the pixel spacing is known. */
  devicePxPerMm?: number;
}

export class ViewerStatus {
  readonly node: HTMLElement;
  private readonly windowText: HTMLElement;
  private readonly sliceText: HTMLElement;
  private readonly cursorText: HTMLElement;
  private readonly zoomText: HTMLElement;

  constructor(doc: Document) {
    this.node = el(doc, 'div', 'rl-Viewer-status');
    this.windowText = el(doc, 'span', 'rl-Viewer-window');
    this.sliceText = el(doc, 'span', 'rl-Viewer-slice');
    this.cursorText = el(doc, 'span', 'rl-Viewer-cursor');
    this.zoomText = el(doc, 'span', 'rl-Viewer-zoom');
    this.node.append(this.windowText, this.sliceText, this.cursorText, this.zoomText);
  }

  /** Nothing loaded: every field empty. */
  clear(): void {
    this.windowText.textContent = '';
    this.sliceText.textContent = '';
    this.cursorText.textContent = '';
    this.zoomText.textContent = '';
  }

  /** The window ("W 400 L 40", "RGB") and "index + 1 / count" with the plane's name as its title. */
  show(windowText: string, index: number, count: number, planeLabel: string): void {
    this.windowText.textContent = windowText;
    this.sliceText.textContent = `${index + 1} / ${count}`;
    this.sliceText.title = `${planeLabel} slice`;
  }

  setCursor(text: string): void {
    this.cursorText.textContent = text;
  }

  /** The real scale (undefined: nothing laid out yet). */
  setZoom(zoom: ZoomShown | undefined): void {
    if (!zoom) {
      this.zoomText.textContent = '';
      return;
    }
    this.zoomText.textContent = zoomLabel(zoom.scale, zoom.fitted);
    this.zoomText.title = zoomTitle(zoom.scale, zoom.fitted, zoom.devicePxPerMm);
  }
}
