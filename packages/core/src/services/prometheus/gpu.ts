// The GPU metrics Radlab shows, in the two exporter schemas users have: NVIDIA's dcgm-exporter
// (DCGM_FI_*, labels Hostname/gpu/UUID/pod) and the older nvidia_gpu_prometheus_exporter
// (nvidia_gpu_*, labels node/minor_number/uuid, no pods). Each metric is an expression of the
// vocabulary in promql.ts, in one unit whatever the schema.

import { matchersOf, promql, type Expr, type Matcher } from './promql.js';

export type GpuSchema = 'dcgm' | 'legacy';

export type GpuMetric =
  | 'util'
  | 'memUsed'
  | 'memTotal'
  | 'memUsedRatio'
  | 'power'
  | 'temp'
  | 'smClock'
  | 'memClock'
  | 'memCopyUtil'
  | 'tensorActive'
  | 'xid';

export interface GpuMetricInfo {
  readonly title: string;
  readonly unit: '%' | 'MiB' | 'W' | '°C' | 'MHz' | 'ratio' | '';
  /** A fixed axis range where the metric has one. */
  readonly max?: number;
}

export const GPU_METRICS: Readonly<Record<GpuMetric, GpuMetricInfo>> = {
  util: { title: 'Utilization', unit: '%', max: 100 },
  memUsed: { title: 'Memory used', unit: 'MiB' },
  memTotal: { title: 'Memory total', unit: 'MiB' },
  memUsedRatio: { title: 'Memory used', unit: 'ratio', max: 1 },
  power: { title: 'Power', unit: 'W' },
  temp: { title: 'Temperature', unit: '°C' },
  smClock: { title: 'SM clock', unit: 'MHz' },
  memClock: { title: 'Memory clock', unit: 'MHz' },
  memCopyUtil: { title: 'Memory copy utilization', unit: '%', max: 100 },
  tensorActive: { title: 'Tensor pipe active', unit: 'ratio', max: 1 },
  xid: { title: 'Last XID error', unit: '' }
};

/** The labels that name a GPU's node, index, UUID and model (and its pod) in a schema. */
export interface GpuLabels {
  readonly node: string;
  readonly gpu: string;
  readonly uuid: string;
  readonly model: string;
  readonly namespace?: string;
  readonly pod?: string;
  readonly container?: string;
}

export const GPU_LABELS: Readonly<Record<GpuSchema, GpuLabels>> = {
  dcgm: {
    node: 'Hostname',
    gpu: 'gpu',
    uuid: 'UUID',
    model: 'modelName',
    namespace: 'namespace',
    pod: 'pod',
    container: 'container'
  },
  legacy: { node: 'node', gpu: 'minor_number', uuid: 'uuid', model: 'name' }
};

/** The series whose presence says which schema a Prometheus has. */
export const SCHEMA_PROBE: Readonly<Record<GpuSchema, string>> = {
  dcgm: 'DCGM_FI_DEV_GPU_UTIL',
  legacy: 'nvidia_gpu_duty_cycle'
};

/** Which GPUs: each field one value or several; pods only exist in the DCGM schema. */
export interface GpuFilter {
  node?: string | readonly string[];
  gpu?: string | readonly string[];
  uuid?: string | readonly string[];
  namespace?: string;
  pod?: string | readonly string[];
}

const s = promql.selector;
const div = (l: Expr, r: Expr): Expr => promql.binary('/', l, r);

const DCGM: Record<GpuMetric, (m: Matcher[]) => Expr> = {
  util: m => s('DCGM_FI_DEV_GPU_UTIL', m),
  memUsed: m => s('DCGM_FI_DEV_FB_USED', m),
  memTotal: m => promql.binary('+', s('DCGM_FI_DEV_FB_USED', m), s('DCGM_FI_DEV_FB_FREE', m)),
  memUsedRatio: m =>
    div(
      s('DCGM_FI_DEV_FB_USED', m),
      promql.binary('+', s('DCGM_FI_DEV_FB_USED', m), s('DCGM_FI_DEV_FB_FREE', m))
    ),
  power: m => s('DCGM_FI_DEV_POWER_USAGE', m),
  temp: m => s('DCGM_FI_DEV_GPU_TEMP', m),
  smClock: m => s('DCGM_FI_DEV_SM_CLOCK', m),
  memClock: m => s('DCGM_FI_DEV_MEM_CLOCK', m),
  memCopyUtil: m => s('DCGM_FI_DEV_MEM_COPY_UTIL', m),
  tensorActive: m => s('DCGM_FI_PROF_PIPE_TENSOR_ACTIVE', m),
  xid: m => s('DCGM_FI_DEV_XID_ERRORS', m)
};

