// Drill SQL in a real JupyterLab against the real Drill of the local stack (fixture connection
// `local-drill`, http://127.0.0.1:8047, data in dfs.radlab): the schema browser (tree, filter, preview,
// an unreachable Drill's error inline) and the SQL editor for .sql files (completion, run, error position,
// cancel, history, save and reopen).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import { labCommand } from '../support/lab.js';
import {
  cancelLeftovers,
  DRILL_URL as DRILL,
  drillProfiles,
  ENDLESS_MARK,
  ENDLESS_QUERY
} from '../support/drill.js';

const SCREENSHOTS = 'test-results/screenshots';
const PANEL_ID = 'radlab-drill-schemas';
const DRILL_SCRIPT = path.resolve(process.cwd(), '../scripts/services/drill');
const QUERY = 'SELECT modality, count(*) AS n FROM dfs.radlab.`studies_parquet` GROUP BY modality';
// never finishes on any machine, so Cancel always meets a running query
const SLOW = ENDLESS_QUERY;

test.use({ video: 'off', autoGoto: false });
test.afterAll(() => cancelLeftovers());

async function drillUp(): Promise<boolean> {
  try {
    const res = await fetch(`${DRILL}/status`, { signal: AbortSignal.timeout(3000) });
    return res.ok;
  } catch {
    return false;
  }
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  if (await drillUp()) return;
  // first start: 10-40 s (the script waits until the REST API answers)
  execFileSync(DRILL_SCRIPT, ['start'], { stdio: 'inherit', timeout: 200_000 });
  expect(await drillUp(), 'Drill answers after scripts/services/drill start').toBe(true);
});

async function openBrowser(page: IJupyterLabPageFixture): Promise<Locator> {
  await page.sidebar.openTab(PANEL_ID);
  const panel = page.locator(`#${PANEL_ID}`);
  await expect(panel).toBeVisible();
  return panel;
}

function treeItem(panel: Locator, name: string): Locator {
  return panel.getByRole('treeitem', { name, exact: true });
}

function activeSqlDocument(page: IJupyterLabPageFixture): Locator {
  return page.locator('.jp-MainAreaWidget.rl-SqlDocument:not(.lm-mod-hidden)');
}

