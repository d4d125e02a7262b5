// Helpers for the Radlab image viewer, shared by the JupyterLab and VS Code UI tests: the same
// viewer (packages/ui/src/viewer) runs in both, only the way to open a file differs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { expect, type Locator, type Page } from '@playwright/test';

/** @radlab/imaging's PHI_MASK (the mock-ups show •••). */
export const MASK = /^(\*\*\*|•••)$/;

/** One file of each transfer syntax family (and photometric/multi-frame variants) from make.sh. */
export const SYNTAXES = [
  'u16_implicit_le.dcm',
  'u16_explicit_be.dcm',
  'u16_deflate.dcm',
  'u16_rle.dcm',
  'u8_jpeg_baseline.dcm',
  'u8_jpeg_extended.dcm',
  'u16_jpeg_extended.dcm',
  'u16_jpeg_lossless.dcm',
  'u16_jpegls.dcm',
  'u16_jpegls_near.dcm',
  'u16_j2k.dcm',
  'u16_j2k_lossy.dcm',
  'u16_htj2k.dcm',
  'rgb8_htj2k.dcm',
  'palette8.dcm',
  'ybr_full_422.dcm',
  'mf_u16_rle.dcm',
  'enhanced_ct_j2k.dcm'
];

export interface CanvasStats {
  width: number;
  height: number;
  distinct: number;
  hash: number;
}

/** Size, number of distinct colours and a hash of the canvas pixels. */
export function canvasStats(viewer: Locator): Promise<CanvasStats> {
  return viewer.locator('canvas.rl-Viewer-canvas').evaluate((node: HTMLCanvasElement) => {
    const { data } = node.getContext('2d')!.getImageData(0, 0, node.width, node.height);
    const seen = new Set<number>();
    let hash = 0;
    for (let i = 0; i < data.length; i += 4) {
      const v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      seen.add(v);
      hash = (Math.imul(hash, 31) + v) | 0;
    }
    return { width: node.width, height: node.height, distinct: seen.size, hash };
  });
}

/** Waits until the canvas shows an image (more than a few grey levels). */
export async function expectImage(viewer: Locator): Promise<CanvasStats> {
  await expect(viewer.locator('canvas.rl-Viewer-canvas')).toBeVisible();
  await expect
    .poll(async () => (await canvasStats(viewer)).distinct, { timeout: 30_000 })
    .toBeGreaterThan(8);
  return canvasStats(viewer);
}

/** Drags window/level on the canvas (left button) and checks that text and pixels change. */
export async function dragWindowLevel(page: Page, viewer: Locator): Promise<void> {
  const windowText = viewer.locator('.rl-Viewer-window');
  const before = (await windowText.textContent()) ?? '';
  const pixels = await canvasStats(viewer);
  const box = (await viewer.locator('canvas.rl-Viewer-canvas').boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 90, y + 50, { steps: 8 });
  await page.mouse.up();
  await expect(windowText).not.toHaveText(before);
  await expect(windowText).toHaveText(/W\s*-?[\d.]+\s+L\s*-?[\d.]+/);
  await expect.poll(async () => (await canvasStats(viewer)).hash).not.toBe(pixels.hash);
}

