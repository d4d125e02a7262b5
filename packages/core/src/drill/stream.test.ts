import { describe, expect, it } from 'vitest';
import { DrillResponseParser, DrillStreamSyntaxError, parseJsonExact } from './stream.js';
import { baseType, convertValue, rowMapper } from './types.js';

// As Drill 1.22 writes it (line breaks before the commas), with the awkward bits: escapes, a quote
// and a brace inside strings, unicode, a BIGINT beyond 2^53, nested values, null.
const ANSWER = `{"queryId":"14fbb41c-7d1e-69de-b227-252c8998a44c"
,"columns":["id","name","big","ok","day","nested"]
,"metadata":["INT","VARCHAR","BIGINT","BIT","DATE","MAP"]
,"attemptedAutoLimit":0
,"rows":[
{"id":1,"name":"plain","big":9007199254740993,"ok":true,"day":1706832000000,"nested":{"a":[1,2,{"b":"}"}]}}
,{"id":2,"name":"quote \\" and \\\\ and {brace} and ]","big":-12,"ok":false,"day":null,"nested":null}
,{"id":3,"name":"ünïcødé ✓ \\u00e9","big":12345678901234567890,"ok":null,"day":0,"nested":{}}
]
,"queryState":"COMPLETED"
}
`;

function parseChunks(text: string, size: number): { rows: unknown[]; parser: DrillResponseParser } {
  const parser = new DrillResponseParser();
  const rows: unknown[] = [];
  for (let i = 0; i < text.length; i += size) rows.push(...parser.push(text.slice(i, i + size)));
  rows.push(...parser.end());
  return { rows, parser };
}

describe('DrillResponseParser', () => {
  it('parses the whole answer in one chunk', () => {
    const { rows, parser } = parseChunks(ANSWER, ANSWER.length);
    expect(rows).toHaveLength(3);
    expect(parser.fields['queryId']).toBe('14fbb41c-7d1e-69de-b227-252c8998a44c');
    expect(parser.fields['metadata']).toEqual(['INT', 'VARCHAR', 'BIGINT', 'BIT', 'DATE', 'MAP']);
    expect(parser.fields['queryState']).toBe('COMPLETED');
    expect(parser.complete).toBe(true);
    expect(rows[0]).toEqual({
      id: 1,
      name: 'plain',
      big: '9007199254740993',
      ok: true,
      day: 1706832000000,
      nested: { a: [1, 2, { b: '}' }] }
    });
    expect((rows[1] as Record<string, unknown>)['name']).toBe('quote " and \\ and {brace} and ]');
    expect((rows[2] as Record<string, unknown>)['name']).toBe('ünïcødé ✓ é');
    expect((rows[2] as Record<string, unknown>)['big']).toBe('12345678901234567890');
  });

  it('gives the same result for every cut of the input (chunk sizes 1..64 and every split point)', () => {
    const whole = parseChunks(ANSWER, ANSWER.length);
    for (let size = 1; size <= 64; size++) {
      const { rows, parser } = parseChunks(ANSWER, size);
      expect(rows, `chunk size ${size}`).toEqual(whole.rows);
      expect(parser.fields).toEqual(whole.parser.fields);
    }
    for (let cut = 1; cut < ANSWER.length; cut++) {
      const parser = new DrillResponseParser();
      const rows = [
        ...parser.push(ANSWER.slice(0, cut)),
        ...parser.push(ANSWER.slice(cut)),
        ...parser.end()
      ];
      expect(rows, `split at ${cut}`).toEqual(whole.rows);
    }
  });

  it('returns rows as soon as they are complete, before the answer ends', () => {
    const parser = new DrillResponseParser();
    const firstRowEnd = ANSWER.indexOf('\n,{"id":2');
    expect(parser.push(ANSWER.slice(0, firstRowEnd - 1))).toEqual([]);
    expect(parser.fields['columns']).toHaveLength(6);
    expect(parser.push(ANSWER.slice(firstRowEnd - 1, firstRowEnd + 1))).toHaveLength(1);
    expect(parser.complete).toBe(false);
  });

  it('reads an error answer (no rows) into fields', () => {
    const parser = new DrillResponseParser();
    parser.push(
      '{"queryId":"q1"\n,"exception":"java.lang.Exception"\n,"errorMessage":"Encountered \\"dfs\\" at line 1, column 14."'
    );
    expect(parser.push(',"stackTrace":["a","\\tat b"]\n,"queryState":"FAILED"\n}\n')).toEqual([]);
    parser.end();
    expect(parser.fields['errorMessage']).toBe('Encountered "dfs" at line 1, column 14.');
    expect(parser.fields['queryState']).toBe('FAILED');
  });

  it('rejects what is not Drill JSON, and a cut-off answer', () => {
    expect(() => new DrillResponseParser().push('<html><body>login</body></html>')).toThrow(
      DrillStreamSyntaxError
    );
    const cut = new DrillResponseParser();
    cut.push(ANSWER.slice(0, 200));
    expect(() => cut.end()).toThrow(/ended before/);
    expect(() => new DrillResponseParser().end()).toThrow(/empty answer/);
    const bad = new DrillResponseParser();
    expect(() => bad.push('{"rows":[1,2]}')).toThrow(/row object/);
  });

  it('keeps long number literals exact', () => {
    expect(
      parseJsonExact(
        '{"a":9007199254740993,"b":"x:12345678901234567","c":1.5,"d":-12345678901234567890}'
      )
    ).toEqual({
      a: '9007199254740993',
      b: 'x:12345678901234567',
      c: 1.5,
      d: '-12345678901234567890'
    });
    expect(parseJsonExact('[1,2]')).toEqual([1, 2]);
  });

  it('parses fast enough (rows/s printed)', () => {
    const row = (i: number): string =>
      `{"study_id":"1.2.826.0.1.3680043.10.1093.${i}","patient_id":"PAT${i}","modality":"CT","body_part":"HEAD","study_date":1706832000000,"num_images":${i % 900},"thickness":${(i % 10) / 2}}`;
    const n = 200_000;
    const parts = [
      '{"queryId":"x","columns":["study_id","patient_id","modality","body_part","study_date","num_images","thickness"],"metadata":["VARCHAR","VARCHAR","VARCHAR","VARCHAR","DATE","INT","FLOAT8"],"rows":[\n'
    ];
    for (let i = 0; i < n; i++) parts.push(`${i ? ',' : ''}${row(i)}\n`);
    parts.push('],"queryState":"COMPLETED"}');
    const text = parts.join('');
    const map = rowMapper(
      ['VARCHAR', 'VARCHAR', 'VARCHAR', 'VARCHAR', 'DATE', 'INT', 'FLOAT8'].map((type, i) => ({
        name: [
          'study_id',
          'patient_id',
          'modality',
          'body_part',
          'study_date',
          'num_images',
          'thickness'
        ][i]!,
        type
      }))
    );
    const started = performance.now();
    const parser = new DrillResponseParser();
    let count = 0;
    for (let i = 0; i < text.length; i += 65536) {
      for (const r of parser.push(text.slice(i, i + 65536))) {
        map(r);
        count++;
      }
    }
    parser.end();
    const seconds = (performance.now() - started) / 1000;
    expect(count).toBe(n);
    console.log(
      `drill stream parser: ${n} rows, ${(text.length / 1e6).toFixed(1)} MB in ${(seconds * 1000).toFixed(0)} ms = ${Math.round(n / seconds)} rows/s, ${(text.length / 1e6 / seconds).toFixed(0)} MB/s (typed)`
    );
    expect(n / seconds).toBeGreaterThan(20_000);
  });
});