test('the schema browser lists Drill schemas, tables and columns, and previews a table', async ({
  page
}) => {
  await page.goto();
  // the commands are in the palette, under Radlab
  await page.keyboard.press('Control+Shift+C');
  const palette = page.locator('#command-palette');
  await palette.locator('.lm-CommandPalette-input').fill('Drill');
  for (const label of [
    'New SQL File (Drill)',
    'Run Drill SQL',
    'Cancel Drill Query',
    'Show Drill Schemas'
  ]) {
    await expect(palette.locator('.lm-CommandPalette-item', { hasText: label })).toBeAttached();
  }
  await expect(
    palette.locator('.lm-CommandPalette-header', { hasText: /^Radlab$/ })
  ).toBeAttached();
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();

  const panel = await openBrowser(page);
  const picker = panel.getByRole('combobox', { name: 'Drill connection' });
  await expect(picker.locator('option')).toHaveText(['broken-drill', 'local-drill']);

  // a Drill nobody listens for: the error inline, with its hint
  await picker.selectOption('broken-drill');
  const problem = panel.getByRole('alert');
  await expect(problem.locator('.rl-Schema-errorMessage')).toContainText(/unreachable|refused/i, {
    timeout: 30_000
  });
  // the hint names the service and its own URL (not the proxy's path)
  await expect(problem.locator('.rl-Schema-errorHint')).toHaveText(
    /Is Drill running\? Check that it listens on 127\.0\.0\.1:1 /
  );
  await panel.screenshot({ path: `${SCREENSHOTS}/lab-drill-schemas-down.png` });

  // the local Drill: schemas → dfs.radlab → files → columns with types
  await picker.selectOption('local-drill');
  const radlab = treeItem(panel, 'dfs.radlab');
  await expect(radlab).toBeVisible({ timeout: 60_000 });
  await expect(treeItem(panel, 'cp.default')).toBeVisible();
  await expect(problem).toHaveCount(0);
  await radlab.locator('.rl-Schema-row').click();
  await expect(radlab).toHaveAttribute('aria-expanded', 'true');
  const csv = treeItem(panel, 'studies.csv');
  await expect(csv).toBeVisible({ timeout: 60_000 });
  await expect(treeItem(panel, 'series.json')).toBeVisible();
  await expect(treeItem(panel, 'studies_parquet')).toBeVisible();
  await expect(csv).toHaveAttribute('aria-level', '2');
  await csv.locator('.rl-Schema-row').click();
  const modality = panel
    .locator('.rl-Schema-item[data-kind="column"]', { hasText: 'modality' })
    .first();
  await expect(modality).toBeVisible({ timeout: 60_000 });
  await expect(modality).toHaveAttribute('aria-level', '3');
  await expect(modality.locator('.rl-Schema-type')).toHaveText('varchar');
  await expect(panel.locator('.rl-Schema-item[data-kind="column"]')).toHaveCount(6);

  // the filter keeps matches and the way to them
  await panel.getByRole('searchbox', { name: /Filter/ }).fill('body');
  await expect(panel.locator('.rl-Schema-item[data-kind="column"]')).toHaveText([/body_part/]);
  await expect(radlab).toBeVisible();
  await expect(treeItem(panel, 'cp.default')).toHaveCount(0);
  await panel.screenshot({ path: `${SCREENSHOTS}/lab-drill-schemas-filter.png` });
  await panel.getByRole('searchbox', { name: /Filter/ }).fill('');
  await expect(treeItem(panel, 'cp.default')).toBeVisible();
  await panel.screenshot({ path: `${SCREENSHOTS}/lab-drill-schemas.png` });

  // a folder opens to its files (Drill need not read it as one table); cp lists no files, and says
  // how they are queried
  await treeItem(panel, 'studies_parquet').locator('.rl-Schema-row').click();
  const part = treeItem(panel, '0_0_0.parquet');
  await expect(part).toBeVisible({ timeout: 60_000 });
  await expect(part).toHaveAttribute('aria-level', '3');
  await expect(panel.getByRole('alert')).toHaveCount(0);
  await treeItem(panel, 'cp.default').locator('.rl-Schema-row').click();
  await expect(panel.locator('.rl-Schema-none', { hasText: 'cp.`employee.json`' })).toBeVisible({
    timeout: 60_000
  });
  await panel.screenshot({ path: `${SCREENSHOTS}/lab-drill-schemas-folder.png` });

  // Preview 100 rows: opens a SQL editor (none is open yet) and runs the query there
  await csv.locator('.rl-Schema-row').hover();
  await csv.getByRole('button', { name: 'Preview 100 rows of studies.csv' }).click();
  const doc = activeSqlDocument(page);
  await expect(doc).toBeVisible({ timeout: 30_000 });
  const grid = doc.locator('.rl-SqlResult .rl-Grid');
  await expect(grid.locator('.rl-Grid-count')).toHaveText('100 rows × 6 columns', {
    timeout: 60_000
  });
  await expect(doc.locator('.rl-SqlToolbar-connection')).toHaveValue('local-drill');
  await expect(doc.locator('.rl-SqlToolbar-status')).toHaveText(/^100 rows · /);
  await expect(doc.locator('.cm-content')).toContainText(
    'SELECT * FROM `dfs`.`radlab`.`studies.csv` LIMIT 100'
  );

  // Insert name: into the editor at the cursor
  await doc.locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('-- ');
  await modality.locator('.rl-Schema-row').hover();
  await modality.getByRole('button', { name: 'Insert name of modality' }).click();
  await expect(doc.locator('.cm-content')).toContainText('-- `modality`');
  await page.screenshot({ path: `${SCREENSHOTS}/lab-drill-preview.png` });
});

