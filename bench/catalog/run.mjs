// bench/catalog (issue 17): `radlab harvest` of a tree of many small DICOM files against the anchor
// the issue names, a pydicom script (dcmread(stop_before_pixels=True) per file + pandas/pyarrow to
// Parquet, anchor.py), in one run on the same tree, alternating which goes first.
//
//   (a) harvest wall time of the whole tree, from spawn to exit (start-up included), both as
//       processes a user starts: `node packages/cli/bin/radlab.js harvest TREE --into NEW` and
//       `.venv/bin/python anchor.py TREE OUT.parquet`.             target ratio <= 0.33 (≥ 3× faster)
//   (b) files per second (the same runs).                             (informational, ratio shown)
//   (c) peak RSS of the same runs (getrusage of the child, measure.py).
//   (d) flat memory: Radlab's peak RSS on the whole tree against its peak on a tree a tenth its
//       size (anchor column = the small tree).                        target ratio <= 1.25
//   (e) a re-run with nothing changed (same catalog folder), against the first run's time
//       (anchor column = the first run).                              target ratio <= 0.05
//
// Data: .radlab/bench/catalog/tree-N and tree-N/10 (made once by make_tree.py with pydicom; delete
// the folder to re-create them). Env: BENCH_CATALOG_FILES (default 10000), BENCH_RUNS (default 3),
// BENCH_CONCURRENCY (passed as --concurrency when set).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));
const DATA = join(ROOT, '.radlab/bench/catalog');
const FILES = Math.max(100, Number(process.env.BENCH_CATALOG_FILES ?? 10000));
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const PYTHON = join(ROOT, '.venv/bin/python');
const CLI = join(ROOT, 'packages/cli/bin/radlab.js');
const MB = 1024 * 1024;

const log = (...args) => console.error('[bench/catalog]', ...args);
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const load = () =>
  loadavg()
    .map(x => x.toFixed(1))
    .join(' ');
const result = r => console.log(JSON.stringify({ bench: 'catalog', ...r }));

function ensureBuilt() {
  try {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'packages/cli'],
      {
        cwd: ROOT,
        stdio: 'pipe'
      }
    );
  } catch (e) {
    if (!existsSync(join(ROOT, 'packages/cli/lib/harvest.js'))) throw e;
    log('warning: `tsc -b packages/cli` failed; benchmarking the last build in packages/cli/lib');
  }
}

function ensureTree(n) {
  const dir = join(DATA, `tree-${n}`);
  if (existsSync(join(dir, '.done'))) return dir;
  log(`making ${n} files once into ${dir}`);
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  execFileSync(PYTHON, [join(HERE, 'make_tree.py'), tmp, String(n)], { stdio: 'inherit' });
  writeFileSync(join(tmp, '.done'), '');
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}

/** One command through measure.py: {code, wall (s), maxrss (bytes), stdout (its last line)}. */
function measure(cmd, env = {}) {
  const r = spawnSync(PYTHON, [join(HERE, 'measure.py'), ...cmd], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * MB
  });
  if (r.status !== 0) throw new Error(`measure.py exited with ${r.status}`);
  const m = JSON.parse(r.stdout.trim().split('\n').pop());
  if (m.code !== 0) throw new Error(`${cmd.slice(0, 3).join(' ')}… exited with ${m.code}`);
  return m;
}

const work = mkdtempSync(join(tmpdir(), 'radlab-bench-catalog-'));
const env = { RADLAB_CATALOG_KEY_FILE: join(work, 'catalog.key') };
writeFileSync(env.RADLAB_CATALOG_KEY_FILE, Buffer.alloc(32, 7));
const extra = process.env.BENCH_CONCURRENCY ? ['--concurrency', process.env.BENCH_CONCURRENCY] : [];
let serial = 0;
const radlab = (tree, dest = join(work, `catalog-${serial++}`)) => {
  const m = measure(
    [process.execPath, CLI, 'harvest', tree, '--into', dest, '--json', ...extra],
    env
  );
  return { ...m, dest, summary: JSON.parse(m.stdout) };
};
const anchor = tree => {
  const m = measure([
    PYTHON,
    join(HERE, 'anchor.py'),
    tree,
    join(work, `anchor-${serial++}.parquet`)
  ]);
  return { ...m, summary: JSON.parse(m.stdout) };
};

function anchorMissing() {
  const r = spawnSync(PYTHON, ['-c', 'import pydicom, pandas, pyarrow'], { encoding: 'utf8' });
  return r.status === 0
    ? undefined
    : `pydicom, pandas or pyarrow do not import in .venv: ${r.stderr.trim().split('\n').pop()}`;
}

try {
  ensureBuilt();
  const tree = ensureTree(FILES);
  const small = ensureTree(Math.round(FILES / 10));
  const unavailable = anchorMissing();
  log(`${FILES} files, ${RUNS} runs each, load ${load()}`);
  const ours = [];
  const theirs = [];
  const reruns = [];
  const smalls = [];
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 === 0 ? ['radlab', 'anchor'] : ['anchor', 'radlab'];
    for (const who of order) {
      if (who === 'anchor') {
        if (unavailable) continue;
        const a = anchor(tree);
        theirs.push(a);
        log(
          `run ${i + 1} anchor: ${a.wall.toFixed(2)} s, ${(a.maxrss / MB).toFixed(0)} MB, ${a.stdout}`
        );
      } else {
        const r = radlab(tree);
        ours.push(r);
        const again = radlab(tree, r.dest);
        reruns.push(again);
        rmSync(r.dest, { recursive: true, force: true });
        log(
          `run ${i + 1} radlab: ${r.wall.toFixed(2)} s, ${(r.maxrss / MB).toFixed(0)} MB, ` +
            `${r.summary.instances} instances, ${r.summary.read} read; re-run ${again.wall.toFixed(2)} s, ` +
            `${again.summary.read} read`
        );
      }
    }
    const s = radlab(small);
    smalls.push(s);
    rmSync(s.dest, { recursive: true, force: true });
  }
  const wall = xs => median(xs.map(x => x.wall));
  const rss = xs => median(xs.map(x => x.maxrss)) / MB;
  const n = `${FILES} files, median of ${RUNS}`;
  const na = unavailable ? { anchor: null, unavailable } : {};
  result({
    metric: `harvest wall time, s (${n})`,
    radlab: wall(ours),
    anchor: unavailable ? null : wall(theirs),
    target: { of: 'ratio', op: '<=', value: 0.33, text: '>= 3x faster (ratio <= 0.33)' },
    ...na
  });
  result({
    metric: `files per second (${n})`,
    radlab: FILES / wall(ours),
    anchor: unavailable ? null : FILES / wall(theirs),
    ...na
  });
  result({
    metric: `peak RSS, MB (${n})`,
    radlab: rss(ours),
    anchor: unavailable ? null : rss(theirs),
    ...na
  });
  result({
    metric: `flat memory: peak RSS MB at ${FILES} files vs ${Math.round(FILES / 10)} (anchor col.)`,
    radlab: rss(ours),
    anchor: rss(smalls),
    target: { of: 'ratio', op: '<=', value: 1.25, text: 'ratio <= 1.25' }
  });
  result({
    metric: `re-run, nothing changed, s vs the first run (anchor col.)`,
    radlab: wall(reruns),
    anchor: wall(ours),
    target: { of: 'ratio', op: '<=', value: 0.05, text: '<= 5% of the first run' }
  });
  log(`load at the end ${load()}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
