import { describe, expect, it } from 'vitest';
import { gpuExpr, gpuOf, compareGpus } from './gpu.js';
import { matchersOf, promql, quoteLabelValue, regexLiteral, renderPromQL } from './promql.js';
import { alignDown, chooseStep, narrowStep, PROMETHEUS_MAX_POINTS } from './step.js';

describe('PromQL vocabulary', () => {
  it('renders selectors, ranges, calls, aggregations and arithmetic', () => {
    const util = promql.selector('DCGM_FI_DEV_GPU_UTIL', [
      { label: 'Hostname', op: '=', value: 'n1' }
    ]);
    expect(renderPromQL(util)).toBe('DCGM_FI_DEV_GPU_UTIL{Hostname="n1"}');
    expect(renderPromQL(promql.call('avg_over_time', promql.range(util, 600)))).toBe(
      'avg_over_time(DCGM_FI_DEV_GPU_UTIL{Hostname="n1"}[10m])'
    );
    expect(renderPromQL(promql.aggregate('sum', util, ['Hostname']))).toBe(
      'sum by (Hostname) (DCGM_FI_DEV_GPU_UTIL{Hostname="n1"})'
    );
    const ratio = promql.binary('/', util, promql.binary('+', util, promql.number(1)));
    expect(renderPromQL(ratio)).toBe(
      'DCGM_FI_DEV_GPU_UTIL{Hostname="n1"} / (DCGM_FI_DEV_GPU_UTIL{Hostname="n1"} + 1)'
    );
  });

  it('escapes label values and quotes regexes, so a value is never PromQL', () => {
    expect(quoteLabelValue('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    expect(regexLiteral('train.v2|x')).toBe('train\\.v2\\|x');
    const injected = promql.selector('up', matchersOf({ pod: '"} or vector(1) #' }));
    expect(renderPromQL(injected)).toBe('up{pod="\\"} or vector(1) #"}');
    expect(matchersOf({ gpu: ['0', '1'], node: undefined })).toEqual([
      { label: 'gpu', op: '=~', value: '0|1' }
    ]);
    expect(() => matchersOf({ gpu: [] })).toThrow(/no values/);
    expect(() => promql.selector('up{x="1"}')).toThrow(/metric name/);
    expect(() => promql.selector('up', [{ label: 'a-b', op: '=', value: '' }])).toThrow(
      /label name/
    );
  });

  it('names GPU metrics in both exporter schemas, in one unit', () => {
    expect(renderPromQL(gpuExpr('util', { node: 'gpu-node-1', gpu: ['0', '1'] }))).toBe(
      'DCGM_FI_DEV_GPU_UTIL{Hostname="gpu-node-1",gpu=~"0|1"}'
    );
    expect(
      renderPromQL(
        gpuExpr('memUsed', {}, { schema: 'legacy', aggregate: { op: 'sum', by: 'node' } })
      )
    ).toBe('sum by (node) (nvidia_gpu_memory_used_bytes / 1048576)');
    expect(
      renderPromQL(
        gpuExpr(
          'util',
          { pod: 'train-0', namespace: 'ml' },
          { aggregate: { op: 'avg', by: 'pod' } }
        )
      )
    ).toBe('avg by (namespace, pod) (DCGM_FI_DEV_GPU_UTIL{namespace="ml",pod="train-0"})');
    expect(() => gpuExpr('smClock', {}, { schema: 'legacy' })).toThrow(/no smClock/);
    expect(() => gpuExpr('util', { pod: 'x' }, { schema: 'legacy' })).toThrow(/no pod labels/);
  });

  it('reads a GPU from its labels and orders GPUs naturally', () => {
    expect(gpuOf({ Hostname: 'n1', gpu: '3', UUID: 'GPU-1', pod: '', namespace: 'ml' })).toEqual({
      node: 'n1',
      gpu: '3',
      uuid: 'GPU-1',
      namespace: 'ml'
    });
    expect(gpuOf({ Hostname: 'n1' })).toBeUndefined();
    const gpus = [
      { node: 'n10', gpu: '0' },
      { node: 'n2', gpu: '10' },
      { node: 'n2', gpu: '2' }
    ].sort(compareGpus);
    expect(gpus.map(g => `${g.node}/${g.gpu}`)).toEqual(['n2/2', 'n2/10', 'n10/0']);
  });
});

describe('step from the range', () => {
  it('chooses a nice step, never under the scrape interval', () => {
    expect(chooseStep(60)).toBe(5);
    expect(chooseStep(15 * 60)).toBe(5);
    expect(chooseStep(3600)).toBe(15);
    expect(chooseStep(6 * 3600)).toBe(120);
    expect(chooseStep(7 * 86400)).toBe(3600);
    expect(chooseStep(3600, { points: 3600, minStep: 1 })).toBe(1);
  });

  it('narrows a step that Prometheus would refuse', () => {
    expect(narrowStep(86400, 1)).toBeGreaterThanOrEqual(86400 / PROMETHEUS_MAX_POINTS);
    expect(86400 / narrowStep(86400, 1)).toBeLessThan(PROMETHEUS_MAX_POINTS);
    expect(narrowStep(3600, 15)).toBe(15);
    expect(alignDown(1003, 5)).toBe(1000);
  });
});
