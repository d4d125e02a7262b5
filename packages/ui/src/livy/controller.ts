// The state behind a Livy sessions view, for any host: which connection is shown, its sessions with
// their time until expiry, what is being started, killed or restarted, and which kinds cannot start.
// It does the Livy calls through a client the host hands it (core's LivyClient fits LivySessionsApi)
// and polls while something is on its way; the JupyterLab panel and the VS Code tree render its state.
import { toErrorJSON, type RadlabErrorJSON, type Transport } from '@radlab/core';
import type { LivyKind } from './format.js';
import { stateGroup } from './format.js';
import type { LivySessionInfo, LivySessionRow, LivySessionsState } from './sessions.js';

/** A session's settings as POST /sessions takes them (a subset of core's LivySessionConf). */
export interface LivyStartConf {
  kind: LivyKind;
  name?: string;
  proxyUser?: string;
  heartbeatTimeoutInSecond?: number;
  idleTimeout?: string;
  ttl?: string;
  [setting: string]: unknown;
}

/** What the controller needs of a Livy client; core's LivyClient has all of it. */
export interface LivySessionsApi {
  sessions(options?: { signal?: AbortSignal }): Promise<LivySessionInfo[]>;
  createSession(conf: LivyStartConf, options?: { signal?: AbortSignal }): Promise<LivySessionInfo>;
  deleteSession(id: number, options?: { signal?: AbortSignal }): Promise<void>;
  sessionLog(
    id: number,
    options?: { signal?: AbortSignal; size?: number }
  ): Promise<{ lines: string[] }>;
  /** Milliseconds until Livy's idle timeout, as far as this client knows (its own calls). */
  expiresInMs?(id: number): number | undefined;
}

export interface LivySessionsControllerOptions {
  /** The client of a connection (undefined: not a Livy connection, or no transport). */
  client: (connection: string) => LivySessionsApi | undefined;
  /** Whether a sparkr session's log says R is missing on the Livy host (core's saysRMissing). */
  rMissing?: (lines: readonly string[]) => boolean;
  /** The hint shown beside a disabled sparkr (core's R_MISSING_HINT). */
  rMissingHint?: string;
  /**
   * When Livy last counted activity on a session as far as its statements show (epoch ms), for
   * sessions another client uses (a notebook's kernel): lastStatementActivity over the host's transport.
   */
  lastActivity?: (connection: string, id: number) => Promise<number | undefined>;
  /** Livy's livy.server.session.timeout (default 1 h, Livy's default). */
  serverIdleTimeoutMs?: number;
  /** A session's own idleTimeout ("2h") in ms (core's parseLivyDuration); else the server's. */
  parseDuration?: (text: string) => number | undefined;
  /** Between polls while a session starts, runs or ends; and otherwise. */
  fastPollMs?: number;
  slowPollMs?: number;
}

/** Settings a restarted session keeps from the dead one (what Livy's session JSON echoes back). */
const KEPT_SETTINGS = [
  'name',
  'proxyUser',
  'jars',
  'pyFiles',
  'files',
  'archives',
  'driverMemory',
  'driverCores',
  'executorMemory',
  'executorCores',
  'numExecutors',
  'queue',
  'conf',
  'heartbeatTimeoutInSecond',
  'idleTimeout',
  'ttl'
] as const;

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === 0 ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0)
  );
}

/** The conf that starts a session like `session` again (Livy has no restart of its own). */
export function restartConf(session: LivySessionInfo): LivyStartConf {
  const source = session as unknown as Record<string, unknown>;
  const conf: LivyStartConf = { kind: session.kind as LivyKind };
  for (const key of KEPT_SETTINGS) {
    if (!isEmpty(source[key])) (conf as Record<string, unknown>)[key] = source[key];
  }
  return conf;
}

/**
 * The latest start or end of a session's statements (epoch ms), read with Livy's `order=desc`: Livy
 * counts a statement's submission as activity for its idle timeout. A GET does not count as activity.
 */
