// `radlab livy sessions|start|run|sql|kill|batch|log`: Spark through Apache Livy from the terminal.
// Exit codes: 0 ok, 1 the statement/batch (or Livy) failed, 2 configuration or usage error, 130
// interrupted (Ctrl-C cancels a running statement in Livy).

import {
  LIVY_KIND_NEEDS,
  LIVY_SESSION_KINDS,
  LivyClient,
  type ConnectionConfig,
  type LivySession,
  type LivySessionConf,
  type LivySessionKind
} from '@radlab/core';
import { createNodeLivyClient } from '@radlab/core/node';
import { EXIT_DOWN, EXIT_OK, pickConnection, type Io, type LoadFlags } from './connections.js';
import { configError, onSigint, printError as printFailure, type OnInterrupt } from './failure.js';
import { renderTable, stylerFor, type Cell } from './table.js';

export interface LivyFlags extends LoadFlags {
  /** Connection name (default: the first livy connection). */
  connection?: string;
  json?: boolean;
  /** Session: a Livy id or a session name. */
  session?: string;
  kind?: LivySessionKind;
  name?: string;
  /** Session or batch conf as JSON (LivySessionConf / LivyBatchConf fields). */
  conf?: string;
  timeout?: number;
  batch?: boolean;
  follow?: boolean;
  lines?: number;
  className?: string;
  args?: string[];
}

interface Opened {
  client: LivyClient;
  connection: ConnectionConfig;
}

async function openClient(flags: LivyFlags, io: Io): Promise<Opened> {
  const conn = await pickConnection('livy', flags, io);
  return { client: await createNodeLivyClient(conn, { env: io.env }), connection: conn };
}

/** A Livy error with the statement's traceback and the session's last log lines, when it has them. */
function printError(error: unknown, io: Io): number {
  return printFailure(error, io, (e, styler) => {
    const lines: string[] = [];
    const traceback = e.details?.['traceback'];
    if (Array.isArray(traceback)) for (const line of traceback) lines.push(`  ${line}`);
    const tail = e.details?.['logTail'];
    if (Array.isArray(tail) && tail.length > 0) {
      lines.push(`  ${styler.dim("Livy's last log lines:")}`);
      for (const line of tail.slice(-10)) lines.push(`    ${line}`);
    }
    return lines;
  });
}

