// The Radlab connections sidebar in a real JupyterLab (started by scripts/start-jupyterlab.sh with
// ui-tests/fixtures/connections.json): a healthy Prometheus (the local stack's, port 9090), a Drill
// nothing listens for, and a connection whose password variable is unset. Checks run in the browser through the server's proxy; secrets stay on the server.
import { expect, test } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator, Response } from '@playwright/test';

const SECRET = 's3cret-ui-test-password';
const PANEL_ID = 'radlab-connections';
const SCREENSHOTS = 'test-results/screenshots';

// Every response body of the page, read as it arrives (the lab is loaded after the listener is on).
function recordResponses(
  page: IJupyterLabPageFixture
): Array<Promise<{ url: string; body: string }>> {
  const bodies: Array<Promise<{ url: string; body: string }>> = [];
  page.on('response', (response: Response) => {
    bodies.push(
      response
        .body()
        .then(buffer => ({ url: response.url(), body: buffer.toString('utf8') }))
        .catch(() => ({ url: response.url(), body: '' })) // redirects, aborted requests: no body
    );
  });
  return bodies;
}

async function openPanel(page: IJupyterLabPageFixture): Promise<Locator> {
  await page.sidebar.openTab(PANEL_ID);
  const panel = page.locator(`#${PANEL_ID}`);
  await expect(panel).toBeVisible();
  return panel;
}

async function runFromPalette(page: IJupyterLabPageFixture, label: string): Promise<void> {
  await page.keyboard.press('Control+Shift+C');
  const palette = page.locator('#command-palette');
  await expect(palette).toBeVisible();
  const input = palette.locator('.lm-CommandPalette-input');
  await input.fill(label);
  const item = palette.locator('.lm-CommandPalette-item', { hasText: label });
  await expect(item).toBeVisible();
  // listed under the Radlab category (the modal palette hides its category headers)
  await expect(
    palette.locator('.lm-CommandPalette-header', { hasText: /^Radlab$/ })
  ).toBeAttached();
  await input.press('Enter');
  await expect(palette).toBeHidden();
}

