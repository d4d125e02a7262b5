// The Drill result grid (application/vnd.radlab.drill-result+json) as a notebook output in a real
// JupyterLab: a Python cell displays 200k generated rows; the grid stays virtualized, scrolls to the end,
// sorts, filters (saying that a partial result's sort and filter act on the rows loaded only), exports a
// CSV named after the query's table, and shows HTML-like values as text.
import { expect, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import { readFile } from 'node:fs/promises';

const SCREENSHOTS = 'test-results/screenshots';
const XSS = '<img src=x onerror=alert(1)>';
const ROWS = 200_000;

const CELL = `from IPython.display import display
rows = [[i, "patient %06d" % i, None if i % 11 == 0 else round(i * 0.37 % 100, 2), "2024-%02d-%02d" % (i % 12 + 1, i % 28 + 1), i % 2 == 0, {"series": i % 5}] for i in range(${ROWS})]
rows[3][1] = ${JSON.stringify(XSS)}
display({"application/vnd.radlab.drill-result+json": {"version": 1, "queryId": "ui-test", "connection": "local-drill", "sql": "SELECT * FROM dfs.studies", "columns": [{"name": "id", "type": "BIGINT"}, {"name": "name", "type": "VARCHAR"}, {"name": "score", "type": "FLOAT8"}, {"name": "study_date", "type": "DATE"}, {"name": "contrast", "type": "BIT"}, {"name": "meta", "type": "MAP"}], "rows": rows, "rowCount": len(rows), "truncated": True, "limit": ${ROWS}, "elapsedMs": 842}, "text/plain": "x"}, raw=True)`;

// Galata's defaults record video (needs Playwright's ffmpeg); its per-test folder is created through the
// contents API without the lab's XSRF token, so the notebook goes to the root as in connections.spec.ts.
test.use({ video: 'off', autoGoto: false });

async function idle(grid: Locator): Promise<void> {
  await expect(grid).toHaveAttribute('aria-busy', 'false');
}

/** The texts of one column in the rendered rows, in view order. */
async function columnTexts(grid: Locator, col: number): Promise<string[]> {
  return grid.evaluate((node, c) => {
    const viewport = node.querySelector('.rl-Grid-viewport')!;
    const top = viewport.getBoundingClientRect().top + 42;
    const bottom = viewport.getBoundingClientRect().bottom;
    return [...node.querySelectorAll<HTMLElement>('.rl-Grid-row')]
      .filter(r => {
        const box = r.getBoundingClientRect();
        return box.top >= top - 1 && box.bottom <= bottom + 1;
      })
      .sort((a, b) => Number(a.dataset.row) - Number(b.dataset.row))
      .map(r => r.querySelector(`.rl-Grid-cell[data-col="${c}"]`)?.textContent ?? '');
  }, col);
}

test('a 200k-row Drill result renders as a virtualized grid that sorts, filters and escapes', async ({
  page
}) => {
  const dialogs: string[] = [];
  page.on('dialog', dialog => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto();
  await page.notebook.createNew();
  await page.notebook.setCell(0, 'code', CELL);
  const started = Date.now();
  await page.notebook.runCell(0, true);
  const grid = page.locator('.jp-OutputArea-output .rl-Grid');
  await expect(grid).toBeVisible({ timeout: 60_000 });
  const renderMs = Date.now() - started;
  await expect(grid.locator('.rl-Grid-count')).toHaveText('200,000 rows × 6 columns');
  await expect(grid.locator('.rl-Grid-elapsed')).toHaveText('in 842 ms');
  await expect(grid.locator('.rl-Grid-truncated')).toContainText(
    'Showing 200,000 rows — the query has more'
  );
  // no Fetch more in a notebook output: nothing to fetch with
  await expect(grid.getByRole('button', { name: 'Fetch more' })).toBeHidden();

  // typed columns
  const scoreHeader = grid.locator('.rl-Grid-hcell[data-col="2"]');
  await expect(scoreHeader.locator('.rl-Grid-htype')).toHaveText('float8');
  const nullCell = grid.locator('.rl-Grid-row[data-row="0"] .rl-Grid-cell[data-col="2"]');
  await expect(nullCell).toHaveText('null');
  await expect(nullCell).toHaveClass(/rl-mod-null/);
  const align = await grid
    .locator('.rl-Grid-row[data-row="1"] .rl-Grid-cell[data-col="2"]')
    .evaluate(el => getComputedStyle(el).textAlign);
  expect(align).toBe('right');

  // HTML-like values are text
  const xssCell = grid.locator('.rl-Grid-row[data-row="3"] .rl-Grid-cell[data-col="1"]');
  await expect(xssCell).toHaveText(XSS);
  await expect(grid.locator('img')).toHaveCount(0);

  // the window is bounded
  const bounded = async (): Promise<void> => {
    expect(await grid.locator('.rl-Grid-row').count()).toBeLessThanOrEqual(40);
    expect(await grid.locator('.rl-Grid-cell').count()).toBeLessThanOrEqual(40 * 8);
  };
  await bounded();
  const viewport = grid.locator('.rl-Grid-viewport');
  const box = await viewport.boundingBox();
  expect(box!.height).toBeLessThanOrEqual(361);

  await page.screenshot({ path: `${SCREENSHOTS}/lab-drill-grid-top.png` });

  // scroll to the bottom: the last row is there
  await viewport.evaluate(el => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(grid.locator('.rl-Grid-gutter', { hasText: /^200000$/ })).toBeVisible();
  await bounded();
  await viewport.evaluate(el => {
    el.scrollTop = 0;
  });

  // sort by score: ascending (numbers, not text), then descending; nulls last both ways
  const longTasks = await page.evaluate(() => {
    const w = window as unknown as { __rlLongTasks: number[] };
    w.__rlLongTasks = [];
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) w.__rlLongTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
    return true;
  });
  expect(longTasks).toBe(true);
  let t0 = Date.now();
  await scoreHeader.click();
  await expect(scoreHeader).toHaveAttribute('aria-sort', 'ascending');
  await idle(grid);
  const sortMs = Date.now() - t0;
  // the result is partial: the sort acted on the rows loaded only, and the notice says so
  await expect(grid.locator('.rl-Grid-truncated')).toContainText(
    'Sorted the 200,000 rows loaded, not the whole result — the query has more (ORDER BY in the SQL runs on all of it)'
  );
  await grid.locator('.rl-Grid-status').screenshot({
    path: `${SCREENSHOTS}/lab-drill-grid-sorted-partial.png`
  });
  const asc = (await columnTexts(grid, 2)).map(Number);
  expect(asc.length).toBeGreaterThan(5);
  expect(asc).toEqual([...asc].sort((a, b) => a - b));
  expect(asc[0]).toBeLessThan(1);
  await scoreHeader.click();
  await expect(scoreHeader).toHaveAttribute('aria-sort', 'descending');
  await idle(grid);
  const desc = (await columnTexts(grid, 2)).map(Number);
  expect(desc).toEqual([...desc].sort((a, b) => b - a));
  expect(desc[0]).toBeGreaterThan(99);
  await viewport.evaluate(el => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(
    grid.locator('.rl-Grid-row .rl-Grid-cell.rl-mod-null[data-col="2"]').first()
  ).toBeVisible();
  await viewport.evaluate(el => {
    el.scrollTop = 0;
  });
  const maxLongTask = await page.evaluate(() =>
    Math.max(0, ...(window as unknown as { __rlLongTasks: number[] }).__rlLongTasks)
  );

  // filter: across cells, then HTML-like text
  const filter = grid.getByRole('searchbox', { name: 'Filter rows' });
  t0 = Date.now();
  await filter.fill('patient 012345');
  await expect(grid.locator('.rl-Grid-count')).toHaveText('1 of 200,000 rows match');
  const filterMs = Date.now() - t0;
  await expect(grid.locator('.rl-Grid-row')).toHaveCount(1);
  await idle(grid);
  await expect(grid.locator('.rl-Grid-truncated')).toContainText(
    'Sorted and filtered the 200,000 rows loaded, not the whole result — the query has more (ORDER BY / WHERE in the SQL runs on all of it)'
  );
  // the CSV of what is in view: a download named after the query's table, not its id
  const download = page.waitForEvent('download');
  await grid.getByRole('button', { name: 'CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('studies.csv');
  const csvPath = await file.path();
  const csv = (await readFile(csvPath, 'utf8')).trim().split(/\r?\n/);
  expect(csv[0]).toBe('id,name,score,study_date,contrast,meta');
  expect(csv).toHaveLength(2);
  expect(csv[1]).toMatch(/^12345,patient 012345,/);
  await grid.screenshot({ path: `${SCREENSHOTS}/lab-drill-grid-filtered-partial.png` });
  await filter.fill('<img');
  await expect(grid.locator('.rl-Grid-count')).toHaveText('1 of 200,000 rows match');
  await expect(grid.locator('.rl-Grid-row .rl-Grid-cell[data-col="1"]')).toHaveText(XSS);
  await expect(grid.locator('img')).toHaveCount(0);
  // per column
  await filter.fill('2024-03');
  await grid
    .getByRole('combobox', { name: 'Filter in column' })
    .selectOption({ label: 'study_date' });
  await expect(grid.locator('.rl-Grid-count')).toHaveText(/^[\d,]+ of 200,000 rows match$/);
  const dates = await columnTexts(grid, 3);
  expect(dates.every(d => d.startsWith('2024-03'))).toBe(true);
  await grid
    .getByRole('combobox', { name: 'Filter in column' })
    .selectOption({ label: 'All columns' });
  await filter.fill('');
  await expect(grid.locator('.rl-Grid-count')).toHaveText('200,000 rows × 6 columns');

  // select a range, then the screenshot
  await scoreHeader.click(); // back to the original order
  await idle(grid);
  await grid.locator('.rl-Grid-row[data-row="1"] .rl-Grid-cell[data-col="1"]').click();
  await grid
    .locator('.rl-Grid-row[data-row="4"] .rl-Grid-cell[data-col="3"]')
    .click({ modifiers: ['Shift'] });
  await expect(grid.locator('.rl-Grid-cell.rl-mod-selected')).toHaveCount(12);
  await grid.getByRole('button', { name: 'Chart' }).click();
  // the quick chart is uPlot's, as the GPU charts: a canvas, the legend showing the row under the cursor
  const figure = grid.locator('.rl-Chart');
  await expect(figure.locator('.uplot canvas')).toBeVisible();
  await expect(figure).toHaveAttribute('data-kind', 'bar');
  await grid.locator('.rl-Grid-chartY').selectOption({ label: 'score' });
  await expect(figure).toHaveAttribute('aria-label', /^bar chart of score by \w+, \d+ points$/);
  await expect(grid.locator('.rl-Chart .uplot')).toHaveCount(1); // redrawn, not stacked
  const over = await figure.locator('.u-over').boundingBox();
  expect(over).not.toBeNull();
  await page.mouse.move(over!.x + over!.width * 0.3, over!.y + over!.height / 2);
  await expect(figure.locator('.u-legend .u-series').last()).toContainText(/score\s*-?[\d.]+/);
  await page.notebook.save();
  await grid.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}/lab-drill-grid.png` });
  await grid.screenshot({ path: `${SCREENSHOTS}/lab-drill-grid-output.png` });

  expect(dialogs, 'no script from a cell ran').toEqual([]);
  console.info(
    `[drill-grid] run→grid ${renderMs} ms; sort 200k ${sortMs} ms (longest task ${Math.round(maxLongTask)} ms); filter ${filterMs} ms`
  );
});
