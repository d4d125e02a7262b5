// GPU metrics in a real VS Code (code-server with the built .vsix): the GPU panel over the local stack's
// Prometheus (port 9090, scraping the DCGM-format exporter: 4 nodes, 24 GPUs, a training job, GPUs near
// their memory limit, an idle allocated GPU, an XID error), a job's view picked from Prometheus's pod
// labels, the status-bar job, the thresholds from settings, Prometheus down (a connection on a closed
// port: the shared Prometheus keeps running), and the local nvidia-smi fallback through stand-in
// executables that print shared/test-vectors/nvidia-smi.
import { expect, test, type FrameLocator, type Page } from '@playwright/test';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_STATE, quickPick, runCommand, workspace } from '../support/codeServer.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SHOTS = join(HERE, '..', 'test-results', 'screenshots');
const VECTORS = join(HERE, '..', '..', 'shared', 'test-vectors', 'nvidia-smi');
const SETTINGS = join(CODE_STATE, 'user-data', 'User', 'settings.json');
const JOB = 'radiology/train-unet-0';

test.describe.configure({ mode: 'serial' });
let page: Page;
let original = '';

async function shot(name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.mouse.move(1300, 840);
  await page.screenshot({ path: join(SHOTS, `vscode-gpu-${name}.png`) });
}

/**
 * The user settings with `change` applied, as a user edits them: settings.json opened from the palette,
 * its text replaced (pasted) and saved, the editor closed again (code-server does not watch the file
 * for changes made behind its back).
 */
async function settings(change: (s: Record<string, unknown>) => void): Promise<void> {
  const s = JSON.parse(readFileSync(SETTINGS, 'utf8')) as Record<string, unknown>;
  change(s);
  const text = JSON.stringify(s, null, 2) + '\n';
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await expect(page.locator('.tab.active', { hasText: 'settings.json' })).toBeVisible();
  await editor.click();
  await page.evaluate(t => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
  await page.keyboard.press('Control+S');
  await expect
    .poll(() => readFileSync(SETTINGS, 'utf8').replace(/\s/g, ''))
    .toBe(text.replace(/\s/g, ''));
  await page
    .locator('.tab', { hasText: 'settings.json' })
    .locator('.tab-actions .codicon-close')
    .click();
  await expect(page.locator('.tab', { hasText: 'settings.json' })).toHaveCount(0);
}

/** The webview of the active GPU panel (the panel whose tab is `title`). */
async function panel(title: string | RegExp): Promise<FrameLocator> {
  await expect(page.locator('.tab.active', { hasText: title })).toBeVisible({ timeout: 30_000 });
  return page
    .frameLocator('iframe.webview.ready[src*="radlab"]:visible')
    .frameLocator('#active-frame');
}

/** A stand-in nvidia-smi that prints `output` and exits with `code`. */
function standIn(output: string, code = 0): string {
  const dir = mkdtempSync(join(tmpdir(), 'radlab-ui-nvidia-smi-'));
  const data = join(dir, 'output.txt');
  writeFileSync(data, output);
  const script = join(dir, 'nvidia-smi');
  writeFileSync(script, `#!/bin/sh\ncat '${data}'\nexit ${code}\n`);
  chmodSync(script, 0o755);
  return script;
}

function statusItem() {
  return page.locator('.statusbar-item:visible', { hasText: /GPU/ });
}

test.beforeAll(async ({ browser }) => {
  original = readFileSync(SETTINGS, 'utf8');
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  page = await context.newPage();
  await page.goto(`/?folder=${encodeURIComponent(workspace())}`);
  await expect(page.locator('.monaco-workbench')).toBeVisible({ timeout: 60_000 });
  // the palette lists the extension's commands once its contributions are read
  await expect(async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.fill('>Radlab: Open GPU Metrics');
    await expect(
      page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Radlab: Open GPU Metrics' })
    ).toBeVisible({ timeout: 3000 });
  }).toPass({ timeout: 60_000 });
  await page.keyboard.press('Escape');
});

