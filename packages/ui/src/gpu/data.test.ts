import { describe, expect, it } from 'vitest';
import { columnsCsv, formatMetric, gpuColumns, heatColour, latest } from './data.js';

const series = (gpu: string, node: string, times: number[], values: number[]) => ({
  labels: { Hostname: node, gpu, UUID: `GPU-${node}-${gpu}` },
  times,
  values
});

describe('GPU view data', () => {
  it('orders GPUs naturally and shows a missing point as a gap', () => {
    const cols = gpuColumns(
      [series('10', 'n1', [0, 5], [1, 2]), series('2', 'n1', [0, 5, 20, 25], [10, 20, NaN, 40])],
      5
    );
    expect(cols.map(c => c.key)).toEqual(['n1/2', 'n1/10']);
    expect(cols[0]!.times).toEqual([0, 5, 10, 20, 25]);
    expect(cols[0]!.values).toEqual([10, 20, null, null, 40]);
    expect(latest(cols[0]!)).toBe(40);
    expect(latest({ ...cols[0]!, values: [null] })).toBeUndefined();
  });

  it('writes values in their unit', () => {
    expect(formatMetric(86.6, { unit: '%' })).toBe('87 %');
    expect(formatMetric(61440, { unit: 'MiB' })).toBe('61,440 MiB');
    expect(formatMetric(0.9641, { unit: 'ratio' })).toBe('96.4 %');
    expect(formatMetric(312.46, { unit: 'W' })).toBe('312.5 W');
    expect(formatMetric(null, { unit: 'W' })).toBe('–');
  });

  it('exports CSV with a time column and one column per GPU', () => {
    const cols = gpuColumns([series('0', 'n1', [0, 5], [1, 2]), series('1', 'n1', [5], [3])], 5);
    expect(columnsCsv(cols, 'Utilization')).toBe(
      'time,Utilization n1 · GPU 0,Utilization n1 · GPU 1\r\n' +
        '1970-01-01T00:00:00.000Z,1,\r\n' +
        '1970-01-01T00:00:05.000Z,2,3\r\n'
    );
  });

  it('colours the heat map from idle to busy', () => {
    expect(heatColour(undefined)).toBe('transparent');
    expect(heatColour(0)).toBe('hsl(210, 35%, 72%)');
    expect(heatColour(100)).toBe('hsl(0, 85%, 50%)');
  });
});
