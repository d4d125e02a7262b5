import { describe, expect, it } from 'vitest';
import type { DrillResultPayload } from '@radlab/core';
import { errorText, mapPosition, plainText } from './sqlText.js';

describe('positions', () => {
  it('maps a position in the whole document (origin 0,0) to the word there', () => {
    const lines = ['SELECT modality', 'FROM t', 'WHERE GROUP BY modality'];
    expect(mapPosition({ line: 3, column: 7 }, { line: 0, character: 0 }, lines)).toEqual({
      startLine: 2,
      startCharacter: 6,
      endLine: 2,
      endCharacter: 11
    });
  });

  it('shifts by the selection start on its first line only', () => {
    const lines = ['SELECT x FROM', 'bad'];
    expect(mapPosition({ line: 1, column: 10 }, { line: 4, character: 8 }, lines)).toMatchObject({
      startLine: 4,
      startCharacter: 17
    });
    expect(mapPosition({ line: 2, column: 1 }, { line: 4, character: 8 }, lines)).toEqual({
      startLine: 5,
      startCharacter: 0,
      endLine: 5,
      endCharacter: 3
    });
  });

  it('uses an inclusive end and clamps positions beyond the text', () => {
    expect(
      mapPosition({ line: 1, column: 1, endLine: 1, endColumn: 6 }, { line: 0, character: 0 }, [
        'SELECT 1'
      ])
    ).toEqual({ startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 6 });
    expect(mapPosition({ line: 9, column: 99 }, { line: 0, character: 0 }, ['ab'])).toMatchObject({
      startLine: 0,
      startCharacter: 2
    });
  });
});

describe('payload', () => {
  const payload: DrillResultPayload = {
    version: 1,
    columns: ['modality', 'n'].map((name, i) => ({ name, type: i ? 'BIGINT' : 'VARCHAR' })),
    rows: [
      ['CT', 3],
      ['MR', null]
    ],
    rowCount: 2,
    truncated: false
  };

  it('has a text/plain fallback', () => {
    const text = plainText(payload);
    expect(text.split('\n')).toEqual([
      'modality  n',
      '--------  ----',
      'CT        3',
      'MR        null',
      '2 rows'
    ]);
    expect(plainText({ ...payload, truncated: true })).toMatch(/the query has more/);
  });

  it('joins message and hint', () => {
    expect(errorText({ message: 'PARSE ERROR: x', hint: 'Check the SQL.' })).toBe(
      'PARSE ERROR: x\nHint: Check the SQL.'
    );
    expect(errorText({ message: 'boom', hint: '' })).toBe('boom');
  });
});
