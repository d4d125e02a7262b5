// `%%livy` / `%%spark` notebook cells: the first line names the session and the language, the rest is
// the code. No `vscode` import, so it is tested on its own.
//   %%livy [-s SESSION] [-k pyspark|spark|sql|sparkr]
//   %%livy sql [-s SESSION]           (the same as -k sql)
import { LIVY_KINDS, type LivyKind } from '@radlab/ui';

export interface LivyCell {
  /** A session name or #id (undefined: the one chosen in the status bar). */
  session?: string;
  /** The statement's language (undefined: the session's own kind). */
  kind?: LivyKind;
  code: string;
}

export const LIVY_CELL_USAGE =
  '%%livy [-s SESSION] [-k pyspark|spark|sql|sparkr] | %%livy sql [-s SESSION]';

export class LivyCellError extends Error {
  readonly usage = LIVY_CELL_USAGE;
}

const MAGIC = /^\s*%%(livy|spark)\b(.*)$/;

export function isLivyCell(text: string): boolean {
  return MAGIC.test(text.split('\n', 1)[0] ?? '');
}

/** The cell's session, kind and code; undefined when the cell is not a Livy cell. */
export function parseLivyCell(text: string): LivyCell | undefined {
  const newline = text.indexOf('\n');
  const first = newline < 0 ? text : text.slice(0, newline);
  const m = MAGIC.exec(first);
  if (!m) return undefined;
  const words = m[2].trim().split(/\s+/).filter(Boolean);
  const cell: LivyCell = { code: newline < 0 ? '' : text.slice(newline + 1) };
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const value = (): string => {
      const next = words[++i];
      if (next === undefined) throw new LivyCellError(`${word} needs a value`);
      return next;
    };
    if (word === 'sql' && i === 0) cell.kind = 'sql';
    else if (word === '-s' || word === '--session') cell.session = value();
    else if (word === '-k' || word === '--kind') {
      const kind = value();
      if (!(LIVY_KINDS as readonly string[]).includes(kind)) {
        throw new LivyCellError(`unknown kind "${kind}": one of ${LIVY_KINDS.join(', ')}`);
      }
      cell.kind = kind as LivyKind;
    } else throw new LivyCellError(`unknown option "${word}"`);
  }
  if (cell.code.trim() === '') throw new LivyCellError('the cell has no code after its first line');
  return cell;
}
