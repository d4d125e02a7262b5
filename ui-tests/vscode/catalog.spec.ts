// The DICOM catalog in a real VS Code (code-server with the built .vsix; issue 17): "Harvest into
// Catalog…" on a folder of the explorer runs the harvest in the extension host into the catalog folder
// (RADLAB_CATALOG_DIR, start-code-server.sh) and ends with a notification of the summary; the catalog
// holds the series and no patient name.
// Data: ui-tests/fixtures/make_imaging.py (a CT series with a patient name in its headers).
import { expect, test, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_STATE, runCommand, workspace } from '../support/codeServer.js';

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
