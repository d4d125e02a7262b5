// bench/imaging: @radlab/imaging on a synthetic 512×512×64 CT series against the anchors the issue
// names, run in the same process on the same data (see bench/README.md and the list below).
//
//   (a) JPEG 2000 lossless: the series through our decoder pool (2 worker_threads, whole files:
//       parse + decode + transfer) vs Cornerstone's OpenJPEG WASM decoder called directly in the
//       main thread on the pre-extracted codestreams.                          target ratio <= 0.6
//   (b) JPEG-LS lossless: the same two paths, CharLS WASM as the anchor.      target ratio <= 1.1
//   (c) .nii.gz open: readNifti (inflate + header + voxels) vs node:zlib gunzipSync alone.
//                                                                             target ratio <= 1.3
//   (d) window/level of one 512² int16 slice: the viewer's renderRgba (@radlab/ui, when built) and
//       imaging's renderGrey8 (the CLI's PNG path).                           target <= 2 ms
//   (e) coronal reslice of the 512×512×64 volume (reslice, middle row).       target <= 16 ms
//   (f) peak memory of loading the series into a Volume the way `radlab imaging slice --axis` does
//       (files read as 2 lanes per worker need them, decoded in the pool, placed by a
//       VolumeBuilder, file and frame buffers recycled), each in a fresh child process whose pool
//       has already decoded the series once (as a host's long-lived pool has): peak RSS (Linux
//       VmHWM, reset just before) minus RSS just before, and the peak growth of ArrayBuffer
//       memory; anchor = the volume's pixel bytes. The first series on a fresh pool, whose codec
//       heaps are still growing, is logged beside it.                         target ratio <= 1.5
//
// Data: .radlab/bench/imaging/ (made once by make_series.py with pydicom + nibabel, then gdcmconv
// --j2k / --jpegls per file; delete the folder to re-create it).
// Env: BENCH_RUNS (default 3; medians), BENCH_WORKERS (default 2).
// Child mode: `node run.mjs --memory raw|j2k [warm|cold]` prints one JSON line of raw numbers.

import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DATA = join(ROOT, '.radlab/bench/imaging');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const WORKERS = Math.max(1, Number(process.env.BENCH_WORKERS ?? 2));
const SIZE = 512;
const SLICES = 64;
const MB = 1024 * 1024;

const log = (...args) => console.error('[bench/imaging]', ...args);
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

function ensureBuilt() {
  try {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'packages/imaging'],
      {
        cwd: ROOT,
        stdio: 'pipe'
      }
    );
  } catch (e) {
    if (!existsSync(join(ROOT, 'packages/imaging/lib/index.js'))) throw e;
    log(
      'warning: `tsc -b packages/imaging` failed; benchmarking the last build in packages/imaging/lib'
    );
  }
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
    if (!existsSync(join(ROOT, 'packages/cli/lib/imaging/volume.js'))) throw e;
    log('warning: `tsc -b packages/cli` failed; using the last build in packages/cli/lib');
  }
  try {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'packages/ui'],
      {
        cwd: ROOT,
        stdio: 'pipe'
      }
    );
  } catch {
    log(
      'note: `tsc -b packages/ui` failed; (d) uses the last build of the viewer renderer, if any'
    );
  }
}