test.afterAll(async () => {
  writeFileSync(SETTINGS, original);
  await page.context().close();
});

test('the GPU panel shows every GPU live, the heat map and the firing alerts', async () => {
  await runCommand(page, 'Radlab: Open GPU Metrics');
  const view = await panel('GPUs · local-prometheus');
  const status = view.locator('.rl-Gpu-status');
  await expect(status).toHaveAttribute('data-state', 'live', { timeout: 60_000 });
  await expect(status).toContainText('24 GPUs');
  await expect(view.locator('.rl-Gpu-card')).toHaveCount(24);
  await expect(view.locator('.rl-Gpu-heatRow')).toHaveCount(4);
  await expect(view.locator('.rl-Gpu-card[data-gpu="gpu-node-1/0"] .rl-Gpu-cardPod')).toHaveText(
    JOB
  );
  const alerts = view.getByRole('list', { name: 'Firing alerts' });
  await expect(alerts).toContainText('GPUXidError');
  await expect(alerts).toContainText('GPUMemoryNearlyFull');
  // the default memory threshold (95 %): the lung job's two GPUs at 96–98 %
  const advice = view.getByRole('list', { name: 'GPU warnings' });
  await expect(advice).toContainText('gpu-node-2');
  // it refreshes: the time in the status line moves on
  const before = await status.textContent();
  await expect(status).not.toHaveText(before ?? '', { timeout: 20_000 });
  await shot('panel');
});

test('a job picked from Prometheus’s pod labels: its GPUs over its lifetime, and the status bar', async () => {
  await runCommand(page, 'Radlab: Open Job GPUs…');
  await quickPick(page, JOB);
  const view = await panel(`GPUs · ${JOB}`);
  await expect(view.locator('.rl-Gpu-status')).toHaveAttribute('data-state', 'live', {
    timeout: 60_000
  });
  const cards = view.locator('.rl-Gpu-card');
  await expect(cards).toHaveCount(4);
  for (const pod of await view.locator('.rl-Gpu-cardPod').allTextContents()) expect(pod).toBe(JOB);
  await expect(view.getByRole('combobox', { name: 'Time range' })).toContainText('Job lifetime');
  await expect(view.locator('.rl-GpuWebview-notice')).toContainText('GPUs reporting since');
  // the status bar follows the job picked
  await expect(statusItem()).toHaveText(/GPU \d+ % · train-unet-0/, { timeout: 20_000 });
  await shot('job');
});

test('the memory threshold comes from the settings', async () => {
  const view = await panel(`GPUs · ${JOB}`);
  const advice = view.getByRole('list', { name: 'GPU warnings' });
  // the job's GPUs use 64–72 % of their memory: under the default 95 %
  await expect(advice).toBeHidden();
  await settings(s => {
    s['radlab.gpu.memoryNearLimitPercent'] = 60;
  });
  await expect(advice.locator('li')).toHaveCount(4, { timeout: 30_000 });
  await expect(advice).toContainText(/gpu-node-1 · GPU 0.*uses \d+\.\d % of its memory/);
  await shot('threshold');
});

test('an idle allocated GPU is reported in its job’s view', async () => {
  await settings(s => {
    s['radlab.gpu.idleMinutes'] = 1;
  });
  await runCommand(page, 'Radlab: Open Job GPUs…');
  await quickPick(page, 'radiology/notebook-ana-0');
  const view = await panel('GPUs · radiology/notebook-ana-0');
  await expect(view.getByRole('list', { name: 'GPU warnings' })).toContainText(
    'allocated but idle',
    { timeout: 60_000 }
  );
  await expect(statusItem()).toHaveText(/GPU 0 % · notebook-ana-0/, { timeout: 20_000 });
  await shot('idle');
});

