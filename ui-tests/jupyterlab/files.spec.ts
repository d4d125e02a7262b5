// Files in a real JupyterLab on the local stack's real HDFS (WebHDFS through the Jupyter proxy, which
// follows the NameNode's DataNode redirects):
// - the Radlab files browser: the home folder, the 100,000-file folder (paged, virtualized), a filter,
//   a CSV preview read by byte range, a permission error said clearly;
// - the connection as a drive of the lab's own file browser: a notebook stored on HDFS opened, edited
//   and saved in place, a save after someone else's (the lab's "File Changed" dialog, then our
//   overwrite), an upload with its progress notice, a download, a DICOM series in the viewer read by
//   range, Query with Drill on a CSV, Copy Path as maprfs:///, the huge folder's notice, a refusal.
import { expect, test, type IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { labCommand } from '../support/lab.js';
import { expectImage } from '../support/viewer.js';

const PANEL_ID = 'radlab-files';
const SCREENSHOTS = 'test-results/screenshots';

test.use({ video: 'off', autoGoto: false });

test.beforeAll(async ({ request }) => {
  const up = await request
    .get('http://127.0.0.1:9870/webhdfs/v1/user/radlab/many?op=GETFILESTATUS&user.name=radlab')
    .then(r => r.ok())
    .catch(() => false);
  test.skip(!up, 'HDFS is not running (scripts/services/hdfs start)');
});

test('Files: the home folder, the 100,000-file folder, a preview, an error', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto();
  await page.sidebar.openTab(PANEL_ID);
  const panel = page.locator(`#${PANEL_ID}`);
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('combobox', { name: 'Files connection' })).toHaveValue('local-hdfs');
  await expect(panel.locator('.rl-Files-path')).toHaveText('/user/radlab', { timeout: 60_000 });
  const list = panel.getByRole('listbox', { name: 'Folder entries' });
  await expect(list.getByRole('option', { name: /many/ })).toBeVisible({ timeout: 60_000 });
  await expect(list.getByRole('option', { name: /odd names/ })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/lab-files-home.png` });

  await list.getByRole('option', { name: /many/ }).click();
  await expect(panel.locator('.rl-Files-path')).toHaveText('/user/radlab/many');
  await expect(list.getByRole('option', { name: /file-000000\.json/ })).toBeVisible({
    timeout: 60_000
  });
  // the first page is in view while the rest arrives; only the rows in view are elements
  await expect(panel.locator('.rl-Files-status')).toHaveText('100,000 entries', {
    timeout: 240_000
  });
  expect(await list.getByRole('option').count()).toBeLessThan(100);
  await list.evaluate(node => (node.scrollTop = 99_990 * 24));
  await expect(list.getByRole('option', { name: /file-099999\.json/ })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/lab-files-100k.png` });

  await panel.getByRole('searchbox', { name: 'Filter names' }).fill('file-09999');
  await expect(panel.locator('.rl-Files-status')).toHaveText('100,000 entries · 10 match');
  await expect(list.getByRole('option')).toHaveCount(10);

  // back up, into sample/, and a preview of the CSV (first bytes, read through the DataNode)
  await panel.getByRole('button', { name: 'Parent folder' }).click();
  await list.getByRole('option', { name: /sample/ }).click();
  await list.getByRole('option', { name: /studies\.csv/ }).dblclick();
  const preview = page.locator('.rl-FilePreview');
  await expect(preview.locator('pre')).toContainText('study_id,patient_id,modality', {
    timeout: 60_000
  });
  await expect(preview.locator('.rl-FilePreview-head')).toContainText(
    'local-hdfs:/user/radlab/sample/studies.csv'
  );
  await page.screenshot({ path: `${SCREENSHOTS}/lab-files-preview.png` });

  // a folder this user may not read
  await panel.getByRole('button', { name: 'Parent folder' }).click();
  await panel.getByRole('button', { name: 'Parent folder' }).click();
  await panel.getByRole('button', { name: 'Parent folder' }).click();
  await expect(panel.locator('.rl-Files-path')).toHaveText('/');
  await list.getByRole('option', { name: /restricted/ }).click();
  const alert = panel.getByRole('alert');
  await expect(alert).toContainText('Permission denied');
  await expect(alert).toHaveAttribute('data-code', 'forbidden');
  await expect(list.getByRole('option')).toHaveCount(0);
  await page.screenshot({ path: `${SCREENSHOTS}/lab-files-denied.png` });
});

const HDFS = 'http://127.0.0.1:9870/webhdfs/v1';
const DRIVE = 'local-hdfs';
const RUN = `/user/radlab/tests/lab-ui-${Date.now().toString(36)}`;

