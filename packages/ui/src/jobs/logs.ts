// A job's log as it is written: lines appended while the stream follows, kept to the last MAX_LINES,
// scrolled to the end unless the user scrolled up to read. Text only (a log is untrusted).
import { el } from '../element.js';

export const MAX_LOG_LINES = 5000;

export type LogState = 'connecting' | 'following' | 'ended' | 'stopped' | 'error';

export interface LogViewOptions {
  /** "Stop following" was pressed. */
  onStop?: () => void;
  /** "Close" was pressed. */
  onClose?: () => void;
}

export class LogView {
  readonly node: HTMLElement;
  private readonly titleNode: HTMLElement;
  private readonly stateNode: HTMLElement;
  private readonly pre: HTMLPreElement;
  private readonly stop: HTMLButtonElement;
  private lines = 0;
  private readonly onClick = (event: MouseEvent): void => {
    const action = (event.target as HTMLElement).closest<HTMLElement>('button[data-action]')
      ?.dataset['action'];
    if (action === 'stop') this.options.onStop?.();
    if (action === 'close') this.options.onClose?.();
  };

  constructor(
    private readonly doc: Document,
    private readonly options: LogViewOptions = {}
  ) {
    this.node = el(doc, 'section', 'rl-job-log');
    this.node.setAttribute('aria-label', 'Job log');
    const bar = el(doc, 'div', 'rl-job-log-bar');
    this.titleNode = el(doc, 'span', 'rl-job-log-title');
    this.stateNode = el(doc, 'span', 'rl-job-log-state');
    this.stateNode.setAttribute('role', 'status');
    this.stop = el(doc, 'button', 'rl-Button', 'Stop following');
    this.stop.dataset['action'] = 'stop';
    const close = el(doc, 'button', 'rl-Button', 'Close');
    close.dataset['action'] = 'close';
    bar.append(this.titleNode, this.stateNode, this.stop, close);
    this.pre = el(doc, 'pre', 'rl-job-log-text');
    this.pre.tabIndex = 0;
    this.node.append(bar, this.pre);
    this.node.addEventListener('click', this.onClick);
  }

  /** Starts over for another job or pod. */
  reset(title: string): void {
    this.titleNode.textContent = title;
    this.pre.replaceChildren();
    this.lines = 0;
    this.setState('connecting');
  }

  setState(state: LogState, message?: string): void {
    const text: Record<LogState, string> = {
      connecting: 'connecting…',
      following: 'following',
      ended: 'ended',
      stopped: 'stopped',
      error: 'error'
    };
    this.stateNode.textContent = message ? `${text[state]}: ${message}` : text[state];
    this.node.dataset['state'] = state;
    this.stop.disabled = state !== 'following' && state !== 'connecting';
  }

  append(line: string): void {
    const atEnd = this.pre.scrollTop + this.pre.clientHeight >= this.pre.scrollHeight - 4;
    this.pre.append(el(this.doc, 'div', 'rl-job-log-line', line));
    this.lines++;
    if (this.lines > MAX_LOG_LINES) {
      this.pre.firstChild?.remove();
      this.lines--;
    }
    if (atEnd) this.pre.scrollTop = this.pre.scrollHeight;
  }

  dispose(): void {
    this.node.removeEventListener('click', this.onClick);
    this.node.remove();
  }
}
