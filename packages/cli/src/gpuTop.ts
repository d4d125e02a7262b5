// `radlab gpu top [--node N] [--job NS/POD] [--sort KEY] [--once] [--interval S]`: every GPU Prometheus
// reports, one row each (node, GPU, model, utilization, memory used/total, power, temperature, pod),
// refreshed every second, like nvtop's or `nvidia-smi`'s table. On a terminal it draws in the alternate
// screen, sorts by the key pressed (n node, u utilization, m memory, p power, t temperature) and ends on
// q or Ctrl-C with the terminal as it was; with stdout not a terminal it prints a plain table per
// refresh, each under its time (as `top -b`); `--once` prints one table and exits. Prometheus down
// keeps the last table with the error above it and retries. Only the GPU's own labels are printed,
// control characters escaped and known secrets masked. Exit codes: 0 ok (q and Ctrl-C too), 1
// Prometheus failed or has no GPU matching (--once), 2 usage.

import {
  GPU_METRICS,
  PrometheusClient,
  compareGpus,
  detectGpuSchema,
  formatMetric,
  gpuExpr,
  gpuKey,
  gpuOf,
  hasGpuMetric,
  redact,
  type GpuFilter,
  type GpuMetric,
  type GpuRef,
  type GpuSchema
} from '@radlab/core';
import { createNodeTransport } from '@radlab/core/node';
import { EXIT_DOWN, EXIT_OK, pickConnection, type Io, type LoadFlags } from './connections.js';
import { configError, onSigint, printError, type OnInterrupt } from './failure.js';
import { filterOf } from './gpu.js';
import { renderTable, stylerFor, type Cell, type Styler } from './table.js';

export interface GpuTopFlags extends LoadFlags {
  connection?: string;
  node?: string;
  /** `namespace/pod` or `pod`. */
  job?: string;
  sort?: string;
  once?: boolean;
  /** Seconds between refreshes (default 1). */
  interval?: string;
}

/** A terminal's keys and size (process.stdin/stdout on a TTY). */
export interface TopTerminal {
  columns?: number;
  rows?: number;
  /** Raw key presses until the returned function is called. */
  onKey(handler: (key: string) => void): () => void;
}

export const TOP_SORTS = ['node', 'util', 'memory', 'power', 'temp'] as const;
export type TopSort = (typeof TOP_SORTS)[number];
const SORT_KEYS: Readonly<Record<string, TopSort>> = {
  n: 'node',
  u: 'util',
  m: 'memory',
  p: 'power',
  t: 'temp'
};
const SORT_METRIC: Readonly<Record<Exclude<TopSort, 'node'>, GpuMetric>> = {
  util: 'util',
  memory: 'memUsed',
  power: 'power',
  temp: 'temp'
};

const METRICS: GpuMetric[] = ['util', 'memUsed', 'memTotal', 'power', 'temp'];

export interface GpuRow {
  gpu: GpuRef;
  values: Partial<Record<GpuMetric, number>>;
}

