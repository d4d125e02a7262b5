// GPU jobs in a real VS Code (code-server with the built .vsix) against the local stack's real
// Kubernetes (kube-apiserver, controller-manager and scheduler; kwok's GPU nodes; namespace ct has a
// GPU quota of 4). The extension host reaches the API server with the kubeconfig's token user.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openFile, quickPick, runCommand, soloView, workspace } from '../support/codeServer.js';
import { clearJobs, createJob, jobNames, kubernetesMissing } from '../support/kubernetes.js';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screenshots');
const missing = kubernetesMissing();
test.skip(missing !== undefined, `Kubernetes jobs spec skipped: ${missing}`);
test.describe.configure({ mode: 'serial' });

let page: Page;

async function shot(name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `vscode-jobs-${name}.png`) });
}

function jobsView(): Locator {
  return page
    .locator('.pane')
    .filter({ has: page.locator('.pane-header', { hasText: /^\s*gpu jobs/i }) });
}

function row(label: string | RegExp): Locator {
  return jobsView()
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: label }) });
}

/** Answers VS Code's modal dialog with the button `name`. */
async function modal(text: RegExp, name: string): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(text);
  await dialog.getByRole('button', { name, exact: true }).click();
  await expect(dialog).toHaveCount(0);
}

test.beforeAll(async ({ browser }) => {
  clearJobs('ct');
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(`/?folder=${encodeURIComponent(workspace())}`);
  await expect(page.locator('.monaco-workbench')).toBeVisible({ timeout: 60_000 });
});

test.afterAll(() => {
  clearJobs('ct');
});

