// Helpers for the Radlab image viewer, shared by the JupyterLab and VS Code UI tests: the same
// viewer (packages/ui/src/viewer) runs in both, only the way to open a file differs.
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
