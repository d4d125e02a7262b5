// DICOM and NIfTI in a real VS Code (code-server with the built .vsix): a CT series folder opened with
// "Open as DICOM Series" from the explorer's context menu, a .nii.gz opened from Quick Open (the Radlab
// Image Viewer custom editor is its default) and a JPEG 2000 file (the codec's WebAssembly under the
// webview's CSP). Checks the canvas shows an image, window/level drag changes pixels and the W/L text,
// patient data is masked in the header panel, the wheel changes the slice and orientation labels show.
// The same CT series in every other transfer syntax must show the same image (support/viewer.ts).
// Data: ui-tests/fixtures/make_imaging.py writes it into the workspace before the tests.
import { expect, test, type FrameLocator, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BRAIN_LABELS_TXT,
  canvasStats,
  checkSeriesSyntaxes,
  checkSliceFollowing,
  colouredPixels,
  dragWindowLevel,
  expectImage,
  expectBrainLegend,
  expectPhiMasked,
  expectTruncated,
  removeOverlay,
  seriesSyntaxes,
  SYNTAX_SHOTS,
  syntaxFileFailure,
  SYNTAXES,
  wheelSlices
} from '../support/viewer.js';
import { openFile, runCommand, workspace } from '../support/codeServer.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const SHOTS = join(HERE, '..', 'test-results', 'screenshots');
const VECTORS = join(ROOT, '.radlab', 'test-vectors', 'imaging');

test.describe.configure({ mode: 'serial' });

let page: Page;
let patientName = '';
/** cut.dcm: ct-series/IM0000.dcm without its last 300 bytes (a transfer cut short). */
const CUT = { bytes: 0, of: 0 };

async function shot(name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `vscode-imaging-${name}.png`) });
}

/** The content frame of the newest Radlab webview. */
function viewerFrame(): FrameLocator {
  return page
    .frameLocator('iframe.webview.ready[src*="radlab"]')
    .last()
    .frameLocator('#active-frame');
}