describe('typing by Drill metadata', () => {
  it('converts each type', () => {
    expect(baseType('VARDECIMAL(10, 2)')).toBe('VARDECIMAL');
    expect(convertValue('BIGINT', 5)).toBe(5);
    expect(convertValue('BIGINT', '9007199254740993')).toBe('9007199254740993');
    expect(convertValue('BIGINT', '1234567890123456')).toBe(1234567890123456);
    expect(convertValue('INT', '54')).toBe(54);
    expect(convertValue('FLOAT8', '0.30000000000000004')).toBe(0.30000000000000004);
    expect(convertValue('VARDECIMAL(10, 2)', 1.25)).toBe(1.25);
    expect(convertValue('VARDECIMAL(38, 2)', '123456789012345678.25')).toBe(
      '123456789012345678.25'
    );
    expect(convertValue('BIT', true)).toBe(true);
    expect(convertValue('BIT', 'false')).toBe(false);
    expect(convertValue('DATE', 1706832000000)).toBe('2024-02-02');
    expect(convertValue('DATE', '2024-02-02')).toBe('2024-02-02');
    expect(convertValue('TIMESTAMP', 1704164645678)).toBe('2024-01-02T03:04:05.678Z');
    expect(convertValue('TIME', 36672000)).toBe('10:11:12');
    expect(convertValue('TIME', 36672005)).toBe('10:11:12.005');
    expect(convertValue('INTERVALDAY', 'P1D')).toBe('P1D');
    expect(convertValue('VARCHAR', '007')).toBe('007');
    expect(convertValue('INT', null)).toBe(null);
  });

  it('maps row objects to arrays in column order, missing columns as null', () => {
    const map = rowMapper([
      { name: 'b', type: 'INT' },
      { name: 'a', type: 'VARCHAR' },
      { name: 'gone', type: 'DATE' }
    ]);
    expect(map({ a: 'x', b: '2' })).toEqual([2, 'x', null]);
  });
});