export async function lastStatementActivity(
  transport: Transport,
  id: number,
  options: { signal?: AbortSignal } = {}
): Promise<number | undefined> {
  const answer = await transport.request<unknown>({
    method: 'GET',
    path: `/sessions/${id}/statements`,
    params: { order: 'desc', size: 1 },
    signal: options.signal
  });
  const body = answer.data as { statements?: Array<{ started?: unknown; completed?: unknown }> };
  const last = Array.isArray(body?.statements) ? body.statements[0] : undefined;
  const times = [last?.started, last?.completed].filter(
    (t): t is number => typeof t === 'number' && t > 0
  );
  return times.length > 0 ? Math.max(...times) : undefined;
}

/** A failed Livy call as the sessions view shows it. */
function errorJSON(reason: unknown, connection?: string): RadlabErrorJSON {
  return toErrorJSON(reason, { connection, service: 'livy', hint: 'Try Refresh.' });
}

export class LivySessionsController {
  private connections: string[] = [];
  private connection: string | undefined;
  private sessions: LivySessionInfo[] = [];
  private readonly pending = new Map<number, string>();
  private starting: LivyKind | undefined;
  private loading = false;
  private error: RadlabErrorJSON | undefined;
  /** Connections whose Livy said R is missing (kept after the dead session is gone). */
  private readonly noR = new Set<string>();
  /** Activity each session's statements show (epoch ms), and when this controller started one. */
  private readonly activity = new Map<number, number>();
  private readonly listeners = new Set<(state: LivySessionsState) => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private polling = false;
  private disposed = false;
  private generation = 0;

  constructor(private readonly options: LivySessionsControllerOptions) {}

