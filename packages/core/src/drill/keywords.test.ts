// Names written as SQL: bare only where Drill reads them back as the name (checked against the real
// Drill of the local stack, scripts/services/drill), and the keyword lists the editors offer.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Transport } from '../transport/transport.js';
import { DrillClient } from './client.js';
import { DRILL_RESERVED_WORDS, completionKeywords, sqlIdentifier } from './keywords.js';
import { quoteIdentifier } from './sql.js';

describe('sqlIdentifier', () => {
  it('leaves plain names that are not reserved bare', () => {
    expect(sqlIdentifier('modality')).toBe('modality');
    expect(sqlIdentifier('Study_Date')).toBe('Study_Date');
    expect(sqlIdentifier('a$b')).toBe('a$b');
    // keywords Drill does not reserve: a column named so reads back bare
    expect(sqlIdentifier('value')).toBe('value');
    expect(sqlIdentifier('year')).toBe('year');
  });

  it('back-ticks reserved words (in any case) and anything not plain', () => {
    expect(sqlIdentifier('user')).toBe('`user`');
    expect(sqlIdentifier('DATE')).toBe('`DATE`');
    expect(sqlIdentifier('files')).toBe('`files`');
    expect(sqlIdentifier('studies.csv')).toBe('`studies.csv`');
    expect(sqlIdentifier('it`s')).toBe('`it``s`');
    expect(sqlIdentifier('1st')).toBe('`1st`');
    expect(sqlIdentifier('modality', { alwaysQuote: true })).toBe('`modality`');
  });

  it('offers every keyword once, upper case, sorted', () => {
    const words = completionKeywords();
    expect(new Set(words).size).toBe(words.length);
    expect(words).toContain('SELECT');
    expect(words).toContain('FLATTEN');
    expect([...words].sort()).toEqual(words);
    expect(DRILL_RESERVED_WORDS.has('select')).toBe(true);
  });
});

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const DRILL = `http://127.0.0.1:${process.env['RADLAB_DRILL_PORT'] ?? '8047'}`;

describe('sqlIdentifier against Drill 1.22', { timeout: 60_000 }, () => {
  let drill: DrillClient;
  beforeAll(() => {
    execFileSync(`${root}scripts/services/drill`, ['start'], { stdio: 'ignore', timeout: 240_000 });
    drill = new DrillClient(
      new Transport({ service: 'drill', connection: 'local-drill', baseURL: DRILL })
    );
  }, 250_000);

  // `value` and `year` are keywords that Drill does not reserve: bare is right for them
  it.each(['date', 'files', 'value', 'year', 'studies.csv', 'it`s'])(
    'reads a column named %s back as written',
    async name => {
      const sql = `SELECT ${sqlIdentifier(name)} AS r FROM (SELECT 'ok' AS ${quoteIdentifier(name)})`;
      const result = await drill.query(sql);
      expect(result.rows).toEqual([['ok']]);
    }
  );

  // Drill's limit (DRILL-3435): a niladic function's name reads as the function even back-ticked;
  // only a table alias reaches the column. sqlIdentifier quotes it all the same (bare is no better).
  it('reads `user` as the session user unless qualified by an alias', async () => {
    expect(sqlIdentifier('user')).toBe('`user`');
    const quoted = await drill.query("SELECT `user` AS r FROM (SELECT 'ok' AS `user`)");
    expect(quoted.rows).not.toEqual([['ok']]);
    const aliased = await drill.query("SELECT t.`user` AS r FROM (SELECT 'ok' AS `user`) t");
    expect(aliased.rows).toEqual([['ok']]);
  });

  it('fails on a reserved word left bare (so the list is not too long)', async () => {
    await expect(drill.query("SELECT date AS r FROM (SELECT 'ok' AS `date`)")).rejects.toThrow();
  });
});
