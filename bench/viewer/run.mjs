// bench/viewer: the first image and the whole series of a 64-slice 512² CT series in the browser,
// Radlab against Cornerstone3D, in one Debian chromium, alternating, on the same files from one
// Jupyter server (see bench/README.md).
//
//   Radlab:       the real JupyterLab with Radlab installed; "Open as DICOM Series" (the command
//                 radlab:open-dicom-series) on a folder whose file names are random, so only the
//                 headers order it; timed from the command to the viewer's User Timing marks
//                 radlab:viewer:first-image (the first slice drawn) and radlab:viewer:loaded (every
//                 slice decoded). Bytes come through radlab/api/contents-bytes.
//   Cornerstone3D (anchor, from npm into .radlab/bench/viewer/anchor, the root lock untouched):
//                 a StackViewport with @cornerstonejs/dicom-image-loader (wadouri, 2 decode workers)
//                 handed the files in slice order (as OHIF gets it from DICOMweb metadata); first
//                 image = IMAGE_RENDERED, then every image loaded and cached as a stack prefetch
//                 does. Its page comes from a bare static server in this process (Jupyter's /files/
//                 sandboxes pages: no module workers there), the files from the same Jupyter
//                 server's /files/ (CORS allowed for that page's origin), as a Cornerstone user of
//                 Jupyter would read them.
//
// Per syntax (explicit VR little endian, JPEG 2000 lossless, JPEG-LS lossless): one warm-up run of
// each (its workers and codecs start; printed as "cold"), then BENCH_RUNS runs each, alternating
// which goes first, the browser's HTTP cache cleared before every run. Printed: medians and the
// ratios; Radlab's requests and bytes (from Resource Timing) against the files' count and size.
// Env: BENCH_RUNS (default 5), BENCH_SYNTAXES (default explicit,j2k,jls). `--page`: only build the
// anchor's page.
// Data: .radlab/bench/viewer/root/series/<syntax>/ (made once from bench/imaging/make_series.py and
// gdcmconv; delete .radlab/bench/viewer to re-create it and the anchor install).

/* global window */ // (in page.evaluate callbacks, which run in the browser)
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HERE = join(ROOT, 'bench/viewer');
const STATE = join(ROOT, '.radlab/bench/viewer');
const LAB_ROOT = join(STATE, 'root');
const ANCHOR = join(STATE, 'anchor');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const SYNTAXES = (process.env.BENCH_SYNTAXES ?? 'explicit,j2k,jls').split(',');
const LABELS = { explicit: 'explicit VR LE', j2k: 'JPEG 2000 lossless', jls: 'JPEG-LS lossless' };
const GDCM_FLAG = { j2k: '--j2k', jls: '--jpegls' };
const CORNERSTONE = '5.14.0';
const CHROMIUM = process.env.RADLAB_CHROMIUM ?? '/usr/bin/chromium';

const log = (...args) => console.error('[bench/viewer]', ...args);
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const load = () =>
  loadavg()
    .map(n => n.toFixed(2))
    .join(' ');

/** The series, one folder per syntax, names random (a hash), and each folder's slice order. */
function ensureData() {
  if (SYNTAXES.every(s => existsSync(join(STATE, 'order', `${s}.json`)))) return;
  log('making the 512×512×64 series once (make_series.py, gdcmconv)');
  const tmp = join(STATE, 'make.tmp');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  execFileSync(join(ROOT, '.venv/bin/python'), [join(ROOT, 'bench/imaging/make_series.py'), tmp], {
    stdio: 'inherit'
  });
  const raw = readdirSync(join(tmp, 'raw')).sort(); // CT000.dcm …: slice order
  for (const syntax of SYNTAXES) {
    const out = join(LAB_ROOT, 'series', syntax);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const order = raw.map(f => {
      const name = `${createHash('sha1').update(`${syntax}/${f}`).digest('hex').slice(0, 16)}.dcm`;
      const to = join(out, name);
      if (GDCM_FLAG[syntax]) execFileSync('gdcmconv', [GDCM_FLAG[syntax], join(tmp, 'raw', f), to]);
      else copyFileSync(join(tmp, 'raw', f), to);
      return name;
    });
    mkdirSync(join(STATE, 'order'), { recursive: true });
    writeFileSync(join(STATE, 'order', `${syntax}.json`), JSON.stringify(order));
  }
  rmSync(tmp, { recursive: true, force: true });
}