/** HDFS over its own REST API (not through the lab): what another user would do. */
async function hdfs(
  page: Page,
  method: 'GET' | 'PUT' | 'DELETE',
  path: string,
  op: string,
  body?: string
): Promise<{ status: number; text: string }> {
  const url = `${HDFS}${path.split('/').map(encodeURIComponent).join('/')}?op=${op}&user.name=radlab`;
  if (op === 'CREATE') {
    // the NameNode redirects the data to its DataNode
    const first = await page.request.fetch(`${url}&overwrite=true`, { method, maxRedirects: 0 });
    const location = first.headers()['location'] ?? '';
    const put = await page.request.fetch(location, {
      method: 'PUT',
      data: body ?? '',
      headers: { 'Content-Type': 'application/octet-stream' }
    });
    return { status: put.status(), text: await put.text() };
  }
  const answer = await page.request.fetch(`${url}${op === 'DELETE' ? '&recursive=true' : ''}`, {
    method
  });
  return { status: answer.status(), text: await answer.text() };
}

function driveBrowser(page: Page): Locator {
  return page.locator(`#radlab-drive-${DRIVE}`);
}

function item(browser: Locator, name: string): Locator {
  return browser.locator('.jp-DirListing-item').filter({
    has: browser.page().locator('.jp-DirListing-itemText', { hasText: new RegExp(`^${name}$`) })
  });
}

async function openFolder(page: IJupyterLabPageFixture, path: string): Promise<void> {
  await labCommand(page, 'radlab:files-open-drive', { connection: DRIVE, path });
  await expect(driveBrowser(page).locator('.jp-BreadCrumbs')).toContainText(
    path.split('/').filter(Boolean).pop() ?? ''
  );
}

const NOTEBOOK = JSON.stringify({
  cells: [
    {
      cell_type: 'markdown',
      id: 'a1',
      metadata: {},
      source: ['# Stored on HDFS']
    }
  ],
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5
});

