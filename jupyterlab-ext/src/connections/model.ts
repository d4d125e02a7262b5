// The connections as the lab sees them: the list from the Jupyter server, and a health check of each
// run here in the browser with @radlab/core through the server's proxy (credentials are injected there;
// the browser never holds one). Re-checked every 30 s while the page is visible.
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { Poll } from '@lumino/polling';
import { Signal } from '@lumino/signaling';
import type { ISignal } from '@lumino/signaling';
import {
  checkHealth,
  ConnectionClientCache,
  DEFAULT_TIMEOUT_MS,
  RadlabError,
  redactUrl,
  serviceDefinition,
  Transport
} from '@radlab/core';
import type {
  ConnectionConfig,
  DrillClient,
  KubernetesClient,
  LivyClient,
  WebHdfsClient,
  HealthResult,
  RadlabErrorJSON,
  ServiceKind
} from '@radlab/core';
import { requestAPI, toErrorJSON } from '../api.js';
import type {
  ConnectionsReply,
  HealthEntry,
  IRadlabConnections,
  PublicConnection
} from '../tokens.js';

/** Extra time the browser waits beyond a connection's timeout, so the proxy's own 504 answer arrives first. */
const PROXY_SLACK_MS = 5_000;

export interface ConnectionsModelOptions {
  serverSettings?: ServerConnection.ISettings;
  /** Re-check interval in ms (default 30000). */
  interval?: number;
}

/** The proxy base URL of a connection: `{base_url}radlab/proxy/<name>/`. */
export function proxyBaseURL(settings: ServerConnection.ISettings, name: string): string {
  return URLExt.join(settings.baseUrl, 'radlab/proxy', encodeURIComponent(name)) + '/';
}

/** The config core's checks need: the public connection without auth (the proxy adds it) or source. */
export function toConnectionConfig(connection: PublicConnection): ConnectionConfig {
  const config: ConnectionConfig = { name: connection.name, kind: connection.kind };
  if (connection.description !== undefined) config.description = connection.description;
  if (connection.url !== undefined) config.url = connection.url;
  if (connection.protocol !== undefined) config.protocol = connection.protocol;
  if (connection.root !== undefined) config.root = connection.root;
  if (connection.context !== undefined) config.context = connection.context;
  if (connection.timeoutMs !== undefined) config.timeoutMs = connection.timeoutMs;
  return config;
}

/** A core transport to `connection` through the Jupyter proxy. */
export function createProxyTransport(
  settings: ServerConnection.ISettings,
  connection: Pick<PublicConnection, 'name' | 'kind' | 'timeoutMs'>,
  options: { retries?: number } = {}
): Transport {
  const headers: Record<string, string> = {};
  if (settings.token) headers['Authorization'] = `token ${settings.token}`;
  return new Transport({
    service: connection.kind,
    connection: connection.name,
    baseURL: proxyBaseURL(settings, connection.name),
    timeoutMs: (connection.timeoutMs ?? DEFAULT_TIMEOUT_MS) + PROXY_SLACK_MS,
    auth: { type: 'none' },
    headers,
    retries: options.retries,
    userAgent: false,
    xsrfCookieName: '_xsrf',
    xsrfHeaderName: 'X-XSRFToken'
  });
}

export class ConnectionsModel implements IRadlabConnections {
  private readonly settings: ServerConnection.ISettings;
  private readonly poll: Poll;
  private readonly _changed = new Signal<this, void>(this);
  private _connections: PublicConnection[] = [];
  private _errors: RadlabErrorJSON[] = [];
  private readonly _health = new Map<string, HealthEntry>();
  private _loading = false;
  private _disposed = false;
  private started = false;
  /** The in-flight reload; a newer one aborts it. */
  private reloadController?: AbortController;
  /** In-flight checks by connection name. */
  private readonly checks = new Map<string, AbortController>();
  private readonly clients = new ConnectionClientCache<unknown>();

  constructor(options: ConnectionsModelOptions = {}) {
    this.settings = options.serverSettings ?? ServerConnection.makeSettings();
    this.poll = new Poll({
      name: '@radlab/jupyterlab-ext:connections',
      auto: false,
      frequency: { interval: options.interval ?? 30_000, backoff: false },
      standby: 'when-hidden',
      // `started` fires at once; the first load is start()'s own refresh.
      factory: async state => {
        if (state.phase !== 'started') await this.reload(false);
      }
    });
  }

  get connections(): ReadonlyArray<PublicConnection> {
    return this._connections;
  }

  get errors(): ReadonlyArray<RadlabErrorJSON> {
    return this._errors;
  }

  get health(): ReadonlyMap<string, HealthEntry> {
    return this._health;
  }

