// `npm run bench [-- NAME...]`: runs each bench/<name>/run.mjs (or index.mjs), each in its own node
// process, collects the JSON result lines they print and prints one table:
//   benchmark | metric | radlab | anchor | ratio (radlab/anchor) | target | met
// Benchmarks report, they don't gate: a missed target still exits 0; only a benchmark that crashed
// (non-zero exit, or no result at all) makes this exit 1. See bench/README.md.
//
// Result line protocol (one JSON object per stdout line; anything else on stdout is passed on as a log):
//   {"bench": "drill", "metric": "first rows after headers, ms", "radlab": 42, "anchor": 8900,
//    "target": {"of": "radlab" | "ratio", "op": "<=" | "<" | ">=" | ">", "value": 500, "text": "radlab <= 500 ms"},
//    "unavailable": "why the anchor could not be measured"}       (target and unavailable optional)

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const BENCH = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(BENCH, '..');

function discover() {
  const found = [];
  for (const name of readdirSync(BENCH).sort()) {
    const dir = join(BENCH, name);
    if (!statSync(dir).isDirectory()) continue;
    const entry = ['run.mjs', 'index.mjs'].map(f => join(dir, f)).find(f => existsSync(f));
    if (entry) found.push({ name, entry });
  }
  return found;
}

function runOne({ name, entry }) {
  return new Promise(resolve => {
    const results = [];
    const started = Date.now();
    const child = spawn(process.execPath, [entry], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit']
    });
    createInterface({ input: child.stdout }).on('line', line => {
      const text = line.trim();
      if (text.startsWith('{')) {
        try {
          const r = JSON.parse(text);
          if (r && typeof r.metric === 'string') {
            results.push({ bench: name, ...r });
            return;
          }
        } catch {
          // not a result line: fall through to the log
        }
      }
      process.stderr.write(`[${name}] ${line}\n`);
    });
    child.on('error', e => resolve({ name, results, error: e.message }));
    child.on('close', (code, signal) => {
      const secs = ((Date.now() - started) / 1000).toFixed(0);
      const error =
        code !== 0
          ? `exited with ${code ?? signal}`
          : results.length === 0
            ? 'printed no result lines'
            : undefined;
      resolve({ name, results, error, secs });
    });
  });
}

function fmt(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a > 0 && a < 0.1) return x.toPrecision(2);
  return x.toFixed(2);
}

function compare(value, op, limit) {
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    default:
      return undefined;
  }
}

function row(r) {
  const hasAnchor = typeof r.anchor === 'number' && r.anchor !== 0;
  const ratio = hasAnchor && typeof r.radlab === 'number' ? r.radlab / r.anchor : undefined;
  let met = '';
  if (r.target) {
    const value = r.target.of === 'ratio' ? ratio : r.radlab;
    const ok = typeof value === 'number' ? compare(value, r.target.op, r.target.value) : undefined;
    met = ok === undefined ? 'n/a' : ok ? 'yes' : 'NO';
  }
  return [
    r.bench,
    r.metric,
    fmt(r.radlab),
    r.unavailable ? 'unavailable' : fmt(r.anchor),
    ratio === undefined ? 'n/a' : fmt(ratio),
    r.target?.text ?? '',
    met
  ];
}

function table(rows) {
  const head = ['benchmark', 'metric', 'radlab', 'anchor', 'ratio', 'target', 'met'];
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map(r => String(r[i]).length)));
  const numeric = new Set([2, 3, 4]);
  const line = r =>
    r
      .map((c, i) => (numeric.has(i) ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i])))
      .join(' | ');
  return [line(head), widths.map(w => '-'.repeat(w)).join('-+-'), ...rows.map(line)].join('\n');
}

const wanted = process.argv.slice(2).filter(a => !a.startsWith('-'));
const all = discover();
const chosen = wanted.length ? all.filter(b => wanted.includes(b.name)) : all;
const unknown = wanted.filter(w => !all.some(b => b.name === w));
if (unknown.length) {
  console.error(
    `unknown benchmark(s): ${unknown.join(', ')} (have: ${all.map(b => b.name).join(', ') || 'none'})`
  );
  process.exit(2);
}
if (chosen.length === 0) {
  console.error('no benchmarks found (bench/<name>/run.mjs)');
  process.exit(0);
}

const outcomes = [];
for (const b of chosen) {
  console.error(`== bench/${b.name}`);
  outcomes.push(await runOne(b));
}

const results = outcomes.flatMap(o => o.results);
console.log('');
console.log(table(results.map(row)));
for (const r of results.filter(r => r.unavailable)) {
  console.log(`\n${r.bench}: anchor of "${r.metric}" unavailable: ${r.unavailable}`);
}
console.log(
  '\nratio = radlab / anchor (lower is better for times and memory). Targets report, they do not gate.'
);
const failed = outcomes.filter(o => o.error);
for (const o of failed) console.log(`bench/${o.name} CRASHED: ${o.error}`);
process.exit(failed.length ? 1 : 0);
