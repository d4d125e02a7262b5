// Drill SQL in a real VS Code (code-server with the built .vsix) against the real local Drill
// (scripts/services/drill, data in dfs.radlab): the Drill view, Run SQL into the result panel (the
// shared ResultGrid in a webview), a SQL error as a message and a Diagnostic at Drill's position, and
// a `%%drill` cell run by the Radlab Drill notebook controller.
import { expect, test, type FrameLocator, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  cancelLeftovers,
  DRILL_URL,
  drillProfiles,
  ENDLESS_MARK,
  ENDLESS_QUERY,
  drillQueryStopped
} from '../support/drill.js';
import {
  openFile,
  pickKernel,
  quickPick,
  runCommand,
  soloView,
  workspace
} from '../support/codeServer.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const SHOTS = join(HERE, '..', 'test-results', 'screenshots');

const QUERY =
  'SELECT modality, count(*) AS n FROM dfs.radlab.`studies_parquet` GROUP BY modality\n';
// a parse error at line 3, column 31 (a second GROUP)
const BAD_QUERY =
  'SELECT modality\nFROM dfs.radlab.`studies_parquet`\nWHERE x = 1 GROUP BY modality GROUP\n';
// 15,000 rows (more than Run SQL's first 10,000): an equi-join of Drill's own sample data with itself
const MANY_QUERY =
  'SELECT a.employee_id, a.full_name, b.employee_id AS other_id, CAST(b.birth_date AS DATE) AS born\n' +
  'FROM cp.`employee.json` a JOIN cp.`employee.json` b ON a.gender = b.gender\nLIMIT 15000\n';
// a misspelt column over JSON: Drill answers it with nulls, the grid warns
const TYPO_QUERY = 'SELECT full_name, salry FROM cp.`employee.json` LIMIT 5\n';
// three statements: Run SQL runs the one under the cursor, Run All each in turn; the third fails on
// its second line, which is line 6 of the file
const STATEMENTS =
  "SELECT 'first' AS which FROM (VALUES(1));\n\n" +
  'SELECT modality, count(*) AS n\nFROM dfs.radlab.`studies_parquet` GROUP BY modality;\n' +
  'SELECT x\nFROM t WHER y;\n';
// no -c: the cell runs on the connection chosen in the status bar
const CHOSEN_NOTEBOOK = {
  cells: [
    {
      cell_type: 'code',
      execution_count: null,
      metadata: {},
      outputs: [],
      source: ['%%drill\n', "SELECT 'on the chosen one' AS answer FROM (VALUES(1))"]
    }
  ],
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5
};
const NOTEBOOK = {
  cells: [
    {
      cell_type: 'code',
      execution_count: null,
      metadata: {},
      outputs: [],
      source: [
        '%%drill -c local-drill -l 50\n',
        'SELECT modality, count(*) AS n FROM dfs.radlab.`studies_parquet` GROUP BY modality ORDER BY n DESC'
      ]
    },
    {
      cell_type: 'code',
      execution_count: null,
      metadata: {},
      outputs: [],
      source: [
        '%%drill -c local-drill -o df\n',
        'SELECT modality FROM dfs.radlab.`studies_parquet` WHERE'
      ]
    }
  ],
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5
};

test.describe.configure({ mode: 'serial' });
test.afterAll(() => cancelLeftovers());

let page: Page;

