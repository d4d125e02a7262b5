// `%%drill` in a real JupyterLab notebook with the real IPython kernel and the real Drill of the local
// stack: what a user sees in the cell's output is the Radlab grid, not the HTML table the output also
// carries for other front ends (nbviewer, GitHub, classic Notebook).
import { expect, test } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

const SCREENSHOTS = 'test-results/screenshots';

test.use({ video: 'off', autoGoto: false });

/** A new notebook that loads Radlab and runs `%%drill -c local-drill` with `sql`: its output area. */
async function runDrillCell(page: IJupyterLabPageFixture, sql: string): Promise<Locator> {
  await page.goto();
  await page.notebook.createNew();
  // a cell magic must open its cell: the extension is loaded in a cell of its own
  await page.notebook.setCell(0, 'code', '%load_ext radlab');
  await page.notebook.addCell('code', `%%drill -c local-drill\n${sql}`);
  await page.notebook.run();
  return page.locator('.jp-Cell').nth(1).locator('.jp-OutputArea-output');
}

test('a %%drill cell shows the Radlab grid, with the rows Drill answered', async ({ page }) => {
  const outputs = await runDrillCell(
    page,
    'SELECT employee_id, full_name FROM cp.`employee.json` ORDER BY employee_id LIMIT 3'
  );
  const grid = outputs.locator('.rl-Grid');
  await expect(grid).toBeVisible({ timeout: 60_000 });
  // the MIME bundle's HTML rendition is not what the lab shows
  await expect(outputs.locator('table')).toHaveCount(0);
  await expect(grid.locator('.rl-Grid-count')).toHaveText('3 rows × 2 columns');
  await expect(grid.locator('.rl-Grid-row[data-row="0"] .rl-Grid-cell[data-col="1"]')).toHaveText(
    'Sheri Nowmer'
  );
  // the kernel reads a mode-600 copy of the fixture (which holds a password): no warning about it
  await expect(page.locator('.jp-Notebook')).not.toContainText(/readable by/i);
  await page.screenshot({ path: `${SCREENSHOTS}/lab-drill-magic-grid.png` });
});

test('a column no row has (a typo over JSON) is warned about under the grid', async ({ page }) => {
  const outputs = await runDrillCell(
    page,
    'SELECT full_name, salry FROM cp.`employee.json` LIMIT 3'
  );
  const grid = outputs.locator('.rl-Grid');
  await expect(grid).toBeVisible({ timeout: 60_000 });
  await expect(grid.locator('.rl-Grid-count')).toHaveText('3 rows × 2 columns');
  const warning = grid.locator('.rl-Grid-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('column "salry" is null in every row');
  await expect(warning).toContainText('Check the spelling.');
  await page.screenshot({ path: `${SCREENSHOTS}/lab-drill-magic-all-null.png` });
});
