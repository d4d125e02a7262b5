// bench/livy: `%%livy -o df` (Radlab: paged, typed) against sparkmagic 0.23.0's `%%spark -o df -n -1`
// on the same Livy, in one run: a 100,000-row DataFrame pulled into local pandas, and the round trip of
// a trivial statement. Each variant runs in its own Python process (bench/livy/pull.py) so its peak
// memory is its own; both use one venv (.radlab/bench-livy-venv: sparkmagic from PyPI, made on the
// first run) with Radlab's package on PYTHONPATH, so both see the same pandas. See bench/README.md.
//
// Env: BENCH_LIVY_ROWS (default 100000), BENCH_RUNS (default 3), RADLAB_LIVY_PORT (default 8998).

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ROWS = Number(process.env.BENCH_LIVY_ROWS ?? 100_000);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const VENV = `${ROOT}.radlab/bench-livy-venv`;
const SPARKMAGIC = 'sparkmagic==0.23.0';
const MB = 1024 * 1024;

const log = (...args) => console.error('[bench/livy]', ...args);
const emit = result => process.stdout.write(`${JSON.stringify({ bench: 'livy', ...result })}\n`);
const load = () =>
  loadavg()
    .map(x => x.toFixed(1))
    .join(' ');

function ensureVenv() {
  if (existsSync(`${VENV}/bin/python`)) {
    const ok = spawnSync(`${VENV}/bin/python`, [
      '-c',
      'import sparkmagic, pandas, yaml, jsonschema'
    ]);
    if (ok.status === 0) return undefined;
  }
  log(`making ${VENV} with ${SPARKMAGIC} (PyPI)`);
  try {
    execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
    execFileSync(
      `${VENV}/bin/pip`,
      ['install', '-q', SPARKMAGIC, 'jsonschema', 'pyyaml', 'ipython', 'urllib3'],
      {
        stdio: 'inherit',
        env: { ...process.env, PIP_CACHE_DIR: `${process.env.HOME}/.cache/radlab/pip` }
      }
    );
    return undefined;
  } catch (e) {
    return `could not install ${SPARKMAGIC}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function variant(name) {
  log(`${name}: ${ROWS} rows, ${RUNS} runs; load average ${load()}`);
  const r = spawnSync(
    `${VENV}/bin/python`,
    [
      fileURLToPath(new URL('./pull.py', import.meta.url)),
      name,
      '--rows',
      String(ROWS),
      '--runs',
      String(RUNS)
    ],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, PYTHONPATH: `${ROOT}jupyterlab-ext`, HOME: process.env.HOME }
    }
  );
  // the result is the last line that parses as JSON with a `variant`: sparkmagic and Spark also
  // print `{`-lines (a session's JSON, a log record) on stdout, and text without a newline may
  // precede it on its line
  const result = r.stdout
    .split('\n')
    .reverse()
    .map(l => {
      try {
        return JSON.parse(l.slice(Math.max(0, l.indexOf('{"variant"'))));
      } catch {
        return undefined;
      }
    })
    .find(v => v && typeof v === 'object' && v.variant === name);
  if (r.status !== 0 || !result) return { error: `pull.py ${name} exited ${r.status ?? r.signal}` };
  return result;
}

execFileSync(`${ROOT}scripts/services/livy`, ['start'], { stdio: 'inherit' });
const unavailable = ensureVenv();
const radlab = variant('radlab');
if (radlab.error) throw new Error(radlab.error);
log(`radlab: ${JSON.stringify(radlab)}`);
const anchor = unavailable ? { error: unavailable } : variant('sparkmagic');
if (!anchor.error) log(`sparkmagic: ${JSON.stringify(anchor)}`);
const why = anchor.error;
const pick = key => (why ? null : anchor[key]);
const rowsNote = `${ROWS.toLocaleString('en')} rows x 5 columns, median of ${RUNS}`;
emit({
  metric: `-o pull of every row, s (${rowsNote})`,
  radlab: radlab.pull_s,
  anchor: pick('pull_s'),
  target: { of: 'ratio', op: '<=', value: 1, text: 'radlab <= sparkmagic' },
  ...(why ? { unavailable: why } : {})
});
emit({
  metric: `trivial statement (1 + 1) round trip, ms (median of ${RUNS * 3})`,
  radlab: radlab.trivial_ms,
  anchor: pick('trivial_ms'),
  target: { of: 'ratio', op: '<=', value: 1, text: 'radlab <= sparkmagic' },
  ...(why ? { unavailable: why } : {})
});
emit({
  metric: `peak RSS growth of the pull, MB (${rowsNote.split(',')[0]})`,
  radlab: radlab.peak_growth_bytes / MB,
  anchor: why ? null : anchor.peak_growth_bytes / MB,
  ...(why ? { unavailable: why } : {})
});
emit({
  metric: 'peak RSS growth / the DataFrame own memory (x)',
  radlab: radlab.peak_growth_bytes / radlab.frame_bytes,
  anchor: why ? null : anchor.peak_growth_bytes / anchor.frame_bytes,
  target: { of: 'radlab', op: '<=', value: 2, text: 'radlab <= 2x its DataFrame' },
  ...(why ? { unavailable: why } : {})
});
emit({
  metric: 'statements the pull took (pages; sparkmagic: one JSON string of the whole frame)',
  radlab: radlab.pages,
  anchor: pick('pages'),
  ...(why ? { unavailable: why } : {})
});
emit({
  metric: `rows that came back (of ${ROWS.toLocaleString('en')})`,
  radlab: radlab.rows,
  anchor: pick('rows'),
  ...(why ? { unavailable: why } : {})
});
log(
  `dtypes radlab ${JSON.stringify(radlab.dtypes)}; sparkmagic ${JSON.stringify(anchor.dtypes ?? {})}`
);
log(`done; load average ${load()}`);
