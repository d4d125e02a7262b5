// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import {
  LIVY_TABLE_MIME,
  livyTable,
  livyTableText,
  renderLivyOutput,
  renderLivyProgress
} from './output.js';

describe('Livy statement output', () => {
  it('renders text as text', () => {
    const node = renderLivyOutput(document, {
      status: 'ok',
      data: { 'text/plain': '<img src=x onerror=alert(1)>' }
    });
    expect(node.querySelector('pre')?.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(node.querySelector('img')).toBeNull();
  });

  it('renders Spark SQL results and Livy tables with their row count', () => {
    const sql = {
      'application/json': {
        schema: {
          type: 'struct',
          fields: [
            { name: 'id', type: 'long' },
            { name: 'v', type: 'string' }
          ]
        },
        data: [
          [1, '<b>x</b>'],
          [2, null]
        ]
      }
    };
    expect(livyTable(sql)?.columns).toEqual([
      { name: 'id', type: 'long' },
      { name: 'v', type: 'string' }
    ]);
    const node = renderLivyOutput(document, { status: 'ok', data: sql });
    const cells = [...node.querySelectorAll('td')].map(td => td.textContent);
    expect(cells).toEqual(['1', '<b>x</b>', '2', 'null']);
    expect(node.querySelector('b')).toBeNull();
    expect(node.querySelector('.rl-LivyOutput-count')?.textContent).toBe('2 rows');

    const table = { [LIVY_TABLE_MIME]: { headers: [{ name: 'a' }], data: [[{ k: 1 }]] } };
    expect(
      renderLivyOutput(document, { status: 'ok', data: table }).querySelector('td')?.textContent
    ).toBe('{"k":1}');
  });

  it('says when a table is cut for display', () => {
    const rows = Array.from({ length: 1500 }, (_, i) => [i]);
    const data = { [LIVY_TABLE_MIME]: { headers: [{ name: 'i' }], data: rows } };
    const node = renderLivyOutput(document, { status: 'ok', data });
    expect(node.querySelectorAll('tbody tr')).toHaveLength(1000);
    expect(node.querySelector('.rl-LivyOutput-count')?.textContent).toBe(
      '1,500 rows, the first 1,000 shown'
    );
  });

  it('shows a Spark error with its traceback, and images only as base64 PNG', () => {
    const error = renderLivyOutput(document, {
      status: 'error',
      ename: 'NameError',
      evalue: "name 'x' is not defined",
      traceback: ['Traceback (most recent call last):\n', '  File "<stdin>", line 1\n']
    });
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.querySelector('.rl-LivyOutput-exception')?.textContent).toBe(
      "NameError: name 'x' is not defined"
    );
    expect(error.querySelector('pre')?.textContent).toContain('line 1');
    const png = renderLivyOutput(document, { status: 'ok', data: { 'image/png': 'iVBORw0KGgo=' } });
    expect(png.querySelector('img')?.getAttribute('src')).toBe(
      'data:image/png;base64,iVBORw0KGgo='
    );
    const bad = renderLivyOutput(document, { status: 'ok', data: { 'image/png': '"><script>' } });
    expect(bad.querySelector('img')).toBeNull();
    expect(bad.textContent).toBe('The statement returned no output.');
  });

  it('shows progress while a statement runs', () => {
    const node = renderLivyProgress(document, 'running', 0.5);
    expect(node.querySelector('progress')?.value).toBe(0.5);
    expect(renderLivyProgress(document, 'waiting', undefined).querySelector('progress')).toBeNull();
  });
});

describe('livyTableText', () => {
  it('aligns columns, flattens line breaks and says the row count', () => {
    expect(
      livyTableText({
        columns: [{ name: 'id' }, { name: 'name' }],
        rows: [
          [1, 'a\nb'],
          [22, null]
        ]
      })
    ).toBe('id | name\n---+-----\n1  | a b\n22 | null\n2 rows');
  });
});
