// GPU metrics in a real JupyterLab: the panel over the local stack's Prometheus (port 9090), which
// scrapes the stack's DCGM-format exporter (scripts/services/dcgm-exporter: 4 nodes, 24 GPUs, a
// training job, a GPU near its memory limit, an idle allocated GPU, an XID error).
import { expect, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SCREENSHOTS = 'test-results/screenshots';
const PORT = Number(process.env.RADLAB_UI_LAB_PORT ?? 8899);
// the lab's connections file: start-jupyterlab.sh's mode-600 copy of the fixture
const LAB_CONNECTIONS = path.join(
  process.env.RADLAB_UI_LAB_STATE ??
    path.join(process.env.TMPDIR ?? tmpdir(), `radlab-ui-lab-${PORT}`),
  'connections.json'
);

test.use({ video: 'off', autoGoto: false });

async function openPanel(
  page: import('@jupyterlab/galata').IJupyterLabPageFixture,
  args = {}
): Promise<Locator> {
  await page.goto();
  await page.evaluate(async a => {
    await window.jupyterapp.commands.execute('radlab:open-gpu-metrics', a);
  }, args);
  const panel = page.locator('.rl-GpuPanel').last();
  await expect(panel).toBeVisible();
  return panel;
}

test('the GPU panel shows every GPU live, the heat map, the firing alerts, and exports', async ({
  page
}) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  const panel = await openPanel(page);
  const status = panel.locator('.rl-Gpu-status');
  await expect(status).toHaveAttribute('data-state', 'live');
  await expect(status).toContainText('24 GPUs');
  await expect(panel.locator('.rl-Gpu-card')).toHaveCount(24);
  await expect(panel.locator('.rl-Gpu-heatRow')).toHaveCount(4);
  await expect(panel.locator('.rl-Gpu-heatCell')).toHaveCount(24);
  // the training job's GPU is busy, its heat map cell says so on hover
  const busy = panel.locator('.rl-Gpu-heatCell[data-gpu="gpu-node-1/0"]');
  await expect(busy).toHaveAttribute('title', /radiology\/train-unet-0: Utilization \d+ %/);
  await expect(panel.locator('.rl-Gpu-card[data-gpu="gpu-node-1/0"] .rl-Gpu-cardPod')).toHaveText(
    'radiology/train-unet-0'
  );
  // Prometheus's alerting rules, firing
  const alerts = panel.getByRole('list', { name: 'Firing alerts' });
  await expect(alerts).toContainText('GPUXidError');
  await expect(alerts).toContainText('GPUMemoryNearlyFull');
  // hover: the exact value under the cursor in the chart's legend
  const plot = panel.locator('.rl-Gpu-card[data-gpu="gpu-node-1/0"] .u-over');
  const box = await plot.boundingBox();
  expect(box).not.toBeNull();
  await page.mouse.move(box!.x + box!.width * 0.6, box!.y + box!.height / 2);
  await expect(
    panel.locator('.rl-Gpu-card[data-gpu="gpu-node-1/0"] .u-legend .u-series').last()
  ).toContainText(/\d+ %/);
  await page.screenshot({ path: `${SCREENSHOTS}/gpu-panel.png` });

  // a refresh asks only for the new points: no query_range starts at the window's start again
  const ranges: string[] = [];
  page.on('request', r => {
    if (r.url().includes('/api/v1/query_range')) ranges.push(r.url());
  });
  await expect.poll(() => ranges.length, { timeout: 20_000 }).toBeGreaterThan(1);
  const starts = ranges.map(u => Number(new URL(u).searchParams.get('start')));
  const ends = ranges.map(u => Number(new URL(u).searchParams.get('end')));
  expect(Math.max(...ends) - Math.min(...starts)).toBeLessThan(60);

  // metric and range pickers
  await panel.getByRole('combobox', { name: 'Metric' }).selectOption('memUsed');
  await expect(panel.locator('.rl-Gpu-grid')).toHaveAttribute('data-metric', 'memUsed');
  await expect(panel.locator('.rl-Gpu-card[data-gpu="gpu-node-2/0"] .rl-Gpu-cardValue')).toHaveText(
    /MiB$/
  );
  await panel.getByRole('combobox', { name: 'Time range' }).selectOption('3600');
  await expect(status).toContainText('step 15 s');

  // pause stops the refreshes
  await panel.getByRole('button', { name: 'Pause' }).click();
  await expect(status).toHaveAttribute('data-state', 'paused');
  await panel.getByRole('button', { name: 'Resume' }).click();
  await expect(status).toHaveAttribute('data-state', 'live');

  // exports
  const csv = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'CSV' }).click();
  const csvFile = await csv;
  expect(csvFile.suggestedFilename()).toMatch(/^gpu-memUsed-.*\.csv$/);
  const text = (await (await csvFile.createReadStream()).toArray()).join('');
  expect(text.split('\r\n')[0]).toContain('Memory used gpu-node-1 · GPU 0');
  const png = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'PNG' }).click();
  expect((await png).suggestedFilename()).toMatch(/\.png$/);
});