test('Prometheus down: the status bar and a panel say so', async () => {
  await settings(s => {
    const connections = s['radlab.connections'] as Array<Record<string, unknown>>;
    connections.push({
      name: 'closed-prometheus',
      kind: 'prometheus',
      description: 'Nothing listens on this port',
      url: 'http://127.0.0.1:9',
      auth: { type: 'none' },
      timeoutMs: 3000
    });
    s['radlab.gpu.connection'] = 'closed-prometheus';
  });
  await expect(statusItem()).toHaveText(/GPU · notebook-ana-0/, { timeout: 30_000 });
  await runCommand(page, 'Radlab: Open GPU Metrics');
  const view = await panel('GPUs · closed-prometheus');
  const status = view.locator('.rl-Gpu-status');
  await expect(status).toHaveAttribute('data-state', 'error', { timeout: 60_000 });
  await expect(status).toContainText(/^Prometheus: .*retrying every 1 s/);
  await statusItem().hover();
  await expect(page.locator('.monaco-hover, .workbench-hover, .custom-hover').last()).toContainText(
    'does not answer'
  );
  await shot('down');
});

test('no Prometheus: this machine’s GPUs from nvidia-smi, [N/A] fields and the no-GPU message', async () => {
  test.setTimeout(300_000);
  const smi = standIn(readFileSync(join(VECTORS, 'a100-two-gpus.txt'), 'utf8'));
  await settings(s => {
    s['radlab.connections'] = (s['radlab.connections'] as Array<{ kind: string }>).filter(
      c => c.kind !== 'prometheus'
    );
    s['radlab.gpu.connection'] = '';
    s['radlab.gpu.nvidiaSmiPath'] = smi;
  });
  // no Prometheus: no status-bar job
  await expect(statusItem()).toHaveCount(0, { timeout: 30_000 });
  await runCommand(page, 'Radlab: Open GPU Metrics');
  let view = await panel('GPUs · this machine');
  await expect(view.locator('.rl-GpuWebview-notice')).toContainText('No Prometheus connection');
  const status = view.locator('.rl-Gpu-status');
  await expect(status).toHaveAttribute('data-state', 'live', { timeout: 60_000 });
  await expect(status).toContainText('2 GPUs');
  await expect(view.locator('.rl-Gpu-card')).toHaveCount(2);
  await expect(view.locator('.rl-Gpu-card').first().locator('.rl-Gpu-cardValue')).toHaveText(
    '97 %'
  );
  // a few samples (one every second, a point every 5 s) for the picture
  await page.waitForTimeout(12_000);
  await shot('local');

  // MIG: utilization [N/A]: the GPU is there (heat map), with no utilization; its memory is charted
  await settings(s => {
    s['radlab.gpu.nvidiaSmiPath'] = standIn(readFileSync(join(VECTORS, 'mig-enabled.txt'), 'utf8'));
  });
  await runCommand(page, 'Radlab: Open GPU Metrics');
  view = await panel('GPUs · this machine');
  await expect(view.locator('.rl-Gpu-status')).toContainText('1 GPUs', { timeout: 60_000 });
  await expect(view.locator('.rl-Gpu-heatCell')).toHaveAttribute('title', /Utilization –$/);
  await view.getByRole('combobox', { name: 'Metric' }).selectOption('memUsed');
  await expect(view.locator('.rl-Gpu-card')).toHaveCount(1, { timeout: 60_000 });
  await expect(view.locator('.rl-Gpu-cardValue')).toHaveText('2,635 MiB');
  await shot('mig');

  // no GPU: nvidia-smi's own words, and what to do
  await settings(s => {
    s['radlab.gpu.nvidiaSmiPath'] = standIn(
      readFileSync(join(VECTORS, 'no-devices.txt'), 'utf8'),
      6
    );
  });
  await runCommand(page, 'Radlab: Open GPU Metrics');
  view = await panel('GPUs · this machine');
  const none = view.locator('.rl-Gpu-status');
  await expect(none).toHaveAttribute('data-state', 'error', { timeout: 60_000 });
  await expect(none).toContainText(
    'nvidia-smi: no GPU here: nvidia-smi found no NVIDIA GPU on this machine.'
  );
  await shot('no-gpu');
});