function ensureData() {
  if (existsSync(join(DATA, 'done'))) return;
  log('making the 512×512×64 series once into', DATA);
  const tmp = `${DATA}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  execFileSync(join(ROOT, '.venv/bin/python'), [join(ROOT, 'bench/imaging/make_series.py'), tmp], {
    stdio: 'inherit'
  });
  for (const [dir, flag] of [
    ['j2k', '--j2k'],
    ['jls', '--jpegls']
  ]) {
    mkdirSync(join(tmp, dir));
    for (const f of readdirSync(join(tmp, 'raw'))) {
      execFileSync('gdcmconv', [flag, join(tmp, 'raw', f), join(tmp, dir, f)]);
    }
  }
  execFileSync('touch', [join(tmp, 'done')]);
  rmSync(DATA, { recursive: true, force: true });
  renameSync(tmp, DATA);
}

function seriesFiles(kind) {
  const dir = join(DATA, kind);
  return readdirSync(dir)
    .sort()
    .map(f => readFileSync(join(dir, f)));
}

/** A fresh ArrayBuffer per file (the pool transfers, i.e. detaches, what it is given). */
const copies = files => files.map(b => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

function time(fn) {
  const t0 = performance.now();
  const r = fn();
  return r instanceof Promise ? r.then(() => performance.now() - t0) : performance.now() - t0;
}

function result(metric, radlab, anchor, target, extra = {}) {
  console.log(JSON.stringify({ bench: 'imaging', metric, radlab, anchor, target, ...extra }));
}

function verdict(label, radlab, anchor, target, unit = 'ms') {
  const fmt = x => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  const ratio = anchor ? radlab / anchor : undefined;
  const value = target.of === 'ratio' ? ratio : radlab;
  const met = value !== undefined && value <= target.value;
  log(
    `${label}: radlab ${fmt(radlab)} ${unit}` +
      (anchor ? `, anchor ${fmt(anchor)} ${unit}, ratio ${ratio.toFixed(2)}` : '') +
      ` (target ${target.text}): ${met ? 'met' : 'MISSED'}`
  );
}

// ---------------------------------------------------------------------------------------------
// Decode: our pool vs the WASM codec directly.

async function wasmAnchor(modulePath, className) {
  const mod = await import(modulePath);
  const factory = typeof mod.default === 'function' ? mod.default : mod;
  const codec = await factory({ print: () => undefined, printErr: () => undefined });
  const decoder = new codec[className]();
  // As cornerstone's decoders do: encoded bytes into WASM memory, decode, copy the pixels out.
  return frame => {
    decoder.getEncodedBuffer(frame.length).set(frame);
    decoder.decode();
    return decoder.getDecodedBuffer().slice();
  };
}

async function decodeBench(imaging, node, kind, label, anchorModule, anchorClass, target) {
  const files = seriesFiles(kind);
  // Codestreams for the anchor, extracted outside the timing.
  const frames = files.map(b =>
    imaging.frameData(imaging.parseDicom(new Uint8Array(b)), 0).slice()
  );
  const anchorDecode = await wasmAnchor(anchorModule, anchorClass);
  const pool = node.createNodeDecoder(WORKERS);
  // Warm up: the anchor's WASM, and every worker's codec (one file each, in parallel).
  anchorDecode(frames[0]);
  await Promise.all(copies(files.slice(0, WORKERS)).map(b => pool.dicom(b, { frames: [0] })));

  const runOurs = async () => {
    const inputs = copies(files);
    return time(() => Promise.all(inputs.map(b => pool.dicom(b, { frames: [0] }))));
  };
  const runAnchor = () => time(() => frames.forEach(f => anchorDecode(f)));
  const ours = [];
  const anchor = [];
  for (let r = 0; r < RUNS; r++) {
    // Alternate the order so that neither always runs on a warmer machine.
    if (r % 2 === 0) {
      ours.push(await runOurs());
      anchor.push(runAnchor());
    } else {
      anchor.push(runAnchor());
      ours.push(await runOurs());
    }
    log(
      `${label} run ${r + 1}: radlab ${ours.at(-1).toFixed(0)} ms, anchor ${anchor.at(-1).toFixed(0)} ms`
    );
  }
  // Correctness guard: the pool's pixels equal the anchor's (little-endian int16 bytes).
  const check = await pool.dicom(copies(files.slice(7, 8))[0], { frames: [0] });
  const mine = check.frames[0].pixels;
  const theirs = new Int16Array(anchorDecode(frames[7]).buffer);
  const same = mine.length === theirs.length && mine.every((v, i) => v === theirs[i]);
  pool.dispose();
  if (!same) throw new Error(`${label}: the pool's pixels differ from the anchor's`);
  const metric = `${label} decode of the series, ms (${SLICES} × ${SIZE}², ${WORKERS} workers vs WASM in the main thread, median of ${RUNS})`;
  result(metric, median(ours), median(anchor), target);
  verdict(label, median(ours), median(anchor), target);
}

// ---------------------------------------------------------------------------------------------

async function niftiBench(imaging) {
  // as the CLI does: @radlab/imaging/node hands zlib to readNifti (fflate is the portable default)
  await import('@radlab/imaging/node');
  const bytes = readFileSync(join(DATA, 'volume.nii.gz'));
  const ours = [];
  const anchor = [];
  imaging.readNifti(bytes);
  gunzipSync(bytes);
  for (let r = 0; r < RUNS; r++) {
    const a = () => anchor.push(time(() => gunzipSync(bytes)));
    const o = () => ours.push(time(() => imaging.readNifti(bytes)));
    if (r % 2 === 0) {
      o();
      a();
    } else {
      a();
      o();
    }
  }
  const target = { of: 'ratio', op: '<=', value: 1.3, text: 'ratio <= 1.3' };
  result(
    `(c) .nii.gz open, ms (${(bytes.length / MB).toFixed(1)} MB gz → ${((SIZE * SIZE * SLICES * 2) / MB).toFixed(0)} MB int16; readNifti vs zlib gunzipSync, median of ${RUNS})`,
    median(ours),
    median(anchor),
    target
  );
  verdict('(c) .nii.gz open', median(ours), median(anchor), target);
}

/** The CLI's series path: headers of the folder (openImage), then decode lanes into a VolumeBuilder. */
async function cliModules() {
  const source = await import(join(ROOT, 'packages/cli/lib/imaging/source.js'));
  const volume = await import(join(ROOT, 'packages/cli/lib/imaging/volume.js'));
  return { source, volume };
}

async function loadVolume(cli, pool, kind) {
  const input = await cli.source.openImage(join(DATA, kind));
  return cli.volume.seriesVolume(input.series[0].slices, pool, WORKERS);
}

function sampleTimes(fn, n) {
  for (let i = 0; i < 5; i++) fn();
  const times = [];
  for (let i = 0; i < n; i++) times.push(time(fn));
  return median(times);
}

async function renderBench(imaging, volume) {
  const slice = imaging.reslice(volume, 'axial', SLICES / 2);
  const window = volume.windows[0];
  const rescale = {
    rescaleSlope: volume.rescale.slope,
    rescaleIntercept: volume.rescale.intercept
  };
  const target = { of: 'radlab', op: '<=', value: 2, text: 'radlab <= 2 ms' };
  let viewer;
  try {
    viewer = await import(join(ROOT, 'packages/ui/lib/viewer/render.js'));
  } catch (e) {
    log(`(d) the viewer's renderRgba is not built (${e.message.split('\n')[0]}); only renderGrey8`);
  }
  // A different window per call, as a drag does (a LUT cached per window would not count).
  let n = 0;
  const next = () => ({ ...window, center: window.center + (n++ % 50) });
  if (viewer?.renderRgba) {
    const out = new Uint8ClampedArray(SIZE * SIZE * 4);
    const input = { width: slice.width, height: slice.height, data: slice.data };
    const ms = sampleTimes(
      () => viewer.renderRgba(input, { rescale: volume.rescale, window: next() }, out),
      101
    );
    result(
      `(d) window/level of a ${SIZE}² int16 slice to RGBA, ms (viewer renderRgba, median of 101)`,
      ms,
      null,
      target
    );
    verdict('(d) window/level, viewer renderRgba', ms, undefined, target);
  }
  const grey = new Uint8Array(SIZE * SIZE);
  const ms = sampleTimes(
    () => imaging.renderGrey8(slice.data, rescale, next(), { out: grey }),
    101
  );
  result(
    `(d) window/level of a ${SIZE}² int16 slice to grey8, ms (imaging renderGrey8, median of 101)`,
    ms,
    null,
    target
  );
  verdict('(d) window/level, imaging renderGrey8', ms, undefined, target);
}

