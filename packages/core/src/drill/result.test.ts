import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DRILL_RESULT_MIME, MAX_ROW_LIMIT, fetchMoreLimit, toPayload } from './result.js';
import { previewSql } from './sql.js';

const shared = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../../shared/${path}`, import.meta.url), 'utf8'));

describe('the result payload', () => {
  const result = {
    queryId: 'q1',
    columns: [
      { name: 'modality', type: 'VARCHAR' },
      { name: 'n', type: 'BIGINT' }
    ],
    rows: [
      ['CT', 3],
      ['MR', null]
    ],
    truncated: false,
    elapsedMs: 12
  };

  it('follows shared/schema/drill-result.schema.json', () => {
    const payload = toPayload(result, { connection: 'local-drill', sql: 'SELECT 1', limit: 100 });
    expect(payload).toEqual({
      version: 1,
      connection: 'local-drill',
      queryId: 'q1',
      sql: 'SELECT 1',
      columns: result.columns,
      rows: result.rows,
      rowCount: 2,
      truncated: false,
      limit: 100,
      elapsedMs: 12
    });
    const schema = shared('schema/drill-result.schema.json') as {
      required: string[];
      properties: Record<string, unknown>;
    };
    for (const key of schema.required) expect(payload).toHaveProperty(key);
    for (const key of Object.keys(payload)) expect(schema.properties).toHaveProperty(key);
    expect(toPayload(result, { limit: 0 })).not.toHaveProperty('limit');
  });

  it('uses the shared MIME type', () => {
    expect(DRILL_RESULT_MIME).toBe(
      (shared('mime-types.json') as { drillResult: string }).drillResult
    );
  });
});

describe('Fetch more', () => {
  it('asks for ten times the rows, up to the most, then nothing', () => {
    expect(fetchMoreLimit(10_000)).toBe(100_000);
    expect(fetchMoreLimit(200_000)).toBe(MAX_ROW_LIMIT);
    expect(fetchMoreLimit(0)).toBe(10);
    expect(fetchMoreLimit(MAX_ROW_LIMIT)).toBeUndefined();
  });

  it('previews a table with its name quoted part by part', () => {
    expect(previewSql('dfs.radlab', 'studies.csv')).toBe(
      'SELECT * FROM `dfs`.`radlab`.`studies.csv` LIMIT 100'
    );
  });
});
