// The Radlab extension in a real VS Code (code-server with the built .vsix, started by
// scripts/start-code-server.sh): the Connections view against the real local Prometheus and a
// connection that is down, the commands from the palette, and secrets kept out of settings.json.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_STATE, runCommand, soloView } from '../support/codeServer.js';

const SETTINGS = join(CODE_STATE, 'user-data', 'User', 'settings.json');
const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screenshots');
const FIXTURE_PASSWORD = 's3cret-ui-test-password';
const NEW_PASSWORD = 'ui-added-pa55word!';

test.describe.configure({ mode: 'serial' });

let page: Page;

async function shot(name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `vscode-${name}.png`) });
}

function view(): Locator {
  return page
    .locator('.pane')
    .filter({ has: page.locator('.pane-header', { hasText: /connections/i }) });
}

function row(name: string): Locator {
  return view()
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) });
}

async function clearNotifications(): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await expect(page.locator('.notifications-toasts .notification-toast')).toHaveCount(0);
}

/** Answers the quick input whose prompt/placeholder/title matches `expected` with `text` + Enter. */
async function answer(
  expected: RegExp,
  text: string,
  kind: 'input' | 'pick' = 'input'
): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await expect(widget).toBeVisible();
  const input = widget.locator('.quick-input-box input');
  if (kind === 'input') {
    await expect(widget.locator('.quick-input-message')).toHaveText(expected);
  } else {
    await expect(input).toHaveAttribute('placeholder', expected);
  }
  await input.fill(text);
  if (kind === 'pick') {
    await expect(
      widget.locator('.quick-input-list .monaco-list-row.focused', { hasText: text })
    ).toBeVisible();
  } else {
    await expect(widget.locator('.quick-input-message')).toHaveText(expected); // no validation error
  }
  await input.press('Enter');
}

