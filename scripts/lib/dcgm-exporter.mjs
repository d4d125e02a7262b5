#!/usr/bin/env node
// A DCGM-format exporter for the local stack: no GPU here, so it serves what dcgm-exporter (and the older
// nvidia_gpu_prometheus_exporter) would serve for a small cluster, as a pure function of time, so the
// history that `backfill` writes for promtool and the live /metrics agree.
//
//   node dcgm-exporter.mjs serve PORT        GET /metrics on 127.0.0.1:PORT
//   node dcgm-exporter.mjs backfill FROM TO STEP   OpenMetrics text on stdout (seconds since the epoch)
//
// Nodes: RADLAB_DCGM_NODES ("name:gpus,..."; default four nodes, 8+8+4+4 GPUs).
// Pods: which GPU runs which pod comes from RADLAB_DCGM_PODS (a JSON file, re-read when it changes) when
// it exists: that is the hook for the local Kubernetes, whose job controller writes the pods it placed
// on GPUs as [{"node","gpu","namespace","pod","container","profile"}] (profile: train | idle | memory).
// Without the file the built-in workloads below stand in for the jobs.
import { createServer } from 'node:http';
import { readFileSync, statSync } from 'node:fs';

const NODES = (process.env.RADLAB_DCGM_NODES || 'gpu-node-1:8,gpu-node-2:8,gpu-node-3:4,gpu-node-4:4')
  .split(',')
  .map(part => {
    const [name, count] = part.split(':');
    return { name, gpus: Number(count || 8) };
  });

const MODELS = [
  { name: 'NVIDIA A100-SXM4-80GB', memMiB: 81920, powerMax: 400, smMax: 1410, memClock: 1593 },
  { name: 'NVIDIA H100 80GB HBM3', memMiB: 81559, powerMax: 700, smMax: 1980, memClock: 2619 }
];
const DRIVER = '535.129.03';

// The built-in workloads: a training job busy on four GPUs, one whose memory nears the limit, an
// allocated GPU left idle (a forgotten notebook), the rest free. One GPU has reported an XID error.
const BUILTIN_PODS = [
  ...[0, 1, 2, 3].map(gpu => ({
    node: 'gpu-node-1', gpu, namespace: 'radiology', pod: 'train-unet-0', container: 'trainer', profile: 'train'
  })),
  ...[0, 1].map(gpu => ({
    node: 'gpu-node-2', gpu, namespace: 'radiology', pod: 'segment-lung-0', container: 'trainer', profile: 'memory'
  })),
  { node: 'gpu-node-3', gpu: 0, namespace: 'radiology', pod: 'notebook-ana-0', container: 'notebook', profile: 'idle' }
];
const XID = { 'gpu-node-4/3': 48 };

let podsCache = { mtime: -1, pods: BUILTIN_PODS };
function pods() {
  const file = process.env.RADLAB_DCGM_PODS;
  if (!file) return BUILTIN_PODS;
  try {
    const { mtimeMs } = statSync(file);
    if (mtimeMs !== podsCache.mtime) {
      const parsed = JSON.parse(readFileSync(file, 'utf8'));
      podsCache = { mtime: mtimeMs, pods: Array.isArray(parsed) ? parsed : BUILTIN_PODS };
    }
    return podsCache.pods;
  } catch {
    return BUILTIN_PODS; // no file (yet), or one being written: keep the stand-in workloads
  }
}

/** A stable pseudo-random number in [0, 1) for a key and a time slot. */
function noise(key, slot) {
  let h = 2166136261;
  const s = `${key}:${slot}`;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return ((h >>> 0) % 10000) / 10000;
}

function uuid(node, gpu) {
  let h = 0;
  for (const c of `${node}/${gpu}`) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  const hex = (h.toString(16) + 'a3f9c2d417e8b605').slice(0, 16).padEnd(16, '0');
  return `GPU-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${gpu.toString(16).padStart(4, '0')}-${node.replace(/\D/g, '').padStart(12, '0')}`;
}

