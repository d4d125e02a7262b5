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
//
// Kubernetes: with RADLAB_DCGM_KUBERNETES=1 the exporter also follows the local Kubernetes (the kubeconfig
// RADLAB_DCGM_KUBECONFIG; the service script passes the control plane's admin one): every
// RADLAB_DCGM_KUBE_POLL_MS (default 2000) it lists the GPU nodes kwok runs (nvidia.com/gpu.present) and
// the Running pods on them, gives each pod's GPU-requesting containers the node's lowest free GPU indices
// (kept while the pod runs, as the device plugin would), and serves those nodes' GPUs too, with the pod,
// namespace and container labels dcgm-exporter's Kubernetes mode adds and Hostname = the node. A pod's
// `radlab.io/dcgm-profile` annotation (train | idle | memory; default train) says how its GPUs look.
// The real dcgm-exporter asks the kubelet's pod-resources socket; kwok has no kubelet, so the API
// server's view of the pods stands in. Backfilled history covers the built-in nodes only.
import { createServer } from 'node:http';
import { request as httpsRequest } from 'node:https';
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
// the kwok nodes' nvidia.com/gpu.product labels (GPU feature discovery's names) → what DCGM reports
const PRODUCTS = {
  'NVIDIA-A100-SXM4-80GB': MODELS[0],
  'NVIDIA-H100-80GB-HBM3': MODELS[1],
  'Tesla-T4': { name: 'Tesla T4', memMiB: 15360, powerMax: 70, powerIdle: 10, smMax: 1590, memClock: 5000 }
};
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
function sample(node, model, gpu, assignment, t) {
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
  const idlePower = model.powerIdle ?? 55;
  const power = idlePower + (model.powerMax - idlePower - 15) * (util / 100) + 8 * n;
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
    energy: Math.round(t * 1000 * (idlePower + (model.powerMax - idlePower - 15) * (util / 100))),
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
  const assignments = new Map([...pods(), ...kube.pods].map(p => [`${p.node}/${p.gpu}`, p]));
  const nodes = [
    ...NODES.map((node, i) => ({ ...node, model: MODELS[i < 2 ? 0 : 1] })),
    ...kube.nodes.filter(k => !NODES.some(n => n.name === k.name))
  ];
  const gpus = [];
  for (const node of nodes) {
    for (let gpu = 0; gpu < node.gpus; gpu++) {
      const a = assignments.get(`${node.name}/${gpu}`);
      gpus.push({ node: node.name, gpu, a, s: sample(node.name, node.model, gpu, a, t) });
    }
  }
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


// ---- the local Kubernetes' GPU pods (RADLAB_DCGM_KUBERNETES=1) ----

/** What the exporter knows of the cluster: its kwok GPU nodes and which pod holds which GPU. */
const kube = { nodes: [], pods: [], error: undefined };

/** server, CA and token of a kubeconfig's current context (the few fields a token kubeconfig has). */
function readKubeconfig(file) {
  const text = readFileSync(file, 'utf8');
  const field = name => text.match(new RegExp(`^\\s*${name}:\\s*(\\S+)\\s*$`, 'm'))?.[1];
  const server = field('server');
  if (!server) throw new Error(`no server in ${file}`);
  const ca = field('certificate-authority-data');
  return {
    server: new URL(server),
    token: field('token'),
    ca: ca ? Buffer.from(ca, 'base64') : undefined
  };
}

function kubeGet(config, path) {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      new URL(path, config.server),
      {
        ca: config.ca,
        headers: {
          accept: 'application/json',
          ...(config.token ? { authorization: `Bearer ${config.token}` } : {})
        },
        timeout: 10_000
      },
      res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', c => (body += c));
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`GET ${path}: HTTP ${res.statusCode} ${body.slice(0, 200)}`));
          else {
            try {
              resolve(JSON.parse(body));
            } catch (e) {
              reject(e);
            }
          }
        });
      }
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: timed out`)));
    req.on('error', reject);
    req.end();
  });
}

const gpuCount = c => {
  const v = c.resources?.limits?.['nvidia.com/gpu'] ?? c.resources?.requests?.['nvidia.com/gpu'];
  const n = Number(v ?? 0);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
};

/** pod uid → [{node, gpu, namespace, pod, container, profile}], kept while the pod runs. */
const held = new Map();

/** GPU indices for the pods running now: a pod keeps those it had, new pods get the lowest free ones. */
function assignGpus(nodes, running, previous = held) {
  const capacity = new Map(nodes.map(n => [n.name, n.gpus]));
  const next = new Map();
  const used = new Map(nodes.map(n => [n.name, new Set()]));
  for (const p of running) {
    const had = previous.get(p.metadata.uid);
    if (had && had.every(a => a.node === p.spec.nodeName)) {
      next.set(p.metadata.uid, had);
      for (const a of had) used.get(a.node)?.add(a.gpu);
    }
  }
  const fresh = running
    .filter(p => !next.has(p.metadata.uid))
    .sort(
      (a, b) =>
        String(a.status?.startTime ?? a.metadata.creationTimestamp ?? '').localeCompare(
          String(b.status?.startTime ?? b.metadata.creationTimestamp ?? '')
        ) || a.metadata.name.localeCompare(b.metadata.name)
    );
  for (const p of fresh) {
    const node = p.spec.nodeName;
    const free = used.get(node);
    if (!free) continue;
    const profile = p.metadata.annotations?.['radlab.io/dcgm-profile'] ?? 'train';
    const out = [];
    for (const c of p.spec.containers ?? []) {
      for (let k = gpuCount(c); k > 0; k--) {
        let gpu = 0;
        while (free.has(gpu) && gpu < (capacity.get(node) ?? 0)) gpu++;
        if (gpu >= (capacity.get(node) ?? 0)) break; // more than the node has: the scheduler would not
        free.add(gpu);
        out.push({ node, gpu, namespace: p.metadata.namespace, pod: p.metadata.name, container: c.name, profile });
      }
    }
    if (out.length) next.set(p.metadata.uid, out);
  }
  return next;
}

async function pollKube(config) {
  const nodeList = await kubeGet(config, '/api/v1/nodes?labelSelector=nvidia.com%2Fgpu.present%3Dtrue');
  // kwok's nodes only (annotation kwok.x-k8s.io/node=fake): the GPUs this exporter stands in for
  const nodes = (nodeList.items ?? [])
    .filter(n => n.metadata.annotations?.['kwok.x-k8s.io/node'] === 'fake')
    .map(n => {
      const product = n.metadata.labels?.['nvidia.com/gpu.product'] ?? '';
      return {
        name: n.metadata.name,
        gpus: Number(n.status?.capacity?.['nvidia.com/gpu'] ?? 0) || 0,
        model: PRODUCTS[product] ?? { ...MODELS[0], name: product.replace(/-/g, ' ') || MODELS[0].name }
      };
    })
    .filter(n => n.gpus > 0)
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const podList = await kubeGet(config, '/api/v1/pods?fieldSelector=status.phase%3DRunning');
  const names = new Set(nodes.map(n => n.name));
  const running = (podList.items ?? []).filter(
    p => names.has(p.spec?.nodeName) && !p.metadata.deletionTimestamp && (p.spec.containers ?? []).some(c => gpuCount(c) > 0)
  );
  const next = assignGpus(nodes, running);
  held.clear();
  for (const [uid, a] of next) held.set(uid, a);
  kube.nodes = nodes;
  kube.pods = [...next.values()].flat();
}

function followKube() {
  const file = process.env.RADLAB_DCGM_KUBECONFIG;
  const every = Math.max(200, Number(process.env.RADLAB_DCGM_KUBE_POLL_MS || 2000));
  const once = async () => {
    try {
      await pollKube(readKubeconfig(file));
      if (kube.error) process.stderr.write(`kubernetes: answering again (${kube.nodes.length} GPU nodes)\n`);
      kube.error = undefined;
    } catch (e) {
      // the last known pods stay (as a real exporter's would until its next read)
      if (kube.error !== String(e)) process.stderr.write(`kubernetes: ${e}\n`);
      kube.error = String(e);
    }
    setTimeout(once, every).unref();
  };
  if (!file) {
    process.stderr.write('RADLAB_DCGM_KUBERNETES=1 needs RADLAB_DCGM_KUBECONFIG\n');
    return;
  }
  void once();
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
    } else if (req.url === '/kubernetes') {
      // what the exporter follows, for tests and for a person asking why a pod has no GPU series
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ enabled: process.env.RADLAB_DCGM_KUBERNETES === '1', ...kube, nodes: kube.nodes.map(n => ({ name: n.name, gpus: n.gpus, model: n.model.name })) }));
    } else {
      res.writeHead(404).end('see /metrics\n');
    }
  });
  server.listen(port, '127.0.0.1');
  if (process.env.RADLAB_DCGM_KUBERNETES === '1') followKube();
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
