// The Radlab files browser in a real JupyterLab on the local stack's real HDFS (WebHDFS through the
// Jupyter proxy, which follows the NameNode's DataNode redirects): browse the home folder, open the
// 100,000-file folder (paged, virtualized), filter it, preview a CSV read by byte range, and see a
// permission error said clearly.
import { expect, test } from '@jupyterlab/galata';

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
