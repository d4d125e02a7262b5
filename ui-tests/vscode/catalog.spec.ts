// The DICOM catalog in a real VS Code (code-server with the built .vsix; issue 17): "Harvest into
// Catalog…" on a folder of the explorer runs the harvest in the extension host into the catalog folder
// (RADLAB_CATALOG_DIR, start-code-server.sh) and ends with a notification of the summary; the catalog
// holds the series and no patient name. A Drill result cell holding a DICOM path (a notebook's saved
// output, drawn by the radlab.drill-result renderer) opens the image from the grid's Viewer button.
// Data: ui-tests/fixtures/make_imaging.py (a CT series with a patient name in its headers).
import { expect, test, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_STATE, openFile, runCommand, workspace } from '../support/codeServer.js';
import { expectImage } from '../support/viewer.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const SHOTS = join(HERE, '..', 'test-results', 'screenshots');
const CATALOG = process.env.RADLAB_CATALOG_DIR ?? join(CODE_STATE, 'catalog');

test.describe.configure({ mode: 'serial' });

let page: Page;
let patientName = '';

function explorerRow(name: string): Locator {
  return page.locator('.explorer-folders-view .monaco-list-row', {
    has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) })
  });
}

function everyByte(dir: string): string {
  let text = '';
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    text += statSync(p).isDirectory() ? everyByte(p) : readFileSync(p).toString('latin1');
  }
  return text;
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  const data = join(workspace(), 'catalog-src');
  mkdirSync(data, { recursive: true });
  patientName = execFileSync(
    join(ROOT, '.venv', 'bin', 'python'),
    [join(ROOT, 'ui-tests', 'fixtures', 'make_imaging.py'), data],
    { encoding: 'utf8', timeout: 120_000 }
  ).trim();
  // a notebook whose saved output is a Drill result with a DICOM path (relative to the workspace)
  const result = {
    version: 1,
    queryId: 'ui-catalog',
    columns: [
      { name: 'SeriesDescription', type: 'VARCHAR' },
      { name: 'path', type: 'VARCHAR' }
    ],
    rows: [['CT head', 'catalog-src/ct-series/IM0000.dcm']],
    rowCount: 1,
    truncated: false
  };
  const notebook = {
    cells: [
      {
        cell_type: 'code',
        execution_count: 1,
        metadata: {},
        outputs: [
          {
            output_type: 'display_data',
            metadata: {},
            data: { 'application/vnd.radlab.drill-result+json': result, 'text/plain': ['x'] }
          }
        ],
        source: ['# a Drill result with an image path']
      }
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5
  };
  writeFileSync(join(workspace(), 'catalog-open.ipynb'), JSON.stringify(notebook, null, 1) + '\n');
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`/?folder=${encodeURIComponent(workspace())}`);
  await expect(page.locator('.monaco-workbench')).toBeVisible({ timeout: 60_000 });
});

test.afterAll(async () => {
  await page?.close();
});

test('Harvest into Catalog… on an explorer folder ends with the summary', async () => {
  await runCommand(page, 'View: Show Explorer');
  const folder = explorerRow('catalog-src');
  await expect(folder).toBeVisible({ timeout: 30_000 });
  if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
  const series = explorerRow('ct-series');
  await expect(series).toBeVisible();
  await series.click({ button: 'right' });
  const item = page.locator('.monaco-menu .action-item', { hasText: 'Harvest into Catalog…' });
  await expect(item).toBeVisible();
  await item.click();
  const done = page.locator('.notification-list-item', {
    hasText: /Radlab: harvested ct-series: 1 study, 1 series, 24 instances/
  });
  await expect(done).toBeVisible({ timeout: 90_000 });
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'vscode-catalog-harvested.png') });
  expect(existsSync(join(CATALOG, 'series'))).toBe(true);
  expect(everyByte(CATALOG)).not.toContain(patientName.split('^')[0]!);
});

test('a Drill result cell holding a DICOM path opens the image (Viewer)', async () => {
  await runCommand(page, 'View: Close All Editors');
  await openFile(page, 'catalog-open.ipynb');
  const output = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  const grid = output.locator('.rl-Grid');
  await expect(grid).toBeVisible({ timeout: 60_000 });
  const viewerButton = grid.getByRole('button', { name: 'Viewer' });
  await expect(viewerButton).toBeDisabled();
  await grid.locator('.rl-Grid-row[data-row="0"] .rl-Grid-cell[data-col="1"]').click();
  await expect(viewerButton).toBeEnabled();
  await viewerButton.click();
  await expect(page.locator('.tab.active', { hasText: 'IM0000.dcm' })).toBeVisible({
    timeout: 30_000
  });
  const viewer = page
    .frameLocator('iframe.webview.ready[src*="radlab"]')
    .last()
    .frameLocator('#active-frame')
    .locator('.rl-Viewer');
  await expect(viewer).toBeVisible({ timeout: 60_000 });
  await expectImage(viewer);
  await page.screenshot({ path: join(SHOTS, 'vscode-catalog-opened.png') });
});
