// Resizing a column by dragging its header's edge: document-level mouse listeners for the drag, and
// the click that ends a drag on the header kept from sorting.

import { MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH } from './model.js';

export class ColumnResize {
  private drag: { col: number; startX: number; startWidth: number; moved: boolean } | undefined;
  private suppress = false;

  constructor(
    private readonly doc: Document,
    /** Gets `rl-mod-resizing` while dragging. */
    private readonly node: HTMLElement,
    private readonly widthOf: (col: number) => number,
    private readonly setWidth: (col: number, width: number) => void
  ) {}

  /** The click that follows a drag lands on the header: true once, and it is then used up. */
  takeClick(): boolean {
    const suppressed = this.suppress;
    this.suppress = false;
    return suppressed;
  }

  start(col: number, clientX: number): void {
    this.drag = { col, startX: clientX, startWidth: this.widthOf(col), moved: false };
    this.node.classList.add('rl-mod-resizing');
    this.doc.addEventListener('mousemove', this.onMove, true);
    this.doc.addEventListener('mouseup', this.onEnd, true);
  }

  private readonly onMove = (event: Event): void => {
    const drag = this.drag;
    if (!drag) return;
    const dx = (event as MouseEvent).clientX - drag.startX;
    if (Math.abs(dx) > 2) drag.moved = true;
    const width = Math.max(MIN_COLUMN_WIDTH, Math.min(MAX_COLUMN_WIDTH * 4, drag.startWidth + dx));
    if (width !== this.widthOf(drag.col)) this.setWidth(drag.col, width);
  };

  private readonly onEnd = (): void => {
    if (this.drag?.moved) this.suppress = true;
    this.stop();
    // only the click right after the drag is ignored
    setTimeout(() => {
      this.suppress = false;
    }, 0);
  };

  private stop(): void {
    this.drag = undefined;
    this.node.classList.remove('rl-mod-resizing');
    this.doc.removeEventListener('mousemove', this.onMove, true);
    this.doc.removeEventListener('mouseup', this.onEnd, true);
  }

  /** Ends a drag in progress (its document listeners go). */
  dispose(): void {
    this.stop();
  }
}
