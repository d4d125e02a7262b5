// A PACS series in a real JupyterLab: "Open PACS Series" (radlab:open-pacs-series) on the local stack's
// Orthanc (connection local-pacs of ui-tests/fixtures/connections.json, seeded with the CT phantom by
// scripts/services/orthanc). The viewer gets the series' WADO-RS metadata once and each instance's
// WADO-RS frames once, all through the server's proxy (/radlab/proxy/local-pacs/…), shows the
// image with its 24 slices, and the header panel holds no patient attribute (none is copied).
import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { labCommand } from '../support/lab.js';
import { expectImage, wheelSlices } from '../support/viewer.js';

const SCREENSHOTS = 'test-results/screenshots';
// the fixture's local-pacs: the stack's Orthanc on its default port
const DICOMWEB = 'http://127.0.0.1:8042/dicom-web';

test.use({ video: 'off', autoGoto: false, viewport: { width: 1400, height: 900 } });

let study = '';
let series = '';
/** Why Orthanc is not there (it is an optional service of the stack): the test skips saying so. */
let unavailable = '';

test.beforeAll(async () => {
  type Json = Record<string, { Value?: string[] }>[];
  try {
    const studies = (await (
      await fetch(`${DICOMWEB}/studies?PatientID=UI-PHI-4711`)
    ).json()) as Json;
    study = studies[0]['0020000D'].Value![0];
    const all = (await (await fetch(`${DICOMWEB}/studies/${study}/series`)).json()) as Json;
    series = all[0]['0020000E'].Value![0];
  } catch (e) {
    unavailable = `Orthanc (scripts/services/orthanc) has no CT phantom at ${DICOMWEB}: ${String(e)}`;
  }
});

function activeViewer(page: Page): Locator {
  return page.locator('.jp-MainAreaWidget.rl-ImageDocument:not(.lm-mod-hidden) .rl-Viewer');
}

test('a PACS series opens with WADO-RS through the proxy, ordered from its metadata', async ({
  page
}) => {
  test.skip(unavailable !== '', unavailable);
  const metadata: string[] = [];
  const frames: string[] = [];
  const direct: string[] = [];
  page.on('request', request => {
    const url = request.url();
    if (url.startsWith('http://127.0.0.1:8042')) direct.push(url);
    if (!url.includes('/radlab/proxy/local-pacs/')) return;
    if (url.endsWith('/metadata')) metadata.push(url);
    if (/\/frames\/\d+$/.test(url)) frames.push(url);
  });
  await page.goto();
  await labCommand(page, 'radlab:open-pacs-series', { connection: 'local-pacs', study, series });
  const viewer = activeViewer(page);
  await expect(viewer).toBeVisible({ timeout: 30_000 });
  await expect(viewer.locator('.rl-Viewer-slice')).toHaveText(/\d+\s*\/\s*24/, { timeout: 60_000 });
  await expect(viewer.locator('.rl-Viewer-error')).toBeHidden();
  await expectImage(viewer);
  await expect(page.locator('.lm-TabBar-tab.jp-mod-current')).toContainText('PACS series');
  await expect.poll(() => frames.length, { timeout: 30_000 }).toBe(24);
  expect(new Set(frames).size).toBe(24);
  expect(metadata).toHaveLength(1);
  expect(direct).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}/lab-pacs-series.png` });

  await wheelSlices(page, viewer);
  const header = viewer.locator('.rl-Viewer-header');
  if ((await header.getAttribute('open')) === null) await header.locator('summary').click();
  await expect(header).not.toContainText('Radlabtest');
  await expect(header).not.toContainText('UI-PHI-4711');
  // UIDs are its only masked rows: no patient, study or institution attribute came along
  await expect(header.locator('tr.rl-Viewer-phi', { hasText: 'UID' }).first()).toBeVisible();
  await expect(
    header.locator('tr.rl-Viewer-phi', { hasText: /Patient|Institution|Date/ })
  ).toHaveCount(0);

  // the same series again: the open tab comes to the front
  await labCommand(page, 'radlab:open-pacs-series', { connection: 'local-pacs', study, series });
  await expect(page.locator('.jp-MainAreaWidget.rl-ImageDocument')).toHaveCount(1);
});
