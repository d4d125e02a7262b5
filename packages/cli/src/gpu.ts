// `radlab gpu query [--job NS/POD] [--node N] [--since 1h] [--csv]`: the GPUs Prometheus reports, one row
// each (utilization, memory, power, temperature now, or averaged over --since), from the dcgm-exporter
// (or nvidia_gpu) series. Exit codes: 0 ok, 1 Prometheus failed or has no GPU metrics, 2 usage.

import {
  GPU_METRICS,
  PrometheusClient,
  compareGpus,
  formatMetric,
  discoverGpus,
  gpuExpr,
  gpuKey,
  gpuOf,
  hasGpuMetric,
  renderPromQL,
  type GpuFilter,
  type GpuMetric,
  type GpuSchema
} from '@radlab/core';
import { createNodeTransport } from '@radlab/core/node';
import { EXIT_OK, pickConnection, type Io, type LoadFlags } from './connections.js';
import { csvLine } from './drill.js';
import { configError, printError } from './failure.js';
import { renderTable, stylerFor } from './table.js';

export interface GpuFlags extends LoadFlags {
  connection?: string;
  /** `namespace/pod` or `pod`. */
  job?: string;
  node?: string;
  /** A Prometheus duration (`15m`, `1h`): averages over it instead of the values now. */
  since?: string;
  csv?: boolean;
}

const COLUMNS: GpuMetric[] = ['util', 'memUsed', 'power', 'temp'];

/** The GPUs of `--node` and `--job NS/POD` (or `--job POD`). */
export function filterOf(flags: Pick<GpuFlags, 'node' | 'job'>): GpuFilter {
  const filter: GpuFilter = {};
  if (flags.node) filter.node = flags.node;
  if (flags.job) {
    const [a, b] = flags.job.split('/', 2);
    if (b !== undefined) Object.assign(filter, { namespace: a, pod: b });
    else filter.pod = a as string;
  }
  return filter;
}

function seconds(since: string): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(since);
  if (!m) throw configError(`--since ${since} is not a duration`, 'Use e.g. 30s, 15m, 1h or 2d.');
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

export async function gpuQuery(flags: GpuFlags, io: Io): Promise<number> {
  try {
    const conn = await pickConnection('prometheus', flags, io);
    const client = new PrometheusClient(await createNodeTransport(conn, { env: io.env }));
    const range = flags.since ? seconds(flags.since) : undefined;
    const inventory = await discoverGpus(client);
    const schema: GpuSchema = inventory.schema;
    const filter = filterOf(flags);
    const values = new Map<string, Partial<Record<GpuMetric, number>>>();
    const gpus = new Map<string, ReturnType<typeof gpuOf>>();
    for (const metric of COLUMNS.filter(m => hasGpuMetric(schema, m))) {
      const expr = gpuExpr(metric, filter, { schema });
      // averages over the range: the subquery form works for any expression, a selector or a ratio
      const query = range ? `avg_over_time((${renderPromQL(expr)})[${range}s:])` : expr;
      for (const s of await client.query(query)) {
        const gpu = gpuOf(s.labels, schema);
        if (!gpu) continue;
        const key = gpuKey(gpu);
        gpus.set(key, { ...gpus.get(key), ...gpu });
        values.set(key, { ...values.get(key), [metric]: s.value });
      }
    }
    const keys = [...gpus.keys()].sort((a, b) => compareGpus(gpus.get(a)!, gpus.get(b)!));
    if (keys.length === 0) {
      io.stderr.write(
        `No GPU matches${flags.job ? ` job ${flags.job}` : ''}${flags.node ? ` on node ${flags.node}` : ''} (Prometheus has ${inventory.gpus.length} GPUs on ${inventory.nodes.join(', ')}).\n`
      );
      return 1;
    }
    const header = ['node', 'gpu', 'pod', ...COLUMNS.map(m => GPU_METRICS[m].title.toLowerCase())];
    const rows = keys.map(k => {
      const g = gpus.get(k)!;
      const v = values.get(k) ?? {};
      return { g, v };
    });
    if (flags.csv) {
      const unit = (m: GpuMetric): string => GPU_METRICS[m].unit;
      io.stdout.write(
        csvLine([
          ...header.slice(0, 3),
          ...COLUMNS.map(m => `${GPU_METRICS[m].title} (${unit(m)})`)
        ])
      );
      for (const { g, v } of rows) {
        const pod = g.pod ? `${g.namespace ?? ''}/${g.pod}` : '';
        io.stdout.write(csvLine([g.node, g.gpu, pod, ...COLUMNS.map(m => v[m] ?? '')]));
      }
      return EXIT_OK;
    }
    const styler = stylerFor(io.stdout.isTTY, io.env);
    const table = rows.map(({ g, v }) => [
      { text: g.node },
      { text: g.gpu },
      {
        text: g.pod ? `${g.namespace ?? ''}/${g.pod}` : 'free',
        style: g.pod ? undefined : styler.dim
      },
      ...COLUMNS.map(m => ({ text: formatMetric(v[m], GPU_METRICS[m]) }))
    ]);
    io.stdout.write(`${renderTable(header, table, styler)}\n`);
    if (range) io.stdout.write(styler.dim(`averages over the last ${flags.since}\n`));
    return EXIT_OK;
  } catch (error) {
    return printError(error, io);
  }
}
