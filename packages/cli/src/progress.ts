// The progress bar of a transfer (radlab files get|put): on stderr, only when stderr is a TTY,
// redrawn at most 10 times a second and wiped at the end, so pipes and logs get none of it.

export interface ProgressOut {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${UNITS[unit]}`;
}

/** One line of at most `width` characters: label, bar, percent, bytes, rate. */
export function renderProgress(
  label: string,
  bytes: number,
  total: number,
  elapsedMs: number,
  width: number
): string {
  const fraction = total > 0 ? Math.min(1, bytes / total) : 1;
  const rate = elapsedMs > 0 ? (bytes / elapsedMs) * 1000 : 0;
  const tail = ` ${(fraction * 100).toFixed(0).padStart(3)}% ${formatBytes(bytes)}/${formatBytes(total)} ${formatBytes(rate)}/s`;
  const room = width - tail.length - 3;
  const name =
    label.length > Math.max(8, room / 3) ? `…${label.slice(-Math.floor(room / 3))}` : label;
  const barWidth = Math.max(0, room - name.length);
  const filled = Math.round(fraction * barWidth);
  const bar = barWidth > 0 ? ` [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]` : '';
  return `${name}${bar}${tail}`.slice(0, Math.max(0, width - 1));
}

export class ProgressBar {
  private readonly started = Date.now();
  private last = 0;
  private shown = false;

  constructor(
    private readonly out: ProgressOut,
    private readonly label: string,
    private readonly total: number
  ) {}

  /** Whether anything is drawn at all (a TTY). */
  get active(): boolean {
    return this.out.isTTY === true;
  }

  update(bytes: number): void {
    if (!this.active) return;
    const now = Date.now();
    if (now - this.last < 100 && bytes < this.total) return;
    this.last = now;
    this.shown = true;
    const line = renderProgress(
      this.label,
      bytes,
      this.total,
      now - this.started,
      this.out.columns ?? 80
    );
    this.out.write(`\r\u001b[2K${line}`);
  }

  /** Wipes the line. */
  done(): void {
    if (this.shown) this.out.write('\r\u001b[2K');
    this.shown = false;
  }
}