test('submit from the palette and from a YAML file, watch the states and reasons, follow a log, delete', async () => {
  test.setTimeout(420_000);
  const item = page
    .locator('.activitybar .action-item')
    .filter({ has: page.locator('[aria-label^="Radlab"]') });
  await expect(item).toBeVisible({ timeout: 60_000 });
  await item.click();
  await soloView(page, /^\s*gpu jobs/i);
  await expect(row('local-k8s-viewer')).toBeVisible({ timeout: 60_000 });
  // the researcher's context: its namespaces, each with its GPU quota
  const ct = row(/^ct$/).first();
  await expect(ct).toBeVisible({ timeout: 30_000 });
  await ct.click();

  // a colleague's 4-GPU job holds ct's whole quota for 60 s
  createJob('ct', 'colleague-ct', 4, 60);
  await expect(row('colleague-ct').locator('.label-description')).toHaveText(
    /^Running · 4 GPUs · gpu-a100-\d · \d+s · u-colleague$/,
    { timeout: 30_000 }
  );
  await expect(ct.locator('.label-description')).toHaveText('GPU quota of ct: 4 of 4 in use');

  // a Radlab template in the workspace (kwok runs its pod for 40 s), submitted from the file
  writeFileSync(
    join(workspace(), 'train-job.yaml'),
    [
      'name: vs-train',
      'namespace: ct',
      'image: nvcr.io/nvidia/pytorch:24.05-py3',
      'command: [python, train.py]',
      'gpus: 2',
      'gpuProduct: NVIDIA-A100-SXM4-80GB',
      'annotations:',
      '  pod-complete.stage.kwok.x-k8s.io/delay: 40s',
      '  pod-complete.stage.kwok.x-k8s.io/jitter-delay: 40s',
      ''
    ].join('\n')
  );
  await openFile(page, 'train-job.yaml');
  await runCommand(page, 'Radlab: Submit GPU Job from YAML File');
  await quickPick(page, 'local-k8s');
  await modal(/Submit job vs-train-[0-9a-f]{8} to ct\?/, 'Submit');
  const mine = row(/^vs-train-[0-9a-f]{8}$/); // the job, not its pod (vs-train-…-xxxxx)
  // pending, and why
  await expect(mine.locator('.label-description')).toHaveText(
    /^Pending · 2 GPUs NVIDIA-A100-SXM4-80GB · .*waiting: the namespace's quota "gpu" is used up/,
    { timeout: 30_000 }
  );
  await shot('pending');
  // the colleague's job ends: ours runs on an A100 node
  await expect(mine.locator('.label-description')).toHaveText(
    /^Running · 2 GPUs .* · gpu-a100-\d/,
    {
      timeout: 150_000
    }
  );
  // its pods and events under it
  await mine.click();
  await page.keyboard.press('ArrowRight');
  await expect(
    jobsView().locator('.monaco-list-row', {
      hasText: /Scheduled: Successfully assigned ct\/vs-train-/
    })
  ).toBeVisible({ timeout: 30_000 });

  // its log, followed in the output channel
  await mine.hover();
  await mine.getByRole('button', { name: 'Follow Job Log' }).click();
  // Monaco draws spaces as no-break spaces (U+00A0): the output's patterns say \s, not ' '. It renders
  // only the lines in view, so the "following its log" header is gone once the log's tail arrives.
  const output = page.locator('.part.panel .view-lines');
  await expect(output).toContainText(/step\s\d+:\sloss=/, { timeout: 30_000 });
  const before = (await output.textContent()) ?? '';
  await expect
    .poll(async () => (await output.textContent()) ?? '', { timeout: 20_000 })
    .not.toBe(before);
  await shot('log');
  await runCommand(page, 'Radlab: Stop Following Job Log');
  await expect(output).toContainText(/stopped\sfollowing/);

  await expect(mine.locator('.label-description')).toHaveText(/^Succeeded · /, { timeout: 90_000 });

  // its GPUs (every pod it made, over its lifetime) in the GPU panel, from the row's context menu
  const gpuItem = page.locator('.monaco-menu .action-item', { hasText: 'Show GPU Metrics' });
  await expect(async () => {
    await page.keyboard.press('Escape');
    await mine.click({ button: 'right' });
    await expect(gpuItem).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  await gpuItem.click();
  await expect(
    page.locator('.tab', { hasText: /GPUs · Job ct\/vs-train-[0-9a-f]{8}/ })
  ).toBeVisible({ timeout: 30_000 });
  await shot('gpu-metrics');

  // submit from the palette: a preset, the exact YAML shown before the confirm
  await runCommand(page, 'Radlab: Submit GPU Job');
  await quickPick(page, 'local-k8s');
  await quickPick(page, 'ct');
  await quickPick(page, 'Inference, 1 × T4');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.fill('vs-infer');
  await input.press('Enter');
  await expect(input).toHaveValue('1');
  await input.press('Enter');
  // the manifest's first lines (Monaco renders the lines in view only; the T4 node selector is further
  // down, and the row below shows the job on the T4)
  await expect(page.locator('.monaco-editor .view-lines').first()).toContainText(
    /kind:\sJob.*name:\svs-infer-[0-9a-f]{8}\s*namespace:\sct/,
    { timeout: 15_000 }
  );
  await shot('submit-yaml');
  await modal(/Submit job vs-infer-[0-9a-f]{8} to ct\?/, 'Submit');
  const infer = row(/^vs-infer-/);
  await expect(infer.locator('.label-description')).toHaveText(
    /^(Running|Succeeded) · 1 GPU Tesla-T4/,
    {
      timeout: 60_000
    }
  );
  await expect(infer.locator('.label-description')).toHaveText(/^Succeeded · .*gpu-t4-0/, {
    timeout: 90_000
  });
  await shot('succeeded');

  // delete, after a confirm
  const name = (await mine.locator('.label-name').textContent())?.trim() ?? '';
  await mine.hover();
  await mine.getByRole('button', { name: 'Delete Job' }).click();
  await modal(new RegExp(`Delete job ct/${name} and its pods\\?`), 'Delete');
  await expect(mine).toHaveCount(0, { timeout: 30_000 });
  expect(jobNames('ct')).not.toContain(name);
});