const LEGACY: Partial<Record<GpuMetric, (m: Matcher[]) => Expr>> = {
  util: m => s('nvidia_gpu_duty_cycle', m),
  memUsed: m => div(s('nvidia_gpu_memory_used_bytes', m), promql.number(1048576)),
  memTotal: m => div(s('nvidia_gpu_memory_total_bytes', m), promql.number(1048576)),
  memUsedRatio: m =>
    div(s('nvidia_gpu_memory_used_bytes', m), s('nvidia_gpu_memory_total_bytes', m)),
  power: m => div(s('nvidia_gpu_power_usage_milliwatts', m), promql.number(1000)),
  temp: m => s('nvidia_gpu_temperature_celsius', m)
};

/** Whether the schema has the metric (the older exporter has no clocks, tensor or XID). */
export function hasGpuMetric(schema: GpuSchema, metric: GpuMetric): boolean {
  return (schema === 'dcgm' ? DCGM : LEGACY)[metric] !== undefined;
}

export function gpuMatchers(filter: GpuFilter, schema: GpuSchema = 'dcgm'): Matcher[] {
  const labels = GPU_LABELS[schema];
  if ((filter.pod !== undefined || filter.namespace !== undefined) && !labels.pod)
    throw new TypeError('the nvidia_gpu_* exporter has no pod labels; use DCGM for a job view');
  return matchersOf({
    [labels.node]: filter.node,
    [labels.gpu]: filter.gpu,
    [labels.uuid]: filter.uuid,
    ...(labels.namespace ? { [labels.namespace]: filter.namespace } : {}),
    ...(labels.pod ? { [labels.pod]: filter.pod } : {})
  });
}

export interface GpuExprOptions {
  schema?: GpuSchema;
  /** One series per node (`by: 'node'`) or for the whole selection (`'all'`) instead of per GPU. */
  aggregate?: { op: 'sum' | 'avg' | 'max' | 'min'; by: 'node' | 'pod' | 'all' };
}

/** A GPU metric as PromQL: per GPU, or aggregated per node, per pod or over the selection. */
export function gpuExpr(
  metric: GpuMetric,
  filter: GpuFilter = {},
  options: GpuExprOptions = {}
): Expr {
  const schema = options.schema ?? 'dcgm';
  const build = (schema === 'dcgm' ? DCGM : LEGACY)[metric];
  if (!build) throw new TypeError(`the ${schema} schema has no ${metric} metric`);
  const expr = build(gpuMatchers(filter, schema));
  const agg = options.aggregate;
  if (!agg) return expr;
  const labels = GPU_LABELS[schema];
  if (agg.by === 'pod' && !labels.pod) throw new TypeError('the nvidia_gpu_* exporter has no pods');
  const by =
    agg.by === 'all'
      ? []
      : agg.by === 'node'
        ? [labels.node]
        : [labels.namespace as string, labels.pod as string];
  return promql.aggregate(agg.op, expr, by);
}

/** One GPU as the labels of its series name it. */
export interface GpuRef {
  node: string;
  gpu: string;
  uuid?: string;
  model?: string;
  namespace?: string;
  pod?: string;
  container?: string;
}

/** The GPU a series belongs to; undefined for a series without node and GPU labels (an aggregate). */
export function gpuOf(
  labels: Readonly<Record<string, string>>,
  schema: GpuSchema = 'dcgm'
): GpuRef | undefined {
  const l = GPU_LABELS[schema];
  const node = labels[l.node];
  const gpu = labels[l.gpu];
  if (node === undefined || gpu === undefined) return undefined;
  const ref: GpuRef = { node, gpu };
  const put = (key: keyof GpuRef, label: string | undefined): void => {
    const v = label ? labels[label] : undefined;
    if (v) ref[key] = v;
  };
  put('uuid', l.uuid);
  put('model', l.model);
  put('namespace', l.namespace);
  put('pod', l.pod);
  put('container', l.container);
  return ref;
}

/** "node/gpu": one GPU's key across metrics and refreshes. */
export const gpuKey = (ref: Pick<GpuRef, 'node' | 'gpu'>): string => `${ref.node}/${ref.gpu}`;

// one collator: localeCompare with options builds a new one on every call (tens of µs each)
const natural = new Intl.Collator(undefined, { numeric: true });

/** GPUs in the order people read them: by node (natural order), then by index. */
export function compareGpus(
  a: Pick<GpuRef, 'node' | 'gpu'>,
  b: Pick<GpuRef, 'node' | 'gpu'>
): number {
  return natural.compare(a.node, b.node) || natural.compare(a.gpu, b.gpu);
}

const GROUPED = new Intl.NumberFormat('en-US');

/** A value in its unit, at a precision that fits it: "87 %", "61,440 MiB", "312.5 W". */
export function formatMetric(
  value: number | null | undefined,
  info: Pick<GpuMetricInfo, 'unit'>
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  switch (info.unit) {
    case 'ratio':
      return `${(value * 100).toFixed(1)} %`;
    case '%':
      return `${Math.round(value)} %`;
    case 'MiB':
      return `${GROUPED.format(Math.round(value))} MiB`;
    case 'W':
      return `${value.toFixed(1)} W`;
    case '°C':
      return `${Math.round(value)} °C`;
    case 'MHz':
      return `${Math.round(value)} MHz`;
    default:
      return String(value);
  }
}
