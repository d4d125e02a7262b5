import { describe, expect, it } from 'vitest';
import { MAX_BARS, MAX_LINE_POINTS, quickChart, shortLabel, type ChartData } from './chart.js';

const data = (rows: Array<[unknown, unknown]>, kind: ChartData['kind'] = 'bar'): ChartData => ({
  kind,
  xName: 'name',
  yName: 'score',
  count: rows.length,
  x: i => rows[i]![0],
  y: i => rows[i]![1]
});

describe('quick chart', () => {
  it('plots the rows with a numeric Y, labelled by their X text', () => {
    const spec = quickChart(
      data([
        ['Knee MRI', 2.5],
        ['<img src=x onerror=alert(1)>', null],
        ['chest CT', '10'],
        [null, -1],
        ['flag', true]
      ])
    );
    expect(spec.labels).toEqual(['Knee MRI', 'chest CT', 'null', 'flag']);
    expect(spec.ys).toEqual([2.5, 10, -1, 1]);
    expect([spec.min, spec.max]).toEqual([-1, 10]);
    expect(spec.caption).toBe('score by name — 4 rows');
    expect(spec.ariaLabel).toBe('bar chart of score by name, 4 points');
    expect(shortLabel('a very long study description')).toBe('a very long s…');
  });

  it('says how many rows a large view plots, and when nothing is numeric', () => {
    const many = Array.from({ length: 5000 }, (_, i): [unknown, unknown] => [i, i % 7]);
    expect(quickChart(data(many)).ys).toHaveLength(MAX_BARS);
    expect(quickChart(data(many)).caption).toBe('score by name — first 60 of 5,000 rows');
    const line = quickChart(data(many, 'line'));
    expect(line.ys).toHaveLength(MAX_LINE_POINTS);
    expect(line.caption).toBe('score by name — 1000 of 5,000 rows, evenly sampled');
    expect(quickChart(data([['a', 'x']])).caption).toBe('No numeric values in score');
    // a flat series still has a range that includes 0
    const flat = quickChart(
      data([
        ['a', 3],
        ['b', 3]
      ])
    );
    expect([flat.min, flat.max]).toEqual([0, 3]);
  });
});
