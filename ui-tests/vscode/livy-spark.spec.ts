// Open in Spark in a real VS Code (code-server with the built .vsix) on the local stack's real Drill and
// Livy + Spark: Run SQL on Drill, the result panel's Spark button, and a notebook whose %%livy cell the
// Radlab Livy controller runs in the session started from the palette (the notebook's session), loading
// the files the query reads (dfs.radlab.`studies_parquet`); the query runs in Spark SQL over them: the
// DataFrame's row count and column types come back. One Spark session, deleted afterwards.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openFile, quickPick, runCommand, workspace } from '../support/codeServer.js';
import { deleteSessions } from '../support/livy.js';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screenshots');
const QUERY =
  'SELECT modality, count(*) AS n FROM dfs.radlab.`studies_parquet` GROUP BY modality\n';
// a Spark driver's start on this 2-core machine under load: up to several minutes
const SPARK_START = 900_000;
const NAME = `ui-spark-${process.pid}`;

test.describe.configure({ mode: 'serial' });
let page: Page;

test.beforeAll(async ({ browser }) => {
  writeFileSync(join(workspace(), 'spark.sql'), QUERY);
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(`/?folder=${encodeURIComponent(workspace())}`);
  await expect(page.locator('.monaco-workbench')).toBeVisible({ timeout: 60_000 });
});

test.afterAll(async () => {
  await deleteSessions(NAME);
});

test("Open in Spark from a Drill result loads the files in the notebook's Livy session", async () => {
  test.setTimeout(1_200_000);
  const item = page
    .locator('.activitybar .action-item')
    .filter({ has: page.locator('[aria-label^="Radlab"]') });
  await expect(item).toBeVisible({ timeout: 60_000 });
  await item.click();
  const livy = page
    .locator('.pane')
    .filter({ has: page.locator('.pane-header', { hasText: /^\s*livy/i }) });
  await expect(livy.locator('.monaco-list-row', { hasText: 'local-livy' })).toBeVisible({
    timeout: 60_000
  });
  // a session started from the palette becomes the notebook cells' session
  await runCommand(page, 'Radlab: Start Livy Session');
  await quickPick(page, 'pyspark');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await expect(input).toBeVisible();
  await input.fill(NAME);
  await input.press('Enter');
  await expect(page.locator('.statusbar-item', { hasText: /Livy local-livy #\d+ · / })).toBeVisible(
    { timeout: 60_000 }
  );

  await openFile(page, 'spark.sql');
  await runCommand(page, 'Radlab: Run SQL on Drill');
  await quickPick(page, 'local-drill');
  const result = page
    .frameLocator('iframe.webview.ready[src*="radlab"]')
    .last()
    .frameLocator('#active-frame');
  const count = result.locator('.rl-Grid-count');
  await expect(count).toHaveText(/^\d+ rows × 2 columns$/, { timeout: 60_000 });
  const drillRows = Number(/^(\d+) rows/.exec((await count.textContent())!)![1]);

  await result.getByRole('button', { name: 'Spark' }).click();
  const cell = page.locator('.notebook-editor .monaco-list-row.code-cell-row').first();
  await expect(cell).toBeVisible({ timeout: 60_000 });
  await expect(cell).toContainText('studies_parquet');
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'vscode-livy-open-in-spark-waiting.png') });
  const output = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  await expect(output.getByText(`df: ${drillRows} rows; modality: string, n: bigint`)).toBeVisible({
    timeout: SPARK_START
  });
  // the notebook's session, kept alive, with its expiry in the status bar
  await expect(
    page.locator('.statusbar-item', { hasText: /Livy local-livy #\d+ · idle · expires in/ })
  ).toBeVisible({ timeout: 60_000 });
  await page.screenshot({ path: join(SHOTS, 'vscode-livy-open-in-spark.png') });
});