  get loading(): boolean {
    return this._loading;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Loads the list, checks everything, then re-checks on the poll's schedule. */
  async start(): Promise<void> {
    if (this.started || this._disposed) return;
    this.started = true;
    await this.refresh();
    if (!this._disposed) await this.poll.start();
  }

  refresh(): Promise<void> {
    return this.reload(true);
  }

  async check(name: string): Promise<HealthResult | undefined> {
    const connection = this._connections.find(c => c.name === name);
    if (!connection || this._disposed) return undefined;
    return this.checkOne(connection, true);
  }

  transport(name: string): Transport | undefined {
    const connection = this._connections.find(c => c.name === name);
    return connection ? createProxyTransport(this.settings, connection) : undefined;
  }

  client(kind: 'drill', name: string): DrillClient | undefined;
  client(kind: 'livy', name: string): LivyClient | undefined;
  client(kind: 'files', name: string): WebHdfsClient | undefined;
  client(kind: 'kubernetes', name: string): KubernetesClient | undefined;
  client(kind: ServiceKind, name: string): unknown;
  client(kind: ServiceKind, name: string): unknown {
    const connection = this._connections.find(c => c.name === name && c.kind === kind);
    const create = serviceDefinition(kind)?.createClient;
    if (!connection || !create) return undefined;
    // built from the public config (the secret stays on the server, the proxy adds it)
    return this.clients.get(`${kind}:${name}`, { connection }, () =>
      create(
        createProxyTransport(this.settings, connection),
        connection as unknown as ConnectionConfig,
        undefined as never
      )
    );
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this.poll.dispose();
    this.reloadController?.abort();
    for (const controller of this.checks.values()) controller.abort();
    this.checks.clear();
    Signal.clearData(this);
  }

  /**
   * Reloads the list and checks every connection. `loud` (a user's refresh) shows every row as checking;
   * a periodic re-check keeps the last results on screen until the new ones arrive.
   */
  private async reload(loud: boolean): Promise<void> {
    if (this._disposed) return;
    this.reloadController?.abort();
    const controller = new AbortController();
    this.reloadController = controller;
    const { signal } = controller;

    if (loud) {
      this._loading = true;
      for (const c of this._connections) this._health.set(c.name, 'checking');
      this.emit();
    }

    let reply: ConnectionsReply;
    try {
      reply = await requestAPI<ConnectionsReply>('api/connections', { signal }, this.settings);
      if (!reply || !Array.isArray(reply.connections)) {
        throw new RadlabError({
          code: 'badResponse',
          service: 'radlab',
          message: 'radlab/api/connections answered without a connections list',
          hint: 'The Radlab server extension and this lab extension may be different versions; reinstall radlab.'
        });
      }
    } catch (e) {
      if (signal.aborted || this._disposed) return;
      this._loading = false;
      this._errors = [toErrorJSON(e)];
      // The checks can't run without a current list: drop the spinners, keep the last results.
      for (const [name, entry] of this._health) {
        if (entry === 'checking') this._health.delete(name);
      }
      this.emit();
      return;
    }
    if (signal.aborted || this._disposed) return;

    this._connections = reply.connections;
    this._errors = Array.isArray(reply.errors) ? reply.errors : [];
    this._loading = false;
    const names = new Set(this._connections.map(c => c.name));
    for (const name of [...this._health.keys()]) {
      if (!names.has(name)) this._health.delete(name);
    }
    for (const [name, controller] of [...this.checks]) {
      if (!names.has(name)) {
        controller.abort();
        this.checks.delete(name);
      }
    }
    for (const c of this._connections) {
      if (loud || !this._health.has(c.name)) this._health.set(c.name, 'checking');
    }
    this.emit();

    await Promise.all(this._connections.map(c => this.checkOne(c, false, signal)));
    if (this.reloadController === controller) this.reloadController = undefined;
  }

  private async checkOne(
    connection: PublicConnection,
    showChecking: boolean,
    parent?: AbortSignal
  ): Promise<HealthResult | undefined> {
    this.checks.get(connection.name)?.abort();
    const controller = new AbortController();
    this.checks.set(connection.name, controller);
    const onParentAbort = (): void => controller.abort();
    parent?.addEventListener('abort', onParentAbort, { once: true });
    if (showChecking) {
      this._health.set(connection.name, 'checking');
      this.emit();
    }
    try {
      const transport = createProxyTransport(this.settings, connection, { retries: 1 });
      const result = await checkHealth(toConnectionConfig(connection), {
        transport,
        signal: controller.signal,
        posixProbe: () => this.statRoot(connection.name, controller.signal)
      });
      if (controller.signal.aborted || this._disposed) return undefined;
      this._health.set(connection.name, result);
      this.emit();
      return result;
    } finally {
      parent?.removeEventListener('abort', onParentAbort);
      if (this.checks.get(connection.name) === controller) this.checks.delete(connection.name);
    }
  }

  /** posix connections: the server stats `root` (the mount is on the server, not in the browser). */
  private async statRoot(name: string, signal: AbortSignal): Promise<void> {
    await requestAPI<unknown>(
      `api/connections/${encodeURIComponent(name)}/stat?path=${encodeURIComponent('/')}`,
      { signal },
      this.settings
    );
  }

  private emit(): void {
    if (!this._disposed) this._changed.emit();
  }
}

/** What the panel shows for a connection: never a secret, and a URL without userinfo. */
export function summarize(connection: PublicConnection): {
  name: string;
  kind: string;
  description?: string;
  url?: string;
} {
  return {
    name: connection.name,
    kind: connection.kind,
    description: connection.description,
    url: connection.url === undefined ? undefined : redactUrl(connection.url)
  };
}
