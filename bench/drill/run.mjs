// bench/drill: a large Drill result through @radlab/core's streaming DrillClient.queryStream against
// the anchor of Drill's own REST call read whole and parsed with JSON.parse; and the `%%drill -o`
// magic against jupysql + sqlalchemy-drill (bench/drill/magic.py). See bench/README.md.
//
// Parent mode (no args): starts Drill (scripts/services/drill start, idempotent), creates the dataset
// once (a parquet table made by Drill with CTAS, kept in dfs.radlab across runs), runs each variant
// BENCH_RUNS times in its own fresh node process (so peak RSS is that variant's alone), then the
// Python magic benchmark, and prints one JSON result line per metric (medians) for bench/run.mjs.
// Child mode: `node run.mjs --variant anchor|radlab --table NAME` prints one JSON line of raw numbers.
//
// Env: BENCH_ROWS (default 1000000), BENCH_RUNS (default 3), BENCH_MAGIC_ROWS (default 100000),
//      BENCH_MAGIC=0 skips the Python part, RADLAB_DRILL_PORT (default 8047).
// Needs the built core: `npx tsc -b packages/core`.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PORT = Number(process.env.RADLAB_DRILL_PORT ?? 8047);
const DRILL = `http://127.0.0.1:${PORT}`;
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const MAGIC_ROWS = Number(process.env.BENCH_MAGIC_ROWS ?? Math.min(ROWS, 100_000));
const FIRST_ROWS_TARGET_MS = 500;
const MEMORY_TARGET_X_JSON = 2;
const MB = 1024 * 1024;

const log = (...args) => console.error('[bench/drill]', ...args);

/** `bench_1m`, `bench_100k`, `bench_2500` */
function tableName(rows) {
  if (rows % 1_000_000 === 0) return `bench_${rows / 1_000_000}m`;
  if (rows % 1000 === 0) return `bench_${rows / 1000}k`;
  return `bench_${rows}`;
}

const sqlFor = table => `SELECT * FROM dfs.radlab.\`${table}\``;

/** One POST /query.json, whole body; resolves the parsed answer (small admin queries only). */
function drillSql(query, options) {
  const body = JSON.stringify({
    queryType: 'SQL',
    query,
    autoLimit: 0,
    ...(options ? { options } : {})
  });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${DRILL}/query.json`,
      // agent: false: a kept-alive socket that Drill's Jetty closed while idle answers "socket hang up"
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, agent: false },
      res => {
        const chunks = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (e) {
            reject(e);
          }
        });
        res.on('error', reject);
      }
    );
    req.on('error', reject);
    req.end(body);
  });
}

// 8 typed columns (BIGINT, INT, VARCHAR x2, FLOAT8, DATE, TIMESTAMP, BIT). Drill has no
// generate_series: cp.`employee.json` (1155 rows) cross-joined with itself gives 1.33M rows. Only
// numeric columns go through the nested-loop join (Drill 1.22's NLJ runs out of memory copying the
// JSON reader's VARCHAR vectors: "Unable to allocate buffer of size 1879019520"); the strings are
// made from the numbers afterwards.
function ctas(table, rows) {
  return `CREATE TABLE dfs.radlab.\`${table}\` AS SELECT
  CAST(t.id AS BIGINT) AS id,
  CAST(t.b AS INT) AS patient_no,
  CONCAT('PAT', CAST(t.a AS VARCHAR), '-', CAST(t.b AS VARCHAR)) AS patient_id,
  CASE MOD(t.id, 8) WHEN 0 THEN 'CT' WHEN 1 THEN 'MR' WHEN 2 THEN 'CR' WHEN 3 THEN 'DX'
    WHEN 4 THEN 'US' WHEN 5 THEN 'PT' WHEN 6 THEN 'MG' ELSE 'NM' END AS modality,
  CAST(t.sa + t.sb / 1000 AS DOUBLE) AS dose,
  DATE_ADD(DATE '1940-01-01', CAST(MOD(t.id, 25000) AS INT)) AS birth_date,
  TO_TIMESTAMP(1600000000 + t.id * 37) AS acquired_at,
  (MOD(t.id, 7) = 0) AS flagged
FROM (SELECT x.eid * 2000 + y.eid AS id, x.eid AS a, y.eid AS b, x.sal AS sa, y.sal AS sb
      FROM (SELECT employee_id AS eid, salary AS sal FROM cp.\`employee.json\`) x,
           (SELECT employee_id AS eid, salary AS sal FROM cp.\`employee.json\`) y
      LIMIT ${rows}) t`;
}

