// The files browser: a path bar, a filter and a virtualized list (only the rows in view exist as
// elements, so 100,000 entries cost as much to show as 30), fed by a FolderListing that loads page
// by page. Folders open on click; files are handed to the host (onOpen) to open in its editor.

import type { FileStatus } from '@radlab/core';
import { el } from '../element.js';
import { errorBlock } from '../schema/view.js';
import { formatCount, formatSize, formatTime } from './format.js';
import type { FolderListing, FolderState } from './listing.js';

export const FILE_ROW_HEIGHT = 24;
const OVERSCAN = 10;

export interface FileBrowserViewOptions {
  /** A file was opened (double click or Enter). */
  onOpen?: (entry: FileStatus) => void;
  /** The folder changed (the host may remember it). */
  onNavigate?: (path: string) => void;
}

function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

export class FileBrowserView {
  readonly node: HTMLElement;
  private readonly doc: Document;
  private readonly pathLabel: HTMLElement;
  private readonly filter: HTMLInputElement;
  private readonly status: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows: HTMLElement;
  private readonly message: HTMLElement;
  private readonly unsubscribe: () => void;
  private state: FolderState;
  private rendered: [number, number] = [0, -1];
  private selected: string | undefined;
  private frame = 0;

  constructor(
    host: HTMLElement,
    private readonly listing: FolderListing,
    private readonly options: FileBrowserViewOptions = {}
  ) {
    this.doc = host.ownerDocument;
    const d = this.doc;
    this.node = el(d, 'div', 'rl-Files');
    const bar = el(d, 'div', 'rl-Files-bar');
    const up = el(d, 'button', 'rl-Files-up', '↑');
    up.title = 'Parent folder';
    up.setAttribute('aria-label', 'Parent folder');
    up.addEventListener('click', () => this.navigate(parentOf(this.state.path)));
    const refresh = el(d, 'button', 'rl-Files-refresh', '⟳');
    refresh.title = 'Refresh';
    refresh.setAttribute('aria-label', 'Refresh');
    refresh.addEventListener('click', () => void this.listing.open());
    this.pathLabel = el(d, 'span', 'rl-Files-path');
    bar.append(up, refresh, this.pathLabel);
    this.filter = el(d, 'input', 'rl-Files-filter');
    this.filter.type = 'search';
    this.filter.placeholder = 'Filter names';
    this.filter.setAttribute('aria-label', 'Filter names');
    this.filter.addEventListener('input', () => this.listing.setFilter(this.filter.value));
    this.status = el(d, 'div', 'rl-Files-status');
    this.status.setAttribute('aria-live', 'polite');
    this.message = el(d, 'div', 'rl-Files-message');
    this.scroller = el(d, 'div', 'rl-Files-scroller');
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('role', 'listbox');
    this.scroller.setAttribute('aria-label', 'Folder entries');
    this.spacer = el(d, 'div', 'rl-Files-spacer');
    this.rows = el(d, 'div', 'rl-Files-rows');
    this.spacer.append(this.rows);
    this.scroller.append(this.spacer);
    this.scroller.addEventListener('scroll', this.onScroll);
    this.scroller.addEventListener('click', this.onClick);
    this.scroller.addEventListener('dblclick', this.onDoubleClick);
    this.scroller.addEventListener('keydown', this.onKey);
    this.node.append(bar, this.filter, this.status, this.message, this.scroller);
    host.append(this.node);
    this.state = listing.state;
    this.unsubscribe = listing.onChange(s => this.update(s));
    this.update(this.state);
  }

  navigate(path: string): void {
    this.selected = undefined;
    this.filter.value = '';
    this.listing.setFilter('');
    this.scroller.scrollTop = 0;
    this.options.onNavigate?.(path);
    void this.listing.open(path);
  }

  dispose(): void {
    this.unsubscribe();
    if (this.frame) cancelAnimationFrame(this.frame);
    this.scroller.removeEventListener('scroll', this.onScroll);
    this.scroller.removeEventListener('click', this.onClick);
    this.scroller.removeEventListener('dblclick', this.onDoubleClick);
    this.scroller.removeEventListener('keydown', this.onKey);
    this.node.remove();
  }

