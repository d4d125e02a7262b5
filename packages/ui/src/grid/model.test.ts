import { describe, expect, it } from 'vitest';
import {
  ColumnarRows,
  cellText,
  columnKind,
  compareDecimalStrings,
  csvField,
  estimateWidth,
  rowComparator,
  rowMatches,
  sampleIndices,
  sortKeys,
  toCsv,
  toTsv
} from './model.js';
import { filterIndices, sortIndices } from './ops.js';
import { chartPositions, MAX_BARS, MAX_LINE_POINTS } from './chart.js';

function sortedRows(rows: unknown[][], column: number, type: string, direction: 'asc' | 'desc') {
  const keys = sortKeys(rows, column, columnKind(type));
  const idx = Uint32Array.from(rows.keys());
  return Array.from(idx.sort(rowComparator(keys, direction)));
}

describe('column kinds and text', () => {
  it('classifies Drill types', () => {
    expect(columnKind('BIGINT')).toBe('number');
    expect(columnKind('VARDECIMAL(38, 2)')).toBe('number');
    expect(columnKind('FLOAT8')).toBe('number');
    expect(columnKind('BIT')).toBe('boolean');
    expect(columnKind('DATE')).toBe('temporal');
    expect(columnKind('TIMESTAMP')).toBe('temporal');
    expect(columnKind('MAP')).toBe('json');
    expect(columnKind('VARCHAR')).toBe('text');
    expect(columnKind('INTERVALDAY')).toBe('text');
  });

  it('turns values into text', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(undefined)).toBe('');
    expect(cellText(1.5)).toBe('1.5');
    expect(cellText('12345678901234567890')).toBe('12345678901234567890');
    expect(cellText(false)).toBe('false');
    expect(cellText({ a: [1, 2] })).toBe('{"a":[1,2]}');
  });

  it('estimates widths from type, name and sampled values, within bounds', () => {
    const narrow = estimateWidth({ name: 'n', type: 'INT' }, [1, 2, 3]);
    const wide = estimateWidth({ name: 'description', type: 'VARCHAR' }, ['x'.repeat(40)]);
    const huge = estimateWidth({ name: 'blob', type: 'VARCHAR' }, ['x'.repeat(10_000)]);
    const date = estimateWidth({ name: 'd', type: 'DATE' }, [null]);
    expect(narrow).toBeGreaterThanOrEqual(48);
    expect(wide).toBeGreaterThan(narrow);
    expect(huge).toBe(360);
    expect(date).toBeGreaterThan(narrow);
  });

  it('samples the head and the spread of big results', () => {
    expect(sampleIndices(3)).toEqual([0, 1, 2]);
    const s = sampleIndices(1_000_000);
    expect(s).toHaveLength(200);
    expect(s[0]).toBe(0);
    expect(s[99]).toBe(99);
    expect(s[199]).toBeGreaterThan(990_000);
    expect(new Set(s).size).toBe(200);
  });
});

