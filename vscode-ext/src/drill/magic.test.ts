import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROW_LIMIT as DEFAULT_LIMIT } from '@radlab/core';
import { isDrillMagic, MagicUsageError, parseCell, parseMagicOptions } from './magic.js';

describe('parseMagicOptions', () => {
  it('reads -c, -l, --schema, --timeout and long forms with =', () => {
    expect(parseMagicOptions('-c prod -l 50 --schema dfs.radlab --timeout 2.5')).toEqual({
      connection: 'prod',
      limit: 50,
      schema: 'dfs.radlab',
      timeoutMs: 2500,
      notes: []
    });
    expect(parseMagicOptions('--connection=x --limit=1,000')).toMatchObject({
      connection: 'x',
      limit: 1000
    });
    expect(parseMagicOptions('')).toEqual({ limit: DEFAULT_LIMIT, notes: [] });
    expect(parseMagicOptions('-l 0').limit).toBe(0);
  });

  it('ignores -o and -q with a note', () => {
    const opts = parseMagicOptions('-o df -q');
    expect(opts.notes).toHaveLength(2);
    expect(opts.notes[0]).toMatch(/-o df was ignored.*Python kernel/);
    expect(opts.notes[1]).toMatch(/-q was ignored/);
  });

  it('rejects bad options like the Python magic', () => {
    expect(() => parseMagicOptions('-x')).toThrow(/unknown option '-x'/);
    expect(() => parseMagicOptions('-l')).toThrow(/-l needs a value/);
    expect(() => parseMagicOptions('-l ten')).toThrow(/whole number/);
    expect(() => parseMagicOptions('-l -3')).toThrow(/0 \(no limit\) or more/);
    expect(() => parseMagicOptions('--timeout 0')).toThrow(/positive/);
    expect(() => parseMagicOptions('SELECT 1')).toThrow(/put the SQL in the cell body/);
    expect(() => parseMagicOptions('-x')).toThrow(MagicUsageError);
  });
});

describe('parseCell', () => {
  it('takes the SQL after a %%drill line, with the line offset', () => {
    const q = parseCell('\n%%drill -c local-drill\nSELECT 1\nFROM x', 'python')!;
    expect(q.sql).toBe('SELECT 1\nFROM x');
    expect(q.lineOffset).toBe(2);
    expect(q.connection).toBe('local-drill');
  });

  it('runs sql cells as they are and skips other cells', () => {
    expect(parseCell('SELECT 1', 'sql')).toMatchObject({
      sql: 'SELECT 1',
      lineOffset: 0,
      limit: DEFAULT_LIMIT
    });
    expect(parseCell('print(1)', 'python')).toBeUndefined();
    expect(parseCell('%drill SELECT 1', 'python')).toBeUndefined();
  });

  it('refuses an empty query', () => {
    expect(() => parseCell('%%drill\n  -- nothing\n', 'python')).toThrow(/no SQL/);
    expect(() => parseCell(' ;', 'sql')).toThrow(/no SQL/);
  });

  it('recognises %%drill cells', () => {
    expect(isDrillMagic('%%drill\nSELECT 1')).toBe(true);
    expect(isDrillMagic('  \n%%drill -c x')).toBe(true);
    expect(isDrillMagic('%%drills')).toBe(false);
    expect(isDrillMagic('x = 1\n%%drill')).toBe(false);
  });
});

describe('shared/test-vectors/drill-magic (run by the Python tests too)', () => {
  const path = join(
    dirname(fileURLToPath(import.meta.url)),
    '../../../shared/test-vectors/drill-magic/options.json'
  );
  const vectors = JSON.parse(readFileSync(path, 'utf8')) as {
    name: string;
    line: string;
    options?: { connection?: string; limit: number; schema?: string; timeoutSeconds?: number };
    error?: string;
  }[];
  it.each(vectors.map(v => [v.name, v] as const))('%s', (_name, v) => {
    if (v.error !== undefined) {
      expect(() => parseMagicOptions(v.line)).toThrow(v.error);
      return;
    }
    const got = parseMagicOptions(v.line);
    const { timeoutSeconds, ...rest } = v.options!;
    expect({ connection: got.connection, limit: got.limit, schema: got.schema }).toEqual({
      connection: undefined,
      schema: undefined,
      ...rest
    });
    expect(got.timeoutMs).toBe(timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000);
  });
});