test("a job view shows its pod's GPUs and says when they idle; Prometheus gone is a clear state", async ({
  page
}) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto();
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute('radlab:open-job-gpus', {
      namespace: 'radiology',
      pod: 'notebook-ana-0'
    });
  });
  const panel = page.locator('.rl-GpuPanel').last();
  await expect(panel.locator('.rl-Gpu-card')).toHaveCount(1);
  await expect(panel.locator('.rl-Gpu-heatCell')).toHaveCount(1);
  await expect(panel.getByRole('list', { name: 'GPU warnings' })).toContainText(
    'allocated but idle'
  );
  await expect(page.locator('.lm-TabBar-tab[data-id^="radlab-gpu-"]')).toContainText(
    'radiology/notebook-ana-0'
  );
  await page.screenshot({ path: `${SCREENSHOTS}/gpu-job.png` });

  // Prometheus unreachable from the browser: the data stays, the status says so, then it resumes
  const status = panel.locator('.rl-Gpu-status');
  await expect(status).toHaveAttribute('data-state', 'live');
  await page.route('**/radlab/proxy/local-prometheus/**', route =>
    route.abort('connectionrefused')
  );
  await expect(status).toHaveAttribute('data-state', 'error');
  await expect(status).toContainText('Showing data up to');
  await expect(panel.locator('.rl-Gpu-card')).toHaveCount(1);
  await page.screenshot({ path: `${SCREENSHOTS}/gpu-down.png` });
  await page.unroute('**/radlab/proxy/local-prometheus/**');
  await expect(status).toHaveAttribute('data-state', 'live');
});

test("a Kubernetes job's view joins all its pods over its lifetime and warns about their GPUs", async ({
  page
}) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto();
  // what the jobs panel's "GPU metrics" sends for a job (kubernetesJobGpuView): here two pods of the
  // exporter's built-in workloads, one training on 4 GPUs, one near its memory limit on 2
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute('radlab:open-job-gpus', {
      namespace: 'radiology',
      pods: ['segment-lung-0', 'train-unet-0'],
      title: 'Job radiology/unet-1a2b3c4d',
      rangeSeconds: 1260
    });
  });
  const panel = page.locator('.rl-GpuPanel').last();
  await expect(panel.locator('.rl-Gpu-card')).toHaveCount(6);
  await expect(panel.locator('.rl-Gpu-cardPod').first()).toHaveText(
    /^radiology\/(train-unet|segment-lung)-0$/
  );
  await expect(panel.getByLabel('Time range')).toHaveValue('1260');
  await expect(panel.getByLabel('Time range').locator('option:checked')).toHaveText(
    'Job lifetime (21 min)'
  );
  await expect(panel.getByRole('list', { name: 'GPU warnings' })).toContainText(
    /radiology\/segment-lung-0\) uses 9\d\.\d % of its memory/
  );
  await expect(page.locator('.lm-TabBar-tab[data-id^="radlab-gpu-"]').last()).toContainText(
    'Job radiology/unet-1a2b3c4d'
  );
  await page.screenshot({ path: `${SCREENSHOTS}/gpu-kubernetes-job.png` });
});

/**
 * A TCP door to the stack's Prometheus on a port of the test's own: open, it forwards; closed, nothing
 * listens (connection refused); slow, it holds every answer back for `delayMs`. The shared Prometheus
 * is never stopped.
 */
class PrometheusDoor {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  delayMs = 0;
  constructor(readonly port: number) {}

