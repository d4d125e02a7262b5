// GPU metrics in a real JupyterLab: the panel over the local stack's Prometheus (port 9090), which
// scrapes the stack's DCGM-format exporter (scripts/services/dcgm-exporter: 4 nodes, 24 GPUs, a
// training job, a GPU near its memory limit, an idle allocated GPU, an XID error).
import { expect, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

const SCREENSHOTS = 'test-results/screenshots';

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