test.beforeAll(async ({ browser }) => {
  const workspace = readFileSync(join(CODE_STATE, 'workspace.path'), 'utf8').trim();
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(`/?folder=${encodeURIComponent(workspace)}`);
  await expect(page.locator('.monaco-workbench')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.activitybar')).toBeVisible();
});

// the page closes with the worker's browser (closing it here races the trace writer)

test('the Connections view shows the real Prometheus healthy and a broken Drill with its hint', async () => {
  const item = page
    .locator('.activitybar .action-item')
    .filter({ has: page.locator('[aria-label^="Radlab"]') });
  await expect(item).toBeVisible({ timeout: 60_000 });
  await item.click();
  await expect(view()).toBeVisible();
  await soloView(page, /^\s*connections/i);
  // a wider side bar, so the descriptions fit in the screenshots
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (sidebar) {
    const x = sidebar.x + sidebar.width - 1;
    await page.mouse.move(x, sidebar.y + 300);
    await page.mouse.down();
    await page.mouse.move(x + 180, sidebar.y + 300, { steps: 5 });
    await page.mouse.up();
    await page.mouse.move(900, 600);
  }

  const prom = row('local-prometheus');
  await expect(prom).toBeVisible({ timeout: 30_000 });
  await expect(prom.locator('.codicon-pass-filled')).toBeVisible({ timeout: 30_000 });
  await expect(prom.locator('.label-description')).toHaveText(/^healthy · \d+ ms · v?2\.\d+/);

  const drill = row('broken-drill');
  await expect(drill.locator('.codicon-error')).toBeVisible({ timeout: 30_000 });
  await expect(drill.locator('.label-description')).toHaveText(/^down · config: .*no password/);
  // settings.json has no password for it: the hint points at the command that stores one
  const hint = view().locator('.monaco-list-row', {
    hasText: /Store the password with "Radlab: Set Secret"/
  });
  await expect(hint).toBeVisible();
  await expect(hint.locator('.codicon-lightbulb')).toBeVisible();
  await shot('connections');

  // the tooltip: URL, kind, error and hint, as markdown text (no HTML)
  await drill.locator('.label-name').hover();
  const hover = page
    .locator('.monaco-hover, .workbench-hover, .custom-hover')
    .filter({ hasText: 'broken-drill' })
    .first();
  await expect(hover).toBeVisible({ timeout: 10_000 });
  await expect(hover).toContainText('http://127.0.0.1:1');
  await expect(hover).toContainText('no password for basic auth');
  await expect(hover).toContainText('no secret stored');
  await shot('tooltip');
  await page.mouse.move(700, 700);
  await page.keyboard.press('Escape');
});

test('Set Secret keeps the password out of settings.json, and the check then reaches the port', async () => {
  await runCommand(page, 'Radlab: Set Secret');
  await answer(/Connection whose password or token to set/, 'broken-drill', 'pick');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await expect(page.locator('.quick-input-widget .quick-input-message')).toHaveText(
    /Password for "broken-drill"/
  );
  await expect(input).toHaveAttribute('type', 'password');
  await input.fill(FIXTURE_PASSWORD);
  await input.press('Enter');
  await expect(
    page.locator('.notifications-toasts .notification-toast', {
      hasText: 'Stored the secret of "broken-drill"'
    })
  ).toBeVisible();

  // the secret change re-checks: now the connection fails for the real reason, nothing listens
  const drill = row('broken-drill');
  await expect(drill.locator('.label-description')).toHaveText(/^down · unreachable/, {
    timeout: 30_000
  });
  await expect(drill.locator('.codicon-error')).toBeVisible();
  const hint = view().locator('.monaco-list-row', { hasText: /Check that the service is running/ });
  await expect(hint).toBeVisible();
  await shot('secret-set');
  expect(readFileSync(SETTINGS, 'utf8')).not.toContain(FIXTURE_PASSWORD);
});

test('Test Connection and Refresh run from the command palette', async () => {
  await runCommand(page, 'Radlab: Test Connection');
  await answer(/Connection to test/, 'local-prometheus', 'pick');
  const toast = page.locator('.notifications-toasts .notification-toast', {
    hasText: /local-prometheus: healthy/
  });
  await expect(toast).toBeVisible({ timeout: 30_000 });
  await expect(toast).toHaveClass(/notification-fade-in-done/);
  await shot('test-connection');
  await toast.hover();
  await toast.locator('.codicon-notifications-clear, .codicon-close').first().click();

  await runCommand(page, 'Radlab: Test Connection');
  await answer(/Connection to test/, 'broken-drill', 'pick');
  await expect(
    page.locator('.notifications-toasts .notification-toast', { hasText: /broken-drill: down/ })
  ).toBeVisible({ timeout: 30_000 });

  await runCommand(page, 'Radlab: Refresh Connections');
  await expect(row('local-prometheus').locator('.codicon-pass-filled')).toBeVisible({
    timeout: 30_000
  });
  await expect(row('broken-drill').locator('.codicon-error')).toBeVisible({ timeout: 30_000 });
});

test('Add Connection stores the connection in settings.json and the password only in the secret storage', async () => {
  await clearNotifications();
  const before = readFileSync(SETTINGS, 'utf8');
  expect(before).not.toContain(FIXTURE_PASSWORD);

  await runCommand(page, 'Radlab: Add Connection');
  await answer(/Name of the connection/, 'ui-added-drill');
  await answer(/Kind of service/, 'drill', 'pick');
  await answer(/Base URL/, 'http://127.0.0.1:2');
  await answer(/Authentication/, 'basic', 'pick');
  await answer(/Username/, 'ui-user');
  const password = page.locator('.quick-input-widget .quick-input-box input');
  await expect(page.locator('.quick-input-widget .quick-input-message')).toHaveText(/Password/);
  await expect(password).toHaveAttribute('type', 'password');
  await password.fill(NEW_PASSWORD);
  await shot('add-password');
  await password.press('Enter');

  const added = page.locator('.notifications-toasts .notification-toast', {
    hasText: 'Added Radlab connection "ui-added-drill"'
  });
  await expect(added).toBeVisible();
  await expect(added).toHaveClass(/notification-fade-in-done/);
  await soloView(page, /^\s*connections/i);
  await expect(row('ui-added-drill')).toBeVisible({ timeout: 30_000 });
  await expect(row('ui-added-drill').locator('.codicon-error')).toBeVisible({ timeout: 30_000 });

  // settings.json on disk: the connection is there, the password is not
  await expect
    .poll(() => readFileSync(SETTINGS, 'utf8'), { timeout: 15_000 })
    .toContain('"ui-added-drill"');
  const after = readFileSync(SETTINGS, 'utf8');
  const settings = JSON.parse(after) as { 'radlab.connections': Array<Record<string, unknown>> };
  const entry = settings['radlab.connections'].find(c => c.name === 'ui-added-drill');
  expect(entry).toEqual({
    name: 'ui-added-drill',
    kind: 'drill',
    url: 'http://127.0.0.1:2',
    auth: { type: 'basic', username: 'ui-user' }
  });
  expect(after).not.toContain(NEW_PASSWORD);
  expect(after).not.toContain(FIXTURE_PASSWORD);
  expect(after).not.toMatch(/"password"\s*:/);
  await shot('added');
});

test('Edit (inline action) keeps the stored password; Remove (context menu) drops the connection', async () => {
  await clearNotifications();
  const added = row('ui-added-drill');
  await added.hover();
  await added.locator('.action-label.codicon-edit').click();
  await answer(/Name of the connection/, 'ui-added-drill');
  await answer(/Kind of service/, 'drill', 'pick');
  await answer(/Base URL/, 'http://127.0.0.1:3');
  await answer(/Authentication/, 'basic', 'pick');
  await answer(/Username/, 'ui-user');
  await answer(/Leave empty to keep the stored one/, '');
  await expect(
    page.locator('.notifications-toasts', { hasText: 'Saved Radlab connection "ui-added-drill"' })
  ).toBeVisible();
  await expect
    .poll(() => readFileSync(SETTINGS, 'utf8'), { timeout: 15_000 })
    .toContain('http://127.0.0.1:3');
  // the stored password is still used: the check gets past auth resolution to the (closed) port
  await expect(row('ui-added-drill').locator('.label-description')).toHaveText(
    /unreachable.*127\.0\.0\.1:3/,
    {
      timeout: 30_000
    }
  );
  expect(readFileSync(SETTINGS, 'utf8')).not.toContain(NEW_PASSWORD);

  const menuItem = page.locator('.monaco-menu .action-item', { hasText: 'Remove Connection' });
  // a health check that lands meanwhile redraws the row, which closes a menu just opened on it
  await expect(async () => {
    await page.keyboard.press('Escape');
    await row('ui-added-drill').click({ button: 'right' });
    await expect(menuItem).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  await shot('context-menu');
  await menuItem.click();
  const dialog = page.locator('.monaco-dialog-box');
  await expect(dialog).toContainText('Remove the Radlab connection "ui-added-drill"');
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(row('ui-added-drill')).toHaveCount(0, { timeout: 15_000 });
  await expect
    .poll(() => readFileSync(SETTINGS, 'utf8'), { timeout: 15_000 })
    .not.toContain('ui-added-drill');
  await expect(row('local-prometheus').locator('.codicon-pass-filled')).toBeVisible({
    timeout: 30_000
  });
  await expect(row('broken-drill').locator('.codicon-error')).toBeVisible({ timeout: 30_000 });
  await shot('removed');
});

test('the visible view re-checks every 30 s by itself', async () => {
  test.setTimeout(90_000);
  const logs = join(CODE_STATE, 'user-data', 'logs');
  const checks = (): number =>
    readdirSync(logs, { recursive: true, encoding: 'utf8' })
      .filter(file => file.endsWith(join('radlab.radlab', 'Radlab.log')))
      .map(
        file =>
          readFileSync(join(logs, file), 'utf8').match(/local-prometheus: healthy/g)?.length ?? 0
      )
      .reduce((a, b) => a + b, 0);
  await expect(view()).toBeVisible();
  const before = checks();
  expect(before).toBeGreaterThan(0);
  // no command, no config change: only the timer can add a check
  await expect.poll(checks, { timeout: 45_000, intervals: [2_000] }).toBeGreaterThan(before);
  await expect(row('local-prometheus').locator('.codicon-pass-filled')).toBeVisible();
});
