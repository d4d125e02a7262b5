// Input → intent: what a pointer, wheel or key event on the viewer asks for, decided without the
// viewer (Cornerstone/OHIF conventions: left-drag window/level, wheel slices, right- or ctrl-drag
// zoom, middle- or shift-drag pan; a left click without a drag sets the point of interest, as in
// NiiVue). Keys: arrows and PageUp/PageDown slices, Home/End, R resets.

export type DragMode = 'window' | 'zoom' | 'pan';

export type Intent =
  /** Move through the slices by `delta` (clamped by the viewer). */
  | { kind: 'step'; delta: number }
  | { kind: 'reset' }
  /** A drag starts at canvas point (x, y). */
  | { kind: 'dragStart'; mode: DragMode; x: number; y: number }
  /** The drag moved by (dx, dy) CSS pixels from its start. */
  | { kind: 'drag'; mode: DragMode; dx: number; dy: number }
  | { kind: 'dragEnd' }
  /** A left click that did not drag: the point of interest is under (x, y). */
  | { kind: 'point'; x: number; y: number }
  /** The pointer is over canvas point (x, y); undefined: it left the canvas. */
  | { kind: 'hover'; x?: number; y?: number };

/** One wheel notch in pixels (Cornerstone's StackScroll steps one slice per notch). */
export const WHEEL_STEP = 40;

/** A pointer that moves less than this (CSS px) between down and up is a click, not a drag. */
export const CLICK_SLOP = 3;

export interface Buttons {
  button: number;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/** The drag a pointer press starts, if any. */
export function dragModeOf(e: Buttons): DragMode | undefined {
  if (e.button === 2 || (e.button === 0 && (e.ctrlKey || e.metaKey))) return 'zoom';
  if (e.button === 1 || (e.button === 0 && e.shiftKey)) return 'pan';
  if (e.button === 0) return 'window';
  return undefined;
}

export interface Keys {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** What a key asks for when the plane has `count` slices (PageUp/Down step a tenth). */
export function keyIntent(e: Keys, count: number): Intent | undefined {
  const page = Math.max(1, Math.round(count / 10));
  const steps: Record<string, number> = {
    ArrowDown: 1,
    ArrowRight: 1,
    ArrowUp: -1,
    ArrowLeft: -1,
    PageDown: page,
    PageUp: -page,
    Home: -count,
    End: count
  };
  if (e.key in steps) return { kind: 'step', delta: steps[e.key] };
  if ((e.key === 'r' || e.key === 'R') && !e.ctrlKey && !e.metaKey && !e.altKey)
    return { kind: 'reset' };
  return undefined;
}

/** Wheel deltas → whole slice steps; trackpads send many small deltas that add up to a notch. */
export class WheelSteps {
  private total = 0;

  /** Slices to move for this event (−1, 0 or 1). */
  add(deltaY: number, deltaMode: number): number {
    const scale = deltaMode === 1 ? WHEEL_STEP : deltaMode === 2 ? WHEEL_STEP * 10 : 1;
    this.total += deltaY * scale;
    if (Math.abs(this.total) < WHEEL_STEP) return 0;
    const step = Math.sign(this.total);
    this.total = 0;
    return step;
  }
}

interface Press {
  mode: DragMode;
  pointerId: number;
  x0: number;
  y0: number;
  /** Moved past CLICK_SLOP: a drag, not a click. */
  moved: boolean;
}

export interface InputTarget {
  /** The canvas (pointer and wheel events). */
  canvas: HTMLCanvasElement;
  /** The focusable viewer (key events). */
  node: HTMLElement;
  /** Whether there is an image to act on; RGB images have no window to drag. */
  state(): { ready: boolean; rgb: boolean; count: number };
}

/**
 * Listens on the canvas and the viewer node and hands each intent to `handle`. Listeners are
 * registered with `signal`, so aborting it removes them all.
 */
export class CanvasInput {
  private press: Press | undefined;
  private readonly wheel = new WheelSteps();

  constructor(
    private readonly target: InputTarget,
    private readonly handle: (intent: Intent) => void,
    signal: AbortSignal
  ) {
    const on = { signal };
    const c = target.canvas;
    c.addEventListener('contextmenu', e => e.preventDefault(), on);
    c.addEventListener('pointerdown', e => this.down(e), on);
    c.addEventListener('pointermove', e => this.move(e), on);
    c.addEventListener('pointerup', e => this.up(e, true), on);
    c.addEventListener('pointercancel', e => this.up(e, false), on);
    c.addEventListener(
      'pointerleave',
      () => {
        if (!this.press) this.handle({ kind: 'hover' });
      },
      on
    );
    c.addEventListener('wheel', e => this.onWheel(e), { ...on, passive: false });
    target.node.addEventListener('keydown', e => this.onKey(e), on);
  }

  /** Whether a drag is in progress. */
  get dragging(): boolean {
    return this.press !== undefined;
  }

  private point(e: MouseEvent): [number, number] {
    const r = this.target.canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  private down(e: PointerEvent): void {
    const state = this.target.state();
    if (!state.ready) return;
    const mode = dragModeOf(e);
    // RGB has no window, but a left click still sets the point of interest
    if (!mode) return;
    e.preventDefault();
    const [x, y] = this.point(e);
    this.press = { mode, pointerId: e.pointerId, x0: e.clientX, y0: e.clientY, moved: false };
    if (!(mode === 'window' && state.rgb)) this.handle({ kind: 'dragStart', mode, x, y });
    try {
      this.target.canvas.setPointerCapture?.(e.pointerId);
    } catch {
      // Synthetic pointers (tests) cannot be captured; dragging still works inside the canvas.
    }
    this.target.node.focus({ preventScroll: true });
  }

  private move(e: PointerEvent): void {
    const press = this.press;
    if (press && e.pointerId === press.pointerId) {
      const dx = e.clientX - press.x0;
      const dy = e.clientY - press.y0;
      if (Math.hypot(dx, dy) > CLICK_SLOP) press.moved = true;
      if (!(press.mode === 'window' && this.target.state().rgb))
        this.handle({ kind: 'drag', mode: press.mode, dx, dy });
    }
    const [x, y] = this.point(e);
    this.handle({ kind: 'hover', x, y });
  }

  private up(e: PointerEvent, completed: boolean): void {
    const press = this.press;
    if (!press || e.pointerId !== press.pointerId) return;
    this.press = undefined;
    try {
      if (this.target.canvas.hasPointerCapture?.(e.pointerId))
        this.target.canvas.releasePointerCapture(e.pointerId);
    } catch {
      // Already released.
    }
    this.handle({ kind: 'dragEnd' });
    if (completed && !press.moved && press.mode === 'window' && e.button === 0) {
      const [x, y] = this.point(e);
      this.handle({ kind: 'point', x, y });
    }
  }

  private onWheel(e: WheelEvent): void {
    if (!this.target.state().ready) return;
    e.preventDefault();
    const step = this.wheel.add(e.deltaY, e.deltaMode);
    if (step) this.handle({ kind: 'step', delta: step });
  }

  private onKey(e: KeyboardEvent): void {
    const state = this.target.state();
    if (!state.ready) return;
    const target = e.target as HTMLElement | null;
    if (
      target &&
      target !== this.target.node &&
      /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName)
    )
      return;
    const intent = keyIntent(e, state.count);
    if (!intent) return;
    e.preventDefault();
    this.handle(intent);
  }
}