  private update(state: FolderState): void {
    this.state = state;
    this.pathLabel.textContent = state.path;
    this.pathLabel.title = state.path;
    const count = state.entries.length;
    const parts: string[] = [];
    if (state.expected !== undefined && state.loading) {
      parts.push(`${formatCount(state.loaded)} of ${formatCount(state.expected)} loaded…`);
    } else if (state.loading) {
      parts.push('Loading…');
    } else {
      parts.push(`${formatCount(state.loaded)} ${state.loaded === 1 ? 'entry' : 'entries'}`);
    }
    if (count !== state.loaded) parts.push(`${formatCount(count)} match`);
    this.status.textContent = state.error && state.loaded === 0 ? '' : parts.join(' · ');
    this.message.replaceChildren();
    if (state.error) this.message.append(errorBlock(this.doc, state.error, 'rl-Files-error'));
    else if (!state.loading && state.loaded === 0) {
      this.message.append(el(this.doc, 'div', 'rl-Files-empty', 'This folder is empty.'));
    }
    this.spacer.style.height = `${count * FILE_ROW_HEIGHT}px`;
    this.rendered = [-1, -1]; // render again, even an empty window
    this.renderRows();
  }

  private readonly onScroll = (): void => {
    if (this.frame) return;
    const raf =
      this.doc.defaultView?.requestAnimationFrame ??
      ((f: FrameRequestCallback) => setTimeout(f, 0));
    this.frame = raf(() => {
      this.frame = 0;
      this.renderRows();
    }) as unknown as number;
  };

  /** The rows in view (plus an overscan); nothing else is in the DOM. */
  private renderRows(): void {
    const entries = this.state.entries;
    const view = this.scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / FILE_ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(
      entries.length - 1,
      Math.ceil((this.scroller.scrollTop + view) / FILE_ROW_HEIGHT) + OVERSCAN
    );
    if (first === this.rendered[0] && last === this.rendered[1]) return;
    this.rendered = [first, last];
    const rows: HTMLElement[] = [];
    for (let i = first; i <= last; i++) rows.push(this.row(entries[i] as FileStatus, i));
    this.rows.style.transform = `translateY(${first * FILE_ROW_HEIGHT}px)`;
    this.rows.replaceChildren(...rows);
  }

  private row(entry: FileStatus, index: number): HTMLElement {
    const d = this.doc;
    const row = el(d, 'div', `rl-Files-row rl-Files-${entry.type}`);
    row.setAttribute('role', 'option');
    row.dataset.index = String(index);
    row.setAttribute('aria-selected', String(entry.path === this.selected));
    const modified = formatTime(entry.modified);
    row.title = modified ? `${entry.path}\nmodified ${modified}` : entry.path;
    row.append(
      el(d, 'span', 'rl-Files-icon'),
      el(d, 'span', 'rl-Files-name', entry.name),
      el(d, 'span', 'rl-Files-size', entry.type === 'directory' ? '' : formatSize(entry.size)),
      el(d, 'span', 'rl-Files-modified', modified)
    );
    return row;
  }

  private entryAt(target: EventTarget | null): FileStatus | undefined {
    const row = (target as HTMLElement | null)?.closest?.('.rl-Files-row') as HTMLElement | null;
    const index = row ? Number(row.dataset.index) : NaN;
    return Number.isInteger(index) ? this.state.entries[index] : undefined;
  }

  private activate(entry: FileStatus): void {
    if (entry.type === 'directory') this.navigate(entry.path);
    else this.options.onOpen?.(entry);
  }

  private readonly onClick = (event: MouseEvent): void => {
    const entry = this.entryAt(event.target);
    if (!entry) return;
    if (entry.type === 'directory') return this.navigate(entry.path);
    this.select(entry.path);
  };

  /** Marks the selected row in place: rows replaced between two clicks would lose a double click. */
  private select(path: string): void {
    this.selected = path;
    for (const row of this.rows.children) {
      const index = Number((row as HTMLElement).dataset.index);
      row.setAttribute('aria-selected', String(this.state.entries[index]?.path === path));
    }
  }

  private readonly onDoubleClick = (event: MouseEvent): void => {
    const entry = this.entryAt(event.target);
    if (entry && entry.type !== 'directory') this.options.onOpen?.(entry);
  };

  private readonly onKey = (event: KeyboardEvent): void => {
    const entries = this.state.entries;
    if (entries.length === 0) return;
    let index = entries.findIndex(e => e.path === this.selected);
    if (event.key === 'ArrowDown') index = Math.min(entries.length - 1, index + 1);
    else if (event.key === 'ArrowUp') index = Math.max(0, index - 1);
    else if (event.key === 'Enter' && index >= 0)
      return this.activate(entries[index] as FileStatus);
    else if (event.key === 'Backspace') return this.navigate(parentOf(this.state.path));
    else return;
    event.preventDefault();
    const y = index * FILE_ROW_HEIGHT;
    const view = this.scroller.clientHeight;
    if (y < this.scroller.scrollTop) this.scroller.scrollTop = y;
    else if (y + FILE_ROW_HEIGHT > this.scroller.scrollTop + view) {
      this.scroller.scrollTop = y + FILE_ROW_HEIGHT - view;
    }
    this.renderRows();
    this.select((entries[index] as FileStatus).path);
  };
}
