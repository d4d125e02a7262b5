// The grid's status bar: row and column counts, the query's time, what is busy, short messages (copied,
// saved), a warning about a column no row has, and the notice of a result cut at its limit with its
// Fetch more button. Text only (textContent).

import { el } from '../element.js';

const numberFormat = new Intl.NumberFormat('en-US');
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

export function formatElapsed(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return undefined;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function button(
  doc: Document,
  action: string,
  label: string,
  title: string
): HTMLButtonElement {
  const b = el(doc, 'button', 'rl-Grid-button', label);
  b.type = 'button';
  b.dataset.action = action;
  b.title = title;
  return b;
}

export interface StatusFacts {
  /** Rows loaded, and rows in view (after the filter). */
  total: number;
  shown: number;
  columns: number;
  elapsedMs?: number;
  /** Drill has more rows than were loaded. */
  truncated: boolean;
  /** The rows in view are sorted / filtered. */
  sorted: boolean;
  filtered: boolean;
  warning?: string;
}

/**
 * The notice of a result with more rows on Drill. Sorted or filtered, it says that only the rows
 * loaded were, and where a whole-result sort or filter is done.
 */
export function partialText(total: number, sorted: boolean, filtered: boolean): string {
  if (!sorted && !filtered) return `Showing ${formatCount(total)} rows — the query has more`;
  const what = sorted && filtered ? 'Sorted and filtered' : sorted ? 'Sorted' : 'Filtered';
  const sql = sorted && filtered ? 'ORDER BY / WHERE' : sorted ? 'ORDER BY' : 'WHERE';
  return `${what} the ${formatCount(total)} rows loaded, not the whole result — the query has more (${sql} in the SQL runs on all of it)`;
}

export class StatusBar {
  readonly node: HTMLElement;
  private readonly count: HTMLElement;
  private readonly elapsed: HTMLElement;
  private readonly busy: HTMLElement;
  private readonly message: HTMLElement;
  private readonly warning: HTMLElement;
  private readonly truncated: HTMLElement;
  private readonly truncatedText: HTMLElement;
  private messageTimer: ReturnType<typeof setTimeout> | undefined;

  /** `fetchMore`: whether the notice offers Fetch more (the host can fetch). */
  constructor(doc: Document, fetchMore: boolean) {
    this.node = el(doc, 'div', 'rl-Grid-status');
    this.node.setAttribute('role', 'status');
    this.count = el(doc, 'span', 'rl-Grid-count');
    this.elapsed = el(doc, 'span', 'rl-Grid-elapsed');
    this.busy = el(doc, 'span', 'rl-Grid-busy');
    this.message = el(doc, 'span', 'rl-Grid-message');
    this.warning = el(doc, 'span', 'rl-Grid-warning');
    this.warning.hidden = true;
    this.truncated = el(doc, 'span', 'rl-Grid-truncated');
    this.truncated.hidden = true;
    this.truncatedText = el(doc, 'span', 'rl-Grid-truncatedText');
    const more = button(doc, 'fetch-more', 'Fetch more', 'Fetch the next rows of the query');
    more.hidden = !fetchMore;
    this.truncated.append(this.truncatedText, more);
    this.node.append(
      this.count,
      this.elapsed,
      this.busy,
      this.message,
      this.warning,
      el(doc, 'span', 'rl-Grid-spring'),
      this.truncated
    );
  }

  update(facts: StatusFacts): void {
    const { total, shown, columns } = facts;
    const rowsText = `${formatCount(total)} ${total === 1 ? 'row' : 'rows'}`;
    this.count.textContent =
      shown === total
        ? `${rowsText} × ${columns} ${columns === 1 ? 'column' : 'columns'}`
        : `${formatCount(shown)} of ${rowsText} match`;
    const elapsed = formatElapsed(facts.elapsedMs);
    this.elapsed.textContent = elapsed ? `in ${elapsed}` : '';
    this.elapsed.hidden = !elapsed;
    this.truncated.hidden = !facts.truncated;
    if (facts.truncated)
      this.truncatedText.textContent = partialText(total, facts.sorted, facts.filtered);
    this.warning.textContent = facts.warning ?? '';
    this.warning.title = facts.warning ?? '';
    this.warning.hidden = !facts.warning;
  }

  setBusy(label: string | undefined): void {
    this.busy.textContent = label ?? '';
  }

  /** A short note, gone after a few seconds. */
  showMessage(text: string): void {
    this.message.textContent = text;
    clearTimeout(this.messageTimer);
    this.messageTimer = setTimeout(() => {
      this.message.textContent = '';
    }, 4000);
  }

  dispose(): void {
    clearTimeout(this.messageTimer);
  }
}