/** `rgb(r, g, b)` → [r, g, b]. */
function rgb(color: string): number[] {
  return (color.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
}

// Galata's defaults record video, which needs Playwright's ffmpeg download (not available here).
test.use({ video: 'off' });

test.describe('Radlab connections sidebar', () => {
  test.use({ autoGoto: false });

  test('shows the health of every connection, refreshes, and never leaks a secret', async ({
    page
  }) => {
    const bodies = recordResponses(page);
    await page.goto();

    const panel = await openPanel(page);
    const list = panel.getByRole('list', { name: 'Radlab connections' });
    await expect(list).toBeVisible();

    // The local stack's Prometheus: healthy, with latency and version.
    const prom = list.getByRole('listitem', { name: /^local-prometheus,/ });
    await expect(prom).toHaveAttribute('data-connection', 'local-prometheus');
    await expect(prom).toHaveAttribute('data-state', 'healthy');
    await expect(prom.locator('.rl-Connection-kind')).toHaveText('prometheus');
    await expect(prom.locator('.rl-Connection-version')).toHaveText(/^v\d+\.\d+/);
    await expect(prom.locator('.rl-Connection-latency')).toHaveText(/^\d+(\.\d)? m?s$/);
    await expect(prom.locator('.rl-Connection-problem')).toHaveCount(0);

    // The Drill nobody listens for: down, in red, with the message and the hint beneath.
    const drill = list.getByRole('listitem', { name: /^broken-drill,/ });
    await expect(drill).toHaveAttribute('data-state', 'down');
    const problem = drill.getByRole('alert');
    await expect(problem.locator('.rl-Connection-error')).toContainText(/unreachable|refused/i);
    // the hint names the service and its own URL, not the proxy's path
    await expect(problem.locator('.rl-Connection-hint')).toHaveText(
      /Is Drill running\? Check that it listens on 127\.0\.0\.1:1 .*\(http:\/\/127\.0\.0\.1:1\)/
    );
    await expect(problem.locator('.rl-Connection-error')).not.toContainText(/Errno/);
    const [dotColor, errorColor, hintColor] = await Promise.all([
      drill.locator('.rl-StateDot').evaluate(el => getComputedStyle(el).backgroundColor),
      problem.locator('.rl-Connection-error').evaluate(el => getComputedStyle(el).color),
      problem.locator('.rl-Connection-hint').evaluate(el => getComputedStyle(el).color)
    ]);
    for (const color of [dotColor, errorColor, hintColor]) {
      const [r, g, b] = rgb(color);
      expect(r, `${color} is red`).toBeGreaterThan(150);
      expect(r, `${color} is red`).toBeGreaterThan(g + 60);
      expect(r, `${color} is red`).toBeGreaterThan(b + 60);
    }
    const [healthyR, healthyG] = rgb(
      await prom.locator('.rl-StateDot').evaluate(el => getComputedStyle(el).backgroundColor)
    );
    expect(healthyG, 'the healthy dot is green').toBeGreaterThan(healthyR);

    // A connection whose password variable is unset stays listed: down, with what to do.
    const locked = list.getByRole('listitem', { name: /^locked-prometheus,/ });
    await expect(locked).toHaveAttribute('data-state', 'down');
    const lockedProblem = locked.getByRole('alert');
    await expect(lockedProblem.locator('.rl-Connection-error')).toContainText(
      'environment variable RADLAB_UI_UNSET_PASSWORD is not set'
    );
    await expect(lockedProblem.locator('.rl-Connection-hint')).toHaveText(
      /Export RADLAB_UI_UNSET_PASSWORD in the environment of the Jupyter server/
    );
    // the lab reads a mode-600 copy of the fixture: no "readable by others" warning anywhere
    await expect(panel).not.toContainText(/readable by/i);

    await page.screenshot({ path: `${SCREENSHOTS}/lab-connections.png` });
    await panel.screenshot({ path: `${SCREENSHOTS}/lab-connections-panel.png` });

    // Refresh: the list is reloaded and both connections are checked again.
    const reloaded = page.waitForResponse(
      r => r.url().includes('/radlab/api/connections') && r.ok()
    );
    const rechecked = page.waitForResponse(r =>
      r.url().includes('/radlab/proxy/local-prometheus/')
    );
    await panel.getByRole('button', { name: 'Refresh connections' }).click();
    await reloaded;
    await rechecked;
    await expect(prom).toHaveAttribute('data-state', 'healthy');
    await expect(drill).toHaveAttribute('data-state', 'down');

    // The palette command does the same.
    const reloadedAgain = page.waitForResponse(
      r => r.url().includes('/radlab/api/connections') && r.ok()
    );
    await runFromPalette(page, 'Refresh Radlab Connections');
    await reloadedAgain;
    await expect(prom).toHaveAttribute('data-state', 'healthy');
    await expect(drill).toHaveAttribute('data-state', 'down');

    // No secret anywhere: the page and every response the browser got.
    const html = await page.content();
    expect(html).not.toContain(SECRET);
    const responses = await Promise.all(bodies);
    expect(responses.length).toBeGreaterThan(10);
    const radlab = responses.filter(r => new URL(r.url).pathname.includes('/radlab/'));
    expect(radlab.length).toBeGreaterThan(0);
    for (const { url, body } of responses) {
      expect(body, `response of ${url}`).not.toContain(SECRET);
    }
    for (const { url, body } of radlab) {
      expect(body, `response of ${url}`).not.toMatch(/"password"\s*:/i);
    }
    const list_ = radlab.find(r => r.url.includes('/radlab/api/connections'));
    expect(list_?.body).toContain('"hasSecret": true');
  });

  test('the palette opens the panel', async ({ page }) => {
    await page.goto();
    await page.sidebar.close('left');
    await expect(page.locator(`#${PANEL_ID}`)).toBeHidden();
    // both commands, under the Radlab category
    await page.keyboard.press('Control+Shift+C');
    const palette = page.locator('#command-palette');
    await palette.locator('.lm-CommandPalette-input').fill('Radlab');
    const items = palette.locator('.lm-CommandPalette-item');
    await expect(items.filter({ hasText: 'Show Radlab Connections' })).toBeVisible();
    await expect(items.filter({ hasText: 'Refresh Radlab Connections' })).toBeVisible();
    await palette.screenshot({ path: `${SCREENSHOTS}/lab-palette.png` });
    await page.keyboard.press('Escape');
    await expect(palette).toBeHidden();

    await runFromPalette(page, 'Show Radlab Connections');
    const panel = page.locator(`#${PANEL_ID}`);
    await expect(panel).toBeVisible();
    await expect(panel.getByRole('button', { name: 'Refresh connections' })).toBeVisible();
  });

  test('follows the dark theme', async ({ page }) => {
    await page.goto();
    await page.theme.setDarkTheme();
    const panel = await openPanel(page);
    const prom = panel.getByRole('listitem', { name: /^local-prometheus,/ });
    await expect(prom).toHaveAttribute('data-state', 'healthy');
    await expect(panel.getByRole('listitem', { name: /^broken-drill,/ })).toHaveAttribute(
      'data-state',
      'down'
    );
    // light text on a dark background
    const [fg, bg] = await prom.evaluate(el => {
      const style = getComputedStyle(el.closest('.rl-Connections')!);
      return [style.color, style.backgroundColor];
    });
    const luminance = (c: string): number => rgb(c).reduce((a, b) => a + b, 0) / 3;
    expect(luminance(fg)).toBeGreaterThan(luminance(bg) + 80);
    await panel.screenshot({ path: `${SCREENSHOTS}/lab-connections-dark.png` });
    await page.theme.setLightTheme();
  });

  test('the proxy refuses unknown connections and paths that leave the base', async ({ page }) => {
    await page.goto();
    const unknown = await page.request.get('/radlab/proxy/no-such-connection/');
    expect(unknown.status()).toBe(404);
    expect(unknown.headers()['x-radlab-error']).toBe('1');
    expect(await unknown.json()).toMatchObject({ code: 'notFound', service: 'radlab' });

    // Jetty/Tomcat read `..;` as `..`: refused (the path policy, radlab/server/path_policy.py)
    const escape = await page.request.get('/radlab/proxy/local-prometheus/..;/..;/x');
    expect(escape.status()).toBe(400);
    expect(escape.headers()['x-radlab-error']).toBe('1');
    expect(await escape.json()).toMatchObject({
      code: 'badRequest',
      connection: 'local-prometheus'
    });

    // A URL written as a path stays a path on the connection's own host: Prometheus's own 404.
    const absolute = await page.request.get('/radlab/proxy/local-prometheus/http://evil.example/');
    expect(absolute.status()).toBe(404);
    expect(absolute.headers()['x-radlab-error']).toBeUndefined();

    // The same from the page itself (same origin, with the lab's cookies).
    const fromPage = await page.evaluate(async () => {
      const res = await fetch('/radlab/proxy/local-prometheus/%u002e%u002e/x');
      return { status: res.status, header: res.headers.get('X-Radlab-Error') };
    });
    expect(fromPage).toEqual({ status: 400, header: '1' });
  });
});
