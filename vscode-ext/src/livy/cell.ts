// `%%livy` / `%%spark` notebook cells: the first line names the session and the language, the rest is
// the code. No `vscode` import, so it is tested on its own.
//   %%livy [-s SESSION] [-k pyspark|spark|sql|sparkr] [-o NAME] [-n MAXROWS | --all]
//   %%livy sql [-s SESSION] [-o NAME] (the same as -k sql)
// `-o NAME` pulls the driver's DataFrame NAME (a SQL cell: the query's result) in pages after the
// code ran, every row unless `-n` cuts it (the cut is said); there are no Python variables here, so
// the rows become a typed table in the cell's output.
import { isDataFrameName } from '@radlab/core';
import { LIVY_KINDS, type LivyKind } from '@radlab/ui';

export interface LivyCell {
  /** A session name or #id (undefined: the one chosen in the status bar). */
  session?: string;
  /** The statement's language (undefined: the session's own kind). */
  kind?: LivyKind;
  /** `-o NAME`: the DataFrame to pull (a driver variable; in a SQL cell, the label of its result). */
  output?: string;
  /** `-n N`: at most N rows; undefined with `--all` or without `-n`. */
  maxRows?: number;
  code: string;
}

export const LIVY_CELL_USAGE =
  '%%livy [-s SESSION] [-k pyspark|spark|sql|sparkr] [-o NAME] [-n MAXROWS | --all] | %%livy sql [-s SESSION] [-o NAME] [-n MAXROWS | --all]';

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
  let rowsGiven = false;
  let all = false;
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
    } else if (word === '-o' || word === '--output') {
      const name = value();
      if (!isDataFrameName(name)) {
        throw new LivyCellError(`-o takes a variable name (letters, digits, _), not "${name}"`);
      }
      cell.output = name;
    } else if (word === '-n' || word === '--maxrows') {
      const text = value();
      if (!/^\d+$/.test(text)) throw new LivyCellError(`-n takes a row count ≥ 0, not "${text}"`);
      cell.maxRows = Number(text);
      rowsGiven = true;
    } else if (word === '--all') {
      all = true;
    } else throw new LivyCellError(`unknown option "${word}"`);
  }
  if (rowsGiven && all) throw new LivyCellError('-n and --all do not go together');
  if ((rowsGiven || all) && !cell.output && cell.kind !== 'sql') {
    throw new LivyCellError(`${all ? '--all' : '-n'} goes with -o NAME (or a SQL cell)`);
  }
  if (cell.kind === 'spark' && cell.output) {
    throw new LivyCellError(
      '-o of a Scala DataFrame: register it as a view (df.createOrReplaceTempView("v")) and pull it with %%livy sql -o NAME, SELECT * FROM v'
    );
  }
  if (cell.kind === 'sparkr' && cell.output) {
    throw new LivyCellError('-o works with pyspark and SQL cells, not sparkr');
  }
  if (cell.code.trim() === '') throw new LivyCellError('the cell has no code after its first line');
  return cell;
}