function parseConf(flags: LivyFlags): Record<string, unknown> {
  if (!flags.conf) return {};
  let value: unknown;
  try {
    value = JSON.parse(flags.conf);
  } catch (e) {
    throw configError(
      `--conf is not JSON: ${e instanceof Error ? e.message : String(e)}`,
      `Quote it for the shell: --conf '{"driverMemory": "2g"}'.`
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw configError('--conf must be a JSON object', `e.g. --conf '{"driverMemory": "2g"}'.`);
  }
  return value as Record<string, unknown>;
}

/** The session `ref` names: a Livy id, or a session name. */
async function findSession(client: LivyClient, ref: string): Promise<LivySession> {
  if (/^\d+$/.test(ref)) return client.session(Number(ref));
  const all = await client.sessions();
  const found = all.filter(s => s.name === ref);
  if (found.length === 1) return found[0]!;
  throw configError(
    found.length === 0
      ? `no Livy session named "${ref}"`
      : `${found.length} Livy sessions are named "${ref}"`,
    `Sessions: ${all.map(s => `${s.id}${s.name ? ` (${s.name})` : ''}`).join(', ') || '(none)'}. Use the id.`
  );
}

async function withClient(
  flags: LivyFlags,
  io: Io,
  onInterrupt: OnInterrupt,
  body: (opened: Opened, signal: AbortSignal) => Promise<number>
): Promise<number> {
  const controller = new AbortController();
  const release = onInterrupt(() => controller.abort());
  try {
    return await body(await openClient(flags, io), controller.signal);
  } catch (e) {
    return printError(e, io);
  } finally {
    release();
  }
}

function sessionRow(s: LivySession): unknown[] {
  return [s.id, s.name ?? '', s.kind, s.state, s.appId ?? '', s.appInfo.sparkUiUrl ?? ''];
}

export async function livySessions(
  flags: LivyFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  return withClient(flags, io, onInterrupt, async ({ client }, signal) => {
    const sessions = await client.sessions({ signal });
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(sessions)}\n`);
      return EXIT_OK;
    }
    const styler = stylerFor(io.stdout.isTTY, io.env);
    const cells: Cell[][] = sessions.map(s => sessionRow(s).map(v => ({ text: String(v) })));
    io.stdout.write(renderTable(['id', 'name', 'kind', 'state', 'app', 'Spark UI'], cells, styler));
    io.stdout.write(
      `${styler.dim(`${sessions.length} session${sessions.length === 1 ? '' : 's'}`)}\n`
    );
    return EXIT_OK;
  });
}

function sessionConf(flags: LivyFlags): LivySessionConf {
  const kind = flags.kind ?? 'pyspark';
  if (!LIVY_SESSION_KINDS.includes(kind)) {
    throw configError(`unknown kind "${kind}"`, `One of ${LIVY_SESSION_KINDS.join(', ')}.`);
  }
  return { kind, ...(flags.name ? { name: flags.name } : {}), ...parseConf(flags) };
}

async function startOne(
  client: LivyClient,
  flags: LivyFlags,
  io: Io,
  signal: AbortSignal
): Promise<LivySession> {
  const conf = sessionConf(flags);
  const styler = stylerFor(io.stderr.isTTY, io.env);
  io.stderr.write(styler.dim(`radlab: starting a ${conf.kind} session…\n`));
  const need = LIVY_KIND_NEEDS[conf.kind];
  if (need) io.stderr.write(styler.dim(`radlab: ${conf.kind} ${need}\n`));
  return client.startSession(conf, {
    signal,
    timeoutMs: flags.timeout,
    onState: s => {
      if (io.stderr.isTTY)
        io.stderr.write(`\r${styler.dim(`  session ${s.id}: ${s.state}`)}\u001b[K`);
    }
  });
}

export async function livyStart(
  flags: LivyFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  return withClient(flags, io, onInterrupt, async ({ client }, signal) => {
    const s = await startOne(client, flags, io, signal);
    if (io.stderr.isTTY) io.stderr.write('\r\u001b[K');
    if (flags.json) io.stdout.write(`${JSON.stringify(s)}\n`);
    else io.stdout.write(`${s.id}\n`);
    return EXIT_OK;
  });
}

/** Runs code (or SQL) in the named session, or in a new one deleted afterwards. */
async function runIn(
  code: string,
  kind: LivySessionKind | undefined,
  flags: LivyFlags,
  io: Io,
  onInterrupt: OnInterrupt,
  print: (data: Record<string, unknown>, text: string) => void
): Promise<number> {
  return withClient(flags, io, onInterrupt, async ({ client }, signal) => {
    const own = flags.session === undefined;
    const session = own
      ? await startOne(
          client,
          { ...flags, kind: kind === 'sql' ? 'pyspark' : (flags.kind ?? kind) },
          io,
          signal
        )
      : await findSession(client, flags.session!);
    if (own && io.stderr.isTTY) io.stderr.write('\r\u001b[K');
    try {
      const styler = stylerFor(io.stderr.isTTY, io.env);
      const result = await client.run(session.id, code, {
        kind,
        signal,
        timeoutMs: flags.timeout,
        onProgress: st => {
          if (io.stderr.isTTY) {
            io.stderr.write(
              `\r${styler.dim(`  statement ${st.id}: ${st.state} ${Math.round(st.progress * 100)}%`)}\u001b[K`
            );
          }
        }
      });
      if (io.stderr.isTTY) io.stderr.write('\r\u001b[K');
      if (flags.json) io.stdout.write(`${JSON.stringify(result.data)}\n`);
      else print(result.data, result.text);
      return EXIT_OK;
    } finally {
      if (own) await client.deleteSession(session.id, { timeoutMs: 10_000 }).catch(() => undefined);
    }
  });
}

export async function livyRun(
  code: string,
  flags: LivyFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  return runIn(code, flags.kind, flags, io, onInterrupt, (data, text) => {
    if (text) io.stdout.write(`${text}\n`);
    else if (data['application/json'] !== undefined)
      io.stdout.write(`${JSON.stringify(data['application/json'])}\n`);
  });
}

interface SqlResult {
  schema?: { fields?: Array<{ name: string; type: unknown }> };
  data?: unknown[][];
}

/** Livy's SQL interpreter answers at most livy.rsc.sql.num-rows rows (1000 by default). */
const LIVY_SQL_ROWS = 1000;

export async function livySql(
  sql: string,
  flags: LivyFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  return runIn(sql, 'sql', flags, io, onInterrupt, data => {
    const result = (data['application/json'] ?? {}) as SqlResult;
    const fields = result.schema?.fields ?? [];
    const rows = result.data ?? [];
    const styler = stylerFor(io.stdout.isTTY, io.env);
    const cells: Cell[][] = rows.map(row =>
      row.map(v =>
        v === null
          ? { text: 'NULL', style: styler.dim }
          : { text: typeof v === 'object' ? JSON.stringify(v) : String(v) }
      )
    );
    io.stdout.write(
      renderTable(
        fields.map(f => f.name),
        cells,
        styler
      )
    );
    const note = `${rows.length} row${rows.length === 1 ? '' : 's'}`;
    io.stdout.write(
      rows.length >= LIVY_SQL_ROWS
        ? `${styler.yellow(`${note}; Livy returns at most livy.rsc.sql.num-rows (${LIVY_SQL_ROWS} by default): add LIMIT/aggregate, or use %%livy -k sql -o in a notebook for every row`)}\n`
        : `${styler.dim(note)}\n`
    );
  });
}

export async function livyKill(
  id: string,
  flags: LivyFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  return withClient(flags, io, onInterrupt, async ({ client }, signal) => {
    if (flags.batch) {
      await client.deleteBatch(Number(id), { signal });
      io.stdout.write(`batch ${id} deleted\n`);
    } else {
      const s = await findSession(client, id);
      await client.deleteSession(s.id, { signal });
      io.stdout.write(`session ${s.id} deleted\n`);
    }
    return EXIT_OK;
  });
}

async function follow(
  client: LivyClient,
  id: number,
  io: Io,
  signal: AbortSignal
): Promise<number> {
  const lines = client.followBatch(id, { signal });
  let step = await lines.next();
  while (!step.done) {
    for (const l of step.value)
      (l.stream === 'stderr' ? io.stderr : io.stdout).write(`${l.line}\n`);
    step = await lines.next();
  }
  const styler = stylerFor(io.stderr.isTTY, io.env);
  const ok = step.value.state === 'success';
  io.stderr.write(
    `${ok ? styler.green(`radlab: batch ${id} ${step.value.state}`) : styler.red(`radlab: batch ${id} ${step.value.state}`)}\n`
  );
  return ok ? EXIT_OK : EXIT_DOWN;
}

export async function livyBatch(
  file: string,
  flags: LivyFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  return withClient(flags, io, onInterrupt, async ({ client }, signal) => {
    const batch = await client.submitBatch(
      {
        file,
        ...(flags.className ? { className: flags.className } : {}),
        ...(flags.args?.length ? { args: flags.args } : {}),
        ...(flags.name ? { name: flags.name } : {}),
        ...parseConf(flags)
      },
      { signal }
    );
    if (!flags.follow) {
      io.stdout.write(flags.json ? `${JSON.stringify(batch)}\n` : `${batch.id}\n`);
      return EXIT_OK;
    }
    io.stderr.write(
      `radlab: batch ${batch.id} submitted; following its log (Ctrl-C stops following)\n`
    );
    return follow(client, batch.id, io, signal);
  });
}

export async function livyLog(
  id: string,
  flags: LivyFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  return withClient(flags, io, onInterrupt, async ({ client }, signal) => {
    if (flags.batch && flags.follow) return follow(client, Number(id), io, signal);
    const size = flags.lines ?? 100;
    const log = flags.batch
      ? await client.batchLog(Number(id), { signal, size })
      : await client.sessionLog((await findSession(client, id)).id, { signal, size });
    if (flags.json) io.stdout.write(`${JSON.stringify(log)}\n`);
    else for (const line of log.lines) io.stdout.write(`${line}\n`);
    return EXIT_OK;
  });
}