// C0, DEL and C1 controls: a label value must not move the cursor or recolour the terminal
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A label value fit for a terminal: controls escaped, known secrets masked. */
export function terminalText(text: string): string {
  return redact(text).replace(CONTROL, c => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** One reading of every GPU matching `filter`: the metrics now, by GPU. */
export async function readGpus(
  client: PrometheusClient,
  schema: GpuSchema,
  filter: GpuFilter,
  signal?: AbortSignal
): Promise<GpuRow[]> {
  const time = Date.now() / 1000;
  const rows = new Map<string, GpuRow>();
  const metrics = METRICS.filter(m => hasGpuMetric(schema, m));
  const answers = await Promise.all(
    metrics.map(m => client.query(gpuExpr(m, filter, { schema }), { time, signal }))
  );
  answers.forEach((samples, i) => {
    const metric = metrics[i] as GpuMetric;
    for (const s of samples) {
      const gpu = gpuOf(s.labels, schema);
      if (!gpu) continue;
      const key = gpuKey(gpu);
      const row = rows.get(key) ?? { gpu, values: {} };
      row.gpu = { ...gpu, ...row.gpu };
      row.values[metric] = s.value;
      rows.set(key, row);
    }
  });
  return [...rows.values()];
}

export function sortRows(rows: GpuRow[], sort: TopSort): GpuRow[] {
  if (sort === 'node') return [...rows].sort((a, b) => compareGpus(a.gpu, b.gpu));
  const metric = SORT_METRIC[sort];
  const value = (r: GpuRow): number => {
    const v = r.values[metric];
    return v === undefined || !Number.isFinite(v) ? -Infinity : v;
  };
  return [...rows].sort((a, b) => value(b) - value(a) || compareGpus(a.gpu, b.gpu));
}

const BAR = 10;

/** "███████░░░ 72 %": utilization as a bar, as nvtop draws it. */
function utilBar(util: number | undefined, styler: Styler): Cell {
  const text = formatMetric(util, GPU_METRICS.util);
  if (util === undefined || !Number.isFinite(util))
    return { text: `${' '.repeat(BAR + 1)}${text}` };
  const filled = Math.round((Math.max(0, Math.min(100, util)) / 100) * BAR);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR - filled)}`;
  const style = util >= 90 ? styler.red : util >= 50 ? styler.yellow : styler.green;
  return { text: `${bar} ${text.padStart(5)}`, style };
}

function memory(v: GpuRow['values'], styler: Styler): Cell {
  const used = v.memUsed;
  const total = v.memTotal;
  const mib = (n: number | undefined): string =>
    n === undefined || !Number.isFinite(n) ? '–' : Math.round(n).toLocaleString('en-US');
  const text = `${mib(used)} / ${mib(total)} MiB`;
  const ratio = used !== undefined && total ? used / total : undefined;
  return { text, style: ratio !== undefined && ratio >= 0.95 ? styler.red : undefined };
}

export const TOP_HEADER = ['node', 'gpu', 'model', 'util', 'memory', 'power', 'temp', 'pod'];

/** The table of rows, already sorted. */
export function topTable(rows: GpuRow[], styler: Styler): string {
  const cells = rows.map(({ gpu: g, values: v }) => [
    { text: terminalText(g.node) },
    { text: terminalText(g.gpu) },
    { text: terminalText(g.model ?? '–') },
    utilBar(v.util, styler),
    memory(v, styler),
    { text: formatMetric(v.power, GPU_METRICS.power) },
    { text: formatMetric(v.temp, GPU_METRICS.temp) },
    g.pod
      ? { text: terminalText(`${g.namespace ?? ''}/${g.pod}`) }
      : { text: 'free', style: styler.dim }
  ]);
  return renderTable(TOP_HEADER, cells, styler);
}

function parseSort(sort: string | undefined): TopSort {
  if (sort === undefined) return 'node';
  const s = (sort === 'mem' ? 'memory' : sort === 'utilization' ? 'util' : sort) as TopSort;
  if (!TOP_SORTS.includes(s))
    throw configError(`--sort ${sort} is not a sort key`, `Use one of ${TOP_SORTS.join(', ')}.`);
  return s;
}

function parseInterval(interval: string | undefined): number {
  if (interval === undefined) return 1000;
  const n = Number(interval);
  if (!Number.isFinite(n) || n < 0.2 || n > 3600)
    throw configError(
      `--interval ${interval} is not a number of seconds`,
      'Use e.g. 1 or 0.5 (0.2 to 3600).'
    );
  return Math.round(n * 1000);
}

const ESC = '\u001b[';
const ALT_SCREEN_ON = `${ESC}?1049h${ESC}?25l`;
const ALT_SCREEN_OFF = `${ESC}?25h${ESC}?1049l`;

/** Fits a frame to the terminal: lines cut at its width (escape codes kept whole), rows at its height. */
export function fitFrame(lines: string[], columns?: number, rows?: number): string[] {
  let out = lines;
  if (rows && out.length > rows) {
    const more = out.length - rows + 1;
    out = [...out.slice(0, rows - 1), `… ${more} more rows (make the terminal taller, or --node)`];
  }
  if (!columns) return out;
  return out.map(line => {
    let visible = 0;
    let cut = '';
    // eslint-disable-next-line no-control-regex
    for (const part of line.split(/(\u001b\[[0-9;?]*[A-Za-z])/)) {
      if (part.startsWith('\u001b[')) {
        cut += part;
        continue;
      }
      const room = columns - visible;
      if (room <= 0) continue;
      const chars = [...part];
      cut += chars.slice(0, room).join('');
      visible += Math.min(room, chars.length);
    }
    return cut;
  });
}

export async function gpuTop(
  flags: GpuTopFlags,
  io: Io,
  terminal?: TopTerminal,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  const controller = new AbortController();
  let quit: () => void = () => undefined;
  const stopped = new Promise<void>(resolve => (quit = resolve));
  let sort: TopSort;
  let interval: number;
  try {
    sort = parseSort(flags.sort);
    interval = parseInterval(flags.interval);
  } catch (error) {
    return printError(error, io);
  }
  const live = !flags.once;
  const tty = live && terminal !== undefined && io.stdout.isTTY === true;
  const styler = stylerFor(io.stdout.isTTY, io.env);
  const release: Array<() => void> = [];
  let screen = false;
  try {
    const conn = await pickConnection('prometheus', flags, io);
    const client = new PrometheusClient(await createNodeTransport(conn, { env: io.env }));
    const filter = filterOf(flags);
    const noMetrics = `Prometheus ${terminalText(conn.name)} has no GPU metrics (neither DCGM_FI_DEV_GPU_UTIL nor nvidia_gpu_duty_cycle)`;
    let schema: GpuSchema | undefined;
    const read = async (): Promise<GpuRow[]> => {
      schema ??= await detectGpuSchema(client, { signal: controller.signal });
      if (!schema) throw new Error(noMetrics);
      return readGpus(client, schema, filter, controller.signal);
    };
    if (flags.once) {
      const rows = sortRows(await read(), sort);
      if (rows.length === 0) {
        io.stderr.write(`No GPU matches${describe(flags)}.\n`);
        return EXIT_DOWN;
      }
      io.stdout.write(topTable(rows, styler));
      return EXIT_OK;
    }

    release.push(onInterrupt(() => quit()));
    if (tty) {
      io.stdout.write(ALT_SCREEN_ON);
      screen = true;
      release.push(
        terminal.onKey(key => {
          if (key === 'q' || key === 'Q' || key === '\u0003' || key === '\u001b') quit();
          const picked = SORT_KEYS[key.toLowerCase()];
          if (picked) {
            sort = picked;
            draw();
          }
        })
      );
    }

    let rows: GpuRow[] = [];
    let at: Date | undefined;
    let failure: string | undefined;
    const title = (): string => {
      const nodes = new Set(rows.map(r => r.gpu.node)).size;
      const utils = rows.map(r => r.values.util).filter((v): v is number => v !== undefined);
      const avg = utils.length ? utils.reduce((a, b) => a + b, 0) / utils.length : undefined;
      return `radlab gpu top · ${terminalText(conn.name)}${describe(flags)} · ${rows.length} GPU${rows.length === 1 ? '' : 's'} on ${nodes} node${nodes === 1 ? '' : 's'} · mean utilization ${formatMetric(avg, GPU_METRICS.util)} · ${at ? at.toLocaleTimeString() : '–'}`;
    };
    const draw = (): void => {
      if (!tty) return;
      const lines = [
        styler.bold(title()),
        failure
          ? styler.red(
              `Prometheus: ${failure}${at ? ` · showing ${at.toLocaleTimeString()}` : ''} · retrying`
            )
          : styler.dim(
              `sorted by ${sort} · keys: n node, u utilization, m memory, p power, t temperature, q quit`
            ),
        '',
        ...(rows.length ? topTable(sortRows(rows, sort), styler).trimEnd().split('\n') : [])
      ];
      const fitted = fitFrame(lines, terminal.columns, terminal.rows);
      // home, each line cleared to its end, then everything below: no flicker of a full clear
      io.stdout.write(`${ESC}H${fitted.map(l => `${l}${ESC}K`).join('\n')}\n${ESC}J`);
    };

    let ended = false;
    void stopped.then(() => (ended = true));
    while (!ended) {
      const started = Date.now();
      try {
        rows = await read();
        at = new Date();
        failure = undefined;
        if (!tty) {
          io.stdout.write(`${at.toISOString()}\n`);
          io.stdout.write(
            rows.length
              ? topTable(sortRows(rows, sort), styler)
              : `No GPU matches${describe(flags)}.\n`
          );
          io.stdout.write('\n');
        }
      } catch (error) {
        if (ended) break;
        const text = error instanceof Error ? error.message : String(error);
        failure = redact(text);
        if (!tty) io.stderr.write(`${new Date().toISOString()} Prometheus: ${failure}\n`);
      }
      draw();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        stopped,
        new Promise<void>(
          r => (timer = setTimeout(r, Math.max(0, interval - (Date.now() - started))))
        )
      ]);
      clearTimeout(timer);
    }
    return EXIT_OK;
  } catch (error) {
    return printError(error, io);
  } finally {
    controller.abort();
    for (const off of release.splice(0).reverse()) off();
    if (screen) io.stdout.write(ALT_SCREEN_OFF);
  }
}

function describe(flags: GpuTopFlags): string {
  return `${flags.job ? ` · job ${terminalText(flags.job)}` : ''}${flags.node ? ` · node ${terminalText(flags.node)}` : ''}`;
}

/** process.stdin as the key source of a TTY (raw mode while it listens). */
export function stdinTerminal(
  stdin: NodeJS.ReadStream,
  stdout: NodeJS.WriteStream
): TopTerminal | undefined {
  if (!stdin.isTTY || !stdout.isTTY) return undefined;
  return {
    get columns() {
      return stdout.columns;
    },
    get rows() {
      return stdout.rows;
    },
    onKey(handler) {
      const onData = (data: Buffer | string): void => {
        for (const ch of String(data)) handler(ch);
      };
      stdin.setRawMode(true);
      stdin.setEncoding('utf8');
      stdin.on('data', onData);
      stdin.resume();
      return () => {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
      };
    }
  };
}
