// GPU jobs in a real JupyterLab against the local stack's real Kubernetes (kube-apiserver,
// controller-manager and scheduler; kwok's GPU nodes; namespace pet has a GPU quota of 2). The panel
// reaches the API server only through the Radlab proxy, which holds the user's token.
import { readFileSync } from 'node:fs';
import { expect, test as galataTest } from '@jupyterlab/galata';
import {
  clearJobs,
  createJob,
  jobNames,
  KUBECONFIG,
  kubernetesMissing
} from '../support/kubernetes.js';

// No kernels, sessions or terminals here: without galata's tracking of them, its route handler cannot
// read a response the closing page has already disposed (it failed the run-to-end test so once).
/* eslint-disable no-empty-pattern -- Playwright fixtures take their dependencies as an object pattern */
const test = galataTest.extend({
  kernels: async ({}, use) => use(null),
  sessions: async ({}, use) => use(null),
  terminals: async ({}, use) => use(null)
});
/* eslint-enable no-empty-pattern */

const SCREENSHOTS = 'test-results/screenshots';
const missing = kubernetesMissing();

test.use({ video: 'off', autoGoto: false });
test.skip(missing !== undefined, `Kubernetes jobs spec skipped: ${missing}`);

async function openJobs(
  page: import('@jupyterlab/galata').IJupyterLabPageFixture,
  args: Record<string, string>
): Promise<import('@playwright/test').Locator> {
  await page.goto();
  await page.evaluate(async a => {
    await window.jupyterapp.commands.execute('radlab:open-jobs', a);
  }, args);
  const panel = page.locator('.rl-jobs-panel');
  await expect(panel.locator('.rl-jobs-status')).toHaveAttribute('data-state', 'live');
  return panel;
}

