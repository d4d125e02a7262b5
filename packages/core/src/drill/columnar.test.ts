import { describe, expect, it } from 'vitest';
import { CELL_NULL, CELL_OTHER, CELL_VALUE, ColumnarRows } from './columnar.js';
import { rowMapper, type DrillColumn } from './types.js';

const COLUMNS: DrillColumn[] = [
  { name: 'id', type: 'BIGINT' },
  { name: 'n', type: 'INT' },
  { name: 'name', type: 'VARCHAR' },
  { name: 'dose', type: 'FLOAT8' },
  { name: 'born', type: 'DATE' },
  { name: 'at', type: 'TIMESTAMP' },
  { name: 'tod', type: 'TIME' },
  { name: 'ok', type: 'BIT' },
  { name: 'amount', type: 'VARDECIMAL(38, 2)' },
  { name: 'extra', type: 'MAP' }
];

/** Drill's REST rows: epoch ms for dates, numbers, exact text for 16+ digit numbers, text from CSV. */
const RAW: Array<Record<string, unknown>> = [
  {
    id: 1,
    n: 7,
    name: 'CT',
    dose: 1.5,
    born: 1706832000000,
    at: 1704164645678,
    tod: 36672345,
    ok: true,
    amount: 12.5,
    extra: { a: [1, 2] }
  },
  {
    id: '9007199254740993',
    n: null,
    name: null,
    dose: -0.25,
    born: -86400000,
    at: -1000,
    tod: 0,
    ok: false,
    amount: '12345678901234567890.12',
    extra: null
  },
  {
    id: '42',
    n: 'x',
    name: 'a <b>',
    dose: '3.5',
    born: '2024-02-02',
    at: '2024-01-02 03:04:05',
    tod: null,
    ok: 'true',
    amount: null
  }
];

describe('ColumnarRows', () => {
  it('reads back exactly what rowMapper gives, from raw rows', () => {
    const store = new ColumnarRows(COLUMNS);
    store.appendRaw(RAW.slice(0, 2));
    store.appendRaw(RAW.slice(2));
    const expected = RAW.map(rowMapper(COLUMNS));
    expect(store.length).toBe(3);
    expect(store.rows()).toEqual(expected);
    expect([...store]).toEqual(expected);
    expect(store.row(0)).toEqual([
      1,
      7,
      'CT',
      1.5,
      '2024-02-02',
      '2024-01-02T03:04:05.678Z',
      '10:11:12.345',
      true,
      12.5,
      { a: [1, 2] }
    ]);
    expect(store.value(1, 0)).toBe('9007199254740993');
    expect(store.value(1, 4)).toBe('1969-12-31');
    expect(store.value(2, 4)).toBe('2024-02-02'); // text as an older Drill sent it
    expect(store.value(2, 8)).toBeNull(); // a missing key is null
    expect(store.value(3, 0)).toBeUndefined();
  });

  it('round-trips typed rows (a MIME payload) and keeps text it cannot parse as it is', () => {
    const typed = RAW.map(rowMapper(COLUMNS));
    const store = new ColumnarRows(COLUMNS);
    store.appendRows(typed);
    expect(store.rows()).toEqual(typed);
    const odd = new ColumnarRows([
      { name: 'd', type: 'DATE' },
      { name: 't', type: 'TIMESTAMP' },
      { name: 'h', type: 'TIME' }
    ]);
    odd.appendRows([
      ['2024-02-30', '2024-01-02T03:04:05.678000Z', '25:00:00'],
      ['2024-02-29', '2024-01-02T03:04:05.000Z', '23:59:59.999'],
      [null, 17, undefined as unknown]
    ]);
    expect(odd.rows()).toEqual([
      ['2024-02-30', '2024-01-02T03:04:05.678000Z', '25:00:00'],
      ['2024-02-29', '2024-01-02T03:04:05.000Z', '23:59:59.999'],
      [null, 17, null]
    ]);
    expect(odd.state(0, 0)).toBe(CELL_OTHER);
    expect(odd.state(1, 0)).toBe(CELL_VALUE);
    expect(odd.number(1, 0)).toBe(Date.UTC(2024, 1, 29));
    expect(odd.state(2, 0)).toBe(CELL_NULL);
    // a date column with a value that has no epoch ms orders by text
    expect(odd.sortsByNumber(0)).toBe(false);
  });

  it('gives sort numbers: values, 0/1 for booleans, epoch ms for dates, NaN otherwise', () => {
    const store = new ColumnarRows(COLUMNS);
    store.appendRaw(RAW.slice(0, 2));
    expect(store.sortsByNumber(0)).toBe(true);
    expect(store.state(1, 0)).toBe(CELL_OTHER);
    expect(store.number(1, 0)).toBeNaN();
    expect(store.number(0, 3)).toBe(1.5);
    expect(store.number(0, 5)).toBe(1704164645678);
    expect(store.sortsByNumber(5)).toBe(true);
    expect(store.number(0, 7)).toBe(1);
    expect(store.number(1, 7)).toBe(0);
    expect(store.state(1, 1)).toBe(CELL_NULL);
    expect(store.sortsByNumber(2)).toBe(false);
    expect(store.state(0, 2)).toBe(CELL_OTHER);
    expect(store.state(1, 2)).toBe(CELL_NULL);
  });

  it('spans many chunks and shares repeated strings', () => {
    const store = new ColumnarRows([
      { name: 'i', type: 'INT' },
      { name: 'm', type: 'VARCHAR' },
      { name: 'u', type: 'VARCHAR' }
    ]);
    const n = 40_000;
    const batch: Array<Record<string, unknown>> = [];
    for (let i = 0; i < n; i++) {
      batch.push({
        i: i % 5 === 2 ? null : i,
        m: `Computed Tomography ${i % 4}`.slice(0),
        u: `unique-${i}`
      });
      if (batch.length === 1000) store.appendRaw(batch.splice(0));
    }
    expect(store.length).toBe(n);
    expect(store.value(39_999, 0)).toBe(39_999);
    expect(store.value(39_999, 1)).toBe('Computed Tomography 3');
    expect(store.value(30_002, 0)).toBeNull();
    expect(store.value(20_001, 2)).toBe('unique-20001');
    expect(store.rows(16_383, 16_385).map(r => r[0])).toEqual([16_383, 16_384]);
  });

  it('is empty without rows, and keeps columns without a known type as they are', () => {
    const store = new ColumnarRows([{ name: 'x', type: 'ANY' }]);
    expect(store.length).toBe(0);
    expect(store.rows()).toEqual([]);
    store.appendRows([[{ k: 1 }], [[1, 2]], ['t'], [3]]);
    expect(store.rows()).toEqual([[{ k: 1 }], [[1, 2]], ['t'], [3]]);
  });
});
