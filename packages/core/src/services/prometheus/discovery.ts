// What a Prometheus knows of GPUs: which exporter schema it has, its nodes, GPUs and pods, read from the
// current samples (a GPU's pod changes when a job ends; the series of the last minutes say who holds it
// now).

import { RadlabError } from '../../errors.js';
import type { PrometheusClient, QueryOptions } from './client.js';
import { compareGpus, gpuKey, gpuOf, SCHEMA_PROBE, type GpuRef, type GpuSchema } from './gpu.js';
import { promql } from './promql.js';

/** The schema whose utilization series exist (DCGM first); undefined when neither does. */
export async function detectGpuSchema(
  client: PrometheusClient,
  options: QueryOptions = {}
): Promise<GpuSchema | undefined> {
  const names = await client.labelValues('__name__', options);
  if (names.includes(SCHEMA_PROBE.dcgm)) return 'dcgm';
  if (names.includes(SCHEMA_PROBE.legacy)) return 'legacy';
  return undefined;
}

export interface GpuInventory {
  schema: GpuSchema;
  /** Every GPU reporting now, by node then index. */
  gpus: GpuRef[];
  nodes: string[];
  /** "namespace/pod" of the pods holding GPUs now. */
  pods: string[];
}

/** The GPUs reporting now; a clear error when the Prometheus has no GPU exporter's series. */
export async function discoverGpus(
  client: PrometheusClient,
  options: QueryOptions & { schema?: GpuSchema } = {}
): Promise<GpuInventory> {
  const schema = options.schema ?? (await detectGpuSchema(client, options));
  if (!schema) {
    throw new RadlabError({
      code: 'notFound',
      service: 'prometheus',
      message: `this Prometheus has no GPU metrics (neither ${SCHEMA_PROBE.dcgm} nor ${SCHEMA_PROBE.legacy})`,
      hint: 'Check that it scrapes a dcgm-exporter (port 9400) or nvidia_gpu_prometheus_exporter; on the local stack: scripts/services/dcgm-exporter start.'
    });
  }
  const samples = await client.query(promql.selector(SCHEMA_PROBE[schema]), options);
  const byKey = new Map<string, GpuRef>();
  for (const s of samples) {
    const ref = gpuOf(s.labels, schema);
    if (ref) byKey.set(gpuKey(ref), ref);
  }
  const gpus = [...byKey.values()].sort(compareGpus);
  const nodes = [...new Set(gpus.map(g => g.node))];
  const pods = [
    ...new Set(gpus.filter(g => g.pod).map(g => `${g.namespace ?? ''}/${g.pod as string}`))
  ].sort();
  return { schema, gpus, nodes, pods };
}