test('submit a 2-GPU job, watch it wait for quota, run and end, follow its log, delete it', async ({
  page
}) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  const token = /token: (\S+)/.exec(readFileSync(KUBECONFIG, 'utf8'))?.[1] ?? 'no-token';
  const leaks: string[] = [];
  page.on('request', r => {
    if (JSON.stringify(r.headers()).includes(token)) leaks.push(`request ${r.url()}`);
  });
  page.on('response', async r => {
    if (!r.url().includes('/radlab/proxy/')) return;
    const body = await r.text().catch(() => '');
    if (body.includes(token)) leaks.push(`response ${r.url()}`);
  });

  clearJobs('pet');
  const panel = await openJobs(page, { connection: 'local-k8s', namespace: 'pet' });
  // a colleague's job holds pet's whole GPU quota (2) for 60 s; the open panel sees it arrive
  // (made after the lab loaded: a page load on a busy machine can outlast a short job)
  createJob('pet', 'colleague-train', 2, 60);
  const colleague = panel.locator('li.rl-job[data-job="colleague-train"]');
  await expect(colleague.locator('.rl-job-state')).toHaveText('Running');
  await expect(colleague.locator('.rl-job-gpus')).toHaveText('2 GPUs');
  await expect(panel.locator('.rl-jobs-quota')).toHaveText('GPU quota of pet: 2 of 2 in use');

  // the submit dialog: a preset, the exact YAML, the quota before submit
  await panel.getByRole('button', { name: 'Submit job…' }).click();
  const dialog = panel.getByRole('dialog', { name: 'Submit a GPU job' });
  await expect(dialog.getByLabel('Template')).toHaveValue('pytorch-train');
  await dialog.getByLabel('Name', { exact: true }).fill('ui-train');
  await expect(dialog.getByLabel('Namespace', { exact: true })).toHaveValue('pet');
  await expect(dialog.getByLabel('GPUs')).toHaveValue('2');
  // kwok runs the pod for 40 s
  await dialog
    .getByLabel('Annotations')
    .fill(
      'pod-complete.stage.kwok.x-k8s.io/delay=40s\npod-complete.stage.kwok.x-k8s.io/jitter-delay=40s'
    );
  const yaml = dialog.getByLabel('YAML preview');
  await expect(yaml).toContainText('name: ui-train-');
  await expect(yaml).toContainText('nvidia.com/gpu: "2"');
  await expect(yaml).toContainText('radlab.io/owner: u-radlab');
  await expect(yaml).toContainText('pod-complete.stage.kwok.x-k8s.io/delay: 40s');
  await expect(dialog.locator('.rl-job-submit-quota')).toHaveText(
    'GPU quota of pet: 2 of 2 in use; this job asks for 2 — over the quota: it will wait until 2 free up'
  );
  // a wrong field is named before anything is sent
  await dialog.getByLabel('Memory').fill('64 GB');
  await expect(dialog.getByRole('alert')).toContainText(
    'job template: memory "64 GB" is not a Kubernetes quantity'
  );
  await expect(dialog.getByRole('button', { name: 'Submit' })).toBeDisabled();
  await dialog.getByLabel('Memory').fill('64Gi');
  await page.screenshot({ path: `${SCREENSHOTS}/jobs-submit.png` });
  await dialog.getByRole('button', { name: 'Submit' }).click();
  await expect(dialog).toHaveCount(0);

  // pending, and why: the namespace's quota (from the job controller's FailedCreate event)
  const mine = panel.locator('li.rl-job[data-job^="ui-train-"]');
  await expect(mine.locator('.rl-job-state')).toHaveText('Pending');
  await expect(mine.locator('.rl-job-reason')).toHaveText(
    /^waiting: the namespace's quota "gpu" is used up \(used .*allowed .*\)$/
  );
  await expect(mine.locator('.rl-job-owner')).toHaveText('u-radlab');
  // the submitted job's row is open: pods and events
  await expect(mine.locator('.rl-job-events')).toContainText('exceeded quota');
  await page.screenshot({ path: `${SCREENSHOTS}/jobs-pending.png` });

  // the owner filter
  const owner = panel.getByLabel('Owner');
  await owner.selectOption('u-radlab');
  await expect(colleague).toHaveCount(0);
  await owner.selectOption('');
  await expect(colleague).toHaveCount(1);

  // the colleague's job ends and frees the quota: ours is scheduled and runs
  await expect(colleague.locator('.rl-job-state')).toHaveText('Succeeded', { timeout: 90_000 });
  await expect(mine.locator('.rl-job-state')).toHaveText('Running', { timeout: 150_000 });
  await expect(mine.locator('.rl-job-node')).toHaveText(/^gpu-a100-\d$/);
  await expect(mine.locator('.rl-pod-phase')).toHaveText('Running');
  await expect(mine.locator('.rl-job-events')).toContainText('Scheduled');

  // its log, followed: new lines arrive without asking again
  await mine.getByRole('button', { name: 'Logs' }).click();
  const log = panel.getByRole('region', { name: 'Job log' });
  await expect(log.locator('.rl-job-log-state')).toHaveText('following');
  const lines = log.locator('.rl-job-log-line');
  await expect(lines.last()).toContainText(/step \d+: loss=/);
  const seen = await lines.count();
  await expect.poll(() => lines.count(), { timeout: 15_000 }).toBeGreaterThan(seen);
  await page.screenshot({ path: `${SCREENSHOTS}/jobs-running-logs.png` });

  await expect(mine.locator('.rl-job-state')).toHaveText('Succeeded', { timeout: 90_000 });
  await expect(mine.locator('.rl-pod-containers')).toHaveText('main exit 0 (Completed)');
  await log.getByRole('button', { name: 'Stop following' }).click();
  await expect(log.locator('.rl-job-log-state')).toHaveText('stopped');
  await page.screenshot({ path: `${SCREENSHOTS}/jobs-succeeded.png` });

  // delete, after a confirm
  const name = await mine.getAttribute('data-job');
  await mine.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.locator('.jp-Dialog');
  await expect(confirm).toContainText(`Delete job pet/${name} and its pods?`);
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(mine).toHaveCount(0);
  expect(jobNames('pet')).not.toContain(name);
  clearJobs('pet');
  expect(leaks).toEqual([]);
});

test('a viewer is told which permission RBAC refuses', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  const panel = await openJobs(page, { connection: 'local-k8s-viewer', namespace: 'mri' });
  await panel.getByRole('button', { name: 'Submit job…' }).click();
  const dialog = panel.getByRole('dialog', { name: 'Submit a GPU job' });
  await dialog.getByLabel('Name', { exact: true }).fill('viewer-try');
  await dialog.getByRole('button', { name: 'Submit' }).click();
  await expect(dialog.getByRole('alert')).toContainText(
    'RBAC does not allow user "u-viewer" to create jobs.batch in namespace "mri"'
  );
  await page.screenshot({ path: `${SCREENSHOTS}/jobs-forbidden.png` });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
});