/** What one GPU reads at time t (seconds). */
function sample(node, nodeIndex, gpu, assignment, t) {
  const model = MODELS[nodeIndex < 2 ? 0 : 1];
  const key = `${node}/${gpu}`;
  const slot = Math.floor(t / 5);
  const n = noise(key, slot);
  const profile = assignment?.profile ?? (assignment ? 'train' : 'free');
  let util, memFrac;
  if (profile === 'train') {
    // epochs of ~10 min with a short validation dip at the end of each
    const phase = ((t + gpu * 17) % 600) / 600;
    util = phase > 0.92 ? 25 + 20 * n : 82 + 14 * n;
    memFrac = 0.68 + 0.04 * Math.sin(t / 900 + gpu);
  } else if (profile === 'memory') {
    util = 55 + 30 * n;
    memFrac = 0.965 + 0.02 * noise(key, Math.floor(t / 60));
  } else if (profile === 'idle') {
    util = n < 0.05 ? 2 : 0;
    memFrac = 0.031;
  } else {
    util = 0;
    memFrac = 0.0051;
  }
  util = Math.round(Math.min(100, util));
  const used = Math.round(model.memMiB * memFrac);
  const power = 55 + (model.powerMax - 70) * (util / 100) + 8 * n;
  const temp = Math.round(31 + 45 * (util / 100) + 3 * n);
  const sm = util > 0 ? Math.round(model.smMax * (0.85 + 0.15 * n)) : 210;
  return {
    model,
    util,
    memCopy: Math.round(util * (0.45 + 0.2 * n)),
    used,
    free: model.memMiB - used,
    power: Math.round(power * 1000) / 1000,
    temp,
    memTemp: temp + 4,
    sm,
    memClock: util > 0 ? model.memClock : 405,
    xid: XID[key] ?? 0,
    // mJ since an arbitrary boot: the integral of a power near the mean
    energy: Math.round(t * 1000 * (55 + (model.powerMax - 70) * (util / 100))),
    grActive: Math.round((util / 100) * (0.9 + 0.1 * n) * 1e4) / 1e4,
    dramActive: Math.round((util / 100) * (0.35 + 0.2 * n) * 1e4) / 1e4,
    tensorActive: Math.round((util / 100) * (0.4 + 0.3 * n) * 1e4) / 1e4
  };
}

// name, type, help, field, extra
const DCGM = [
  ['DCGM_FI_DEV_SM_CLOCK', 'gauge', 'SM clock frequency (in MHz).', s => s.sm],
  ['DCGM_FI_DEV_MEM_CLOCK', 'gauge', 'Memory clock frequency (in MHz).', s => s.memClock],
  ['DCGM_FI_DEV_MEMORY_TEMP', 'gauge', 'Memory temperature (in C).', s => s.memTemp],
  ['DCGM_FI_DEV_GPU_TEMP', 'gauge', 'GPU temperature (in C).', s => s.temp],
  ['DCGM_FI_DEV_POWER_USAGE', 'gauge', 'Power draw (in W).', s => s.power],
  ['DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', 'counter', 'Total energy consumption since boot (in mJ).', s => s.energy],
  ['DCGM_FI_DEV_GPU_UTIL', 'gauge', 'GPU utilization (in %).', s => s.util],
  ['DCGM_FI_DEV_MEM_COPY_UTIL', 'gauge', 'Memory utilization (in %).', s => s.memCopy],
  ['DCGM_FI_DEV_FB_FREE', 'gauge', 'Framebuffer memory free (in MiB).', s => s.free],
  ['DCGM_FI_DEV_FB_USED', 'gauge', 'Framebuffer memory used (in MiB).', s => s.used],
  ['DCGM_FI_DEV_XID_ERRORS', 'gauge', 'Value of the last XID error encountered.', s => s.xid],
  ['DCGM_FI_PROF_GR_ENGINE_ACTIVE', 'gauge', 'Ratio of time the graphics engine is active.', s => s.grActive],
  ['DCGM_FI_PROF_DRAM_ACTIVE', 'gauge', 'Ratio of cycles the device memory interface is active sending or receiving data.', s => s.dramActive],
  ['DCGM_FI_PROF_PIPE_TENSOR_ACTIVE', 'gauge', 'Ratio of cycles the tensor (HMMA) pipe is active.', s => s.tensorActive]
];
// nvidia_gpu_prometheus_exporter's names; `node` is the label Kubernetes' scrape relabelling adds.
const LEGACY = [
  ['nvidia_gpu_duty_cycle', 'gauge', 'Percent of time over the past sample period during which one or more kernels were executing on the GPU.', s => s.util],
  ['nvidia_gpu_memory_used_bytes', 'gauge', 'Memory used by the GPU device in bytes', s => s.used * 1048576],
  ['nvidia_gpu_memory_total_bytes', 'gauge', 'Total memory of the GPU device in bytes', s => s.model.memMiB * 1048576],
  ['nvidia_gpu_power_usage_milliwatts', 'gauge', 'Power usage of the GPU device in milliwatts', s => Math.round(s.power * 1000)],
  ['nvidia_gpu_temperature_celsius', 'gauge', 'Temperature of the GPU device in celsius', s => s.temp]
];