test('the SQL editor completes, runs, shows errors at their position, cancels, and saves', async ({
  page
}) => {
  test.setTimeout(240_000);
  await page.goto();
  // the launcher's "SQL File (Drill)" card makes a new .sql file in the SQL editor
  const card = page.locator('.jp-LauncherCard', { hasText: 'SQL File (Drill)' });
  await expect(card).toBeVisible();
  await card.click();
  const doc = activeSqlDocument(page);
  await expect(doc).toBeVisible();
  const title = page.locator(
    '.lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel'
  );
  const name = (await title.textContent())!.trim();
  expect(name).toMatch(/^untitled\d*\.sql$/);

  const toolbar = doc.locator('.rl-SqlToolbar');
  await toolbar.getByRole('combobox', { name: 'Drill connection' }).selectOption('local-drill');
  const editor = doc.locator('.cm-content');
  await editor.click();

  // completion of a table name after `schema.`
  await page.keyboard.type('SELECT modality, count(*) AS n FROM dfs.radlab.stu');
  const popup = page.locator('.cm-tooltip-autocomplete');
  const option = popup.getByRole('option', { name: /studies_parquet/ });
  await expect(option).toBeVisible({ timeout: 30_000 });
  await expect(popup.getByRole('option', { name: /studies\.csv/ })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/lab-drill-completion.png` });
  await option.click();
  await expect(popup).toBeHidden();
  await page.keyboard.type(' GROUP BY modality');
  await page.keyboard.press('Escape');
  await expect(editor).toHaveText(QUERY);

  // run (Shift+Enter): rows in the grid
  await page.keyboard.press('Shift+Enter');
  const grid = doc.locator('.rl-SqlResult .rl-Grid');
  await expect(grid.locator('.rl-Grid-count')).toHaveText(/^\d+ rows × 2 columns$/, {
    timeout: 60_000
  });
  await expect(grid.locator('.rl-Grid-hcell[data-col="1"] .rl-Grid-htype')).toHaveText('bigint');
  await expect(grid.locator('.rl-Grid-row[data-row="0"] .rl-Grid-cell[data-col="0"]')).toHaveText(
    /^[A-Z]{2}$/
  );
  await expect(toolbar.locator('.rl-SqlToolbar-status')).toHaveText(/^\d+ rows · /);
  await page.screenshot({ path: `${SCREENSHOTS}/lab-drill-result.png` });

  // a SQL error: Drill's message, the position, the hint; the spot is marked in the editor
  await page.keyboard.press('Control+End');
  await page.keyboard.type(';\n\nSELECT modality\nFRM dfs.radlab.`studies_parquet`');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Enter');
  const error = doc.locator('.rl-SqlResult-message [role="alert"]');
  await expect(error.locator('.rl-Schema-errorMessage')).toContainText('Encountered "dfs"', {
    timeout: 60_000
  });
  // Drill counts from the statement's first line; the message names the file's line, once
  await expect(error.locator('.rl-Schema-errorMessage')).toContainText(
    'Encountered "dfs" at line 4, column 5.'
  );
  expect((await error.textContent())!.match(/line \d+, column \d+/g)).toHaveLength(1);
  await expect(error.locator('.rl-Schema-errorHint')).not.toBeEmpty();
  await expect(doc.locator('.rl-SqlEditor-errorMark')).toHaveText('dfs');
  await expect(doc.locator('.cm-line.rl-SqlEditor-errorLine')).toContainText(
    'FRM dfs.radlab.`studies_parquet`'
  );
  await expect(toolbar.locator('.rl-SqlToolbar-status')).toHaveText(/^Error: /);
  await page.screenshot({ path: `${SCREENSHOTS}/lab-drill-error.png` });

  // the first statement still runs alone when the cursor is in it
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Shift+Enter');
  await expect(grid.locator('.rl-Grid-count')).toHaveText(/^\d+ rows × 2 columns$/, {
    timeout: 60_000
  });
  // the edit-free mark is gone once a new run starts
  await expect(doc.locator('.rl-SqlEditor-errorMark')).toHaveCount(0);

  // cancel a slow query (the statement at the cursor): Cancel aborts it, and Drill cancels it
  await page.keyboard.press('Control+End');
  await page.keyboard.type(`;\n${SLOW}`);
  await page.keyboard.press('Escape');
  const started = Date.now();
  await toolbar.getByRole('button', { name: 'Run query' }).click();
  await expect(toolbar.locator('.rl-SqlToolbar-status')).toHaveText(/^Running… /);
  await expect(doc.locator('.rl-SqlResult-message')).toContainText('Running…');
  // Drill's own view of it: state, query id, a link to its profile in the Drill web UI
  const running = doc.locator('.rl-SqlResult-drill');
  await expect(running.locator('.rl-SqlResult-state')).toHaveText('RUNNING', { timeout: 30_000 });
  await expect(running.locator('.rl-SqlResult-queryId')).toHaveText(/^query [0-9a-f-]{36}$/);
  const runningId = (await running.locator('.rl-SqlResult-queryId').textContent())!.slice(6);
  await expect(running.getByRole('link', { name: /Query profile/ })).toHaveAttribute(
    'href',
    `${DRILL}/profiles/${runningId}`
  );
  await expect(toolbar.locator('.rl-SqlToolbar-status')).toHaveText(/^Running… .* · RUNNING$/);
  await page.screenshot({ path: `${SCREENSHOTS}/lab-drill-running.png` });
  await toolbar.getByRole('button', { name: 'Cancel query' }).click();
  await expect(toolbar.locator('.rl-SqlToolbar-status')).toHaveText(/^Query cancelled/, {
    timeout: 20_000
  });
  await expect(doc.locator('.rl-SqlResult-message')).toContainText(/cancelled/);
  expect(Date.now() - started).toBeLessThan(20_000);
  await expect(toolbar.getByRole('button', { name: 'Run query' })).toBeEnabled();
  await page.screenshot({ path: `${SCREENSHOTS}/lab-drill-cancelled.png` });
  // Drill no longer runs it
  await expect
    .poll(
      async () => {
        const { running } = await drillProfiles(true);
        return running.filter(q => q.query.includes(ENDLESS_MARK)).length;
      },
      { timeout: 20_000 }
    )
    .toBe(0);

  // history: newest first, re-run from it
  const history = toolbar.getByRole('combobox', { name: 'Query history' });
  const entries = history.locator('option');
  await expect(entries).toHaveCount(4); // the head + 3 queries (the same SQL run twice is listed once)
  await expect(entries.nth(1)).toHaveText(/^⊘ SELECT count\(\*\) AS never_done/);
  await expect(entries.nth(2)).toHaveText(/^✓ SELECT modality, count/);
  await history.selectOption({ index: 2 });
  await expect(doc.locator('.rl-SqlResult-caption')).toHaveText(
    /^From history: SELECT modality, count/
  );
  await expect(grid.locator('.rl-Grid-count')).toHaveText(/^\d+ rows × 2 columns$/, {
    timeout: 60_000
  });

  // saving is the document's: the file keeps everything, errors and all
  const text = await editor.evaluate(node =>
    [...node.querySelectorAll('.cm-line')].map(l => l.textContent).join('\n')
  );
  await editor.click();
  await page.keyboard.press('Control+s');
  await expect(page.getByRole('tab', { name, exact: true })).not.toHaveClass(/jp-mod-dirty/);
  await labCommand(page, 'application:close');
  await expect(doc).toHaveCount(0);
  await labCommand(page, 'docmanager:open', { path: name });
  const reopened = activeSqlDocument(page);
  await expect(reopened.locator('.cm-content')).toContainText(QUERY);
  const again = await reopened
    .locator('.cm-content')
    .evaluate(node => [...node.querySelectorAll('.cm-line')].map(l => l.textContent).join('\n'));
  expect(again).toBe(text);
  expect(again).toContain(SLOW);
  await page.screenshot({ path: `${SCREENSHOTS}/lab-drill-reopened.png` });
});