async function drillUp(): Promise<boolean> {
  try {
    const res = await fetch(`${DRILL_URL}/status`, { signal: AbortSignal.timeout(3000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function shot(name: string, moveAway = true): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  // no stale hover over the tree in the picture
  if (moveAway) await page.mouse.move(1000, 835);
  await page.screenshot({ path: join(SHOTS, `vscode-drill-${name}.png`) });
}

function drillView(): Locator {
  return page
    .locator('.pane')
    .filter({ has: page.locator('.pane-header', { hasText: /^\s*drill/i }) });
}

function row(view: Locator, name: string): Locator {
  return view.locator('.monaco-list-row').filter({
    has: page.locator('.label-name', {
      hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
    })
  });
}

async function clearNotifications(): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await expect(page.locator('.notifications-toasts .notification-toast')).toHaveCount(0);
}

/** The content frame of the webview whose panel/tab is titled `title`. */
function resultFrame(): FrameLocator {
  return page
    .frameLocator('iframe.webview.ready[src*="radlab"]')
    .last()
    .frameLocator('#active-frame');
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  if (!(await drillUp())) {
    execFileSync(join(ROOT, 'scripts', 'services', 'drill'), ['start'], {
      stdio: 'inherit',
      timeout: 240_000
    });
  }
  expect(await drillUp()).toBe(true);
  const folder = workspace();
  writeFileSync(join(folder, 'modalities.sql'), QUERY);
  writeFileSync(join(folder, 'broken.sql'), BAD_QUERY);
  writeFileSync(join(folder, 'drill.ipynb'), JSON.stringify(NOTEBOOK, null, 1) + '\n');
  writeFileSync(join(folder, 'scratch.sql'), '-- completion\n');
  writeFileSync(join(folder, 'slow.sql'), `${ENDLESS_QUERY}\n`);
  writeFileSync(join(folder, 'many.sql'), MANY_QUERY);
  writeFileSync(join(folder, 'statements.sql'), STATEMENTS);
  writeFileSync(join(folder, 'typo.sql'), TYPO_QUERY);
  writeFileSync(join(folder, 'chosen.ipynb'), JSON.stringify(CHOSEN_NOTEBOOK, null, 1) + '\n');
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(`/?folder=${encodeURIComponent(folder)}`);
  await expect(page.locator('.monaco-workbench')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.activitybar')).toBeVisible();
});

test('the Drill view lists schemas, the files of dfs.radlab and their columns', async () => {
  const item = page
    .locator('.activitybar .action-item')
    .filter({ has: page.locator('[aria-label^="Radlab"]') });
  await expect(item).toBeVisible({ timeout: 60_000 });
  await item.click();
  const view = drillView();
  await expect(view).toBeVisible();
  // a wider side bar, so the descriptions fit in the screenshots
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (sidebar) {
    const x = sidebar.x + sidebar.width - 1;
    await page.mouse.move(x, sidebar.y + 300);
    await page.mouse.down();
    await page.mouse.move(x + 160, sidebar.y + 300, { steps: 5 });
    await page.mouse.up();
    await page.mouse.move(900, 600);
  }
  // give the Drill view the room: the other Radlab views collapsed
  await soloView(page, /^\s*drill/i);

  const local = row(view, 'local-drill');
  await expect(local).toBeVisible({ timeout: 30_000 });
  await expect(row(view, 'broken-drill')).toBeVisible();
  await local.click();
  const radlab = row(view, 'dfs.radlab');
  await expect(radlab).toBeVisible({ timeout: 60_000 });
  await radlab.click();
  const studies = row(view, 'studies.csv');
  await expect(studies).toBeVisible({ timeout: 60_000 });
  await expect(studies.locator('.label-description')).toHaveText('file');
  await expect(row(view, 'studies_parquet')).toBeVisible();
  // a folder opens to its files; a file to its columns
  await row(view, 'studies_parquet').click();
  const part = row(view, '0_0_0.parquet');
  await expect(part).toBeVisible({ timeout: 60_000 });
  await part.click();
  const modality = row(view, 'modality');
  await expect(modality).toBeVisible({ timeout: 60_000 });
  await expect(modality.locator('.label-description')).toHaveText(/VARCHAR|CHARACTER VARYING/);

  // cp lists no files, and says how they are queried
  await row(view, 'cp.default').click();
  await expect(
    view.locator('.monaco-list-row', { hasText: 'files are queried by name' })
  ).toBeVisible({ timeout: 60_000 });
  // closed again: the later tests find columns in this view without scrolling
  await row(view, 'cp.default').click();

  // a connection that is down: the error and its hint as items (no password yet; when
  // connections.spec.ts ran first in this code-server it has one, and the port is closed)
  await row(view, 'broken-drill').click();
  await expect(
    view
      .locator('.monaco-list-row', {
        hasText: /Store the password with "Radlab: Set Secret"|Check that the service is running/
      })
      .first()
  ).toBeVisible({ timeout: 30_000 });
  await shot('view');

  // the context menu of a table
  await studies.click({ button: 'right' });
  await expect(
    page.locator('.monaco-menu .action-item', { hasText: 'Preview 100 Rows' })
  ).toBeVisible();
  await expect(page.locator('.monaco-menu .action-item', { hasText: 'Copy Name' })).toBeVisible();
  await expect(page.locator('.monaco-menu .action-item', { hasText: 'Insert Name' })).toBeVisible();
  await shot('context-menu', false);
  await page.locator('.monaco-menu .action-item', { hasText: 'Preview 100 Rows' }).click();
  const frame = resultFrame();
  await expect(frame.locator('.rl-Grid-row').first()).toBeVisible({ timeout: 60_000 });
  await expect(frame.locator('.rl-Grid-count')).toContainText('100 rows');
  await shot('preview');
});

test('Run SQL on Drill shows the rows in the result panel', async () => {
  await clearNotifications();
  await runCommand(page, 'View: Close All Editors');
  await openFile(page, 'modalities.sql');
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await expect(editor).toContainText('studies_parquet');
  // the status bar item: no connection chosen yet for this file
  await expect(
    page.locator('.statusbar-item', { hasText: 'Drill: choose connection' })
  ).toBeVisible();
  await runCommand(page, 'Radlab: Run SQL on Drill');
  await quickPick(page, 'local-drill');
  const frame = resultFrame();
  await expect(frame.locator('.rl-Grid-row').first()).toBeVisible({ timeout: 60_000 });
  await expect(frame.locator('.rl-Grid-hname', { hasText: 'modality' })).toBeVisible();
  await expect(frame.locator('.rl-Grid-hname', { hasText: /^n$/ })).toBeVisible();
  await expect(frame.locator('.rl-Grid-row', { hasText: 'CT' })).toBeVisible();
  await expect(page.locator('.statusbar-item', { hasText: 'Drill: local-drill' })).toBeVisible();
  // what Drill says about the query, as its web UI does: state, id and a link to its profile
  const drill = frame.locator('#drill');
  await expect(drill.locator('.rl-Panel-state')).toHaveText('COMPLETED');
  const queryId = ((await drill.locator('.rl-Panel-queryId').textContent()) ?? '').replace(
    /^query /,
    ''
  );
  expect(queryId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  const profileLink = drill.getByRole('link', { name: 'Query profile ↗' });
  await expect(profileLink).toHaveAttribute('href', `${DRILL_URL}/profiles/${queryId}`);
  await shot('result');
  // VS Code opens the link outside the editor, in a browser tab on Drill. code-server 4.100 sends
  // localhost links through its port proxy and drops their path on the way (coder/code-server#7668,
  // fixed in later releases): the tab opens Drill's home there, the profile page in desktop VS Code.
  const opened = page.context().waitForEvent('page', { timeout: 30_000 });
  await profileLink.click();
  const profilePage = await opened;
  await expect
    .poll(() => profilePage.url(), { timeout: 30_000 })
    .toMatch(new RegExp(`127\\.0\\.0\\.1:8047/profiles/${queryId}$|/proxy/8047/`));
  await profilePage.close();

  // Ctrl+Enter in the editor runs it again on the remembered connection (no quick pick)
  await editor.click();
  await page.keyboard.press('Control+Enter');
  await expect(frame.locator('.rl-Grid-row', { hasText: 'CT' })).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.quick-input-widget')).toBeHidden();

  // the quick chart is uPlot's here too, with uPlot's styles let in by the panel's CSP
  await frame.locator('.rl-Grid-button', { hasText: 'Chart' }).click();
  const chart = frame.locator('.rl-Chart');
  await expect(chart.locator('.uplot canvas').first()).toBeVisible();
  await expect(chart).toHaveAttribute('aria-label', /^bar chart of n by modality, \d+ points$/);
  expect(await chart.locator('.u-over').evaluate(el => getComputedStyle(el).position)).toBe(
    'absolute'
  );
  await shot('chart');
  await frame.locator('.rl-Grid-button', { hasText: 'Chart' }).click();
  await expect(chart).toBeHidden();

  // CSV: the grid's button -> the host's save dialog -> a file in the workspace
  await frame.locator('.rl-Grid-button', { hasText: 'CSV' }).click();
  const dialog = page.locator('.quick-input-widget');
  await expect(dialog).toBeVisible();
  const path = dialog.locator('.quick-input-box input');
  // named after the query's table, not its id
  await expect(path).toHaveValue(/\/studies_parquet\.csv$/);
  await shot('csv-name', false);
  const target = join(workspace(), 'modalities-export.csv');
  await path.fill(target);
  await path.press('Enter');
  await expect(
    page.locator('.notifications-toasts .notification-toast', { hasText: 'Saved the Drill result' })
  ).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => existsSync(target)).toBe(true);
  const csv = readFileSync(target, 'utf8').trim().split(/\r?\n/);
  expect(csv[0]).toBe('modality,n');
  expect(csv).toHaveLength(9);
  expect(csv).toContain('CT,25');
});

test('a result cut at 10,000 rows says so, and Fetch more brings the rest', async () => {
  await clearNotifications();
  await runCommand(page, 'View: Close All Editors');
  await openFile(page, 'many.sql');
  await expect(page.locator('.editor-instance .monaco-editor').first()).toContainText(
    'LIMIT 15000'
  );
  await runCommand(page, 'Radlab: Run SQL on Drill');
  await quickPick(page, 'local-drill');
  const frame = resultFrame();
  await expect(frame.locator('.rl-Grid-count')).toHaveText('10,000 rows × 4 columns', {
    timeout: 60_000
  });
  const truncated = frame.locator('.rl-Grid-truncated');
  await expect(truncated).toBeVisible();
  await expect(truncated).toContainText('Showing 10,000 rows — the query has more');
  const fetchMore = truncated.getByRole('button', { name: 'Fetch more' });
  await expect(fetchMore).toBeVisible();
  // dates are kept as epoch ms in the grid and shown as ISO dates
  await expect(
    frame.locator('.rl-Grid-row').first().locator('.rl-Grid-cell[data-col="3"]')
  ).toHaveText(/^\d{4}-\d\d-\d\d$/);
  // a sort survives resizing the panel (the grid is no longer rebuilt)
  await frame.locator('.rl-Grid-hcell[data-col="2"]').click();
  await expect(frame.locator('.rl-Grid-hcell[data-col="2"]')).toHaveAttribute(
    'aria-sort',
    'ascending'
  );
  // the sort acted on the rows loaded only, and the notice says so (and where a full sort is done)
  await expect(truncated).toContainText(
    'Sorted the 10,000 rows loaded, not the whole result — the query has more (ORDER BY in the SQL runs on all of it)'
  );
  await shot('truncated-sorted');
  await page.setViewportSize({ width: 1400, height: 760 });
  await page.setViewportSize({ width: 1400, height: 860 });
  await page.waitForTimeout(500);
  await expect(frame.locator('.rl-Grid-hcell[data-col="2"]')).toHaveAttribute(
    'aria-sort',
    'ascending'
  );
  await frame.locator('.rl-Grid-hcell[data-col="2"]').click();
  await frame.locator('.rl-Grid-hcell[data-col="2"]').click();
  await expect(frame.locator('.rl-Grid-hcell[data-col="2"]')).toHaveAttribute('aria-sort', 'none');
  await shot('truncated');

  await fetchMore.click();
  await expect(frame.locator('.rl-Grid-count')).toHaveText('15,000 rows × 4 columns', {
    timeout: 60_000
  });
  await expect(truncated).toBeHidden();
  await expect(frame.locator('#status')).toContainText('local-drill');
  // the last row is there
  await frame.locator('.rl-Grid-viewport').evaluate(el => {
    el.scrollTop = el.scrollHeight;
    el.dispatchEvent(new Event('scroll'));
  });
  await expect(frame.locator('.rl-Grid-gutter', { hasText: /^15000$/ })).toBeVisible();
  await expect(
    page.locator('.notifications-toasts .notification-toast', { hasText: /Drill:/ })
  ).toHaveCount(0);
  await shot('fetched-more');
});

test('completion offers the tables of a schema; Insert Name puts a column into the editor', async () => {
  await clearNotifications();
  await runCommand(page, 'View: Close All Editors');
  await openFile(page, 'scratch.sql');
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.click();
  // the connection of this file: chosen from the status bar item
  await page.locator('.statusbar-item', { hasText: 'Drill: choose connection' }).click();
  await quickPick(page, 'local-drill');
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('SELECT * FROM dfs.radlab.');
  const suggest = page.locator('.editor-widget.suggest-widget');
  await expect(suggest).toBeVisible({ timeout: 30_000 });
  await expect(suggest.locator('.monaco-list-row', { hasText: 'studies.csv' })).toBeVisible({
    timeout: 30_000
  });
  await expect(suggest.locator('.monaco-list-row', { hasText: 'studies_parquet' })).toBeVisible();
  await shot('completion');
  await page.keyboard.type('studies_p');
  await page.keyboard.press('Enter');
  await expect(editor).toContainText('SELECT * FROM dfs.radlab.studies_parquet');
  await page.keyboard.type(' WHERE ');

  const view = drillView();
  await row(view, 'body_part').click({ button: 'right' });
  await page.locator('.monaco-menu .action-item', { hasText: 'Insert Name' }).click();
  await expect(editor).toContainText('WHERE `body_part`');
});

test('Cancel in the progress notification cancels the query on Drill', async () => {
  await clearNotifications();
  await openFile(page, 'slow.sql');
  await runCommand(page, 'Radlab: Run SQL on Drill');
  await quickPick(page, 'local-drill');
  const progress = page.locator('.notifications-toasts .notification-toast', {
    hasText: 'Running SQL on Drill'
  });
  await expect(progress).toBeVisible({ timeout: 30_000 });
  // running on Drill (not just sent)
  let queryId: string | undefined;
  await expect
    .poll(
      async () =>
        (queryId = (await drillProfiles(true)).running.find(p =>
          p.query.includes(ENDLESS_MARK)
        )?.queryId),
      { timeout: 30_000 }
    )
    .toBeDefined();
  await expect(resultFrame().getByText(/Running on local-drill: SELECT count/)).toBeVisible();
  // the notification says what Drill says: its state and the query's id
  await expect(progress).toContainText(`RUNNING · query ${queryId}`, { timeout: 15_000 });
  // and the panel too, with the link to the running query's profile
  const drill = resultFrame().locator('#drill');
  await expect(drill.locator('.rl-Panel-state')).toHaveText('RUNNING', { timeout: 15_000 });
  await expect(drill.locator('.rl-Panel-queryId')).toHaveText(`query ${queryId}`);
  await expect(drill.getByRole('link', { name: 'Query profile ↗' })).toHaveAttribute(
    'href',
    `${DRILL_URL}/profiles/${queryId}`
  );
  await shot('running');
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(
    page.locator('.notifications-toasts .notification-toast', { hasText: 'Drill query cancelled' })
  ).toBeVisible({ timeout: 30_000 });
  // Drill has it as cancelled, and nothing of ours is still running
  await expect.poll(() => drillQueryStopped(queryId ?? ''), { timeout: 30_000 }).toBe(true);
  expect(
    (await drillProfiles(true)).running.filter(p => p.query.includes(ENDLESS_MARK))
  ).toHaveLength(0);
  await expect(resultFrame().getByText('Query cancelled.')).toBeVisible();
  await expect(drill.locator('.rl-Panel-state')).toHaveText('CANCELED');
  await expect(drill.locator('.rl-Panel-queryId')).toHaveText(`query ${queryId}`);
  await shot('cancelled');
});

test('a column no row has (a typo over JSON) is warned about in the result panel', async () => {
  await clearNotifications();
  await runCommand(page, 'View: Close All Editors');
  await openFile(page, 'typo.sql');
  await expect(page.locator('.editor-instance .monaco-editor').first()).toContainText('salry');
  await runCommand(page, 'Radlab: Run SQL on Drill');
  await quickPick(page, 'local-drill');
  const frame = resultFrame();
  await expect(frame.locator('.rl-Grid-count')).toHaveText('5 rows × 2 columns', {
    timeout: 60_000
  });
  const warning = frame.locator('.rl-Grid-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('column "salry" is null in every row');
  await expect(warning).toContainText('Check the spelling.');
  await expect(frame.locator('.rl-Grid-cell[data-col="1"]').first()).toHaveText('null');
  await shot('all-null-warning');
});

test("a SQL error shows Drill's message and a diagnostic at its position", async () => {
  await clearNotifications();
  await openFile(page, 'broken.sql');
  await expect(page.locator('.editor-instance .monaco-editor').first()).toContainText(
    'modality GROUP'
  );
  await runCommand(page, 'Radlab: Run SQL on Drill');
  await quickPick(page, 'local-drill');
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /Drill:/ });
  await expect(toast).toBeVisible({ timeout: 60_000 });
  await expect(toast).toContainText(/line 3, column 31/);
  await expect(toast).toContainText(/PARSE|Encountered/i);
  const editor = page.locator('.editor-instance .monaco-editor', { hasText: 'modality GROUP' });
  await expect(editor.locator('.squiggly-error').first()).toBeVisible({ timeout: 10_000 });
  await runCommand(page, 'View: Toggle Problems');
  const problems = page.locator('.markers-panel .monaco-list-row', { hasText: /Drill/ });
  await expect(problems.first()).toBeVisible();
  await expect(problems.first()).toContainText('[Ln 3, Col 31]');
  await shot('error');
  await runCommand(page, 'View: Toggle Problems');
});

test('a %%drill cell runs with the Radlab Drill controller and shows the grid', async () => {
  await clearNotifications();
  await runCommand(page, 'View: Close All Editors');
  await openFile(page, 'drill.ipynb');
  const cell = page.locator('.notebook-editor .monaco-list-row.code-cell-row').first();
  await expect(cell).toBeVisible({ timeout: 30_000 });
  await expect(cell).toContainText('%%drill');
  // the kernel picker: Radlab Drill is offered (suggested for a notebook with %%drill cells)
  await runCommand(page, 'Notebook: Select Notebook Kernel');
  const widget = page.locator('.quick-input-widget');
  await expect(widget).toBeVisible();
  await pickKernel(page, 'Radlab Drill');
  const radlab = widget.locator('.quick-input-list .monaco-list-row', { hasText: 'Radlab Drill' });
  await shot('kernel-picker', false);
  await radlab.first().click();
  await expect(widget).toBeHidden();
  await expect(
    page
      .locator('.notebook-editor .kernel-label, .action-item', { hasText: 'Radlab Drill' })
      .first()
  ).toBeVisible();
  await cell.click();
  await runCommand(page, 'Notebook: Run All');
  // the output is rendered by the radlab.drill-result renderer in the notebook's output webview
  const frame = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  await expect(frame.locator('.rl-Grid-row', { hasText: 'CT' })).toBeVisible({ timeout: 60_000 });
  await expect(frame.locator('.rl-Grid-count').first()).toContainText('8 rows');
  await expect(frame.locator('.rl-Grid')).toHaveCount(1);
  // the second cell: the -o note, then Drill's error with its hint
  await expect(frame.getByText('-o df was ignored')).toBeVisible({ timeout: 60_000 });
  await expect(frame.getByText(/PARSE ERROR/).first()).toBeVisible();
  await expect(frame.getByText(/Hint:/).first()).toBeVisible();
  await page.mouse.move(900, 700);
  await shot('notebook');

  // CSV from the notebook output: the renderer hands it to the extension, which saves a file
  await clearNotifications();
  await frame.locator('.rl-Grid-button', { hasText: 'CSV' }).first().click();
  const dialog = page.locator('.quick-input-widget');
  await expect(dialog).toBeVisible({ timeout: 15_000 });
  const path = dialog.locator('.quick-input-box input');
  await expect(path).toHaveValue(/\.csv$/);
  const target = join(workspace(), 'notebook-export.csv');
  await path.fill(target);
  await path.press('Enter');
  await expect(
    page.locator('.notifications-toasts .notification-toast', { hasText: 'Saved the Drill result' })
  ).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => existsSync(target)).toBe(true);
  const csv = readFileSync(target, 'utf8').trim().split(/\r?\n/);
  expect(csv[0]).toBe('modality,n');
  expect(csv).toHaveLength(9);
  await expect(frame.locator('.rl-Grid-message').first()).toContainText('notebook-export.csv');
});

test('Run SQL runs the statement under the cursor; Run All runs each, a result each', async () => {
  await clearNotifications();
  await runCommand(page, 'View: Close All Editors');
  await openFile(page, 'statements.sql');
  const editor = page.locator('.editor-instance .monaco-editor', { hasText: 'WHER y' });
  await expect(editor).toBeVisible();
  // the cursor on line 4, inside the second statement
  await editor.locator('.view-line', { hasText: 'GROUP BY modality' }).click();
  await runCommand(page, 'Radlab: Run SQL on Drill');
  await quickPick(page, 'local-drill');
  const frame = resultFrame();
  await expect(frame.locator('.rl-Grid-row', { hasText: 'CT' })).toBeVisible({ timeout: 60_000 });
  await expect(frame.locator('.rl-Grid-count')).toContainText('8 rows');
  await expect(
    page.locator('.notifications-toasts .notification-toast', { hasText: /Drill:/ })
  ).toHaveCount(0);
  await shot('statement-at-cursor');

  await runCommand(page, 'Radlab: Run All Statements on Drill');
  // one result tab per statement that ran; the third fails at line 6 of the file
  for (const suffix of ['1/3', '2/3', '3/3'])
    await expect(page.locator('.tab', { hasText: `Drill: local-drill (${suffix})` })).toBeVisible({
      timeout: 60_000
    });
  // The error is a notification: read it in the notification centre, where it stays, since a
  // toast can already have been hidden by the time the last tab is checked.
  await runCommand(page, 'Notifications: Show Notifications');
  const note = page
    .locator('.notifications-center .notification-list-item', { hasText: /Drill:/ })
    .first();
  await expect(note).toBeVisible({ timeout: 60_000 });
  await expect(note).toContainText('Encountered "y" at line 6, column 13.');
  await expect(note).not.toContainText(/line 2,/);
  await runCommand(page, 'Notifications: Hide Notifications');
  await runCommand(page, 'View: Toggle Problems');
  const problems = page.locator('.markers-panel .monaco-list-row', { hasText: /Drill/ });
  await expect(problems.first()).toContainText('[Ln 6, Col 13]');
  await expect(problems.first()).toContainText('line 6, column 13');
  await expect(editor.locator('.squiggly-error').first()).toBeVisible();
  await page.locator('.tab', { hasText: 'Drill: local-drill (1/3)' }).click();
  // the shown panel's webview (the others stay loaded, hidden)
  const first = page
    .frameLocator('iframe.webview.ready[src*="radlab"]:visible')
    .frameLocator('#active-frame');
  await expect(first.locator('.rl-Grid-row', { hasText: 'first' })).toBeVisible();
  await shot('run-all');
  await runCommand(page, 'View: Toggle Problems');
});

test('a %%drill cell without -c runs on the connection chosen in the status bar', async () => {
  await clearNotifications();
  await runCommand(page, 'View: Close All Editors');
  await openFile(page, 'chosen.ipynb');
  const cell = page.locator('.notebook-editor .monaco-list-row.code-cell-row').first();
  await expect(cell).toBeVisible({ timeout: 30_000 });
  await runCommand(page, 'Notebook: Select Notebook Kernel');
  const widget = page.locator('.quick-input-widget');
  const radlab = widget.locator('.quick-input-list .monaco-list-row', { hasText: 'Radlab Drill' });
  await expect(radlab.first()).toBeVisible({ timeout: 20_000 });
  await radlab.first().click();
  await expect(widget).toBeHidden();
  // in the cell's editor the status bar offers the notebook's connection; the first configured
  // Drill connection (broken-drill) is not the one chosen
  await cell.locator('.view-line').first().click();
  const status = page.locator('.statusbar-item', { hasText: 'Drill: choose connection' });
  await expect(status).toBeVisible({ timeout: 15_000 });
  await status.click();
  await quickPick(page, 'local-drill');
  await expect(page.locator('.statusbar-item', { hasText: 'Drill: local-drill' })).toBeVisible();
  await runCommand(page, 'Notebook: Run All');
  const frame = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  await expect(frame.locator('.rl-Grid-row', { hasText: 'on the chosen one' })).toBeVisible({
    timeout: 60_000
  });
  await page.mouse.move(900, 700);
  await shot('notebook-chosen-connection');
});