async function ensureTable(rows) {
  const table = tableName(rows);
  const count = await drillSql(`SELECT count(*) AS n FROM dfs.radlab.\`${table}\``);
  if (count.queryState === 'COMPLETED' && Number(count.rows?.[0]?.n) === rows) return table;
  if (count.queryState === 'COMPLETED') {
    log(`${table} has ${count.rows?.[0]?.n} rows, not ${rows}: re-creating it`);
    await drillSql(`DROP TABLE dfs.radlab.\`${table}\``);
  }
  log(
    `creating dfs.radlab.\`${table}\` (${rows} rows, parquet, by Drill CTAS; kept for later runs)`
  );
  const t0 = performance.now();
  const made = await drillSql(ctas(table, rows), {
    'planner.enable_nljoin_for_scalar_only': 'false'
  });
  if (made.queryState !== 'COMPLETED') {
    throw new Error(
      `CTAS of ${table} failed: ${made.errorMessage ?? JSON.stringify(made).slice(0, 300)}`
    );
  }
  log(`created ${table} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return table;
}

// ------------------------------------------------------------------------------------------ child

/** Heap sampler: every 10 ms plus explicit checkpoints (a synchronous JSON.parse blocks the timer,
 *  so the checkpoints right after it matter; maxRSS from the kernel is the exact peak). */
function memorySampler() {
  global.gc?.();
  const base = process.memoryUsage();
  baseRss = base.rss; // after the warm-up query and a gc: the process before the measured query
  let peakHeap = base.heapUsed;
  let peakExternal = base.external + base.arrayBuffers;
  const sample = () => {
    const m = process.memoryUsage();
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
    if (m.external + m.arrayBuffers > peakExternal) peakExternal = m.external + m.arrayBuffers;
  };
  const timer = setInterval(sample, 10);
  return {
    baseRss: base.rss,
    sample,
    stop() {
      clearInterval(timer);
      sample();
      return {
        heapDelta: peakHeap - base.heapUsed,
        externalDelta: peakExternal - (base.external + base.arrayBuffers)
      };
    }
  };
}

/** Anchor: Drill's own REST call, the whole body, JSON.parse. */
function anchorQuery(sql) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(
      `${DRILL}/query.json`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, agent: false },
      res => {
        const tHeaders = performance.now();
        const chunks = [];
        let bytes = 0;
        let tFirstByte;
        res.on('data', c => {
          tFirstByte ??= performance.now();
          chunks.push(c);
          bytes += c.length;
        });
        res.on('error', reject);
        res.on('end', () => {
          const tBody = performance.now();
          const doc = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          const tParsed = performance.now();
          if (doc.queryState !== 'COMPLETED')
            reject(new Error(`anchor query failed: ${doc.errorMessage}`));
          resolve({ doc, bytes, t0, tHeaders, tFirstByte, tBody, tParsed });
        });
      }
    );
    req.on('error', reject);
    req.end(JSON.stringify({ queryType: 'SQL', query: sql, autoLimit: 0 }));
  });
}

async function child(variant, table) {
  const sql = sqlFor(table);
  // warm-up on a small query through the same path, so module loading and JIT are not in the numbers
  const warm = `SELECT * FROM dfs.radlab.\`${table}\` LIMIT 2000`;
  let out;
  if (variant === 'anchor') {
    await anchorQuery(warm);
    const mem = memorySampler();
    const r = await anchorQuery(sql);
    mem.sample();
    const rows = r.doc.rows.length;
    const m = mem.stop();
    out = {
      variant,
      rows,
      bodyBytes: r.bytes,
      headersMs: r.tHeaders - r.t0,
      firstByteAfterHeadersMs: r.tFirstByte - r.tHeaders,
      // JSON.parse gives no rows before the whole body is parsed
      firstRowsAfterHeadersMs: r.tParsed - r.tHeaders,
      allRowsMs: r.tParsed - r.t0,
      parseMs: r.tParsed - r.tBody,
      ...m,
      keep: r.doc.rows[rows - 1] !== undefined
    };
  } else {
    const core = await import(`${ROOT}packages/core/lib/index.js`);
    // Default limits, as users get them: streamed bodies are bounded by their reader, not maxResponseBytes.
    const transport = new core.Transport({ service: 'drill', connection: 'bench', baseURL: DRILL });
    // the transport resolves a 'stream' response at the headers: note that moment
    let tHeaders;
    const request = transport.request.bind(transport);
    transport.request = async options => {
      const response = await request(options);
      tHeaders = performance.now();
      return response;
    };
    const drill = new core.DrillClient(transport, { queryTimeoutMs: 0 });
    await drill.query(warm);
    const mem = memorySampler();
    const t0 = performance.now();
    const q = drill.queryStream(sql);
    // everything is kept, in the store the hosts give the grid (ResultGrid.setResultRows): by column
    let tFirst;
    let firstBatch = 0;
    let batches = 0;
    for await (const rows of q.columnar()) {
      if (tFirst === undefined) {
        tFirst = performance.now();
        firstBatch = rows.length;
        mem.sample();
      }
      batches++;
    }
    const tAll = performance.now();
    mem.sample();
    const m = mem.stop();
    const all = q.rows;
    out = {
      variant,
      rows: all.length,
      headersMs: tHeaders - t0,
      firstRowsAfterHeadersMs: tFirst - tHeaders,
      firstRowsMs: tFirst - t0,
      firstBatchRows: firstBatch,
      batches,
      allRowsMs: tAll - t0,
      ...m,
      keep: all.value(all.length - 1, 0) !== undefined
    };
  }
  global.gc?.();
  const mem = process.memoryUsage();
  out.maxRssBytes = process.resourceUsage().maxRSS * 1024; // kernel's peak for this process
  out.baseRssBytes = baseRss;
  out.rssDelta = out.maxRssBytes - baseRss;
  out.finalRss = mem.rss;
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

let baseRss = 0;

// ------------------------------------------------------------------------------------------ parent

const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function runChild(variant, table) {
  const r = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--max-old-space-size=8192',
      fileURLToPath(import.meta.url),
      '--variant',
      variant,
      '--table',
      table
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * MB }
  );
  if (r.status !== 0) throw new Error(`${variant} child failed (exit ${r.status ?? r.signal})`);
  const line = r.stdout.trim().split('\n').pop();
  return JSON.parse(line);
}