function resliceBench(imaging, volume) {
  const out = new Int16Array(SIZE * SLICES);
  let j = 0;
  const ms = sampleTimes(
    () => imaging.reslice(volume, 'coronal', (j++ * 7) % SIZE, 0, { out }),
    101
  );
  const target = { of: 'radlab', op: '<=', value: 16, text: 'radlab <= 16 ms' };
  result(
    `(e) coronal reslice of ${SIZE}×${SIZE}×${SLICES} int16, ms (median of 101)`,
    ms,
    null,
    target
  );
  verdict('(e) coronal reslice', ms, undefined, target);
  const fresh = sampleTimes(() => imaging.reslice(volume, 'coronal', (j++ * 7) % SIZE), 101);
  log(`(e) coronal reslice allocating its output each time: ${fresh.toFixed(2)} ms`);
}

// ---------------------------------------------------------------------------------------------
// (f) memory, child side.

async function memoryChild(kind, warm) {
  const node = await import('@radlab/imaging/node');
  const cli = await cliModules();
  const input = await cli.source.openImage(join(DATA, kind));
  const slices = input.series[0].slices;
  const pool = node.createNodeDecoder(WORKERS);
  if (warm === 'warm') {
    // The pool as the hosts keep it: every codec has decoded a series, so its WASM heap has
    // reached its working size (a fixed cost per worker, not the volume's).
    await cli.volume.seriesVolume(slices, pool, WORKERS);
  } else {
    // Workers spawned and codecs loaded, nothing more.
    await Promise.all(
      slices
        .slice(0, WORKERS)
        .map(s => pool.dicom(copies([readFileSync(s.file)])[0], { frames: [0] }))
    );
  }
  globalThis.gc?.();
  await new Promise(r => setTimeout(r, 500));
  globalThis.gc?.();
  await new Promise(r => setTimeout(r, 100));
  const peak = peakRss();
  const base = process.memoryUsage();
  let peakArrayBuffers = base.arrayBuffers;
  const sampler = setInterval(() => {
    peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers);
  }, 5);
  const volume = await cli.volume.seriesVolume(slices, pool, WORKERS);
  clearInterval(sampler);
  const end = process.memoryUsage();
  peakArrayBuffers = Math.max(peakArrayBuffers, end.arrayBuffers);
  const maxRss = peak.read();
  pool.dispose();
  console.log(
    JSON.stringify({
      pixelBytes: volume.data.byteLength,
      rssDelta: maxRss - base.rss,
      arrayBuffersDelta: peakArrayBuffers - base.arrayBuffers,
      baseRss: base.rss
    })
  );
}