function explorerRow(name: string): Locator {
  return page.locator('.explorer-folders-view .monaco-list-row', {
    has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace('.', '\\.')}$`) })
  });
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  const data = join(workspace(), 'imaging');
  mkdirSync(data, { recursive: true });
  patientName = execFileSync(
    join(ROOT, '.venv', 'bin', 'python'),
    [join(ROOT, 'ui-tests', 'fixtures', 'make_imaging.py'), data],
    { encoding: 'utf8', timeout: 120_000 }
  ).trim();
  const j2k = join(VECTORS, 'dicom', 'u16_j2k.dcm');
  if (!existsSync(j2k)) {
    execFileSync(join(ROOT, 'shared', 'test-vectors', 'imaging', 'make.sh'), {
      stdio: 'inherit',
      timeout: 120_000
    });
  }
  copyFileSync(j2k, join(data, 'gradient-j2k.dcm'));
  const whole = readFileSync(join(data, 'ct-series', 'IM0000.dcm'));
  writeFileSync(join(data, 'cut.dcm'), whole.subarray(0, whole.length - 300));
  Object.assign(CUT, { bytes: whole.length - 300, of: whole.length });
  // the label map's colour table (ITK-SNAP), beside it: the legend's names and colours
  writeFileSync(join(data, 'brain_labels.txt'), BRAIN_LABELS_TXT);
  mkdirSync(join(data, 'syntaxes'), { recursive: true });
  for (const name of SYNTAXES) {
    copyFileSync(join(VECTORS, 'dicom', name), join(data, 'syntaxes', name));
  }
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`/?folder=${encodeURIComponent(workspace())}`);
  await expect(page.locator('.monaco-workbench')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.activitybar')).toBeVisible();
});

test('a CT series folder opens with "Open as DICOM Series" from the explorer', async () => {
  await runCommand(page, 'View: Show Explorer');
  const folder = explorerRow('imaging');
  await expect(folder).toBeVisible({ timeout: 30_000 });
  if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
  const series = explorerRow('ct-series');
  await expect(series).toBeVisible();
  await series.click({ button: 'right' });
  const item = page.locator('.monaco-menu .action-item', { hasText: 'Open as DICOM Series' });
  await expect(item).toBeVisible();
  await shot('context-menu');
  await item.click();

  const viewer = viewerFrame().locator('.rl-Viewer');
  await expect(viewer).toBeVisible({ timeout: 60_000 });
  await expect(viewer.locator('.rl-Viewer-slice')).toHaveText(/\d+\s*\/\s*24/, { timeout: 60_000 });
  await expect(viewer.locator('.rl-Viewer-error')).toBeHidden();
  const first = await expectImage(viewer);
  expect(first.width).toBeGreaterThan(100);
  // decoded in Web Workers started from a blob: URL (the fallback on the webview's thread: 'inline')
  await expect(viewer).toHaveAttribute('data-decoder', 'worker');
  await expect(viewer.locator('.rl-Viewer-window')).toHaveText(/W\s*400\s+L\s*40\b/);
  await expect(viewer.locator('.rl-Viewer-label-left')).toHaveText('R');
  await expect(viewer.locator('.rl-Viewer-label-right')).toHaveText('L');
  await expect(viewer.locator('.rl-Viewer-label-top')).toHaveText('A');
  await expect(viewer.locator('.rl-Viewer-label-bottom')).toHaveText('P');
  await expect(page.locator('.tab.active', { hasText: 'ct-series' })).toBeVisible();
  await shot('series');

  await dragWindowLevel(page, viewer);
  await wheelSlices(page, viewer);
  await expectPhiMasked(viewer, patientName.split('^')[0]);
  await shot('series-wl-header');
  await checkSliceFollowing(page, viewer, shot);
});

test('a .nii.gz opens in the Radlab Image Viewer custom editor', async () => {
  await runCommand(page, 'View: Close All Editors');
  await openFile(page, 'brain.nii.gz');
  await expect(page.locator('.tab.active', { hasText: 'brain.nii.gz' })).toBeVisible();
  const viewer = viewerFrame().locator('.rl-Viewer');
  await expect(viewer).toBeVisible({ timeout: 60_000 });
  await expect(viewer.locator('.rl-Viewer-slice')).toHaveText(/\d+\s*\/\s*40/, { timeout: 60_000 });
  await expect(viewer.locator('.rl-Viewer-error')).toBeHidden();
  await expectImage(viewer);
  await expect(viewer).toHaveAttribute('data-decoder', 'worker');
  for (const side of ['top', 'bottom', 'left', 'right']) {
    await expect(viewer.locator(`.rl-Viewer-label-${side}`)).toHaveText(/^[RLAPSI]{1,3}$/);
  }
  await shot('nifti');
  await dragWindowLevel(page, viewer);
  await wheelSlices(page, viewer);
  await shot('nifti-wl');
});

test('a label map chosen with "Overlay…" shows in colour over the .nii.gz', async () => {
  await runCommand(page, 'View: Close All Editors');
  await openFile(page, 'brain.nii.gz');
  const viewer = viewerFrame().locator('.rl-Viewer');
  await expect(viewer.locator('.rl-Viewer-slice')).toHaveText(/\d+\s*\/\s*40/, { timeout: 60_000 });
  const plain = await expectImage(viewer);
  expect(await colouredPixels(viewer)).toBe(0);
  const button = viewer.getByRole('button', { name: 'Overlay…' });
  await expect(button).toBeEnabled();
  await button.click();

  // code-server's simple open dialog (a quick input, starting in the image's folder): type the path
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await expect(input).toBeVisible();
  await expect(input).toHaveValue(/imaging\/?$/);
  await input.fill(join(workspace(), 'imaging', 'brain_labels.nii.gz'));
  await shot('overlay-dialog');
  await input.press('Enter');
  await expect(page.locator('.quick-input-widget')).toBeHidden();

  await expect(viewer.locator('.rl-Viewer-opacity')).toBeVisible({ timeout: 30_000 });
  await expect(viewer.locator('.rl-Viewer-error')).toBeHidden();
  await expect.poll(() => colouredPixels(viewer), { timeout: 30_000 }).toBeGreaterThan(100);
  expect((await canvasStats(viewer)).hash).not.toBe(plain.hash);
  await expectBrainLegend(viewer);
  await shot('overlay');

  // removed: the image alone, and Overlay… ready for another
  await removeOverlay(viewer, plain);
  await expect(viewer.locator('.rl-Viewer-legend')).toBeHidden();
  await shot('overlay-removed');
});

test('a truncated DICOM file says by how much and still shows its header', async () => {
  await runCommand(page, 'View: Close All Editors');
  await openFile(page, 'cut.dcm');
  await expectTruncated(viewerFrame().locator('.rl-Viewer'), CUT.bytes, CUT.of);
  await shot('truncated');
});

test('a JPEG 2000 DICOM file decodes under the webview CSP', async () => {
  await runCommand(page, 'View: Close All Editors');
  await openFile(page, 'gradient-j2k.dcm');
  const viewer = viewerFrame().locator('.rl-Viewer');
  await expect(viewer.locator('.rl-Viewer-slice')).toHaveText(/1\s*\/\s*1/, { timeout: 60_000 });
  await expect(viewer.locator('.rl-Viewer-error')).toBeHidden();
  await expectImage(viewer);
  // decoded in a worker, which fetched the codec's .wasm from the absolute webview URI it was given
  await expect(viewer).toHaveAttribute('data-decoder', 'worker');
  await expectPhiMasked(viewer, 'Doe'); // make_vectors.py's PatientName Doe^Jane
  await shot('j2k');
});

test('a CT series in every transfer syntax opens as a series', async () => {
  test.setTimeout(300_000);
  await runCommand(page, 'View: Close All Editors');
  // only imaging/ open in the explorer: its list draws the rows in view only
  await runCommand(page, 'View: Show Explorer');
  await runCommand(page, 'Collapse Folders in Explorer');
  const imaging = explorerRow('imaging');
  await expect(imaging).toHaveAttribute('aria-expanded', 'false');
  await imaging.click();
  await expect(imaging).toHaveAttribute('aria-expanded', 'true');
  const failures = await checkSeriesSyntaxes(
    {
      open: async folder => {
        await explorerRow(folder).click({ button: 'right' });
        const item = page.locator('.monaco-menu .action-item', { hasText: 'Open as DICOM Series' });
        // the menu ignores a click that comes while it fades in: click until it closes
        await expect(async () => {
          if (await item.isVisible()) await item.click();
          await expect(item).toBeHidden({ timeout: 1_000 });
        }).toPass({ timeout: 10_000 });
        await expect(page.locator('.tab.active', { hasText: folder })).toBeVisible();
        return viewerFrame().locator('.rl-Viewer');
      },
      closeAll: async () => {
        await page.keyboard.press('Escape'); // a menu left open would take F1
        await runCommand(page, 'View: Close All Editors');
        await expect(page.locator('iframe.webview[src*="radlab"]')).toHaveCount(0);
      },
      screenshot: shot
    },
    patientName.split('^')[0],
    seriesSyntaxes(join(workspace(), 'imaging'))
  );
  expect(failures).toEqual([]);
});

test('one file of each transfer syntax decodes in the worker and renders', async () => {
  test.setTimeout(300_000);
  const failures: string[] = [];
  for (const name of SYNTAXES) {
    await runCommand(page, 'View: Close All Editors');
    await expect(page.locator('iframe.webview[src*="radlab"]')).toHaveCount(0);
    await openFile(page, name, `syntaxes/${name}`);
    await expect(page.locator('.tab.active', { hasText: name })).toBeVisible();
    const failure = await syntaxFileFailure(viewerFrame().locator('.rl-Viewer'), name);
    if (failure) failures.push(failure);
    else if (SYNTAX_SHOTS.has(name)) await shot(`syntax-${name.replace('.dcm', '')}`);
  }
  expect(failures).toEqual([]);
});
