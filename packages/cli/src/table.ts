// Plain-text tables for the terminal, with colour only when the output is a TTY.

export interface Styler {
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[${close}m`;

export const COLOURS: Styler = {
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  red: wrap(31, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22)
};

const identity = (text: string): string => text;
export const PLAIN: Styler = {
  green: identity,
  yellow: identity,
  red: identity,
  dim: identity,
  bold: identity
};

/** Colour on a TTY unless NO_COLOR is set; FORCE_COLOR forces it. */
export function stylerFor(
  isTTY: boolean | undefined,
  env: Record<string, string | undefined>
): Styler {
  if (env['FORCE_COLOR'] && env['FORCE_COLOR'] !== '0') return COLOURS;
  if (env['NO_COLOR'] !== undefined || env['TERM'] === 'dumb') return PLAIN;
  return isTTY ? COLOURS : PLAIN;
}

export interface Cell {
  text: string;
  style?: (text: string) => string;
}

/**
 * Aligns columns by their plain text, then applies styles, so escape codes never skew widths.
 * The last column is not padded.
 */
export function renderTable(header: string[], rows: Cell[][], styler: Styler): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(row => (row[i]?.text ?? '').length))
  );
  const line = (cells: Cell[]): string =>
    cells
      .map((cell, i) => {
        const padded = i === cells.length - 1 ? cell.text : cell.text.padEnd(widths[i]!);
        return cell.style ? cell.style(padded) : padded;
      })
      .join('  ')
      .trimEnd();
  const head = line(header.map(text => ({ text, style: styler.bold })));
  return [head, ...rows.map(line)].join('\n') + '\n';
}
