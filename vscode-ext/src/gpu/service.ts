// Where the GPU views' data comes from, in the extension host: the chosen Prometheus connection (the
// setting radlab.gpu.connection, else the first of kind prometheus), its client built with the
// connection's credentials here, never in a webview; or, with no Prometheus connection, this machine's
// GPUs sampled with nvidia-smi (core's NvidiaSmiSampler + LocalGpuClient). The webviews call the
// client's read-only methods by name through `call` (messages.ts). No `vscode` import.
import {
  clientSource,
  ConnectionClientCache,
  LocalGpuClient,
  PrometheusClient,
  RadlabError,
  SERVICES,
  type ConnectionConfig
} from '@radlab/core';
import { createNodeTransport, NvidiaSmiSampler, type SecretValues } from '@radlab/core/node';
import { connectionOfKind } from '../connections/ofKind.js';
import { GPU_METHODS, type GpuMethod } from './webview/messages.js';

export type GpuBackend =
  | { kind: 'prometheus'; connection: string; client: PrometheusClient }
  | { kind: 'local'; client: LocalGpuClient };

export interface GpuServiceDeps {
  list(): Promise<ConnectionConfig[]>;
  resolve(name: string): Promise<{ config: ConnectionConfig; secrets: SecretValues } | undefined>;
  /** The setting radlab.gpu.connection ('' for the first Prometheus connection). */
  preferred(): string;
  /** The setting radlab.gpu.nvidiaSmiPath ('' for nvidia-smi on PATH). */
  nvidiaSmi(): string;
}

/** Where each method's options object (or, for planRange, its signal) sits among its arguments. */
const OPTIONS_AT: Readonly<Record<GpuMethod, number>> = {
  query: 1,
  queryRange: 2,
  labelValues: 1,
  series: 1,
  alerts: 0,
  rules: 0,
  planRange: 3
};

export class GpuService {
  private readonly clients = new ConnectionClientCache<Promise<PrometheusClient>>();
  private local?: { command: string; sampler: NvidiaSmiSampler; client: LocalGpuClient };

  constructor(private readonly deps: GpuServiceDeps) {}

  async prometheusConnections(): Promise<ConnectionConfig[]> {
    return (await this.deps.list()).filter(c => c.kind === 'prometheus');
  }

  /** The Prometheus connection the views use, or undefined (then: the local fallback). */
  async connection(name?: string): Promise<string | undefined> {
    const wanted = name || this.deps.preferred();
    const all = await this.prometheusConnections();
    if (wanted) {
      if (!all.some(c => c.name === wanted)) {
        throw new RadlabError({
          code: 'config',
          service: 'radlab',
          message: `no Prometheus connection named "${wanted}"`,
          hint: `Set radlab.gpu.connection to one of: ${all.map(c => c.name).join(', ') || 'none (clear it to sample this machine with nvidia-smi)'}.`
        });
      }
      return wanted;
    }
    return all[0]?.name;
  }

  /** The backend of a connection (default: the preferred one), the local sampler when there is none. */
  async backend(name?: string): Promise<GpuBackend> {
    const connection = await this.connection(name);
    if (!connection) return { kind: 'local', client: this.localClient() };
    return { kind: 'prometheus', connection, client: await this.client(connection) };
  }

  async client(name: string): Promise<PrometheusClient> {
    const { config, secrets } = await connectionOfKind(
      this.deps.resolve,
      name,
      'prometheus',
      'Prometheus'
    );
    return this.clients.get(name, await clientSource(config, { ...secrets }), async () => {
      const transport = await createNodeTransport(config, { secrets });
      const client = SERVICES.prometheus.createClient?.(transport, config) as
        PrometheusClient | undefined;
      if (!client)
        throw new RadlabError({
          code: 'config',
          service: 'prometheus',
          message: 'this Radlab build has no Prometheus client',
          connection: name
        });
      return client;
    });
  }

  private localClient(): LocalGpuClient {
    const command = this.deps.nvidiaSmi() || 'nvidia-smi';
    if (this.local?.command !== command) {
      this.local?.sampler.dispose();
      const sampler = new NvidiaSmiSampler({ command });
      this.local = { command, sampler, client: new LocalGpuClient(sampler) };
    }
    return this.local.client;
  }

  /** A webview's call of a client method, with the host's signal put where the method takes it. */
  async call(
    backend: GpuBackend,
    method: string,
    args: unknown[],
    signal: AbortSignal
  ): Promise<unknown> {
    if (!(GPU_METHODS as readonly string[]).includes(method)) {
      throw new RadlabError({
        code: 'badRequest',
        service: 'radlab',
        message: `the GPU view asked for "${method}", which is not a read-only Prometheus call`
      });
    }
    const m = method as GpuMethod;
    const at = OPTIONS_AT[m];
    const full = [...args];
    while (full.length < at) full.push(undefined);
    if (m === 'planRange') full[at] = signal;
    else full[at] = { ...((full[at] as object | undefined) ?? {}), signal };
    const fn = (backend.client as unknown as Record<string, unknown>)[m];
    if (typeof fn !== 'function')
      throw new RadlabError({
        code: 'badRequest',
        service: 'radlab',
        message: `this Radlab build's client has no ${m}()`
      });
    return (fn as (...a: unknown[]) => Promise<unknown>).apply(backend.client, full);
  }

  /** Forgets clients (configuration or secret change). */
  reset(): void {
    this.clients.reset();
  }

  dispose(): void {
    this.local?.sampler.dispose();
    this.local = undefined;
  }
}
