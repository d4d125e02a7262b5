// The DICOM catalog in a real JupyterLab (issue 17): "Harvest into Catalog…" on a folder of the file
// browser runs the harvest on the server (the real CLI) into the lab's catalog folder
// (RADLAB_CATALOG_DIR, start-jupyterlab.sh), with a notification that ends in the summary; and a Drill
// result cell holding a DICOM path opens the image from the grid's Viewer button.
// Data: ui-tests/fixtures/make_imaging.py (a CT series with a patient name in its headers).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { openLabFolder } from '../support/lab.js';
import { expectImage } from '../support/viewer.js';

const ROOT = path.resolve(process.cwd(), '..');
const SCREENSHOTS = 'test-results/screenshots';
const PORT = Number(process.env.RADLAB_UI_LAB_PORT ?? 8899);
const STATE =
  process.env.RADLAB_UI_LAB_STATE ??
  path.join(process.env.TMPDIR ?? tmpdir(), `radlab-ui-lab-${PORT}`);
const DATA = path.join(STATE, 'root', 'catalog-src');
const CATALOG = process.env.RADLAB_CATALOG_DIR ?? path.join(STATE, 'catalog');

let patientName = '';

test.use({ video: 'off', autoGoto: false, viewport: { width: 1400, height: 900 } });

test.beforeAll(() => {
  test.setTimeout(180_000);
  mkdirSync(DATA, { recursive: true });
  patientName = execFileSync(
    path.join(ROOT, '.venv', 'bin', 'python'),
    [path.join(ROOT, 'ui-tests', 'fixtures', 'make_imaging.py'), DATA],
    { encoding: 'utf8', timeout: 120_000 }
  ).trim();
  expect(patientName).toMatch(/\^/);
});

function folderItem(page: Page, name: string): Locator {
  return page.locator('#filebrowser .jp-DirListing-item[data-isdir="true"]').filter({
    has: page.locator('.jp-DirListing-itemText', { hasText: new RegExp(`^${name}$`) })
  });
}

function everyByte(dir: string): string {
  let text = '';
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    text += statSync(p).isDirectory() ? everyByte(p) : readFileSync(p).toString('latin1');
  }
  return text;
}

test('Harvest into Catalog… on a folder: progress, then the summary; no patient name in the catalog', async ({
  page
}) => {
  await page.goto();
  await openLabFolder(page, 'catalog-src');
  const folder = folderItem(page, 'ct-series');
  await expect(folder).toBeVisible();
  await folder.click({ button: 'right' });
  const item = page.locator('.lm-Menu-item', { hasText: 'Harvest into Catalog…' });
  await expect(item).toBeVisible();
  await item.click();
  const done = page.locator('.Toastify__toast', { hasText: /Harvested ct-series:/ });
  await expect(done).toBeVisible({ timeout: 90_000 });
  await expect(done).toContainText('1 study, 1 series, 24 instances');
  await page.screenshot({ path: `${SCREENSHOTS}/lab-catalog-harvested.png` });
  expect(existsSync(path.join(CATALOG, 'series'))).toBe(true);
  const surname = patientName.split('^')[0]!;
  expect(everyByte(CATALOG)).not.toContain(surname);
});

test('a Drill result cell holding a DICOM path opens the image (Viewer)', async ({ page }) => {
  await page.goto();
  await page.notebook.createNew();
  const cell = `from IPython.display import display
display({"application/vnd.radlab.drill-result+json": {"version": 1, "queryId": "ui-catalog", "columns": [{"name": "SeriesDescription", "type": "VARCHAR"}, {"name": "path", "type": "VARCHAR"}], "rows": [["CT head", "catalog-src/ct-series/IM0000.dcm"]], "rowCount": 1, "truncated": False}, "text/plain": "x"}, raw=True)`;
  await page.notebook.setCell(0, 'code', cell);
  await page.notebook.runCell(0, true);
  const grid = page.locator('.jp-OutputArea-output .rl-Grid');
  await expect(grid).toBeVisible({ timeout: 60_000 });
  const viewerButton = grid.getByRole('button', { name: 'Viewer' });
  await expect(viewerButton).toBeDisabled();
  await grid.locator('.rl-Grid-row[data-row="0"] .rl-Grid-cell[data-col="1"]').click();
  await expect(viewerButton).toBeEnabled();
  await page.screenshot({ path: `${SCREENSHOTS}/lab-catalog-open-in-viewer.png` });
  await viewerButton.click();
  const viewer = page.locator('.jp-MainAreaWidget.rl-ImageDocument:not(.lm-mod-hidden) .rl-Viewer');
  await expect(viewer).toBeVisible({ timeout: 30_000 });
  await expectImage(viewer);
  await page.screenshot({ path: `${SCREENSHOTS}/lab-catalog-opened.png` });
});
