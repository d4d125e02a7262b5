// DICOM and NIfTI in a real JupyterLab: a CT series folder opened with "Open as DICOM Series" from the
// file browser's context menu and a .nii.gz opened by double-click (the Radlab Image Viewer is the
// default for it), both read through radlab/api/contents-* (never the contents API's base64). Checks the
// canvas shows an image, window/level drag changes pixels and the W/L text, patient data is masked in
// the header panel, the wheel changes the slice and the orientation labels are there. The same CT
// series in every other transfer syntax must show the same image (support/viewer.ts).
// Data: ui-tests/fixtures/make_imaging.py writes it into the lab's root before the tests.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { labCommand, openLabFolder } from '../support/lab.js';
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

const ROOT = path.resolve(process.cwd(), '..');
const SCREENSHOTS = 'test-results/screenshots';
const PORT = Number(process.env.RADLAB_UI_LAB_PORT ?? 8899);
const STATE =
  process.env.RADLAB_UI_LAB_STATE ??
  path.join(process.env.TMPDIR ?? tmpdir(), `radlab-ui-lab-${PORT}`);
const DATA = path.join(STATE, 'root', 'imaging');
const VECTORS = path.join(ROOT, '.radlab', 'test-vectors', 'imaging');

let patientName = '';
/** cut.dcm: ct-series/IM0000.dcm without its last 300 bytes (a transfer cut short). */
const CUT = { bytes: 0, of: 0 };

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
  // a JPEG 2000 file from the decoder test vectors: the codec's WebAssembly must load in the lab
  const j2k = path.join(VECTORS, 'dicom', 'u16_j2k.dcm');
  if (!existsSync(j2k)) {
    execFileSync(path.join(ROOT, 'shared', 'test-vectors', 'imaging', 'make.sh'), {
      stdio: 'inherit',
      timeout: 120_000
    });
  }
  copyFileSync(j2k, path.join(DATA, 'gradient-j2k.dcm'));
  const whole = readFileSync(path.join(DATA, 'ct-series', 'IM0000.dcm'));
  writeFileSync(path.join(DATA, 'cut.dcm'), whole.subarray(0, whole.length - 300));
  Object.assign(CUT, { bytes: whole.length - 300, of: whole.length });
  // the label map's colour table (ITK-SNAP), beside it: the legend's names and colours
  writeFileSync(path.join(DATA, 'brain_labels.txt'), BRAIN_LABELS_TXT);
  mkdirSync(path.join(DATA, 'syntaxes'), { recursive: true });
  for (const name of SYNTAXES) {
    copyFileSync(path.join(VECTORS, 'dicom', name), path.join(DATA, 'syntaxes', name));
  }
});

/** A folder of the file browser's listing, by its exact name (ct-series is the start of others). */
function folderItem(page: Page, name: string): Locator {
  return page.locator('#filebrowser .jp-DirListing-item[data-isdir="true"]').filter({
    has: page.locator('.jp-DirListing-itemText', { hasText: new RegExp(`^${name}$`) })
  });
}

/** The viewer in the active main-area tab. */
function activeViewer(page: Page): Locator {
  return page.locator('.jp-MainAreaWidget.rl-ImageDocument:not(.lm-mod-hidden) .rl-Viewer');
}

test('a CT series folder opens with "Open as DICOM Series" from the file browser', async ({
  page
}) => {
  // bytes must come from the Radlab endpoint, never as base64 from the contents API
  const contentsWithContent: string[] = [];
  const bytesRequests: string[] = [];
  page.on('request', request => {
    const url = request.url();
    if (url.includes('/api/contents/') && /[?&]content=1/.test(url) && /\.dcm/.test(url)) {
      contentsWithContent.push(url);
    }
    if (url.includes('/radlab/api/contents-bytes')) bytesRequests.push(url);
  });
  await page.goto();
  await openLabFolder(page, 'imaging');
  const folder = folderItem(page, 'ct-series');
  await expect(folder).toBeVisible();
  await folder.click({ button: 'right' });
  const item = page.locator('.lm-Menu-item', { hasText: 'Open as DICOM Series' });
  await expect(item).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/lab-imaging-context-menu.png` });
  await item.click();

  const viewer = activeViewer(page);
  await expect(viewer).toBeVisible({ timeout: 30_000 });
  await expect(viewer.locator('.rl-Viewer-slice')).toHaveText(/\d+\s*\/\s*24/, { timeout: 60_000 });
  await expect(viewer.locator('.rl-Viewer-error')).toBeHidden();
  const first = await expectImage(viewer);
  expect(first.width).toBeGreaterThan(100);
  // decoded in the shared pool of Web Workers, not on the page (the fallback would say 'inline')
  await expect(viewer).toHaveAttribute('data-decoder', 'worker');
  // the header's window (CT: W 400 L 40) is the initial one
  await expect(viewer.locator('.rl-Viewer-window')).toHaveText(/W\s*400\s+L\s*40\b/);
  // axial, image rows along +x (patient left), columns along +y (posterior)
  await expect(viewer.locator('.rl-Viewer-label-left')).toHaveText('R');
  await expect(viewer.locator('.rl-Viewer-label-right')).toHaveText('L');
  await expect(viewer.locator('.rl-Viewer-label-top')).toHaveText('A');
  await expect(viewer.locator('.rl-Viewer-label-bottom')).toHaveText('P');
  await page.screenshot({ path: `${SCREENSHOTS}/lab-imaging-series.png` });

  await dragWindowLevel(page, viewer);
  await wheelSlices(page, viewer);
  await expectPhiMasked(viewer, patientName.split('^')[0]);
  await viewer.locator('tr.rl-Viewer-phi', { hasText: "Patient's Name" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}/lab-imaging-series-wl-header.png` });
  await checkSliceFollowing(page, viewer, name =>
    page.screenshot({ path: `${SCREENSHOTS}/lab-imaging-${name}.png` }).then(() => undefined)
  );

  expect(bytesRequests.length).toBeGreaterThanOrEqual(24);
  expect(contentsWithContent).toEqual([]);

  // the same folder again: the open tab comes to the front, no second one
  await labCommand(page, 'radlab:open-dicom-series', { path: 'imaging/ct-series' });
  await expect(page.locator('.jp-MainAreaWidget.rl-ImageDocument')).toHaveCount(1);
});

