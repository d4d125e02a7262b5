// The canvas the slice is drawn on: its size (the stage's, in device pixels), where the slice sits
// (viewport.ts), one redraw per animation frame, and the drawing itself through the LUTs (render.ts)
// into a reused ImageData, scaled onto the canvas with its physical aspect.
import type { Slice, VoiWindow, Volume } from '@radlab/imaging';
import { el } from '../element.js';
import { renderRgba } from './render.js';
import { place, type Layout, type Placement, type ViewState } from './viewport.js';

/** What one redraw shows; undefined: a black canvas (nothing loaded, or not decoded yet). */
export interface Picture {
  slice: Slice;
  volume: Pick<Volume, 'rgb' | 'rescale' | 'invert'>;
  window: VoiWindow;
  view: ViewState;
  /** Paints over the rendered slice (the label-map overlay), in image pixels. */
  blend?(rgba: Uint8ClampedArray): void;
  /** A small cross over this image pixel: the point of interest the user clicked. */
  marker?: [number, number];
}

/** Half the marker's arm, CSS pixels (a short cross: NiiVue draws its crosshair across the view). */
const MARKER_ARM = 8;

export class SliceCanvas {
  private frameRequest: { cancel(): void } | undefined;
  private offscreen: HTMLCanvasElement | undefined;
  private imageData: ImageData | undefined;
  private disposed = false;

  constructor(
    private readonly doc: Document,
    private readonly stage: HTMLElement,
    readonly canvas: HTMLCanvasElement,
    /** Asked for the picture at each redraw. */
    private readonly picture: () => Picture | undefined,
    /** Nothing may escape an animation frame: a drawing failure is reported here. */
    private readonly onError: (err: unknown) => void,
    /** A picture (not the black canvas) is on screen. */
    private readonly onDrawn?: () => void
  ) {}

  get devicePixelRatio(): number {
    return this.doc.defaultView?.devicePixelRatio || 1;
  }

  /** The stage's size in CSS pixels. */
  viewSize(): [number, number] {
    const w = this.stage.clientWidth || this.canvas.clientWidth;
    const h = this.stage.clientHeight || this.canvas.clientHeight;
    // Not laid out yet (or jsdom): draw at a nominal size.
    return [w > 0 ? w : 512, h > 0 ? h : 512];
  }

  layout(slice: Pick<Slice, 'width' | 'height' | 'pixelSpacing'>): Layout {
    const [viewWidth, viewHeight] = this.viewSize();
    return {
      viewWidth,
      viewHeight,
      imageWidth: slice.width,
      imageHeight: slice.height,
      pixelSpacing: slice.pixelSpacing
    };
  }

  placement(slice: Pick<Slice, 'width' | 'height' | 'pixelSpacing'>, view: ViewState): Placement {
    return place(this.layout(slice), view);
  }

  /** Redraw at the next animation frame (once, however often it is asked for before then). */
  schedule(): void {
    if (this.frameRequest || this.disposed) return;
    const win = this.doc.defaultView;
    const run = (): void => {
      this.frameRequest = undefined;
      try {
        this.draw();
      } catch (err) {
        this.onError(err);
      }
    };
    if (win?.requestAnimationFrame) {
      const id = win.requestAnimationFrame(run);
      this.frameRequest = { cancel: () => win.cancelAnimationFrame(id) };
    } else {
      const id = setTimeout(run, 16);
      this.frameRequest = { cancel: () => clearTimeout(id) };
    }
  }

  dispose(): void {
    this.disposed = true;
    this.frameRequest?.cancel();
    this.frameRequest = undefined;
  }

  private context(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
    try {
      return canvas.getContext('2d');
    } catch {
      return null;
    }
  }

  private draw(): void {
    if (this.disposed) return;
    const ctx = this.context(this.canvas);
    if (!ctx) return;
    const [w, h] = this.viewSize();
    const dpr = this.devicePixelRatio;
    const cw = Math.round(w * dpr);
    const ch = Math.round(h * dpr);
    if (this.canvas.width !== cw) this.canvas.width = cw;
    if (this.canvas.height !== ch) this.canvas.height = ch;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, cw, ch);
    const picture = this.picture();
    if (!picture) return;
    const { slice, volume } = picture;

    this.offscreen ??= el(this.doc, 'canvas');
    const off = this.offscreen;
    if (off.width !== slice.width) off.width = slice.width;
    if (off.height !== slice.height) off.height = slice.height;
    const octx = this.context(off);
    if (!octx) return;
    // One ImageData per slice size: a drag re-renders into it ~60 times a second.
    let image = this.imageData;
    if (!image || image.width !== slice.width || image.height !== slice.height) {
      image = octx.createImageData(slice.width, slice.height);
      this.imageData = image;
    }
    renderRgba(
      { width: slice.width, height: slice.height, data: slice.data, rgb: volume.rgb },
      { rescale: volume.rescale, window: picture.window, invert: volume.invert },
      image.data
    );
    picture.blend?.(image.data);
    octx.putImageData(image, 0, 0);

    const p = this.placement(slice, picture.view);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    // Smooth when shrinking or mildly enlarging; show voxels as blocks when zoomed right in.
    ctx.imageSmoothingEnabled = Math.max(p.scaleX, p.scaleY) * dpr < 4;
    ctx.drawImage(off, p.left, p.top, slice.width * p.scaleX, slice.height * p.scaleY);
    if (picture.marker) {
      // on a device pixel's centre: a 1-px line drawn crisp, not smeared over two
      const crisp = (v: number): number => (Math.round(v * dpr) + 0.5) / dpr;
      const x = crisp(p.left + (picture.marker[0] + 0.5) * p.scaleX);
      const y = crisp(p.top + (picture.marker[1] + 0.5) * p.scaleY);
      ctx.strokeStyle = '#ffeb3b';
      ctx.lineWidth = 1 / dpr;
      ctx.beginPath();
      ctx.moveTo(x - MARKER_ARM, y);
      ctx.lineTo(x + MARKER_ARM, y);
      ctx.moveTo(x, y - MARKER_ARM);
      ctx.lineTo(x, y + MARKER_ARM);
      ctx.stroke();
    }
    this.onDrawn?.();
  }
}