const esc = v => String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels, dropEmpty = false) =>
  Object.entries(labels)
    .filter(([, v]) => !dropEmpty || v !== '')
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(',');

/** Every GPU's series at time t: [{name, type, help, labels, value}] grouped by metric. */
function families(t) {
  const assignments = new Map(pods().map(p => [`${p.node}/${p.gpu}`, p]));
  const gpus = [];
  NODES.forEach((node, nodeIndex) => {
    for (let gpu = 0; gpu < node.gpus; gpu++) {
      const a = assignments.get(`${node.name}/${gpu}`);
      gpus.push({ node: node.name, gpu, a, s: sample(node.name, nodeIndex, gpu, a, t) });
    }
  });
  const out = [];
  for (const [name, type, help, get] of DCGM) {
    out.push({
      name, type, help,
      rows: gpus.map(({ node, gpu, a, s }) => ({
        labels: {
          gpu, UUID: uuid(node, gpu), pci_bus_id: `00000000:${(0x07 + gpu * 0x10).toString(16).toUpperCase().padStart(2, '0')}:00.0`,
          device: `nvidia${gpu}`, modelName: s.model.name, Hostname: node, DCGM_FI_DRIVER_VERSION: DRIVER,
          container: a?.container ?? '', namespace: a?.namespace ?? '', pod: a?.pod ?? ''
        },
        value: get(s)
      }))
    });
  }
  for (const [name, type, help, get] of LEGACY) {
    out.push({
      name, type, help,
      rows: gpus.map(({ node, gpu, s }) => ({
        labels: { minor_number: gpu, name: s.model.name, uuid: uuid(node, gpu), node },
        value: get(s)
      }))
    });
  }
  return out;
}

function exposition(t) {
  let text = '';
  for (const f of families(t)) {
    text += `# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}\n`;
    for (const r of f.rows) text += `${f.name}{${labelText(r.labels)}} ${r.value}\n`;
  }
  return text;
}

/** OpenMetrics for promtool: each family's samples from `from` to `to` every `step` seconds. */
function backfill(from, to, step) {
  const times = [];
  for (let t = from; t <= to; t += step) times.push(t);
  const perTime = times.map(t => families(t));
  const write = s => process.stdout.write(s);
  // the labels a scrape adds (and its dropping of empty ones), so backfilled and live samples are one series
  const target = { job: 'dcgm-exporter', instance: process.env.RADLAB_DCGM_INSTANCE || '127.0.0.1:9400' };
  perTime[0]?.forEach((f, fi) => {
    // OpenMetrics counters are named with a _total suffix; DCGM's energy counter is not, so it is
    // written as a gauge (its values are the same; rate() works on either).
    write(`# HELP ${f.name} ${f.help}\n# TYPE ${f.name} gauge\n`);
    let chunk = '';
    f.rows.forEach((r, ri) => {
      const labels = `{${labelText({ ...r.labels, ...target }, true)}}`;
      perTime.forEach((fams, ti) => {
        chunk += `${f.name}${labels} ${fams[fi].rows[ri].value} ${times[ti]}\n`;
      });
      if (chunk.length > 1 << 20) (write(chunk), (chunk = ''));
    });
    write(chunk);
  });
  write('# EOF\n');
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'serve') {
  const port = Number(args[0] || 9400);
  const server = createServer((req, res) => {
    if (req.url === '/metrics' || req.url?.startsWith('/metrics?')) {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(exposition(Date.now() / 1000));
    } else if (req.url === '/health') {
      res.writeHead(200).end('ok\n');
    } else {
      res.writeHead(404).end('see /metrics\n');
    }
  });
  server.listen(port, '127.0.0.1');
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else if (mode === 'backfill') {
  const [from, to, step] = args.map(Number);
  backfill(Math.floor(from), Math.floor(to), Math.max(1, Math.floor(step || 60)));
} else {
  process.stderr.write('usage: dcgm-exporter.mjs serve PORT | backfill FROM TO STEP\n');
  process.exit(2);
}