function emit(result) {
  process.stdout.write(`${JSON.stringify({ bench: 'drill', ...result })}\n`);
}

function loadAverage() {
  try {
    return execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' })
      .split(' ')
      .slice(0, 3)
      .join(' ');
  } catch {
    return '?';
  }
}

async function parent() {
  if (!existsSync(`${ROOT}packages/core/lib/index.js`)) {
    throw new Error('packages/core/lib is missing: run `npx tsc -b packages/core` first');
  }
  log(`starting Drill (idempotent); load average ${loadAverage()}`);
  execFileSync(`${ROOT}scripts/services/drill`, ['start'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 300_000
  });
  const table = await ensureTable(ROWS);

  const anchor = [];
  const radlab = [];
  for (let i = 0; i < RUNS; i++) {
    // alternate the order so neither variant always runs on a warmer Drill
    const order = i % 2 ? ['radlab', 'anchor'] : ['anchor', 'radlab'];
    for (const v of order) {
      const r = runChild(v, table);
      if (r.rows !== ROWS) throw new Error(`${v} read ${r.rows} rows, expected ${ROWS}`);
      (v === 'anchor' ? anchor : radlab).push(r);
      log(
        `run ${i + 1}/${RUNS} ${v.padEnd(6)} headers ${r.headersMs.toFixed(0)} ms, first rows +${r.firstRowsAfterHeadersMs.toFixed(0)} ms, ` +
          `all ${r.allRowsMs.toFixed(0)} ms, peak RSS +${(r.rssDelta / MB).toFixed(0)} MB, heap +${(r.heapDelta / MB).toFixed(0)} MB` +
          (r.bodyBytes
            ? `, JSON ${(r.bodyBytes / MB).toFixed(0)} MB`
            : `, first batch ${r.firstBatchRows} rows`)
      );
    }
  }
  const med = (list, key) => median(list.map(r => r[key]));
  const body = med(anchor, 'bodyBytes');
  const n = `${ROWS.toLocaleString('en-US')} rows, median of ${RUNS}`;
  emit({
    metric: `time to headers, ms (${n}; Drill's side)`,
    radlab: med(radlab, 'headersMs'),
    anchor: med(anchor, 'headersMs')
  });
  emit({
    metric: `first rows after headers, ms (${n})`,
    radlab: med(radlab, 'firstRowsAfterHeadersMs'),
    anchor: med(anchor, 'firstRowsAfterHeadersMs'),
    target: {
      of: 'radlab',
      op: '<=',
      value: FIRST_ROWS_TARGET_MS,
      text: `radlab <= ${FIRST_ROWS_TARGET_MS} ms`
    }
  });
  emit({
    metric: `all rows, ms from request (${n})`,
    radlab: med(radlab, 'allRowsMs'),
    anchor: med(anchor, 'allRowsMs')
  });
  emit({
    metric: `peak RSS delta, MB (${n})`,
    radlab: med(radlab, 'rssDelta') / MB,
    anchor: med(anchor, 'rssDelta') / MB,
    target: {
      of: 'radlab',
      op: '<=',
      value: (MEMORY_TARGET_X_JSON * body) / MB,
      text: `radlab <= ${MEMORY_TARGET_X_JSON}x JSON (${((MEMORY_TARGET_X_JSON * body) / MB).toFixed(0)} MB)`
    }
  });
  emit({
    metric: `peak RSS delta / JSON body size (JSON ${(body / MB).toFixed(0)} MB)`,
    radlab: med(radlab, 'rssDelta') / body,
    anchor: med(anchor, 'rssDelta') / body,
    target: {
      of: 'radlab',
      op: '<=',
      value: MEMORY_TARGET_X_JSON,
      text: `radlab <= ${MEMORY_TARGET_X_JSON}`
    }
  });
  emit({
    metric: `peak JS heap delta, MB (sampled 10 ms + checkpoints)`,
    radlab: med(radlab, 'heapDelta') / MB,
    anchor: med(anchor, 'heapDelta') / MB
  });

  if (process.env.BENCH_MAGIC === '0') {
    log('BENCH_MAGIC=0: the %%drill magic benchmark is skipped');
  } else {
    const python = `${ROOT}.venv/bin/python`;
    const magicTable = await ensureTable(MAGIC_ROWS);
    log(`%%drill -o vs jupysql on ${magicTable}; load average ${loadAverage()}`);
    const r = spawnSync(
      python,
      [
        fileURLToPath(new URL('./magic.py', import.meta.url)),
        '--table',
        magicTable,
        '--runs',
        String(RUNS)
      ],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        env: {
          ...process.env,
          PLOOMBER_STATS_ENABLED: 'false',
          PYTHONPATH: `${ROOT}jupyterlab-ext`
        }
      }
    );
    if (r.status !== 0) throw new Error(`magic.py failed (exit ${r.status ?? r.signal})`);
    for (const line of r.stdout.split('\n')) {
      if (line.startsWith('{')) process.stdout.write(`${line}\n`);
    }
  }
  log(`done; load average ${loadAverage()}`);
}

const args = process.argv.slice(2);
const at = name => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined);
if (at('--variant')) {
  await child(at('--variant'), at('--table'));
} else {
  await parent();
}
