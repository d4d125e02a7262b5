// bench/files: MapR/HDFS files on the local stack's real HDFS, in one run (see bench/README.md):
//   - the 100,000-file folder to first screenful: core's paged list (WebHDFS LISTSTATUS_BATCH, the
//     first page of 1,000) vs JupyterLab's own listing, GET /api/contents/<dir> of a jupyter server
//     on a local folder of as many files (what the lab's file browser asks for); also HttpFS's first
//     page (it answers the whole folder at once) for information;
//   - upload and download of a 1 GiB file over WebHDFS (NameNode + DataNode redirect), core's
//     streamed resumableUpload / read vs curl to WebHDFS directly (the same two steps: ask the
//     NameNode with noredirect=true, send/receive the bytes at the DataNode);
//   - the peak RSS growth of those transfers (each in its own node process) against the file size.
// Env: BENCH_RUNS (default 3), BENCH_FILES_MIB (default 1024), RADLAB_WEBHDFS_PORT, RADLAB_HTTPFS_PORT.
// Data: .radlab/bench/files/ (the local folder of 100,000 files and the 1 GiB file, made once).

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeSync
} from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const MIB = Number(process.env.BENCH_FILES_MIB ?? 1024);
const MANY = 100_000;
const USER = process.env.RADLAB_HDFS_USER ?? 'radlab';
const WEBHDFS = `http://127.0.0.1:${process.env.RADLAB_WEBHDFS_PORT ?? '9870'}`;
const HTTPFS = `http://127.0.0.1:${process.env.RADLAB_HTTPFS_PORT ?? '14000'}`;
const DATA = `${ROOT}.radlab/bench/files`;
const HOME = `/user/${USER}`;
const MB = 1024 * 1024;

const log = (...args) => console.error('[bench/files]', ...args);
const emit = result => process.stdout.write(`${JSON.stringify({ bench: 'files', ...result })}\n`);
const load = () =>
  loadavg()
    .map(x => x.toFixed(1))
    .join(' ');
const median = xs => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, d = 0) => Math.round(x * 10 ** d) / 10 ** d;

function worker(...args) {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', fileURLToPath(new URL('./worker.mjs', import.meta.url)), ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 }
  );
  const line = r.stdout.split('\n').find(l => l.startsWith('{'));
  if (r.status !== 0 || !line) throw new Error(`worker ${args.join(' ')} exited ${r.status}`);
  return JSON.parse(line);
}

function timed(cmd, args) {
  const t0 = performance.now();
  const out = execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { ms: performance.now() - t0, out };
}

// ---- data ---------------------------------------------------------------------------------------

function ensureData() {
  mkdirSync(`${DATA}/root/many`, { recursive: true });
  if (readdirSync(`${DATA}/root/many`).length !== MANY) {
    log(`making ${MANY} local files for the JupyterLab anchor`);
    for (let i = 0; i < MANY; i++)
      closeSync(openSync(`${DATA}/root/many/file-${String(i).padStart(6, '0')}.json`, 'w'));
  }
  const big = `${DATA}/big-${MIB}MiB.bin`;
  if (!existsSync(big) || statSync(big).size !== MIB * MB) {
    log(`making ${big}`);
    const fd = openSync(big, 'w');
    const buf = Buffer.alloc(MB);
    for (let m = 0; m < MIB; m++) {
      for (let i = 0; i < MB; i += 4) buf.writeUInt32LE(((m * MB + i) * 2654435761) >>> 0, i);
      writeSync(fd, buf);
    }
    closeSync(fd);
  }
  return big;
}

// ---- the JupyterLab anchor: /api/contents of a local folder ---------------------------------------

async function jupyterListing() {
  const port = 18000 + (process.pid % 1000);
  const token = `bench${process.pid}`;
  const server = spawn(
    `${ROOT}.venv/bin/jupyter`,
    [
      'server',
      '--no-browser',
      '--allow-root',
      `--port=${port}`,
      '--ServerApp.port_retries=0',
      `--IdentityProvider.token=${token}`,
      `--ServerApp.root_dir=${DATA}/root`
    ],
    { stdio: 'ignore' }
  );
  try {
    const url = `http://127.0.0.1:${port}/api/contents/many?content=1&token=${token}`;
    for (let i = 0; i < 120; i++) {
      const up = await fetch(`http://127.0.0.1:${port}/api/status?token=${token}`).catch(
        () => null
      );
      if (up?.ok) break;
      await new Promise(r => setTimeout(r, 500));
    }
    await fetch(url).then(r => r.arrayBuffer()); // warm: the OS's directory cache, the handler
    const times = [];
    let entries = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const body = await (await fetch(url)).json();
      times.push(performance.now() - t0);
      entries = body.content.length;
    }
    return { ms: median(times), entries };
  } finally {
    server.kill('SIGTERM');
  }
}

// ---- curl to WebHDFS directly ----------------------------------------------------------------------

function curlLocation(method, path, op, extra = '') {
  const { out } = timed('curl', [
    '-sS',
    '-X',
    method,
    `${WEBHDFS}/webhdfs/v1${path}?op=${op}&user.name=${USER}&noredirect=true${extra}`
  ]);
  return JSON.parse(out).Location;
}