test('a .nii.gz opens by double-click in the Radlab Image Viewer', async ({ page }) => {
  const contentsWithContent: string[] = [];
  page.on('request', request => {
    const url = request.url();
    const [where, query = ''] = url.split('?');
    if (where.endsWith('/api/contents/imaging/brain.nii.gz') && !/content=0/.test(query)) {
      contentsWithContent.push(url);
    }
  });
  await page.goto();
  await openLabFolder(page, 'imaging');
  const file = page.locator('.jp-DirListing-item', { hasText: 'brain.nii.gz' });
  await expect(file).toBeVisible();
  await file.dblclick();
  const viewer = activeViewer(page);
  await expect(viewer).toBeVisible({ timeout: 30_000 });
  await expect(viewer.locator('.rl-Viewer-slice')).toHaveText(/\d+\s*\/\s*40/, { timeout: 60_000 });
  await expect(viewer.locator('.rl-Viewer-error')).toBeHidden();
  await expectImage(viewer);
  await expect(viewer).toHaveAttribute('data-decoder', 'worker');
  for (const side of ['top', 'bottom', 'left', 'right']) {
    await expect(viewer.locator(`.rl-Viewer-label-${side}`)).toHaveText(/^[RLAPSI]{1,3}$/);
  }
  await expect(page.locator('.lm-TabBar-tab.jp-mod-current')).toContainText('brain.nii.gz');
  await page.screenshot({ path: `${SCREENSHOTS}/lab-imaging-nifti.png` });

  await dragWindowLevel(page, viewer);
  await wheelSlices(page, viewer);
  // the header panel of a NIfTI file: no patient data in the format, nothing to reveal
  const header = viewer.locator('.rl-Viewer-header');
  if (await header.isVisible()) {
    if ((await header.getAttribute('open')) === null) await header.locator('summary').click();
    await expect(header).toContainText(/dim|datatype|pixdim|Dimensions/i);
  }
  await page.screenshot({ path: `${SCREENSHOTS}/lab-imaging-nifti-wl.png` });
  // only metadata from the contents API (content=0), the bytes from radlab/api/contents-bytes
  expect(contentsWithContent).toEqual([]);
});

