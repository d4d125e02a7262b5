// Open in Spark in a real JupyterLab on the local stack's real Drill and Livy + Spark: a query run in
// the SQL editor, its result's Spark button, and a notebook whose %%livy cell loads the files the query
// reads (dfs.radlab.`studies_parquet`) in a new Livy session and runs the query in Spark SQL over them:
// the DataFrame's row count and column types come back. One Spark session, deleted afterwards.
import { expect, test } from '@jupyterlab/galata';
import { deleteSessions } from '../support/livy';

const SCREENSHOTS = 'test-results/screenshots';
const QUERY = 'SELECT modality, count(*) AS n FROM dfs.radlab.`studies_parquet` GROUP BY modality';
// a Spark driver's start on this 2-core machine under load: up to several minutes
const SPARK_START = 900_000;

test.use({ video: 'off', autoGoto: false });

test.afterAll(async () => {
  // the magic names its sessions radlab-<name>-<time>; Open in Spark's is "spark"
  await deleteSessions('radlab-spark-');
});

test('Open in Spark loads the files a Drill result read as a Spark DataFrame', async ({ page }) => {
  test.setTimeout(1_200_000);
  await page.goto();
  const card = page.locator('.jp-LauncherCard', { hasText: 'SQL File (Drill)' });
  await expect(card).toBeVisible();
  await card.click();
  const doc = page.locator('.jp-MainAreaWidget.rl-SqlDocument:not(.lm-mod-hidden)');
  await expect(doc).toBeVisible();
  await doc
    .locator('.rl-SqlToolbar')
    .getByRole('combobox', { name: 'Drill connection' })
    .selectOption('local-drill');
  await doc.locator('.cm-content').click();
  await page.keyboard.insertText(QUERY);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+Enter');
  const grid = doc.locator('.rl-SqlResult .rl-Grid');
  await expect(grid.locator('.rl-Grid-count')).toHaveText(/^\d+ rows × 2 columns$/, {
    timeout: 60_000
  });
  const drillRows = Number(
    /^(\d+) rows/.exec((await grid.locator('.rl-Grid-count').textContent())!)![1]
  );

  await grid.getByRole('button', { name: 'Spark' }).click();
  const notebook = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
  await expect(notebook).toBeVisible({ timeout: 60_000 });
  const cells = notebook.locator('.jp-CodeCell');
  await expect(cells).toHaveCount(2);
  await expect(cells.nth(1).locator('.jp-InputArea')).toContainText('studies_parquet');
  const output = cells.nth(1).locator('.jp-OutputArea');
  await expect(output).toContainText("Livy session 'spark' is idle", { timeout: SPARK_START });
  await expect(output).toContainText(`df: ${drillRows} rows; modality: string, n: bigint`, {
    timeout: 300_000
  });
  await page.screenshot({ path: `${SCREENSHOTS}/lab-livy-open-in-spark.png` });
});