/** Cornerstone3D from npm into its own folder (not the repo's dependencies). */
function ensureAnchor() {
  const marker = join(ANCHOR, 'node_modules/@cornerstonejs/dicom-image-loader/package.json');
  if (existsSync(marker)) return;
  log(`installing Cornerstone3D ${CORNERSTONE} from npm into`, ANCHOR);
  mkdirSync(ANCHOR, { recursive: true });
  writeFileSync(
    join(ANCHOR, 'package.json'),
    JSON.stringify({ name: 'radlab-bench-viewer-anchor', private: true })
  );
  execFileSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      `@cornerstonejs/core@${CORNERSTONE}`,
      `@cornerstonejs/dicom-image-loader@${CORNERSTONE}`,
      `@cornerstonejs/metadata@${CORNERSTONE}`
    ],
    { cwd: ANCHOR, stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 }
  );
}

/** The anchor's page in the lab root: page/index.html, cs.js, its worker and the codecs' .wasm. */
async function buildPage() {
  const { build } = await import('esbuild');
  const page = join(LAB_ROOT, 'page');
  mkdirSync(page, { recursive: true });
  copyFileSync(join(HERE, 'page.html'), join(page, 'index.html'));
  const common = {
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    nodePaths: [join(ANCHOR, 'node_modules')],
    // the codecs' Emscripten glue names Node modules behind runtime checks: empty stand-ins
    plugins: [
      {
        name: 'no-node',
        setup(b) {
          b.onResolve({ filter: /^(node:)?(fs|path|crypto|module|url|worker_threads)$/ }, () => ({
            path: 'node-stub',
            namespace: 'no-node'
          }));
          b.onLoad({ filter: /.*/, namespace: 'no-node' }, () => ({
            contents: 'export default {};'
          }));
        }
      }
    ],
    logLevel: 'error',
    minify: true
  };
  await build({
    ...common,
    entryPoints: [join(HERE, 'cornerstone.mjs')],
    outfile: join(page, 'cs.js')
  });
  // the loader starts `new URL('./decodeImageFrameWorker.js', import.meta.url)`: beside cs.js
  await build({
    ...common,
    entryPoints: [
      join(
        ANCHOR,
        'node_modules/@cornerstonejs/dicom-image-loader/dist/esm/decodeImageFrameWorker.js'
      )
    ],
    outfile: join(page, 'decodeImageFrameWorker.js')
  });
  const codecs = join(ANCHOR, 'node_modules/@cornerstonejs');
  for (const codec of readdirSync(codecs).filter(n => n.startsWith('codec-'))) {
    const dist = join(codecs, codec, 'dist');
    if (!existsSync(dist)) continue;
    for (const f of readdirSync(dist).filter(n => n.endsWith('.wasm')))
      copyFileSync(join(dist, f), join(page, f));
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** JupyterLab with Radlab (the repo's .venv), isolated like ui-tests/scripts/start-jupyterlab.sh. */
async function startLab(allowOrigin) {
  const port = await freePort();
  const home = join(STATE, 'lab-state');
  rmSync(home, { recursive: true, force: true });
  for (const d of ['config', 'data', 'runtime', 'workspaces'])
    mkdirSync(join(home, d), { recursive: true });
  const config = join(home, 'connections.json');
  writeFileSync(config, JSON.stringify({ connections: [] }));
  const env = {
    ...process.env,
    JUPYTER_CONFIG_DIR: join(home, 'config'),
    JUPYTER_DATA_DIR: join(home, 'data'),
    JUPYTER_RUNTIME_DIR: join(home, 'runtime'),
    JUPYTERLAB_WORKSPACES_DIR: join(home, 'workspaces'),
    RADLAB_CONFIG: config
  };
  delete env.RADLAB_CONNECTIONS;
  const args = [
    'lab',
    '--ServerApp.ip=127.0.0.1',
    `--ServerApp.port=${port}`,
    '--ServerApp.port_retries=0',
    '--no-browser',
    '--ServerApp.token=',
    '--ServerApp.password=',
    `--ServerApp.root_dir=${LAB_ROOT}`,
    '--LabApp.expose_app_in_browser=True',
    `--ServerApp.allow_origin=${allowOrigin}`,
    `--LabApp.workspaces_dir=${join(home, 'workspaces')}`
  ];
  if (process.getuid?.() === 0) args.push('--allow-root');
  const lab = spawn(join(ROOT, '.venv/bin/jupyter'), args, {
    env,
    stdio: ['ignore', 'ignore', 'pipe']
  });
  let stderr = '';
  lab.stderr.on('data', d => (stderr = (stderr + d).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (lab.exitCode !== null) throw new Error(`jupyter lab exited: ${stderr}`);
    try {
      if ((await fetch(`${base}/lab`)).ok) return { lab, base };
    } catch {
      // not up yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  lab.kill();
  throw new Error(`jupyter lab did not answer in 120 s: ${stderr}`);
}

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

/** A bare static server over the lab root (the anchor's page and the series files). */
async function startStatic() {
  const server = createHttpServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = join(LAB_ROOT, path);
    if (path.includes('..') || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const ext = path.slice(path.lastIndexOf('.'));
    res.writeHead(200, {
      'Content-Type': MIME[ext] ?? 'application/octet-stream',
      'Content-Length': statSync(file).size,
      'Cache-Control': 'no-store'
    });
    createReadStream(file).pipe(res);
  });
  const port = await freePort();
  await new Promise(resolve => server.listen(port, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${port}` };
}

async function clearCache(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
}

/** One Radlab run in the lab: the command, then the viewer's marks; requests and bytes read. */
async function radlabRun(lab, syntax) {
  // the page in front: a page behind another gets no animation frames, so nothing is drawn
  await lab.bringToFront();
  await clearCache(lab);
  return lab.evaluate(async folder => {
    const app = window.jupyterapp;
    await app.commands.execute('application:close-all');
    performance.clearMarks();
    performance.setResourceTimingBufferSize(100_000);
    performance.clearResourceTimings();
    // main-thread tasks over 50 ms while the series opens (logged with the phases)
    const long = [];
    const observer = new PerformanceObserver(list => long.push(...list.getEntries()));
    observer.observe({ type: 'longtask' });
    const t0 = performance.now();
    await app.commands.execute('radlab:open-dicom-series', { path: folder });
    const mark = name =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = () => {
          const m = performance.getEntriesByName(name, 'mark').at(-1);
          if (m) resolve(m.startTime - t0);
          else if (Date.now() - started > 120_000) reject(new Error(`no ${name} in 120 s`));
          else setTimeout(poll, 2);
        };
        poll();
      });
    const first = await mark('radlab:viewer:first-image');
    const all = await mark('radlab:viewer:loaded');
    observer.disconnect();
    const entries = performance
      .getEntriesByType('resource')
      .filter(e => e.name.includes('/radlab/api/contents-'));
    const files = entries.filter(e => e.name.includes('contents-bytes'));
    const bytes = files.reduce((n, e) => n + e.encodedBodySize, 0);
    // where the time went (logged): each file's first request is its head, a second its rest
    const seen = new Set();
    const heads = [];
    const rests = [];
    for (const e of files) {
      (seen.has(e.name) ? rests : heads).push(e);
      seen.add(e.name);
    }
    const end = es => Math.max(...es.map(e => e.responseEnd)) - t0;
    const phases = {
      listed: end(entries.filter(e => e.name.includes('contents-list'))),
      headers: end(heads),
      ...(rests.length ? { restFrom: Math.min(...rests.map(e => e.startTime)) - t0 } : {}),
      ...(rests.length ? { firstRest: rests[0].responseEnd - t0 } : {}),
      ...(rests.length ? { restTo: end(rests) } : {}),
      open:
        (performance.getEntriesByName('radlab:viewer:open', 'mark').at(-1)?.startTime ?? t0) - t0,
      longTasks: long
        .filter(e => e.startTime - t0 < first)
        .map(e => `${Math.round(e.startTime - t0)}+${Math.round(e.duration)}`)
        .join(' ')
    };
    return { first, all, requests: entries.length, bytes, phases };
  }, `series/${syntax}`);
}

async function cornerstoneRun(cs, base, syntax, order) {
  await cs.bringToFront();
  await clearCache(cs);
  const urls = order.map(n => `${base}/files/series/${syntax}/${n}`);
  return cs.evaluate(
    async ({ urls, index }) => {
      performance.setResourceTimingBufferSize(100_000);
      performance.clearResourceTimings();
      const r = await window.benchCornerstone(urls, index);
      const entries = performance
        .getEntriesByType('resource')
        .filter(e => e.name.includes('/series/'));
      return {
        ...r,
        requests: entries.length,
        bytes: entries.reduce((n, e) => n + e.encodedBodySize, 0)
      };
    },
    { urls, index: Math.floor((urls.length - 1) / 2) }
  );
}

async function main() {
  if (process.argv.includes('--page')) {
    // `node run.mjs --page`: only (re)build the anchor's page, to look at it in a browser
    ensureAnchor();
    await buildPage();
    return;
  }
  log('load average at start:', load());
  ensureData();
  let anchorWhy;
  try {
    ensureAnchor();
    await buildPage();
  } catch (err) {
    anchorWhy = `Cornerstone3D could not be installed or bundled: ${err.message}`;
    log(anchorWhy);
  }
  const { chromium } = await import('playwright-core');
  const statics = await startStatic();
  const { lab: server, base } = await startLab(statics.base);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking']
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const lab = await context.newPage();
    await lab.goto(`${base}/lab`);
    await lab.waitForFunction(
      () => window.jupyterapp?.commands.hasCommand('radlab:open-dicom-series'),
      null,
      { timeout: 120_000 }
    );
    let cs;
    if (!anchorWhy) {
      cs = await context.newPage();
      const errors = [];
      cs.on('pageerror', e => errors.push(e.message));
      cs.on('console', m => m.type() === 'error' && errors.push(m.text()));
      await cs.goto(`${statics.base}/page/index.html?workers=2`);
      await cs.waitForFunction(() => window.benchCornerstoneReady, null, { timeout: 60_000 });
      if (errors.length) log('cornerstone page errors:', errors.join('; '));
    }
    for (const syntax of SYNTAXES) {
      const order = JSON.parse(readFileSync(join(STATE, 'order', `${syntax}.json`), 'utf8'));
      const folder = join(LAB_ROOT, 'series', syntax);
      const size = readdirSync(folder).reduce((n, f) => n + statSync(join(folder, f)).size, 0);
      const r = { first: [], all: [], requests: [], bytes: [] };
      const a = { first: [], all: [] };
      const cold = { radlab: await radlabRun(lab, syntax) };
      if (cs) cold.anchor = await cornerstoneRun(cs, base, syntax, order);
      log(`${syntax} cold (first open):`, JSON.stringify(cold));
      for (let i = 0; i < RUNS; i++) {
        const variants = [
          async () => {
            const x = await radlabRun(lab, syntax);
            for (const k of Object.keys(r)) r[k].push(x[k]);
            return ['radlab', x];
          },
          ...(cs
            ? [
                async () => {
                  const x = await cornerstoneRun(cs, base, syntax, order);
                  a.first.push(x.first);
                  a.all.push(x.all);
                  return ['cornerstone', x];
                }
              ]
            : [])
        ];
        if (i % 2) variants.reverse();
        for (const v of variants) {
          const [name, x] = await v();
          log(
            `${syntax} run ${i + 1} ${name}:`,
            JSON.stringify(x, (k, v) => (typeof v === 'number' ? Math.round(v) : v))
          );
        }
      }
      const label = `${LABELS[syntax]}, 64 × 512², median of ${RUNS}`;
      const anchor = v => (cs ? Math.round(median(v)) : null);
      const unavailable = cs ? {} : { unavailable: anchorWhy };
      const ratio = (value, text) => ({ of: 'ratio', op: '<=', value, text });
      const n = order.length;
      const results = [
        [
          `first slice painted, ms (${label})`,
          Math.round(median(r.first)),
          anchor(a.first),
          ratio(1.5, 'radlab <= 1.5 × Cornerstone3D'),
          unavailable
        ],
        [
          `all slices decoded, ms (${label})`,
          Math.round(median(r.all)),
          anchor(a.all),
          ratio(1.0, 'radlab <= 1.0 × Cornerstone3D'),
          unavailable
        ],
        [
          `bytes fetched vs the files' size (${LABELS[syntax]}, ${n} files)`,
          median(r.bytes),
          size,
          ratio(1.05, 'radlab <= 1.05 × the files'),
          {}
        ],
        [
          `requests (listing + header ranges + one per file; ${LABELS[syntax]}, ${n} files)`,
          median(r.requests),
          n,
          {
            of: 'radlab',
            op: '<=',
            value: 2 * n + 1,
            text: `radlab <= ${2 * n + 1} (1 + 2 per file)`
          },
          {}
        ]
      ];
      for (const [metric, radlab, anchorValue, target, extra] of results)
        console.log(
          JSON.stringify({ bench: 'viewer', metric, radlab, anchor: anchorValue, target, ...extra })
        );
    }
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    statics.server.close();
    log('load average at end:', load());
  }
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