describe('sorting', () => {
  it('compares exact decimal strings', () => {
    expect(compareDecimalStrings('9007199254740993', '9007199254740992')).toBe(1);
    expect(compareDecimalStrings('-12.50', '-12.5')).toBe(0);
    expect(compareDecimalStrings('-1', '0.5')).toBe(-1);
    expect(compareDecimalStrings('-3', '-20')).toBe(1);
    expect(compareDecimalStrings('100', '99.999')).toBe(1);
    expect(compareDecimalStrings('abc', '1')).toBeNaN();
  });

  it('sorts numbers numerically (not as text), nulls last both ways, stable', () => {
    const rows = [[10], [9], [null], [100], [9], ['9007199254740993'], ['9007199254740992'], [-1]];
    expect(sortedRows(rows, 0, 'BIGINT', 'asc')).toEqual([7, 1, 4, 0, 3, 6, 5, 2]);
    expect(sortedRows(rows, 0, 'BIGINT', 'desc')).toEqual([5, 6, 3, 0, 1, 4, 7, 2]);
  });

  it('sorts dates and timestamps chronologically, text case-insensitively, booleans false first', () => {
    const dates = [['2024-03-01'], ['2023-12-31'], [null], ['2024-01-15']];
    expect(sortedRows(dates, 0, 'DATE', 'asc')).toEqual([1, 3, 0, 2]);
    const ts = [
      ['2024-01-02T03:04:05.678Z'],
      ['2024-01-02T03:04:05.600Z'],
      ['2023-01-01T00:00:00.000Z']
    ];
    expect(sortedRows(ts, 0, 'TIMESTAMP', 'desc')).toEqual([0, 1, 2]);
    const text = [['banana'], ['Apple'], ['cherry'], ['apple']];
    expect(sortedRows(text, 0, 'VARCHAR', 'asc')).toEqual([1, 3, 0, 2]);
    const bools = [[true], [false], [null], [true]];
    expect(sortedRows(bools, 0, 'BIT', 'asc')).toEqual([1, 0, 3, 2]);
  });

  it('sorts rows kept by column the same way (numbers, exact big integers, dates, text dates)', () => {
    const sortedStore = (type: string, values: unknown[], direction: 'asc' | 'desc' = 'asc') => {
      const store = new ColumnarRows([{ name: 'v', type }]);
      store.appendRows(values.map(v => [v]));
      const keys = sortKeys(store, 0, columnKind(type));
      return Array.from(Uint32Array.from(values.keys()).sort(rowComparator(keys, direction)));
    };
    const big = ['9007199254740993', 9007199254740991, null, '9007199254740992', -5];
    expect(sortedStore('BIGINT', big)).toEqual(
      sortedRows(
        big.map(v => [v]),
        0,
        'BIGINT',
        'asc'
      )
    );
    expect(sortedStore('BIGINT', big)).toEqual([4, 1, 3, 0, 2]);
    const dates = ['2024-03-01', '2023-12-31', null, '2024-01-15', '-000001-06-01'];
    expect(sortedStore('DATE', dates)).toEqual([4, 1, 3, 0, 2]);
    // a date kept as text (not ISO): the column orders by text, as with row arrays
    const odd = ['2024-03-01', '2023-12-31 (est.)', '2024-01-15'];
    expect(sortedStore('DATE', odd, 'desc')).toEqual(
      sortedRows(
        odd.map(v => [v]),
        0,
        'DATE',
        'desc'
      )
    );
    expect(sortedStore('BIT', [true, false, null, true])).toEqual([1, 0, 3, 2]);
    expect(sortedStore('VARCHAR', ['banana', 'Apple', 'cherry', 'apple'])).toEqual([1, 3, 0, 2]);
  });

  it('sorts big index arrays in slices, with the same (stable) order as a one-shot sort', async () => {
    const n = 50_000;
    const rows = Array.from({ length: n }, (_, i) => [i % 97 === 0 ? null : (i * 7919) % 1000]);
    const keys = sortKeys(rows, 0, 'number');
    const compare = rowComparator(keys, 'asc');
    const expected = Uint32Array.from(rows.keys()).sort(compare);
    let yields = 0;
    const sliced = await sortIndices(Uint32Array.from(rows.keys()), compare, {
      threshold: 1000,
      yieldFn: async () => {
        yields++;
      }
    });
    expect(Array.from(sliced)).toEqual(Array.from(expected));
    // ties keep row order
    for (let i = 1; i < n; i++) {
      const a = sliced[i - 1]!;
      const b = sliced[i]!;
      if (rows[a]![0] === rows[b]![0]) expect(a).toBeLessThan(b);
    }
    expect(yields).toBeGreaterThanOrEqual(0);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const rows = Array.from({ length: 20_000 }, (_, i) => i);
    const keys = { numeric: Float64Array.from(rows), nulls: new Uint8Array(rows.length) };
    const compare = rowComparator(keys, 'desc');
    let calls = 0;
    const promise = sortIndices(
      Uint32Array.from(rows),
      (a, b) => {
        if (++calls === 5000) controller.abort();
        return compare(a, b);
      },
      { threshold: 100, signal: controller.signal }
    );
    await expect(promise).rejects.toThrow('cancelled');
  });
});

describe('filtering', () => {
  const rows = [
    [1, 'Knee MRI', null],
    [2, 'chest CT', '2024-01-01'],
    [3, 'Head CT', '2024-02-01']
  ];

  it('matches a substring in any cell, case-insensitively, or in one column', () => {
    expect(rows.filter(r => rowMatches(r, 'ct', undefined)).map(r => r[0])).toEqual([2, 3]);
    expect(rows.filter(r => rowMatches(r, '2024-02', undefined)).map(r => r[0])).toEqual([3]);
    expect(rows.filter(r => rowMatches(r, '1', 0)).map(r => r[0])).toEqual([1]);
    expect(rows.filter(r => rowMatches(r, 'null', 2)).map(r => r[0])).toEqual([1]);
  });

  it('filters in slices with the same result', async () => {
    const many = Array.from({ length: 30_000 }, (_, i) => [i, `name ${i}`]);
    const test = (i: number): boolean => rowMatches(many[i]!, '77', 1);
    const direct = await filterIndices(many.length, test);
    const sliced = await filterIndices(many.length, test, {
      threshold: 10,
      yieldFn: async () => {}
    });
    expect(Array.from(sliced)).toEqual(Array.from(direct));
    expect(direct.length).toBe(many.filter(r => String(r[1]).includes('77')).length);
  });
});

describe('CSV and TSV', () => {
  it('quotes CSV fields as RFC 4180 says', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('')).toBe('');
  });

  it('writes a header and CRLF rows; null is empty, JSON is JSON', () => {
    const csv = toCsv(
      [
        { name: 'id', type: 'INT' },
        { name: 'note, "quoted"', type: 'VARCHAR' },
        { name: 'm', type: 'MAP' }
      ],
      [
        [1, 'a "b", c', { k: 'v' }],
        [2, null, null]
      ]
    );
    expect(csv).toBe('id,"note, ""quoted""",m\r\n1,"a ""b"", c","{""k"":""v""}"\r\n2,,\r\n');
  });

  it('writes TSV without tabs or line breaks inside fields', () => {
    expect(
      toTsv(
        [
          [1, 'a\tb', null],
          [2, 'x\ny', true]
        ],
        [0, 1, 2],
        ['id', 'text', 'flag']
      )
    ).toBe('id\ttext\tflag\n1\ta b\t\n2\tx y\ttrue');
  });
});

describe('chart positions', () => {
  it('takes the first rows for bars and an even sample for lines', () => {
    expect(chartPositions('bar', 10)).toHaveLength(10);
    expect(chartPositions('bar', 1_000_000)).toHaveLength(MAX_BARS);
    const line = chartPositions('line', 1_000_000);
    expect(line).toHaveLength(MAX_LINE_POINTS);
    expect(line[0]).toBe(0);
    expect(line.at(-1)).toBe(999_999);
  });
});