function curlPut(local, path) {
  const t0 = performance.now();
  const location = curlLocation('PUT', path, 'CREATE', '&overwrite=true');
  execFileSync('curl', [
    '-sS',
    '-f',
    '-X',
    'PUT',
    '-T',
    local,
    '-H',
    'Content-Type: application/octet-stream',
    location
  ]);
  return performance.now() - t0;
}

function curlGet(path, local) {
  const t0 = performance.now();
  const location = curlLocation('GET', path, 'OPEN');
  execFileSync('curl', ['-sS', '-f', '-o', local, location]);
  return performance.now() - t0;
}

// ---- run ---------------------------------------------------------------------------------------------

execFileSync(`${ROOT}scripts/services/hdfs`, ['start'], { stdio: 'inherit' });
const big = ensureData();
log(`load average ${load()}`);

// first screenful
const radlabList = [];
const httpfsList = [];
for (let i = 0; i < RUNS; i++) {
  const r = worker('list', 'webhdfs', WEBHDFS, `${HOME}/many`);
  radlabList.push(r.ms);
  log(
    `list run ${i + 1}: webhdfs first page ${round(r.ms)} ms (${r.entries} entries, ${r.remaining} remaining)`
  );
}
const h = worker('list', 'httpfs', HTTPFS, `${HOME}/many`);
httpfsList.push(h.ms);
log(`httpfs first page ${round(h.ms)} ms (${h.entries} entries: HttpFS answers the whole folder)`);
const lab = await jupyterListing().catch(e => ({ error: String(e) }));
if (lab.error) log(`jupyter anchor failed: ${lab.error}`);
else log(`jupyter /api/contents of ${lab.entries} local files: ${round(lab.ms)} ms`);
emit({
  metric: `${MANY.toLocaleString('en-US')}-file folder to first screenful, ms (WebHDFS first page of 1,000; anchor Jupyter /api/contents of as many local files; median of ${RUNS})`,
  radlab: round(median(radlabList)),
  anchor: lab.error ? null : round(lab.ms),
  ...(lab.error ? { unavailable: lab.error } : {}),
  target: { of: 'radlab', op: '<=', value: 1000, text: 'radlab <= 1000 ms' }
});
emit({
  metric: `${MANY.toLocaleString('en-US')}-file folder over HttpFS, first answer, ms (the whole folder in one page; information)`,
  radlab: round(median(httpfsList)),
  anchor: lab.error ? null : round(lab.ms),
  ...(lab.error ? { unavailable: lab.error } : {})
});

// transfers
const remote = `${HOME}/bench-files-${process.pid}.bin`;
const down = `${DATA}/down.bin`;
const up = { radlab: [], curl: [], rss: [] };
const dl = { radlab: [], curl: [], rss: [] };
try {
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 === 0 ? ['radlab', 'curl'] : ['curl', 'radlab'];
    for (const who of order) {
      if (who === 'radlab') {
        const r = worker('put', 'webhdfs', WEBHDFS, big, remote);
        up.radlab.push(r.ms);
        up.rss.push(r.peakRssMB - r.rssBeforeMB);
        log(
          `put run ${i + 1} radlab ${round(r.ms)} ms, peak RSS +${round(r.peakRssMB - r.rssBeforeMB, 1)} MB`
        );
      } else {
        const ms = curlPut(big, `${remote}.curl`);
        up.curl.push(ms);
        log(`put run ${i + 1} curl ${round(ms)} ms`);
      }
    }
    for (const who of order) {
      rmSync(down, { force: true });
      if (who === 'radlab') {
        const r = worker('get', 'webhdfs', WEBHDFS, remote, down);
        if (r.bytes !== MIB * MB) throw new Error(`download got ${r.bytes} bytes`);
        dl.radlab.push(r.ms);
        dl.rss.push(r.peakRssMB - r.rssBeforeMB);
        log(
          `get run ${i + 1} radlab ${round(r.ms)} ms, peak RSS +${round(r.peakRssMB - r.rssBeforeMB, 1)} MB`
        );
      } else {
        const ms = curlGet(remote, down);
        dl.curl.push(ms);
        log(`get run ${i + 1} curl ${round(ms)} ms`);
      }
    }
  }
} finally {
  rmSync(down, { force: true });
  for (const p of [remote, `${remote}.curl`]) {
    spawnSync('curl', [
      '-sS',
      '-X',
      'DELETE',
      `${WEBHDFS}/webhdfs/v1${p}?op=DELETE&user.name=${USER}`
    ]);
  }
}
const mbps = ms => round((MIB / ms) * 1000, 1);
for (const [what, r] of [
  ['upload', up],
  ['download', dl]
]) {
  const rad = median(r.radlab);
  const cur = median(r.curl);
  emit({
    metric: `${what} of ${MIB} MiB over WebHDFS, MiB/s (radlab ${round(rad)} ms, curl ${round(cur)} ms; median of ${RUNS})`,
    radlab: mbps(rad),
    anchor: mbps(cur),
    target: { of: 'ratio', op: '>=', value: 0.8, text: 'radlab >= 0.8x curl' }
  });
  emit({
    metric: `peak RSS growth during the ${what}, MB (anchor: the file's size, a whole-file buffer)`,
    radlab: round(Math.max(...r.rss), 1),
    anchor: MIB,
    target: { of: 'ratio', op: '<=', value: 0.1, text: 'radlab <= 0.1x the file (flat: streamed)' }
  });
}
log(`load average ${load()}`);