test.describe('the HDFS drive in the lab file browser', () => {
  test.beforeAll(async ({ request }) => {
    const mk = await request.put(`${HDFS}${RUN}?op=MKDIRS&user.name=radlab`);
    expect(mk.ok()).toBe(true);
  });
  test.afterAll(async ({ request }) => {
    await request.delete(`${HDFS}${RUN}?op=DELETE&recursive=true&user.name=radlab`);
    await request.delete(
      `${HDFS}/user/radlab/.Trash/Current${RUN}?op=DELETE&recursive=true&user.name=radlab`
    );
  });

  test('browse, edit and save a notebook, conflict, upload, download', async ({ page }) => {
    test.setTimeout(300_000);
    expect((await hdfs(page, 'PUT', `${RUN}/analysis.ipynb`, 'CREATE', NOTEBOOK)).status).toBe(201);
    await page.goto();
    await page.sidebar.openTab(`radlab-drive-${DRIVE}`);
    const browser = driveBrowser(page);
    await expect(browser.locator('.rl-DriveBrowser-name')).toHaveText(DRIVE);
    await expect(item(browser, 'sample')).toBeVisible({ timeout: 60_000 });
    await expect(item(browser, 'odd names')).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/lab-drive-home.png` });

    // the notebook opens in the lab's notebook editor; an edit is saved in place on HDFS
    await openFolder(page, RUN);
    await item(browser, 'analysis\\.ipynb').dblclick();
    const panel = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
    await expect(panel.locator('.jp-MarkdownOutput h1')).toContainText('Stored on HDFS', {
      timeout: 60_000
    });
    // the notebook names no kernel: the lab asks; this test edits markdown only
    const pick = page.locator('.jp-Dialog').filter({ hasText: 'Select Kernel' });
    await pick.getByRole('button', { name: 'No Kernel' }).click({ timeout: 30_000 });
    await expect(
      page.locator('.jp-DirListing-item.jp-mod-running, .lm-TabBar-tab.lm-mod-current')
    ).toContainText(['analysis.ipynb']);
    await page.notebook.setCell(0, 'markdown', '# Stored on HDFS (edited in JupyterLab)');
    await page.notebook.save();
    await expect
      .poll(async () => (await hdfs(page, 'GET', `${RUN}/analysis.ipynb`, 'OPEN')).text, {
        timeout: 30_000
      })
      .toContain('(edited in JupyterLab)');
    await page.screenshot({ path: `${SCREENSHOTS}/lab-drive-notebook-saved.png` });

    // someone else saves; our next save is stopped: the lab's File Changed dialog, then Overwrite
    const theirs = NOTEBOOK.replace('Stored on HDFS', 'Their version');
    expect((await hdfs(page, 'PUT', `${RUN}/analysis.ipynb`, 'CREATE', theirs)).status).toBe(201);
    await page.notebook.setCell(0, 'markdown', '# Stored on HDFS (edited in JupyterLab) again');
    await page.keyboard.press('Control+s');
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText(
      'has changed on disk since the last time it was opened or saved'
    );
    await page.screenshot({ path: `${SCREENSHOTS}/lab-drive-conflict.png` });
    expect((await hdfs(page, 'GET', `${RUN}/analysis.ipynb`, 'OPEN')).text).toContain(
      'Their version'
    );
    await dialog.getByRole('button', { name: 'Overwrite' }).click();
    await expect
      .poll(async () => (await hdfs(page, 'GET', `${RUN}/analysis.ipynb`, 'OPEN')).text, {
        timeout: 30_000
      })
      .toContain('(edited in JupyterLab) again');

    // upload 20 MiB (the lab sends 1 MiB pieces; the drive streams them as one write): progress, done
    const size = 20 * 1024 * 1024;
    const data = Buffer.alloc(size, 7);
    const chooser = page.waitForEvent('filechooser');
    await browser
      .locator('.jp-ToolbarButtonComponent[data-command], .jp-id-upload, [title="Upload Files"]')
      .first()
      .click();
    await (
      await chooser
    ).setFiles({ name: 'upload-20MiB.bin', mimeType: 'application/octet-stream', buffer: data });
    const large = page.locator('.jp-Dialog');
    await expect(large).toContainText('Do you still want to upload it?');
    await large.getByRole('button', { name: 'Upload' }).click();
    const notice = page.locator('.Toastify__toast').filter({ hasText: 'upload-20MiB.bin' });
    await expect(notice.first()).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: `${SCREENSHOTS}/lab-drive-upload.png` });
    await expect(notice.filter({ hasText: 'Uploaded' })).toBeVisible({ timeout: 120_000 });
    const stat = JSON.parse(
      (await hdfs(page, 'GET', `${RUN}/upload-20MiB.bin`, 'GETFILESTATUS')).text
    );
    expect(stat.FileStatus.length).toBe(size);
    await expect(item(browser, 'upload-20MiB\\.bin')).toBeVisible();
    const listing = JSON.parse((await hdfs(page, 'GET', RUN, 'LISTSTATUS')).text);
    expect(
      listing.FileStatuses.FileStatus.map((f: { pathSuffix: string }) => f.pathSuffix).filter(
        (n: string) => n.endsWith('.part')
      )
    ).toEqual([]);

    // download: the browser streams the proxy's answer to disk
    await item(browser, 'upload-20MiB\\.bin').click({ button: 'right' });
    const download = page.waitForEvent('download');
    await page.locator('.lm-Menu-itemLabel', { hasText: /^Download$/ }).click();
    const file = await download;
    const saved = await file.path();
    const { statSync } = await import('node:fs');
    expect(statSync(saved).size).toBe(size);

    // delete, with the lab's confirmation: into the user's HDFS trash, as `hdfs dfs -rm` does
    await item(browser, 'upload-20MiB\\.bin').click({ button: 'right' });
    await page.locator('.lm-Menu-itemLabel', { hasText: /^Move to Trash$/ }).click();
    const confirm = page.locator('.jp-Dialog');
    await expect(confirm).toContainText('upload-20MiB.bin');
    await page.screenshot({ path: `${SCREENSHOTS}/lab-drive-delete.png` });
    await confirm.getByRole('button', { name: /Move to Trash|Delete/ }).click();
    await expect(item(browser, 'upload-20MiB\\.bin')).toBeHidden();
    const trashed = await hdfs(
      page,
      'GET',
      `/user/radlab/.Trash/Current${RUN}/upload-20MiB.bin`,
      'GETFILESTATUS'
    );
    expect(trashed.status).toBe(200);

    // Copy Path as maprfs:///
    await item(browser, 'analysis\\.ipynb').click({ button: 'right' });
    await expect(
      page.locator('.lm-Menu-item', { hasText: 'Copy Path as maprfs:///…' })
    ).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/lab-drive-context-menu.png` });
    await page.keyboard.press('Escape');
    const copied = await labCommand(page, 'radlab:files-copy-path', { form: 'mapr' });
    expect(copied).toBe(`/mapr/radlab.local${RUN}/analysis.ipynb`);

    // a name that would leave its folder is refused (the lab checks names; the drive refuses '..')
    await item(browser, 'analysis\\.ipynb').click({ button: 'right' });
    await page.locator('.lm-Menu-itemLabel', { hasText: /^Rename$/ }).click();
    const edit = browser.locator('.jp-DirListing-editor');
    await edit.fill('../../escaped.ipynb');
    await edit.press('Enter');
    const renameError = page.locator('.jp-Dialog').filter({ hasText: 'Rename Error' });
    await expect(renameError).toContainText('is not a valid name');
    await page.screenshot({ path: `${SCREENSHOTS}/lab-drive-rename-refused.png` });
    await renameError.getByRole('button').last().click();
    expect((await hdfs(page, 'GET', '/user/radlab/escaped.ipynb', 'GETFILESTATUS')).status).toBe(
      404
    );
    expect((await hdfs(page, 'GET', `${RUN}/analysis.ipynb`, 'GETFILESTATUS')).status).toBe(200);
  });

  test('a DICOM series read by range, Query with Drill, the huge folder', async ({ page }) => {
    test.setTimeout(300_000);
    await page.goto();
    await page.sidebar.openTab(`radlab-drive-${DRIVE}`);
    const browser = driveBrowser(page);
    await expect(item(browser, 'imaging')).toBeVisible({ timeout: 60_000 });

    // the CT series folder opens in the Radlab viewer; every read is a byte range through the proxy
    const ranges: string[] = [];
    page.on('request', request => {
      if (request.url().includes(`/radlab/proxy/${DRIVE}/`) && request.url().includes('op=OPEN')) {
        ranges.push(request.url());
      }
    });
    await openFolder(page, '/user/radlab/imaging');
    await item(browser, 'ct-series').click({ button: 'right' });
    await page.locator('.lm-Menu-item', { hasText: 'Open as DICOM Series' }).click();
    const viewer = page.locator(
      '.jp-MainAreaWidget.rl-ImageDocument:not(.lm-mod-hidden) .rl-Viewer'
    );
    await expect(viewer.locator('.rl-Viewer-slice')).toHaveText(/\d+\s*\/\s*24/, {
      timeout: 90_000
    });
    await expect(viewer.locator('.rl-Viewer-error')).toBeHidden();
    await expectImage(viewer);
    await expect(viewer.locator('.rl-Viewer-pending')).toBeHidden({ timeout: 60_000 });
    expect(ranges.length).toBeGreaterThanOrEqual(24);
    expect(ranges.every(u => /[?&]length=\d+/.test(u) || /[?&]offset=\d+/.test(u))).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/lab-drive-dicom.png` });

    // Query with Drill on the CSV: the SQL editor with a query through Drill's hdfs plugin, and rows
    await openFolder(page, '/user/radlab/sample');
    await item(browser, 'studies\\.csv').click({ button: 'right' });
    await page.locator('.lm-Menu-item', { hasText: 'Query with Drill' }).click();
    const doc = page
      .locator('.jp-MainAreaWidget:not(.lm-mod-hidden)')
      .filter({ has: page.locator('.rl-SqlResult') });
    await expect(doc.locator('.cm-content')).toContainText(
      '`hdfs`.`/user/radlab/sample/studies.csv`',
      {
        timeout: 30_000
      }
    );
    await expect(doc.locator('.rl-SqlResult .rl-Grid-count')).toHaveText(
      /^\d+ rows × \d+ columns$/,
      {
        timeout: 120_000
      }
    );
    await page.screenshot({ path: `${SCREENSHOTS}/lab-drive-drill.png` });

    // the 100,000-file folder: the lab's browser gets the first 5,000 and a notice with the way on
    await openFolder(page, '/user/radlab/many');
    const notice = page.locator('.Toastify__toast').filter({ hasText: 'has 100,000 entries' });
    await expect(notice).toBeVisible({ timeout: 120_000 });
    await expect(item(browser, 'file-000000\\.json')).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/lab-drive-many.png` });
    await notice.getByRole('button', { name: 'Open in Radlab Files' }).click();
    const files = page.locator(`#${PANEL_ID}`);
    await expect(files.locator('.rl-Files-path')).toHaveText('/user/radlab/many');

    // permission denied, said plainly
    await openFolder(page, '/user/radlab').catch(() => undefined);
    await labCommand(page, 'radlab:files-open-drive', {
      connection: DRIVE,
      path: '/restricted'
    }).catch(() => undefined);
    const denied = page.locator('.Toastify__toast').filter({ hasText: 'Permission denied' });
    await expect(denied).toBeVisible({ timeout: 30_000 });
    await expect(denied).toContainText('/restricted: Permission denied');
    await expect(denied).toContainText('check the owner and permissions');
    await page.screenshot({ path: `${SCREENSHOTS}/lab-drive-denied.png` });
  });
});