  async open(): Promise<void> {
    this.server = createServer(client => {
      this.sockets.add(client);
      const upstream = connect(9090, '127.0.0.1');
      this.sockets.add(upstream);
      const close = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close).on('close', () => this.sockets.delete(client));
      upstream.on('error', close).on('close', () => this.sockets.delete(upstream));
      client.pipe(upstream);
      upstream.on('data', chunk => {
        if (this.delayMs) setTimeout(() => client.write(chunk), this.delayMs);
        else client.write(chunk);
      });
      upstream.on('end', () => setTimeout(() => client.end(), this.delayMs));
    });
    await new Promise<void>(resolve => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise(resolve => (this.server ? this.server.close(resolve) : resolve(undefined)));
    this.server = undefined;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise(resolve => server.close(resolve));
  return port;
}

test('Prometheus down, then slow: the chart keeps its data, shows the gap, and resumes', async ({
  page
}) => {
  test.setTimeout(180_000);
  // a connection of this test only, to a port it controls (the lab re-reads its connections file)
  const door = new PrometheusDoor(await freePort());
  const config = JSON.parse(readFileSync(LAB_CONNECTIONS, 'utf8')) as {
    connections: Array<Record<string, unknown>>;
  };
  config.connections = config.connections.filter(c => c['name'] !== 'door-prometheus');
  config.connections.push({
    name: 'door-prometheus',
    kind: 'prometheus',
    description: 'The stack Prometheus through a door the GPU spec opens and closes',
    url: `http://127.0.0.1:${door.port}`,
    auth: { type: 'none' },
    timeoutMs: 3000
  });
  writeFileSync(LAB_CONNECTIONS, JSON.stringify(config, null, 2), { mode: 0o600 });
  try {
    await door.open();
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto();
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('radlab:open-job-gpus', {
        namespace: 'radiology',
        pod: 'segment-lung-0',
        connection: 'door-prometheus'
      });
    });
    const panel = page.locator('.rl-GpuPanel').last();
    const status = panel.locator('.rl-Gpu-status');
    await expect(status).toHaveAttribute('data-state', 'live');
    const card = panel.locator('.rl-Gpu-card').first();
    await expect(panel.locator('.rl-Gpu-card')).toHaveCount(2);
    await expect(card).toHaveAttribute('data-last-point', /^\d+$/);
    const number = async (name: string): Promise<number> =>
      Number(await card.getAttribute(`data-${name}`));

    // down: connection refused; the data stays, the status says since when, the axis runs on
    await door.close();
    await expect(status).toHaveAttribute('data-state', 'error', { timeout: 30_000 });
    await expect(status).toContainText('Showing data up to');
    const lastPoint = await number('last-point');
    await expect
      .poll(async () => (await number('axis-end')) - lastPoint, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(15);
    await expect(panel.locator('.rl-Gpu-card')).toHaveCount(2);
    await expect(card.locator('.rl-Gpu-cardValue')).toHaveText(/\d+ %/);
    await page.screenshot({ path: `${SCREENSHOTS}/gpu-door-down.png` });

    // back: it resumes by itself and fills the gap from Prometheus, which kept scraping
    await door.open();
    await expect(status).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
    await expect
      .poll(async () => (await number('axis-end')) - (await number('last-point')), {
        timeout: 30_000
      })
      .toBeLessThanOrEqual(5);

    // slow: every answer held back past the connection's 3 s timeout, then on time again
    door.delayMs = 6000;
    await expect(status).toHaveAttribute('data-state', 'error', { timeout: 40_000 });
    await expect(status).toContainText(/time|slow/i);
    await expect(panel.locator('.rl-Gpu-card')).toHaveCount(2);
    await page.screenshot({ path: `${SCREENSHOTS}/gpu-door-slow.png` });
    door.delayMs = 0;
    await expect(status).toHaveAttribute('data-state', 'live', { timeout: 40_000 });
    await page.screenshot({ path: `${SCREENSHOTS}/gpu-door-resumed.png` });
  } finally {
    await door.close();
    config.connections = config.connections.filter(c => c['name'] !== 'door-prometheus');
    writeFileSync(LAB_CONNECTIONS, JSON.stringify(config, null, 2), { mode: 0o600 });
  }
});

test('the memory threshold is a setting (Settings → Radlab GPU metrics)', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto();
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute('radlab:open-job-gpus', {
      namespace: 'radiology',
      pod: 'train-unet-0'
    });
  });
  const panel = page.locator('.rl-GpuPanel').last();
  await expect(panel.locator('.rl-Gpu-card')).toHaveCount(4);
  const advice = panel.locator('.rl-Gpu-advice');
  // its GPUs use 64–72 % of their memory: under the default 95 %
  await expect(advice).toBeHidden();
  const set = (value: number | undefined) =>
    page.evaluate(async v => {
      const registry = (await window.galata.getPlugin(
        '@jupyterlab/apputils-extension:settings'
      )) as {
        set(plugin: string, key: string, value: unknown): Promise<void>;
        remove(plugin: string, key: string): Promise<void>;
      };
      if (v === undefined)
        await registry.remove('@radlab/jupyterlab-ext:gpu', 'memoryNearLimitPercent');
      else await registry.set('@radlab/jupyterlab-ext:gpu', 'memoryNearLimitPercent', v);
    }, value);
  await set(60);
  try {
    await expect(advice.locator('li')).toHaveCount(4);
    await expect(advice).toContainText(/gpu-node-1 · GPU 0.*uses \d+\.\d % of its memory/);
    await page.screenshot({ path: `${SCREENSHOTS}/gpu-threshold.png` });
  } finally {
    await set(undefined);
  }
  await expect(advice).toBeHidden();
});
