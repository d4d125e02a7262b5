// What the VS Code UI tests share: where scripts/start-code-server.sh keeps its state, and driving
// the command palette and Quick Open of a real code-server page.
import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CODE_PORT = Number(process.env.RADLAB_UI_CODE_PORT ?? 8898);

/** code-server's user data, extensions and workspace for this port (start-code-server.sh). */
export const CODE_STATE =
  process.env.RADLAB_UI_CODE_STATE ??
  join(process.env.TMPDIR ?? tmpdir(), `radlab-ui-code-server-${CODE_PORT}`);

/** The folder code-server opened (start-code-server.sh writes its path). */
export function workspace(): string {
  return readFileSync(join(CODE_STATE, 'workspace.path'), 'utf8').trim();
}

/**
 * Runs a command from the palette (F1) by its title. The palette lists recently used commands first,
 * so a longer title that matches too ("… from YAML File") may hold the focus: the row whose label is
 * exactly the title is the one run.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await expect(input).toBeVisible();
  await input.fill(`>${title}`);
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await expect(rows.filter({ hasText: title }).first()).toBeVisible();
  const exact = new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  const focused = rows.and(page.locator('.focused')).locator('.label-name').first();
  const label = ((await focused.textContent({ timeout: 2_000 }).catch(() => null)) ?? '').replace(
    /\u00a0/g,
    ' '
  );
  const match = rows.filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
  if (!exact.test(label) && (await match.count()) > 0) await match.click();
  else await input.press('Enter');
}

/** Quick Open: types `query` (a name, or a path to tell apart equal names) and picks `name`. */
export async function openFile(page: Page, name: string, query = name): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await expect(input).toBeVisible();
  await input.fill(query);
  await expect(
    page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: name })
      .first()
  ).toBeVisible();
  await input.press('Enter');
}

/** Answers the open quick pick: types `text` and takes the focused row that shows it. */
export async function quickPick(page: Page, text: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await expect(widget).toBeVisible();
  const input = widget.locator('.quick-input-box input');
  await input.fill(text);
  await expect(
    widget.locator('.quick-input-list .monaco-list-row.focused', { hasText: text })
  ).toBeVisible();
  await input.press('Enter');
}

/**
 * Picks the notebook controller `name` in the kernel picker (the command must have opened it). Radlab
 * has two controllers (Drill, Livy): VS Code may list the extension as a kernel source first.
 */
export async function pickKernel(page: Page, name: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await expect(widget).toBeVisible();
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  const controller = rows.filter({ hasText: name });
  // the source row's text holds more than its label (icons, hidden details): match the label
  const source = rows.filter({ has: page.getByText('Radlab', { exact: true }) });
  await expect(controller.or(source).first()).toBeVisible({ timeout: 20_000 });
  if (!(await controller.first().isVisible())) await source.first().click();
  await expect(controller.first()).toBeVisible({ timeout: 20_000 });
}

/**
 * Gives one Radlab view the whole side bar: every other view of the container collapsed, this one
 * open. VS Code's trees render only the rows inside their pane, so with five views open a row below
 * a short pane is not in the page at all.
 */
export async function soloView(page: Page, name: RegExp): Promise<void> {
  const headers = page.locator('.part.sidebar .pane-header');
  await expect(headers.filter({ hasText: name }).first()).toBeVisible({ timeout: 60_000 });
  const count = await headers.count();
  for (let i = 0; i < count; i++) {
    const header = headers.nth(i);
    const mine = name.test((await header.innerText()).trim());
    const open = (await header.getAttribute('aria-expanded')) === 'true';
    if (mine !== open) {
      await header.click();
      await expect(header).toHaveAttribute('aria-expanded', mine ? 'true' : 'false');
    }
  }
}
