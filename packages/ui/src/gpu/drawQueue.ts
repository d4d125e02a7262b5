// When charts draw: a refresh marks the charts whose data changed, and one animation frame later the
// marked charts that are on screen draw (uPlot's setData), all in that one frame. A chart scrolled out
// of view (IntersectionObserver) stays marked and draws when it comes back; a hidden tab draws nothing
// until it is shown (no animation frames). Grafana's panels and uPlot's streaming demos do the same:
// draw at most once a frame, and only what is seen.

export interface Drawable {
  /** The element whose visibility decides whether to draw. */
  readonly node: Element;
  draw(): void;
}

export class DrawQueue<T extends Drawable> {
  private readonly dirty = new Set<T>();
  private readonly visible = new Set<Element>();
  private readonly byNode = new Map<Element, T>();
  private readonly observer?: IntersectionObserver;
  private frame?: number;
  private readonly requestFrame: (f: () => void) => number;
  private readonly cancelFrame: (id: number) => void;
  private disposed = false;
  /** Charts drawn so far (tests and the bench read it). */
  draws = 0;

  constructor(view: (Window & typeof globalThis) | null, root?: Element) {
    if (view?.requestAnimationFrame) {
      this.requestFrame = f => view.requestAnimationFrame(f);
      this.cancelFrame = id => view.cancelAnimationFrame(id);
    } else {
      this.requestFrame = f => setTimeout(f, 16) as unknown as number;
      this.cancelFrame = id => clearTimeout(id);
    }
    if (view && 'IntersectionObserver' in view) {
      this.observer = new view.IntersectionObserver(
        entries => {
          let shown = false;
          for (const e of entries) {
            if (e.isIntersecting) {
              this.visible.add(e.target);
              shown ||= this.dirty.has(this.byNode.get(e.target) as T);
            } else this.visible.delete(e.target);
          }
          if (shown) this.schedule();
        },
        // a quarter screen ahead, so a chart scrolled to is drawn already
        { root: root ?? null, rootMargin: '25% 0px' }
      );
    }
  }

  add(item: T): void {
    this.byNode.set(item.node, item);
    if (this.observer) this.observer.observe(item.node);
    else this.visible.add(item.node); // no observer (jsdom): everything counts as seen
  }

  delete(item: T): void {
    this.byNode.delete(item.node);
    this.visible.delete(item.node);
    this.dirty.delete(item);
    this.observer?.unobserve(item.node);
  }

  /** Marks an item to draw in the next frame (or once it is seen). */
  mark(item: T): void {
    if (this.disposed) return;
    this.dirty.add(item);
    this.schedule();
  }

  /** Draws the marked items that are seen now, without waiting for the frame (exports, tests). */
  flush(): void {
    if (this.frame !== undefined) this.cancelFrame(this.frame);
    this.frame = undefined;
    for (const item of this.dirty) {
      if (!this.visible.has(item.node)) continue;
      this.dirty.delete(item);
      item.draw();
      this.draws++;
    }
  }

  /** Draws every marked item, seen or not (before a PNG export of all charts). */
  flushAll(): void {
    for (const item of this.dirty) this.visible.add(item.node);
    this.flush();
    if (this.observer) {
      // the observer's next callback puts the real visibility back
      for (const item of this.byNode.values()) {
        this.observer.unobserve(item.node);
        this.observer.observe(item.node);
      }
    }
  }

  get pending(): number {
    return this.dirty.size;
  }

  private schedule(): void {
    if (this.frame !== undefined || this.disposed) return;
    this.frame = this.requestFrame(() => {
      this.frame = undefined;
      this.flush();
    });
  }

  dispose(): void {
    this.disposed = true;
    if (this.frame !== undefined) this.cancelFrame(this.frame);
    this.frame = undefined;
    this.observer?.disconnect();
    this.dirty.clear();
    this.visible.clear();
    this.byNode.clear();
  }
}
