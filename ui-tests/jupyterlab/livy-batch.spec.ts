// A Livy batch from JupyterLab's file browser on the local stack's real Livy + Spark and HDFS: a .py of
// the notebook server, "Submit as Livy Batch" from its context menu, uploaded to the files connection
// (local-hdfs) for Livy to read from hdfs://, and its log followed in the main area to success.
import { expect, test } from '@jupyterlab/galata';
import { hdfsDelete, HDFS_HOME } from '../support/hdfs';
import { openLabFolder } from '../support/lab';
import { LIVY_URL } from '../support/livy';

const SCREENSHOTS = 'test-results/screenshots';
const FILE = `radlab-lab-batch-${process.pid}.py`;
const CODE = [
  'from pyspark.sql import SparkSession',
  'spark = SparkSession.builder.appName("radlab-lab-batch").getOrCreate()',
  'print("radlab lab batch rows", spark.range(11).count(), flush=True)',
  'spark.stop()',
  ''
].join('\n');

test.use({ video: 'off', autoGoto: false });

const batches: number[] = [];

test.beforeAll(async ({ request }) => {
  const up = await request
    .get('http://127.0.0.1:9870/webhdfs/v1/user/radlab?op=GETFILESTATUS&user.name=radlab')
    .then(r => r.ok())
    .catch(() => false);
  test.skip(!up, 'HDFS is not running (scripts/services/hdfs start)');
  const livy = await request
    .get(`${LIVY_URL}/batches`)
    .then(r => r.ok())
    .catch(() => false);
  test.skip(!livy, 'Livy is not running (scripts/services/livy start)');
});

test.afterAll(async () => {
  for (const id of batches) {
    await fetch(`${LIVY_URL}/batches/${id}`, {
      method: 'DELETE',
      headers: { 'X-Requested-By': 'radlab-ui-tests' }
    }).catch(() => undefined);
  }
});

// fixme: passed 1 of 2 runs (2.8 min) on the loaded machine; the second timed out in openLabFolder
// before any Radlab code ran (the test folder's breadcrumb never showed after filebrowser:go-to-path)
test.fixme('Livy batch: a server file submitted from the file browser, its log followed', async ({
  page,
  tmpPath
}) => {
  test.setTimeout(600_000);
  await page.goto();
  await page.contents.uploadContent(CODE, 'text', `${tmpPath}/${FILE}`);
  await openLabFolder(page, tmpPath);
  const item = page.locator('#filebrowser .jp-DirListing-item', { hasText: FILE });
  await item.click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Submit as Livy Batch' }).click();

  const widget = page.locator('.rl-LivyBatchLog');
  await expect(widget).toBeVisible({ timeout: 60_000 });
  const head = await widget.locator('.rl-LivyBatchLog-head').textContent();
  const id = Number(/batch #(\d+)/.exec(head ?? '')?.[1]);
  batches.push(id);
  // uploaded under the files connection's home, read by Livy from hdfs://
  expect(head).toMatch(
    new RegExp(`hdfs://127\\.0\\.0\\.1:8020${HDFS_HOME}/\\.radlab/batches/\\S+-${FILE}`)
  );
  const uploaded = /hdfs:\/\/[^/]+(\/\S+\.py)/.exec(head ?? '')?.[1];
  try {
    await expect(widget.locator('.rl-LivyBatchLog-lines')).toContainText(
      'radlab lab batch rows 11',
      { timeout: 480_000 }
    );
    await expect(widget.locator('.rl-LivyBatchLog-state')).toHaveText('ended: success', {
      timeout: 120_000
    });
    await expect(widget.getByRole('button', { name: 'Kill' })).toBeDisabled();
    await page.screenshot({ path: `${SCREENSHOTS}/lab-livy-batch.png` });
  } finally {
    if (uploaded) await hdfsDelete(uploaded);
  }
});
