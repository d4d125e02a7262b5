/* global window, document */
// bench/metrics's browser page (bundled by run.mjs with esbuild): the real GpuDashboard of @radlab/ui
// over the bench's Prometheus (through run.mjs's proxy at /prom, as the hosts reach it through
// theirs), utilization of 64 GPUs over 15 min at a 5 s step, refreshed every second, in a panel of
// the size of a JupyterLab main area. window.benchDashboard() starts it; window.benchDraws() says how
// many charts drew so far (uPlot setData calls), when the build has that counter.
import { PrometheusClient, Transport } from '@radlab/core';
// the GPU views alone (the package's index brings the imaging codecs too)
import { GpuDashboard } from '../../packages/ui/lib/gpu/dashboard.js';

let dashboard;

window.benchDashboard = () => {
  const host = document.getElementById('panel');
  const client = new PrometheusClient(
    new Transport({
      service: 'prometheus',
      baseURL: `${window.location.origin}/prom`,
      timeoutMs: 30_000
    })
  );
  dashboard = new GpuDashboard(document, { client, metric: 'util', rangeSeconds: 900 });
  host.append(dashboard.node);
  dashboard.start();
};

window.benchPause = paused => dashboard.setPaused(paused);
window.benchCards = () => document.querySelectorAll('.rl-Gpu-card canvas').length;
window.benchDraws = () =>
  dashboard && typeof dashboard.draws === 'number' ? dashboard.draws : null;
