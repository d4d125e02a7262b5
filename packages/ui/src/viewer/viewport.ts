// Where the slice sits on the canvas: fitted to the view with its physical aspect (pixel spacing),
// then zoomed and panned. All in CSS pixels; image coordinates have pixel centres at integers.

export interface ViewState {
  /** 1 = fitted to the view. */
  zoom: number;
  /** Offset of the image centre from the view centre, CSS pixels. */
  panX: number;
  panY: number;
}

export interface Layout {
  viewWidth: number;
  viewHeight: number;
  imageWidth: number;
  imageHeight: number;
  /** mm per column, mm per row. */
  pixelSpacing: [number, number];
}

export interface Placement {
  /** CSS pixels per image column / row. */
  scaleX: number;
  scaleY: number;
  /** Screen position of the image's top-left corner (the outer edge of pixel 0,0). */
  left: number;
  top: number;
}

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 40;

function spacingOf(layout: Layout): [number, number] {
  const [sx, sy] = layout.pixelSpacing;
  const ok = (v: number): boolean => Number.isFinite(v) && v > 0;
  return ok(sx) && ok(sy) ? [sx, sy] : [1, 1];
}

export function place(layout: Layout, view: ViewState): Placement {
  const [sx, sy] = spacingOf(layout);
  const physW = layout.imageWidth * sx;
  const physH = layout.imageHeight * sy;
  const fit = Math.min(layout.viewWidth / physW, layout.viewHeight / physH);
  const mm = (Number.isFinite(fit) && fit > 0 ? fit : 1) * view.zoom;
  const scaleX = mm * sx;
  const scaleY = mm * sy;
  const left = layout.viewWidth / 2 + view.panX - (layout.imageWidth * scaleX) / 2;
  const top = layout.viewHeight / 2 + view.panY - (layout.imageHeight * scaleY) / 2;
  return { scaleX, scaleY, left, top };
}

/** Screen (CSS px, relative to the view) → image coordinates (pixel centres at integers). */
export function screenToImage(p: Placement, x: number, y: number): [number, number] {
  return [(x - p.left) / p.scaleX - 0.5, (y - p.top) / p.scaleY - 0.5];
}

export function imageToScreen(p: Placement, ix: number, iy: number): [number, number] {
  return [p.left + (ix + 0.5) * p.scaleX, p.top + (iy + 0.5) * p.scaleY];
}

/**
 * Zoom by `factor` keeping the screen point (x, y) over the same image point (Cornerstone zooms
 * about where the drag started).
 */
export function zoomAbout(
  layout: Layout,
  view: ViewState,
  factor: number,
  x: number,
  y: number
): ViewState {
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, view.zoom * factor));
  const k = zoom / view.zoom;
  const cx = layout.viewWidth / 2 + view.panX;
  const cy = layout.viewHeight / 2 + view.panY;
  // The image centre moves away from (x, y) by the same ratio.
  return { zoom, panX: view.panX + (cx - x) * (k - 1), panY: view.panY + (cy - y) * (k - 1) };
}

/** Cornerstone's ZoomTool: dragging down zooms in, about 1% per pixel. */
export function zoomFactorForDrag(dy: number): number {
  return Math.exp(dy * 0.01);
}