test('a label map chosen with "Overlay…" shows in colour over the .nii.gz', async ({ page }) => {
  await page.goto();
  await openLabFolder(page, 'imaging');
  await page.locator('.jp-DirListing-item', { hasText: 'brain.nii.gz' }).dblclick();
  const viewer = activeViewer(page);
  await expect(viewer.locator('.rl-Viewer-slice')).toHaveText(/\d+\s*\/\s*40/, { timeout: 60_000 });
  const plain = await expectImage(viewer);
  expect(await colouredPixels(viewer)).toBe(0);
  const button = viewer.getByRole('button', { name: 'Overlay…' });
  await expect(button).toBeEnabled();
  await button.click();

  // the lab's file dialog, in the image's folder, NIfTI files only: type the name, confirm
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog).toBeVisible();
  const labels = dialog.locator('.jp-DirListing-item', { hasText: 'brain_labels.nii.gz' });
  await expect(labels).toBeVisible();
  await expect(dialog.locator('.jp-DirListing-item', { hasText: 'gradient-j2k.dcm' })).toHaveCount(
    0
  );
  await dialog.locator('.jp-DirListing-content').focus();
  await page.keyboard.type('brain_l');
  await expect(labels).toHaveClass(/jp-mod-selected/);
  await page.screenshot({ path: `${SCREENSHOTS}/lab-imaging-overlay-dialog.png` });
  await dialog.getByRole('button', { name: 'Select' }).click();
  await expect(dialog).toBeHidden();

  await expect(viewer.locator('.rl-Viewer-opacity')).toBeVisible({ timeout: 30_000 });
  await expect(viewer.locator('.rl-Viewer-error')).toBeHidden();
  await expect.poll(() => colouredPixels(viewer), { timeout: 30_000 }).toBeGreaterThan(100);
  expect((await canvasStats(viewer)).hash).not.toBe(plain.hash);
  await expectBrainLegend(viewer);
  await page.screenshot({ path: `${SCREENSHOTS}/lab-imaging-overlay.png` });

  // opacity 0: the image alone again
  await viewer.locator('.rl-Viewer-opacity').fill('0');
  await expect(viewer.locator('.rl-Viewer-opacityLabel')).toHaveText('Overlay 0%');
  await expect.poll(() => colouredPixels(viewer)).toBe(0);

  // visible again, then removed: the image alone, and Overlay… ready for another
  await viewer.locator('.rl-Viewer-opacity').fill('0.5');
  await expect.poll(() => colouredPixels(viewer)).toBeGreaterThan(100);
  await removeOverlay(viewer, plain);
  await expect(viewer.locator('.rl-Viewer-legend')).toBeHidden();
  await page.screenshot({ path: `${SCREENSHOTS}/lab-imaging-overlay-removed.png` });
});

test('a truncated DICOM file says by how much and still shows its header', async ({ page }) => {
  await page.goto();
  await labCommand(page, 'docmanager:open', { path: 'imaging/cut.dcm' });
  const viewer = activeViewer(page);
  await expectTruncated(viewer, CUT.bytes, CUT.of);
  await page.screenshot({ path: `${SCREENSHOTS}/lab-imaging-truncated.png` });
});

test('a JPEG 2000 DICOM file decodes with the codec loaded in the lab', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', worker => workers.push(worker.url()));
  await page.goto();
  await openLabFolder(page, 'imaging');
  await page.locator('.jp-DirListing-item', { hasText: 'gradient-j2k.dcm' }).dblclick();
  const viewer = activeViewer(page);
  await expect(viewer.locator('.rl-Viewer-slice')).toHaveText(/1\s*\/\s*1/, { timeout: 60_000 });
  await expect(viewer.locator('.rl-Viewer-error')).toBeHidden();
  await expectImage(viewer);
  // decoded in a worker, which found the codec's WebAssembly (webpack's hashed asset) by itself
  await expect(viewer).toHaveAttribute('data-decoder', 'worker');
  expect(workers.some(url => /\/radlab-imaging\.[0-9a-f]+\.js$/.test(url))).toBe(true);
  await expectPhiMasked(viewer, 'Doe'); // make_vectors.py's PatientName Doe^Jane
  await page.screenshot({ path: `${SCREENSHOTS}/lab-imaging-j2k.png` });
});

test('one file of each transfer syntax decodes in the worker and renders', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto();
  const failures: string[] = [];
  for (const name of SYNTAXES) {
    await labCommand(page, 'docmanager:open', { path: `imaging/syntaxes/${name}` });
    await expect(page.locator('.lm-TabBar-tab.jp-mod-current')).toContainText(name);
    const failure = await syntaxFileFailure(activeViewer(page), name);
    if (failure) failures.push(failure);
    else if (SYNTAX_SHOTS.has(name)) {
      await page.screenshot({
        path: `${SCREENSHOTS}/lab-imaging-syntax-${name.replace('.dcm', '')}.png`
      });
    }
    await labCommand(page, 'application:close-all', {});
    await expect(page.locator('.jp-MainAreaWidget.rl-ImageDocument')).toHaveCount(0);
  }
  expect(failures).toEqual([]);
});

test('a CT series in every transfer syntax opens as a series', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto();
  await openLabFolder(page, 'imaging');
  const failures = await checkSeriesSyntaxes(
    {
      open: async folder => {
        const item = folderItem(page, folder);
        await item.click({ button: 'right' });
        await page.locator('.lm-Menu-item', { hasText: 'Open as DICOM Series' }).click();
        await expect(page.locator('.lm-TabBar-tab.jp-mod-current')).toContainText(folder);
        return activeViewer(page);
      },
      closeAll: async () => {
        await labCommand(page, 'application:close-all', {});
        await expect(page.locator('.jp-MainAreaWidget.rl-ImageDocument')).toHaveCount(0);
      },
      screenshot: async name => {
        await page.screenshot({ path: `${SCREENSHOTS}/lab-imaging-${name}.png` });
      }
    },
    patientName.split('^')[0],
    seriesSyntaxes(DATA)
  );
  expect(failures).toEqual([]);
});