  /** Calls `listener` with every new state; returns the function that stops it. */
  subscribe(listener: (state: LivySessionsState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  get state(): LivySessionsState {
    const client = this.connection !== undefined ? this.options.client(this.connection) : undefined;
    const rows: LivySessionRow[] = this.sessions.map(s => ({
      ...s,
      expiresInMs: this.expiresInMs(s, client),
      pending: this.pending.get(s.id)
    }));
    const noR = this.connection !== undefined && this.noR.has(this.connection);
    return {
      connections: [...this.connections],
      connection: this.connection,
      sessions: rows,
      unavailableKinds: noR
        ? { sparkr: this.options.rMissingHint ?? 'R is not installed on the Livy host.' }
        : {},
      starting: this.starting,
      loading: this.loading,
      error: this.error
    };
  }

  get current(): string | undefined {
    return this.connection;
  }

  /** The session list as last loaded. */
  get list(): readonly LivySessionInfo[] {
    return this.sessions;
  }

  private expiresInMs(
    session: LivySessionInfo,
    client: LivySessionsApi | undefined
  ): number | undefined {
    const own = client?.expiresInMs?.(session.id);
    const seen = this.activity.get(session.id);
    if (seen === undefined) return own;
    const idle = (session as { idleTimeout?: string | null }).idleTimeout;
    const timeout =
      (idle ? this.options.parseDuration?.(idle) : undefined) ??
      this.options.serverIdleTimeoutMs ??
      3_600_000;
    const estimate = Math.max(0, seen + timeout - Date.now());
    return own === undefined ? estimate : Math.max(own, estimate);
  }

  /** The Livy connections; keeps the shown one if it is still there. */
  setConnections(names: string[]): void {
    this.connections = [...names];
    if (this.connection === undefined || !names.includes(this.connection)) {
      this.select(names[0]);
    } else {
      this.emit();
    }
  }

  select(name: string | undefined): void {
    if (name === this.connection) return;
    this.connection = name;
    this.sessions = [];
    this.pending.clear();
    this.error = undefined;
    this.generation++;
    this.emit();
    void this.refresh();
  }

  /** Loads the sessions again. Never rejects: a failure is the state's error. */
  async refresh(): Promise<void> {
    const name = this.connection;
    const client = name !== undefined ? this.options.client(name) : undefined;
    if (this.disposed || name === undefined) return;
    if (!client) {
      this.error = {
        code: 'config',
        service: 'livy',
        connection: name,
        message: `No Livy client for ${name}.`,
        hint: 'Check that it is a livy connection with a URL, then Refresh.'
      };
      this.emit();
      return;
    }
    const generation = this.generation;
    this.loading = true;
    this.emit();
    try {
      const sessions = await client.sessions();
      if (generation !== this.generation) return;
      await this.readActivity(name, sessions);
      if (generation !== this.generation) return;
      this.sessions = sessions;
      this.error = undefined;
      this.noteRMissing(name, sessions);
    } catch (e) {
      if (generation !== this.generation) return;
      this.error = errorJSON(e, name);
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.emit();
        this.schedule();
      }
    }
  }

  /** Starts a session (Livy answers at once; polling follows it to idle). */
  async start(kind: LivyKind, name?: string): Promise<LivySessionInfo | undefined> {
    return this.create({ kind, ...(name !== undefined ? { name } : {}) });
  }

  /** A new session like a dead (or any) one: the old one is deleted first, its name is freed. */
  async restart(id: number): Promise<LivySessionInfo | undefined> {
    const old = this.sessions.find(s => s.id === id);
    if (!old) return undefined;
    const client = this.client();
    if (!client) return undefined;
    this.pending.set(id, 'restarting…');
    this.emit();
    try {
      await client.deleteSession(id);
    } catch (e) {
      this.pending.delete(id);
      this.error = errorJSON(e, this.connection);
      this.emit();
      return undefined;
    }
    this.pending.delete(id);
    return this.create(restartConf(old));
  }

  async kill(id: number): Promise<void> {
    const client = this.client();
    if (!client) return;
    this.pending.set(id, 'killing…');
    this.emit();
    try {
      await client.deleteSession(id);
      this.error = undefined;
    } catch (e) {
      this.error = errorJSON(e, this.connection);
    } finally {
      this.pending.delete(id);
    }
    await this.refresh();
  }

  /** The session's log (the last `size` lines); a failure is the state's error and gives undefined. */
  async log(id: number, size = 200): Promise<string[] | undefined> {
    const client = this.client();
    if (!client) return undefined;
    try {
      return (await client.sessionLog(id, { size })).lines;
    } catch (e) {
      this.error = errorJSON(e, this.connection);
      this.emit();
      return undefined;
    }
  }

  /** Polls Livy: often while a session starts, runs or ends, else now and then. */
  startPolling(): void {
    this.polling = true;
    this.schedule();
  }

  stopPolling(): void {
    this.polling = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.stopPolling();
    this.listeners.clear();
  }

  private client(): LivySessionsApi | undefined {
    return this.connection !== undefined ? this.options.client(this.connection) : undefined;
  }

  private async create(conf: LivyStartConf): Promise<LivySessionInfo | undefined> {
    const client = this.client();
    if (!client || this.starting) return undefined;
    this.starting = conf.kind;
    this.emit();
    try {
      const session = await client.createSession(conf);
      // Livy counts the creation as the session's first activity
      this.activity.set(session.id, Date.now());
      this.error = undefined;
      return session;
    } catch (e) {
      this.error = errorJSON(e, this.connection);
      return undefined;
    } finally {
      this.starting = undefined;
      await this.refresh();
    }
  }

  private async readActivity(connection: string, sessions: LivySessionInfo[]): Promise<void> {
    const lastActivity = this.options.lastActivity;
    if (!lastActivity) return;
    const live = sessions.filter(s => {
      const g = stateGroup(s.state);
      return g === 'idle' || g === 'busy';
    });
    await Promise.all(
      live.map(async s => {
        // a failure here only costs the estimate, not the list
        const t = await lastActivity(connection, s.id).catch(() => undefined);
        if (t !== undefined) this.activity.set(s.id, Math.max(t, this.activity.get(s.id) ?? 0));
      })
    );
  }

  private noteRMissing(connection: string, sessions: LivySessionInfo[]): void {
    const rMissing = this.options.rMissing;
    if (!rMissing) return;
    if (
      sessions.some(s => s.kind === 'sparkr' && stateGroup(s.state) === 'dead' && rMissing(s.log))
    ) {
      this.noR.add(connection);
    }
  }

  private schedule(): void {
    if (!this.polling || this.disposed) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const moving = this.sessions.some(s => {
      const g = stateGroup(s.state);
      return g === 'starting' || g === 'busy' || g === 'ending';
    });
    const delay = moving ? (this.options.fastPollMs ?? 3000) : (this.options.slowPollMs ?? 30_000);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, delay);
  }

  private emit(): void {
    if (this.disposed) return;
    const state = this.state;
    for (const listener of this.listeners) listener(state);
  }
}