/**
 * The process's peak RSS from now on: Linux resets the high-water mark on request (clear_refs 5),
 * so the warm-up's own peak doesn't hide the load's; elsewhere the lifetime maximum.
 */
function peakRss() {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return {
      read: () =>
        Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) * 1024
    };
  } catch {
    return { read: () => process.resourceUsage().maxRSS * 1024 };
  }
}

function memoryRuns(kind, warm) {
  const runs = [];
  for (let r = 0; r < RUNS; r++) {
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', fileURLToPath(import.meta.url), '--memory', kind, warm],
      {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit']
      }
    );
    const line = child.stdout.trim().split('\n').at(-1);
    if (child.status !== 0 || !line)
      throw new Error(`memory child (${kind}) failed: ${child.status}`);
    runs.push(JSON.parse(line));
  }
  return {
    pixels: runs[0].pixelBytes,
    rss: median(runs.map(r => r.rssDelta)),
    ab: median(runs.map(r => r.arrayBuffersDelta))
  };
}

function memoryBench(kind, label) {
  const { pixels, rss, ab } = memoryRuns(kind, 'warm');
  const target = { of: 'ratio', op: '<=', value: 1.5, text: 'ratio <= 1.5' };
  result(
    `(f) peak RSS delta loading the ${label} series into a Volume, MB (anchor: its pixel bytes; warmed pool, fresh process, median of ${RUNS})`,
    rss / MB,
    pixels / MB,
    target
  );
  verdict(`(f) peak RSS, ${label}`, rss / MB, pixels / MB, target, 'MB');
  result(
    `(f) peak ArrayBuffer growth loading the ${label} series, MB (anchor: its pixel bytes)`,
    ab / MB,
    pixels / MB,
    target
  );
  verdict(`(f) peak ArrayBuffers, ${label}`, ab / MB, pixels / MB, target, 'MB');
  if (kind !== 'raw') {
    // The first series a fresh pool decodes also pays each worker's codec heap growing to size.
    const cold = memoryRuns(kind, 'cold');
    log(
      `(f) ${label}, first series on a fresh pool (codec heaps still growing): RSS ${(cold.rss / MB).toFixed(1)} MB = ${(cold.rss / cold.pixels).toFixed(2)}× its pixel bytes`
    );
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const at = process.argv.indexOf('--memory');
  if (at >= 0) return memoryChild(process.argv[at + 1], process.argv[at + 2] ?? 'warm');

  log(
    `load average at start: ${loadavg()
      .map(x => x.toFixed(2))
      .join(' ')}`
  );
  ensureBuilt();
  ensureData();
  const imaging = await import('@radlab/imaging');
  const node = await import('@radlab/imaging/node');

  await decodeBench(
    imaging,
    node,
    'j2k',
    '(a) JPEG 2000 lossless',
    '@cornerstonejs/codec-openjpeg/decodewasmjs',
    'J2KDecoder',
    { of: 'ratio', op: '<=', value: 0.6, text: 'ratio <= 0.6' }
  );
  await decodeBench(
    imaging,
    node,
    'jls',
    '(b) JPEG-LS lossless',
    '@cornerstonejs/codec-charls/decodewasmjs',
    'JpegLSDecoder',
    { of: 'ratio', op: '<=', value: 1.1, text: 'ratio <= 1.1' }
  );
  await niftiBench(imaging);
  const cli = await cliModules();
  const pool = node.createNodeDecoder(WORKERS);
  const volume = await loadVolume(cli, pool, 'j2k');
  pool.dispose();
  await renderBench(imaging, volume);
  resliceBench(imaging, volume);
  memoryBench('j2k', 'JPEG 2000');
  memoryBench('raw', 'uncompressed');
  log(
    `load average at end: ${loadavg()
      .map(x => x.toFixed(2))
      .join(' ')}`
  );
}

await main();