/** The wheel over the canvas moves to another slice. */
export async function wheelSlices(page: Page, viewer: Locator): Promise<void> {
  const sliceText = viewer.locator('.rl-Viewer-slice');
  const before = (await sliceText.textContent()) ?? '';
  const box = (await viewer.locator('canvas.rl-Viewer-canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  // towards the other end of the stack, whichever slice the viewer started on
  const [index, count] = before.split('/').map(s => Number(s.trim()));
  await page.mouse.wheel(0, index > count / 2 ? -300 : 300);
  await expect(sliceText).not.toHaveText(before);
}

/** The header panel lists the attributes with patient data masked, and no view shows the name. */
export async function expectPhiMasked(viewer: Locator, family: string): Promise<void> {
  const header = viewer.locator('.rl-Viewer-header');
  await expect(header).toBeVisible();
  if ((await header.getAttribute('open')) === null) await header.locator('summary').click();
  await expect(header.locator('td.rl-mod-masked').first()).toHaveText(MASK);
  await expect(header.locator('tr.rl-Viewer-phi', { hasText: 'Patient' }).first()).toBeVisible();
  await expect(header.getByRole('button', { name: 'Show patient data' })).toBeVisible();
  // nowhere in the viewer either (title, notes, status, errors)
  await expect(viewer).not.toContainText(family);
  // the masked name in view, for the screenshots
  await header.locator('tr.rl-Viewer-phi', { hasText: "Patient's Name" }).scrollIntoViewIfNeeded();
}

/** Pixels that are not grey (R ≠ G): an overlay's colours; the image alone has none. */
export function colouredPixels(viewer: Locator): Promise<number> {
  return viewer.locator('canvas.rl-Viewer-canvas').evaluate((node: HTMLCanvasElement) => {
    const { data } = node.getContext('2d')!.getImageData(0, 0, node.width, node.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] !== data[i + 1]) n++;
    return n;
  });
}

/**
 * Clicks "Remove overlay" beside the opacity slider and checks the image is drawn alone again
 * (no overlay colour, the same pixels as `plain`, drawn before the overlay), the overlay's
 * controls are gone and "Overlay…" is there to choose another.
 */
export async function removeOverlay(viewer: Locator, plain: CanvasStats): Promise<void> {
  const remove = viewer.getByRole('button', { name: 'Remove overlay' });
  await expect(remove).toBeVisible();
  await remove.click();
  await expect.poll(() => colouredPixels(viewer)).toBe(0);
  await expect.poll(async () => (await canvasStats(viewer)).hash).toBe(plain.hash);
  await expect(remove).toBeHidden();
  await expect(viewer.locator('.rl-Viewer-opacity')).toBeHidden();
  await expect(viewer.locator('.rl-Viewer-error')).toBeHidden();
  await expect(viewer.getByRole('button', { name: 'Overlay…' })).toBeEnabled();
}

/**
 * ct-series/ in the other transfer syntaxes (ui-tests/fixtures/syntax_series.py writes them), and
 * whether the codec is lossless: then the series must render exactly like ct-series/.
 */
/**
 * One test-vector file just opened in `viewer`: waits until it renders (more than one pixel value)
 * or fails, and returns the failure (undefined: rendered, decoded in the worker).
 */
export async function syntaxFileFailure(
  viewer: Locator,
  name: string
): Promise<string | undefined> {
  const error = viewer.locator('.rl-Viewer-error');
  if (name === 'enhanced_ct_j2k.dcm') {
    // its values (HU -1524..-504) all lie below its own window (W 400 L 40): a black canvas
    await expect(viewer.locator('.rl-Viewer-slice')).toHaveText(/1\s*\/\s*4/, {
      timeout: 60_000
    });
    await viewer
      .getByRole('combobox', { name: 'Window preset' })
      .selectOption({ label: 'Auto (data range)' });
  }
  // rendered (more than one pixel value) or failed (an error), whichever comes first
  await expect
    .poll(
      async () =>
        (await error.isVisible()) ||
        ((await viewer.locator('canvas.rl-Viewer-canvas').isVisible()) &&
          (await canvasStats(viewer)).distinct > 1),
      { message: name, timeout: 60_000 }
    )
    .toBe(true);
  if (await error.isVisible()) return `${name}: ${(await error.textContent())?.trim()}`;
  await expect(viewer, name).toHaveAttribute('data-decoder', 'worker');
  return undefined;
}

/** The syntax files worth a screenshot (colour HTJ2K, enhanced multi-frame). */
export const SYNTAX_SHOTS = new Set(['rgb8_htj2k.dcm', 'enhanced_ct_j2k.dcm']);

export interface SeriesSyntax {
  folder: string;
  /** Renders exactly as ct-series/ (else within LOSSY_MEAN_DIFF). */
  lossless: boolean;
}

/** The ct-series-<syntax>/ folders make_imaging.py wrote into `dataDir`, from its manifest. */
export function seriesSyntaxes(dataDir: string): SeriesSyntax[] {
  return JSON.parse(
    readFileSync(join(dataDir, 'ct-series-syntaxes.json'), 'utf8')
  ) as SeriesSyntax[];
}

/**
 * The most a lossy series' canvas may differ from ct-series/'s at the same slice and window (W 400
 * L 40): mean absolute difference in grey levels (0..255) over the canvas. The reference decoders'
 * own output (dcmdjpeg, dcmdjpls, gdcmconv --raw, ojph_expand) differs from the original by at most
 * 1.24 levels per voxel on the worst slice (JPEG 2000 -q 80; JPEG baseline of the 8-bit variant
 * 1.10, the others 0.22–0.38), and scaling up to the canvas, with its margins, does not raise a
 * mean (measured on the canvas: about 0.1–0.8). Decoding gone wrong (byte order, sign, rescale, a
 * 1-pixel shift) costs 5 levels or more; a slice off by one 0.35, which the lossless ones catch.
 */
export const LOSSY_MEAN_DIFF = 2;

/** What a series shows when opened: the canvas (pixels and grey levels) and the texts around it. */
export interface SeriesView {
  stats: CanvasStats;
  grey: Buffer;
  slice: string;
  labels: string[];
  notes: string;
}

const SIDES = ['left', 'right', 'top', 'bottom'] as const;

/** The canvas's red channel (grey images: the grey level), row by row. */
async function canvasGrey(viewer: Locator): Promise<Buffer> {
  const base64 = await viewer
    .locator('canvas.rl-Viewer-canvas')
    .evaluate((node: HTMLCanvasElement) => {
      const { data } = node.getContext('2d')!.getImageData(0, 0, node.width, node.height);
      const grey = new Uint8Array(data.length / 4);
      for (let i = 0; i < grey.length; i++) grey[i] = data[i * 4];
      let text = '';
      for (let i = 0; i < grey.length; i += 0x8000) {
        text += String.fromCharCode(...grey.subarray(i, i + 0x8000));
      }
      return btoa(text);
    });
  return Buffer.from(base64, 'base64');
}

/** White pixels (255) in the canvas's top and bottom halves. */
function whiteHalves(viewer: Locator): Promise<[number, number]> {
  return viewer.locator('canvas.rl-Viewer-canvas').evaluate((node: HTMLCanvasElement) => {
    const { data } = node.getContext('2d')!.getImageData(0, 0, node.width, node.height);
    const halves: [number, number] = [0, 0];
    const half = (node.width * node.height) / 2;
    for (let i = 0; i < data.length / 4; i++) if (data[i * 4] === 255) halves[i < half ? 0 : 1]++;
    return halves;
  });
}

/** Mean absolute difference of two canvases' grey levels (Infinity if their sizes differ). */
function meanDiff(a: Buffer, b: Buffer): number {
  if (a.length !== b.length) return Infinity;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

/** Waits until the folder is decoded (all 24 slices, in the worker pool) and returns the view. */
export async function seriesView(viewer: Locator): Promise<SeriesView> {
  await expect(viewer.locator('.rl-Viewer-slice')).toHaveText(/\d+\s*\/\s*24/, { timeout: 60_000 });
  // set once every slice is decoded; 'inline' would mean the pool was not used
  await expect(viewer).toHaveAttribute('data-decoder', 'worker', { timeout: 60_000 });
  await expect(viewer.locator('.rl-Viewer-error')).toBeHidden();
  await expect(viewer.locator('.rl-Viewer-progress')).toBeHidden();
  await expect(viewer.locator('.rl-Viewer-pending')).toBeHidden();
  await expectImage(viewer);
  await expect(viewer.locator('.rl-Viewer-window')).toHaveText(/W\s*400\s+L\s*40\b/);
  return currentView(viewer);
}

/** The view on screen, once the canvas has stopped changing (a render may still be on its way). */
export async function currentView(viewer: Locator): Promise<SeriesView> {
  let last: number | undefined;
  await expect
    .poll(async () => {
      const { hash } = await canvasStats(viewer);
      const same = hash === last;
      last = hash;
      return same;
    })
    .toBe(true);
  const labels: string[] = [];
  for (const side of SIDES) {
    labels.push((await viewer.locator(`.rl-Viewer-label-${side}`).textContent()) ?? '');
  }
  return {
    stats: await canvasStats(viewer),
    grey: await canvasGrey(viewer),
    slice: ((await viewer.locator('.rl-Viewer-slice').textContent()) ?? '').trim(),
    labels,
    notes: (await viewer.locator('.rl-Viewer-notes').textContent()) ?? ''
  };
}

/**
 * `view` of a series in another transfer syntax shows what `reference` (ct-series/ opened the same
 * way) showed: the same slice, orientation labels and notes, and the same pixels (lossless) or
 * pixels within LOSSY_MEAN_DIFF (lossy).
 */
export function expectSameView(view: SeriesView, reference: SeriesView, lossless: boolean): void {
  expect(view.slice).toBe(reference.slice);
  expect(view.labels).toEqual(reference.labels);
  expect(view.notes).toBe(reference.notes);
  expect([view.stats.width, view.stats.height]).toEqual([
    reference.stats.width,
    reference.stats.height
  ]);
  if (lossless) expect(view.stats.hash).toBe(reference.stats.hash);
  else expect(meanDiff(view.grey, reference.grey)).toBeLessThanOrEqual(LOSSY_MEAN_DIFF);
}

/** Switches to a plane ('Axial', 'Coronal', 'Sagittal') with the toolbar's button. */
export async function showPlane(viewer: Locator, name: string): Promise<void> {
  const button = viewer.getByRole('button', { name, exact: true });
  await expect(button).toBeEnabled();
  await button.click();
  await expect(button).toHaveAttribute('aria-pressed', 'true');
}

/** How a host opens a series folder (its own route) and closes every viewer again. */
export interface SeriesHost {
  /** Opens imaging/`folder` as a series and returns the viewer. */
  open(folder: string): Promise<Locator>;
  closeAll(): Promise<void>;
  screenshot(name: string): Promise<void>;
}

/** The lossless compressed series also checked in the sagittal plane, and shown in a screenshot. */
const SAGITTAL_SERIES = 'ct-series-j2k';

/**
 * Opens ct-series/ and then every folder of `syntaxes` the host's way and checks that each shows
 * what ct-series/ shows (expectSameView) with its patient data masked; SAGITTAL_SERIES also in the
 * sagittal plane, which is built from ImagePositionPatient (the files are named out of order).
 * Returns one line per folder that failed, so that one broken codec does not hide the others.
 */
export async function checkSeriesSyntaxes(
  host: SeriesHost,
  family: string,
  syntaxes: readonly SeriesSyntax[]
): Promise<string[]> {
  expect(syntaxes.length).toBeGreaterThan(10);
  const native = await host.open('ct-series');
  const axial = await seriesView(native);
  expect(axial.labels).toEqual(['R', 'L', 'A', 'P']);
  await showPlane(native, 'Sagittal');
  const sagittal = await currentView(native);
  expect(sagittal.labels).toEqual(['A', 'P', 'S', 'I']);
  // the spine widens towards the feet (make_imaging.py): wider in the bottom half, next to I
  const [top, bottom] = await whiteHalves(native);
  expect(bottom).toBeGreaterThan(top * 1.2);
  expect(sagittal.slice).toMatch(/^\d+\s*\/\s*96$/);
  await host.closeAll();

  const failures: string[] = [];
  for (const { folder, lossless } of syntaxes) {
    try {
      const viewer = await host.open(folder);
      expectSameView(await seriesView(viewer), axial, lossless);
      if (folder === SAGITTAL_SERIES) {
        await showPlane(viewer, 'Sagittal');
        expectSameView(await currentView(viewer), sagittal, true);
        await showPlane(viewer, 'Axial');
      }
      // last: the header panel it opens takes room from the canvas
      await expectPhiMasked(viewer, family);
      if (folder === SAGITTAL_SERIES) await host.screenshot(`series-${folder}`);
    } catch (err) {
      // the first lines of Playwright's message, without its colours
      const message = stripVTControlCharacters(String((err as Error).message ?? err));
      failures.push(`${folder}: ${message.split('\n').slice(0, 6).join(' | ')}`);
    }
    await host.closeAll();
  }
  return failures;
}

/** The value cell of the header panel's row `name`. */
export function headerCell(viewer: Locator, name: string): Locator {
  return viewer.locator(`.rl-Viewer-headerTable tr:has(> th:text-is("${name}")) > td`);
}

async function openHeader(viewer: Locator): Promise<void> {
  const header = viewer.locator('.rl-Viewer-header');
  await expect(header).toBeVisible();
  if ((await header.getAttribute('open')) === null) await header.locator('summary').click();
}

/**
 * On ui-tests' ct-series (24 axial slices, feet first: slice n in position order is Instance
 * Number 25 − n): the header panel follows the slice on screen, in every plane; a plane switch
 * keeps the point of interest (back on axial, the same slice); the zoom label is the real scale.
 */
export async function checkSliceFollowing(
  page: Page,
  viewer: Locator,
  shot: (name: string) => Promise<void>
): Promise<void> {
  await openHeader(viewer);
  const status = viewer.locator('.rl-Viewer-slice');
  const current = async (): Promise<number> =>
    Number(((await status.textContent()) ?? '').split('/')[0]);
  await expect(headerCell(viewer, 'Plane')).toHaveText('Axial');
  const box = (await viewer.locator('canvas.rl-Viewer-canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (const notch of [0, 1, 1]) {
    if (notch) {
      const before = await current();
      await page.mouse.wheel(0, 100);
      await expect.poll(current).not.toBe(before);
    }
    const n = await current();
    await expect(headerCell(viewer, 'Slice')).toHaveText(`${n} / 24`);
    await expect(headerCell(viewer, 'Instance Number')).toHaveText(String(25 - n));
  }
  const axial = await current();
  // the panel's top (the slice's rows, then the file's) in view for the screenshots
  const top = (): Promise<void> =>
    viewer
      .locator('.rl-Viewer-headerSection')
      .first()
      .evaluate(el => el.scrollIntoView({ block: 'start' }));
  await top();
  await shot('header-follows-axial');

  // sagittal: the panel describes the sagittal slice, and the image through the point of interest
  await viewer.getByRole('button', { name: 'Sagittal' }).click();
  await expect(headerCell(viewer, 'Plane')).toHaveText('Sagittal');
  const sagittal = (await status.textContent()) ?? '';
  expect(sagittal).toMatch(/^\d+ \/ 96$/);
  await expect(headerCell(viewer, 'Slice')).toHaveText(sagittal);
  await expect(viewer.locator('.rl-Viewer-headerSection').nth(1)).toHaveText(
    /^Image through the point of interest: IM\d{4}\.dcm$/
  );
  await expect(headerCell(viewer, 'Instance Number')).toHaveText(String(25 - axial));
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 100);
  await expect(headerCell(viewer, 'Slice')).not.toHaveText(sagittal);
  await expect(headerCell(viewer, 'Slice')).toHaveText((await status.textContent()) ?? '');
  await top();
  await shot('header-follows-sagittal');

  // back to axial: the slice the user left, not the middle one
  await viewer.getByRole('button', { name: 'Axial' }).click();
  await expect(status).toHaveText(`${axial} / 24`);

  // fitted, the label says the real scale: 96 columns of 1.5 mm in the stage's smaller side
  const stage = (await viewer.locator('.rl-Viewer-stage').boundingBox())!;
  const dpr = await viewer.evaluate(() => window.devicePixelRatio);
  const zoom = viewer.locator('.rl-Viewer-zoom');
  await expect(zoom).toHaveText(/^Zoom \d+% \(fit\)$/);
  const shown = Number(/(\d+)%/.exec((await zoom.textContent()) ?? '')![1]);
  const expected = (Math.min(stage.width, stage.height) / 96) * dpr * 100;
  expect(Math.abs(shown - expected)).toBeLessThanOrEqual(2);
  expect(shown).not.toBe(100);

  // a click (no drag) marks the point of interest; the other planes go through it and mark it too
  const marked = (): Promise<number> =>
    viewer.locator('canvas.rl-Viewer-canvas').evaluate((node: HTMLCanvasElement) => {
      const { data } = node.getContext('2d')!.getImageData(0, 0, node.width, node.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4)
        if (data[i] > 200 && data[i + 1] > 200 && data[i + 2] < 120) n++;
      return n;
    });
  expect(await marked()).toBe(0);
  await page.mouse.click(box.x + box.width / 2 + 30, box.y + box.height / 2 - 20);
  await expect.poll(marked).toBeGreaterThan(8);
  await viewer.getByRole('button', { name: 'Coronal' }).click();
  await expect(headerCell(viewer, 'Plane')).toHaveText('Coronal');
  await expect.poll(marked).toBeGreaterThan(8);
  await shot('point-of-interest-coronal');
}

/** A DICOM file cut short: the viewer says by how much and still shows its (masked) header. */
export async function expectTruncated(viewer: Locator, bytes: number, of: number): Promise<void> {
  await expect(viewer.locator('.rl-Viewer-errorMessage')).toHaveText(
    `The file is truncated (${bytes} of ${of} bytes): its pixel data cannot be read.`,
    { timeout: 60_000 }
  );
  await expect(viewer.locator('.rl-Viewer-errorHint')).toContainText('copy the file again');
  await openHeader(viewer);
  await expect(headerCell(viewer, 'Rows × Columns')).toHaveText('96 × 96');
  await expect(headerCell(viewer, "Patient's Name")).toHaveText(MASK);
}

/** ITK-SNAP's label description file for ui-tests' brain_labels.nii.gz (1 head, 2 core, 3 sphere). */
export const BRAIN_LABELS_TXT = [
  '################################################',
  '# ITK-SnAP Label Description File',
  '# IDX   -R-  -G-  -B-  -A--  VIS MSH  LABEL',
  '################################################',
  '    0     0    0    0        0  0  0    "Clear Label"',
  '    1   255  160   40        1  1  1    "Head"',
  '    2    40  200  255        1  1  1    "Core"',
  '    3   230   30  200        1  1  1    "Sphere"',
  ''
].join('\n');

/** The overlay's legend lists each label with the colour and name from brain_labels.txt. */
export async function expectBrainLegend(viewer: Locator): Promise<void> {
  const legend = viewer.locator('.rl-Viewer-legend');
  await expect(legend).toBeVisible({ timeout: 30_000 });
  const items = legend.locator('.rl-Viewer-legendItem');
  await expect(items).toHaveText(['1Head', '2Core', '3Sphere']);
  await expect(items.nth(0).locator('.rl-Viewer-legendSwatch')).toHaveCSS(
    'background-color',
    'rgb(255, 160, 40)'
  );
  await expect(items.nth(2).locator('.rl-Viewer-legendSwatch')).toHaveCSS(
    'background-color',
    'rgb(230, 30, 200)'
  );
}
