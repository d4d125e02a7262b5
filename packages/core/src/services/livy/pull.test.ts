// The pull's statements, paging and cut, with a client that answers as the driver helpers do (the real
// driver is in client.test.ts, against the stack's Livy).

import { describe, expect, it } from 'vitest';
import type { LivyClient, RunOptions } from './client.js';
import { livyError } from './errors.js';
import {
  isDataFrameName,
  LIVY_PULL,
  pullNotice,
  pullRows,
  sparkTypeName,
  sqlDataFrame
} from './pull.js';
import type { LivyResult } from './types.js';

/** A driver holding `total` rows (id BIGINT, name STRING), answering open/page as pull.py does. */
function fakeDriver(total: number, options: { forget?: boolean } = {}) {
  const codes: string[] = [];
  let helpers = false;
  let forgotten = false;
  let state = { n: 0, limit: null as number | null };
  const answer = (json: unknown): LivyResult => ({
    statement: { id: codes.length, code: '', state: 'available', progress: 1 },
    data: { 'application/json': json },
    text: ''
  });
  const client = {
    async run(_id: number, code: string, opts: RunOptions = {}): Promise<LivyResult> {
      codes.push(code);
      expect(opts.kind).toBe('pyspark');
      if (code === LIVY_PULL.helpers) {
        helpers = true;
        return answer(undefined);
      }
      if (options.forget && !forgotten) {
        forgotten = true;
        helpers = false;
      }
      if (!helpers) {
        throw livyError({
          code: 'badRequest',
          failure: 'statementFailed',
          message: "NameError: name '_radlab_open' is not defined",
          details: { ename: 'NameError', evalue: "name '_radlab_open' is not defined" }
        });
      }
      const open = /_radlab_open\((.*), (None|\d+)\)/.exec(code);
      if (open) {
        state = { n: 0, limit: open[2] === 'None' ? null : Number(open[2]) };
        return answer({
          fields: [
            { name: 'id', type: 'long', nullable: false, metadata: {} },
            { name: 'name', type: 'string', nullable: true, metadata: {} }
          ]
        });
      }
      const page = /_radlab_page\((\d+)\)/.exec(code);
      if (!page) throw new Error(`unexpected statement ${code}`);
      const size = Number(page[1]);
      const end = state.limit === null ? total : Math.min(total, state.limit + 1);
      const want =
        state.limit === null ? size : Math.max(0, Math.min(size, state.limit + 1 - state.n));
      const from = state.n;
      const to = Math.min(end, from + want);
      state.n = to;
      const ids = Array.from({ length: to - from }, (_, i) => from + i);
      return answer({
        columns: to > from ? [ids, ids.map(i => (i % 7 === 0 ? null : `row ${i}`))] : [],
        rows: to - from,
        done: to - from < want || want === 0
      });
    }
  } as unknown as LivyClient;
  return { client, codes };
}

describe('Livy DataFrame pull', () => {
  it('pulls every row in pages sized from the bytes per row, helpers defined once', async () => {
    const { client, codes } = fakeDriver(25_000);
    const seen: number[] = [];
    const pulled = await pullRows(client, 3, 'df', {
      pageBytes: 100_000,
      onPage: s => seen.push(s.rows)
    });
    expect(pulled.rowCount).toBe(25_000);
    expect(pulled.cut).toBe(false);
    expect(pulled.rows[0]).toEqual([0, null]);
    expect(pulled.rows[24_999]).toEqual([24_999, 'row 24999']);
    expect(pulled.columns.map(c => [c.name, c.type, c.nullable])).toEqual([
      ['id', 'BIGINT', false],
      ['name', 'STRING', true]
    ]);
    // the first page asks for firstPageRows, the next ones for about pageBytes' worth (≥ minPageRows)
    expect(codes.filter(c => c === LIVY_PULL.helpers)).toHaveLength(1);
    expect(codes[1]).toContain('_radlab_open(df, None)');
    expect(codes[2]).toContain(`_radlab_page(${LIVY_PULL.firstPageRows})`);
    expect(seen[0]).toBe(LIVY_PULL.firstPageRows);
    expect(pulled.stats.pages).toBe(seen.length);
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.at(-1)).toBe(25_000);

    // a second pull in the same session does not define the helpers again; the expression is
    // put in as written ($& is no replacement pattern)
    await pullRows(client, 3, sqlDataFrame("SELECT '$&'"), { limit: 10 });
    expect(codes.filter(c => c === LIVY_PULL.helpers)).toHaveLength(1);
    expect(codes).toContain(
      `_radlab_opened = _radlab_open(spark.sql("SELECT '$&'"), 10)\n%json _radlab_opened`
    );
  });

  it('says when the limit cut the DataFrame, and not when it had exactly that many', async () => {
    const { client, codes } = fakeDriver(5_000);
    const cut = await pullRows(client, 1, 'df', { limit: 1_000 });
    expect(codes[1]).toContain('_radlab_open(df, 1000)');
    expect(cut).toMatchObject({ rowCount: 1_000, cut: true, limit: 1_000 });
    expect(cut.rows).toHaveLength(1_000);
    expect(pullNotice('df', cut)).toBe(
      'df: 1,000 rows × 2 columns (id: BIGINT, name: STRING); cut at -n 1,000: the Spark DataFrame has more rows (-n N or --all)'
    );
    const exact = await pullRows(client, 1, 'df', { limit: 5_000 });
    expect(exact).toMatchObject({ rowCount: 5_000, cut: false });
    expect(pullNotice('df', exact)).toMatch(/; all rows$/);
    const empty = await pullRows(fakeDriver(0).client, 1, 'df');
    expect(empty).toMatchObject({ rowCount: 0, cut: false, rows: [] });
    await expect(pullRows(client, 1, 'df', { limit: -1 })).rejects.toThrow(/whole number/);
  });

  it('defines the helpers again when the driver lost them', async () => {
    const { client, codes } = fakeDriver(10, { forget: true });
    const pulled = await pullRows(client, 7, 'df');
    expect(pulled.rowCount).toBe(10);
    expect(codes.filter(c => c === LIVY_PULL.helpers)).toHaveLength(2);
  });

  it("names Spark's types as Spark SQL does", () => {
    expect(sparkTypeName('long')).toBe('BIGINT');
    expect(sparkTypeName('integer')).toBe('INT');
    expect(sparkTypeName('decimal(10,2)')).toBe('DECIMAL(10,2)');
    expect(sparkTypeName('timestamp')).toBe('TIMESTAMP');
    expect(sparkTypeName({ type: 'array', elementType: 'double', containsNull: true })).toBe(
      'ARRAY<DOUBLE>'
    );
    expect(
      sparkTypeName({
        type: 'struct',
        fields: [
          { name: 'a', type: 'integer' },
          { name: 'm', type: { type: 'map', keyType: 'string', valueType: 'long' } }
        ]
      })
    ).toBe('STRUCT<a: INT, m: MAP<STRING, BIGINT>>');
    expect(sparkTypeName(42)).toBe('UNKNOWN');
  });

  it('quotes SQL as a Python string and checks DataFrame names', () => {
    expect(sqlDataFrame(' SELECT "a", \'b\'\nFROM t \\ x ')).toBe(
      'spark.sql("SELECT \\"a\\", \'b\'\\nFROM t \\\\ x")'
    );
    expect(sqlDataFrame("SELECT '$&' AS x")).toBe('spark.sql("SELECT \'$&\' AS x")');
    expect(isDataFrameName('df_2')).toBe(true);
    expect(isDataFrameName('df.x')).toBe(false);
    expect(isDataFrameName('2df')).toBe(false);
  });
});
