// @vitest-environment jsdom
import {
  ImagingError,
  PHI_MASK,
  createInlineDecoder,
  type DecodedFrame,
  type DicomDecodeOptions,
  type ImagingDecoder
} from '@radlab/imaging';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImageFile } from './source.js';
import { firePointer } from './testing/pointer.js';
import { vector, vectorFile } from './testing/vectors.js';
import { ImageViewer, type ImageViewerOptions } from './viewer.js';

interface Captured {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

let images: Captured[];
/** Where the point-of-interest marker's strokes started (canvas CSS px). */
let strokes: [number, number][];
const viewers: ImageViewer[] = [];

beforeEach(() => {
  images = [];
  strokes = [];
  // jsdom has no 2D context: record what the viewer would put on screen.
  const ctx = {
    createImageData: (width: number, height: number) => ({
      data: new Uint8ClampedArray(width * height * 4),
      width,
      height
    }),
    putImageData: (image: Captured) => images.push({ ...image, data: image.data.slice() }),
    setTransform: () => undefined,
    fillRect: () => undefined,
    drawImage: () => undefined,
    beginPath: () => undefined,
    moveTo: (x: number, y: number) => strokes.push([x, y]),
    lineTo: () => undefined,
    stroke: () => undefined,
    strokeStyle: '',
    lineWidth: 1,
    fillStyle: '',
    imageSmoothingEnabled: true
  };
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(() => ctx as never);
});

afterEach(() => {
  for (const v of viewers.splice(0)) v.dispose();
  vi.restoreAllMocks();
});

function mount(options: ImageViewerOptions = {}): ImageViewer {
  const viewer = new ImageViewer(options);
  document.body.append(viewer.node);
  viewers.push(viewer);
  return viewer;
}

const q = (v: ImageViewer, sel: string): HTMLElement => v.node.querySelector<HTMLElement>(sel)!;
const text = (v: ImageViewer, sel: string): string => q(v, sel).textContent ?? '';

function pointer(
  v: ImageViewer,
  type: string,
  x: number,
  y: number,
  init: MouseEventInit = {}
): void {
  firePointer(q(v, 'canvas.rl-Viewer-canvas'), type, x, y, init);
}

function wheel(v: ImageViewer, deltaY: number): void {
  q(v, 'canvas.rl-Viewer-canvas').dispatchEvent(
    new WheelEvent('wheel', { deltaY, bubbles: true, cancelable: true })
  );
}

function key(v: ImageViewer, k: string): void {
  v.node.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
}

async function nextImage(after: number): Promise<Captured> {
  await vi.waitFor(() => expect(images.length).toBeGreaterThan(after));
  return images[images.length - 1];
}

function series(prefix: string, n: number): ImageFile[] {
  return Array.from({ length: n }, (_, i) => vectorFile(`series/${prefix}_0${i}.dcm`));
}

/** A file whose reads never finish until aborted; `reads` holds each read's signal. */
function hangingFile(name: string): { file: ImageFile; reads: (AbortSignal | undefined)[] } {
  const reads: (AbortSignal | undefined)[] = [];
  const file: ImageFile = {
    name,
    read: signal =>
      new Promise((_, reject) => {
        reads.push(signal);
        signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      })
  };
  return { file, reads };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>(r => (resolve = r));
  return { promise, resolve };
}

/** The `full` series holds value k in the last pixel of the slice at position k. */
function sliceValue(frame: DecodedFrame): number {
  return Number(frame.pixels[frame.pixels.length - 1]);
}

/**
 * The inline decoder, with every request after the first `free` waiting for `gate` (a promise, or
 * a function giving one per request); `order` lists the slices decoded, in order.
 */
function gatedDecoder(
  free: number,
  gate: Promise<void> | (() => Promise<void>)
): { decoder: ImagingDecoder; order: number[]; calls: DicomDecodeOptions[] } {
  const inner = createInlineDecoder();
  const order: number[] = [];
  const calls: DicomDecodeOptions[] = [];
  const decoder: ImagingDecoder = {
    ...inner,
    async dicom(bytes, options = {}) {
      calls.push(options);
      if (calls.length > free) await (typeof gate === 'function' ? gate() : gate);
      const out = await inner.dicom(bytes, options);
      order.push(...out.frames.map(sliceValue));
      return out;
    }
  };
  return { decoder, order, calls };
}

describe('ImageViewer', () => {
  it('shows the middle slice of a folder first, then the slices as they decode', async () => {
    const gate = deferred();
    const { decoder, order } = gatedDecoder(1, gate.promise);
    const readme: ImageFile = {
      name: 'README.txt',
      read: async () => new TextEncoder().encode('not an image')
    };
    const v = mount({ decoder, concurrency: 2 });
    const opened = v.open({ title: 'CT series', files: [...series('full', 8), readme] });
    // Headers first: the volume's geometry is known before any pixel is decoded.
    await vi.waitFor(() => expect(order).toEqual([3]));
    await vi.waitFor(() => expect(text(v, '.rl-Viewer-progress')).toBe('Loading 1/8'));
    expect(text(v, '.rl-Viewer-slice')).toBe('4 / 8');
    expect(q(v, '.rl-Viewer-pending').hidden).toBe(true);
    const middle = await nextImage(0);
    expect(middle.data[0]).toBeGreaterThan(0);
    // Scrolling works while loading; slices not yet decoded say so and draw nothing.
    expect((q(v, '.rl-Viewer-axis[data-axis="coronal"]') as HTMLButtonElement).disabled).toBe(true);
    const drawn = images.length;
    key(v, 'Home');
    expect(text(v, '.rl-Viewer-slice')).toBe('1 / 8');
    expect(text(v, '.rl-Viewer-pending')).toBe('Decoding…');
    await new Promise(r => setTimeout(r, 40));
    expect(images.length).toBe(drawn);
    gate.resolve();
    await opened;
    // Middle outwards (k 3, 2, 4, 1, 5, 0, 6, 7; two lanes may swap neighbours).
    expect(order.slice(0, 3).sort()).toEqual([2, 3, 4]);
    expect(order.slice(-2).sort()).toEqual([6, 7]);
    expect(q(v, '.rl-Viewer-progress').hidden).toBe(true);
    expect(q(v, '.rl-Viewer-pending').hidden).toBe(true);
    // The view stays where the user scrolled; slice 1 (value 0 at position 0) is drawn now.
    expect(text(v, '.rl-Viewer-slice')).toBe('1 / 8');
    expect((await nextImage(drawn)).data).not.toEqual(middle.data);
    expect(q(v, '.rl-Viewer-axis[data-axis="coronal"]').getAttribute('aria-pressed')).toBe('true');
    expect((q(v, '.rl-Viewer-axis[data-axis="axial"]') as HTMLButtonElement).disabled).toBe(false);
    expect(text(v, '.rl-Viewer-label-top')).toBe('S');
    expect(text(v, '.rl-Viewer-label-left')).toMatch(/^R/);
    expect(text(v, '.rl-Viewer-notes')).toContain('README.txt: not a DICOM file');
    expect(text(v, '.rl-Viewer-title')).toBe('CT series');
  });

  it('fills the slices one by one, middle first, showing each as it arrives', async () => {
    const steps: (() => void)[] = [];
    const { decoder, order } = gatedDecoder(
      0,
      () => new Promise<void>(resolve => steps.push(resolve))
    );
    const v = mount({ decoder, concurrency: 1 });
    const opened = v.open({ title: 'full', files: series('full', 8) });
    const release = async (n: number): Promise<void> => {
      await vi.waitFor(() => expect(steps.length).toBe(n));
      steps[n - 1]();
      await vi.waitFor(() => expect(order.length).toBe(n));
    };
    await vi.waitFor(() => expect(text(v, '.rl-Viewer-slice')).toBe('4 / 8'));
    // Allocated from the headers, nothing decoded yet.
    expect(text(v, '.rl-Viewer-pending')).toBe('Decoding…');
    expect(text(v, '.rl-Viewer-progress')).toBe('Loading 0/8');
    await release(1);
    await vi.waitFor(() => expect(q(v, '.rl-Viewer-pending').hidden).toBe(true));
    expect(text(v, '.rl-Viewer-progress')).toBe('Loading 1/8');
    key(v, 'ArrowDown'); // slice 5 (k 4): not yet decoded
    expect(text(v, '.rl-Viewer-pending')).toBe('Decoding…');
    await release(2); // k 2
    expect(text(v, '.rl-Viewer-pending')).toBe('Decoding…');
    const n = images.length;
    await release(3); // k 4: on screen, drawn at once
    await vi.waitFor(() => expect(q(v, '.rl-Viewer-pending').hidden).toBe(true));
    await nextImage(n);
    expect(text(v, '.rl-Viewer-progress')).toBe('Loading 3/8');
    for (let i = 4; i <= 8; i++) await release(i);
    await opened;
    expect(order).toEqual([3, 2, 4, 1, 5, 0, 6, 7]);
    expect(text(v, '.rl-Viewer-slice')).toBe('5 / 8');
  });

  it('notes a file that fails mid-way and reports its slice missing', async () => {
    const inner = createInlineDecoder();
    const decoder: ImagingDecoder = {
      ...inner,
      async dicom(bytes, options) {
        const out = await inner.dicom(bytes, options);
        if (sliceValue(out.frames[0]) === 5)
          throw new ImagingError({ code: 'malformed', message: 'corrupt JPEG stream' });
        return out;
      }
    };
    const v = mount({ decoder });
    await v.open({ title: 'full', files: series('full', 8) });
    const notes = text(v, '.rl-Viewer-notes');
    expect(notes).toMatch(/full_0\d\.dcm: corrupt JPEG stream/);
    expect(notes).toContain('1 slice was not decoded and show as blank.');
    expect(q(v, '.rl-Viewer-error').hidden).toBe(true);
    key(v, 'End');
    key(v, 'ArrowUp');
    key(v, 'ArrowUp');
    expect(text(v, '.rl-Viewer-slice')).toBe('6 / 8');
    expect(text(v, '.rl-Viewer-pending')).toBe('Not decoded');
    key(v, 'ArrowUp');
    expect(q(v, '.rl-Viewer-pending').hidden).toBe(true);
    // The rest is a volume: the other planes work.
    expect((q(v, '.rl-Viewer-axis[data-axis="axial"]') as HTMLButtonElement).disabled).toBe(false);
  });

  it('stops decoding when disposed or aborted while a folder loads', async () => {
    for (const how of ['abort', 'dispose'] as const) {
      const gate = deferred();
      const { decoder, order, calls } = gatedDecoder(1, gate.promise);
      const v = mount({ decoder, concurrency: 2 });
      const ctrl = new AbortController();
      const opened = v.open({ title: 'full', files: series('full', 8) }, ctrl.signal);
      await vi.waitFor(() => expect(calls.length).toBe(3));
      if (how === 'dispose') v.dispose();
      else ctrl.abort();
      expect(calls.every(c => c.signal?.aborted)).toBe(true);
      gate.resolve();
      await opened;
      await new Promise(r => setTimeout(r, 30));
      // The middle slice and the two requests in flight; nothing after.
      expect(calls.length).toBe(3);
      expect(order.length).toBeLessThanOrEqual(3);
      expect(q(v, '.rl-Viewer-error').hidden).toBe(true);
      if (how === 'abort') expect(q(v, '.rl-Viewer-progress').hidden).toBe(true);
      else expect(v.node.isConnected).toBe(false);
    }
  });

  it('decodes through the given decoder, at most `concurrency` files at once', async () => {
    const inner = createInlineDecoder();
    let active = 0;
    let peak = 0;
    const decoder: ImagingDecoder = {
      async dicom(bytes, options) {
        active++;
        peak = Math.max(peak, active);
        await new Promise(r => setTimeout(r, 5));
        try {
          return await inner.dicom(bytes, options);
        } finally {
          active--;
        }
      },
      nifti: inner.nifti,
      dispose: vi.fn()
    };
    const v = mount({ decoder, concurrency: 3 });
    await v.open({ title: 'gapped', files: series('gapped', 7) });
    expect(peak).toBe(3);
    expect(text(v, '.rl-Viewer-slice')).toMatch(/ \/ 7$/);
    expect(text(v, '.rl-Viewer-notes')).toMatch(/1 slice missing between slices 5 and 6/);
    v.dispose();
    expect(decoder.dispose).not.toHaveBeenCalled();
  });

  it('changes the window with a left drag and re-renders the pixels', async () => {
    const v = mount();
    await v.open({ title: 'u16', files: [vectorFile('dicom/u16_explicit_le.dcm')] });
    expect(text(v, '.rl-Viewer-window')).toBe('W 400 L 1000');
    const before = await nextImage(0);
    const count = images.length;
    // Stored 0..4095 → -1024..7166: 8 window units per pixel (Cornerstone's range/1024).
    pointer(v, 'pointerdown', 100, 100, { button: 0 });
    pointer(v, 'pointermove', 110, 95);
    pointer(v, 'pointerup', 110, 95);
    expect(text(v, '.rl-Viewer-window')).toBe('W 480 L 960');
    expect((q(v, '.rl-Viewer-preset') as HTMLSelectElement).value).toBe('custom');
    const after = await nextImage(count);
    expect(after.data).not.toEqual(before.data);
    // A later move without a button does not drag.
    pointer(v, 'pointermove', 300, 300);
    expect(text(v, '.rl-Viewer-window')).toBe('W 480 L 960');
    // R resets to the file's first window.
    key(v, 'r');
    expect(text(v, '.rl-Viewer-window')).toBe('W 400 L 1000');
    // Presets apply in modality values.
    const select = q(v, '.rl-Viewer-preset') as HTMLSelectElement;
    select.value = 'ct-lung';
    select.dispatchEvent(new Event('change'));
    expect(text(v, '.rl-Viewer-window')).toBe('W 1500 L -600');
    expect([...select.options].map(o => o.textContent)).toContain('File window 2 (W 800 L 2000)');
  });

  it('zooms with a right drag, pans with shift, and reads the pixel under the cursor', async () => {
    const v = mount();
    await v.open({ title: 'u16', files: [vectorFile('dicom/u16_explicit_le.dcm')] });
    // 64×64 at 0.75 × 0.5 mm fitted into 512×512: 8 px per column, 5.33 per row, top at 85.3.
    pointer(v, 'pointermove', 4, 88);
    expect(text(v, '.rl-Viewer-cursor')).toMatch(
      /^x 0 y 0 · 0 → -1024 · LPS -10\.5, 20\.0, 30\.\d mm$/
    );
    pointer(v, 'pointermove', 8 * 10 + 4, 256 - (64 * 16) / 6 + (16 / 3) * 2.5);
    expect(text(v, '.rl-Viewer-cursor')).toMatch(/^x 10 y 2 · 138 → -748 · LPS -3\.0, 21\.0, /);
    pointer(v, 'pointermove', 4, 10);
    expect(text(v, '.rl-Viewer-cursor')).toBe('');
    // the real scale, not 100% for "fitted": 5.33 screen pixels per 0.5 mm row
    expect(text(v, '.rl-Viewer-zoom')).toBe('Zoom 533% (fit)');
    expect(q(v, '.rl-Viewer-zoom').title).toMatch(
      /^1 image pixel = 5\.33 screen pixels; 1 cm = 107 px; fitted/
    );
    pointer(v, 'pointerdown', 256, 256, { button: 2 });
    pointer(v, 'pointermove', 256, 256 + 69.3);
    pointer(v, 'pointerup', 256, 325);
    expect(text(v, '.rl-Viewer-zoom')).toBe('Zoom 1067%');
    pointer(v, 'pointerdown', 256, 256, { button: 0, shiftKey: true });
    pointer(v, 'pointermove', 300, 256);
    pointer(v, 'pointerup', 300, 256);
    expect(text(v, '.rl-Viewer-window')).toBe('W 400 L 1000');
    key(v, 'R');
    expect(text(v, '.rl-Viewer-zoom')).toBe('Zoom 533% (fit)');
  });

  it('steps through slices with the wheel, the keyboard and the slider', async () => {
    const v = mount();
    await v.open({ title: 'full', files: series('full', 8) });
    key(v, 'Home');
    expect(text(v, '.rl-Viewer-slice')).toBe('1 / 8');
    const n = images.length;
    wheel(v, 100);
    expect(text(v, '.rl-Viewer-slice')).toBe('2 / 8');
    // Pixel value k at position k: the rendered slice changes.
    await nextImage(n);
    wheel(v, 10);
    wheel(v, 10);
    expect(text(v, '.rl-Viewer-slice')).toBe('2 / 8');
    wheel(v, 25);
    expect(text(v, '.rl-Viewer-slice')).toBe('3 / 8');
    wheel(v, -100);
    key(v, 'ArrowDown');
    key(v, 'ArrowDown');
    expect(text(v, '.rl-Viewer-slice')).toBe('4 / 8');
    key(v, 'End');
    expect(text(v, '.rl-Viewer-slice')).toBe('8 / 8');
    wheel(v, 100);
    expect(text(v, '.rl-Viewer-slice')).toBe('8 / 8');
    key(v, 'PageUp');
    expect(text(v, '.rl-Viewer-slice')).toBe('7 / 8');
    const slider = q(v, '.rl-Viewer-sliceRange') as HTMLInputElement;
    slider.value = '0';
    slider.dispatchEvent(new Event('input'));
    expect(text(v, '.rl-Viewer-slice')).toBe('1 / 8');
  });

  it('follows the slice on screen in the header panel, in every plane', async () => {
    const v = mount();
    await v.open({ title: 'CT series', files: series('full', 8) });
    const headerRow = (name: string): string => {
      const row = [...v.node.querySelectorAll('.rl-Viewer-headerTable tr')].find(
        tr => tr.querySelector('th')?.textContent === name
      );
      return row?.querySelector('td')?.textContent ?? '';
    };
    const section = (): string[] =>
      [...v.node.querySelectorAll('.rl-Viewer-headerSection')].map(s => s.textContent ?? '');
    // 'full': slice k (in position order) is instance k + 1; the view starts on the middle one
    expect(text(v, '.rl-Viewer-slice')).toBe('4 / 8');
    expect(headerRow('Slice')).toBe('4 / 8');
    expect(headerRow('Instance Number')).toBe('4');
    expect(headerRow('Plane')).toBe('Coronal');
    expect(section()).toEqual(['Displayed slice', 'File full_' + section()[1].slice(10)]);
    const position = headerRow('Image Position (Patient)');
    key(v, 'Home');
    expect(headerRow('Slice')).toBe('1 / 8');
    expect(headerRow('Instance Number')).toBe('1');
    expect(headerRow('Image Position (Patient)')).not.toBe(position);
    wheel(v, 40);
    expect(headerRow('Instance Number')).toBe('2');
    // another plane crosses every image: the header is the one through the point of interest
    (q(v, '.rl-Viewer-axis[data-axis="axial"]') as HTMLButtonElement).click();
    expect(headerRow('Plane')).toBe('Axial');
    expect(headerRow('Slice')).toBe(text(v, '.rl-Viewer-slice'));
    expect(section()[1]).toMatch(/^Image through the point of interest: full_\d+\.dcm$/);
    expect(headerRow('Instance Number')).toBe('2');
  });

  it('keeps the point of interest when the plane changes, and moves it on a click', async () => {
    const v = mount();
    // int16_scl: 4 × 5 × 6 voxels, shown axial 5 × 4 (its i runs along A/P)
    await v.open({ title: 'scl', files: [vectorFile('nifti/int16_scl.nii')] });
    expect(text(v, '.rl-Viewer-slice')).toBe('3 / 6');
    key(v, 'Home');
    key(v, 'ArrowDown');
    expect(text(v, '.rl-Viewer-slice')).toBe('2 / 6');
    const axis = (a: string): void =>
      (q(v, `.rl-Viewer-axis[data-axis="${a}"]`) as HTMLButtonElement).click();
    axis('coronal');
    const coronal = text(v, '.rl-Viewer-slice');
    key(v, 'End');
    axis('axial');
    // back on the slice the user left, not the middle one
    expect(text(v, '.rl-Viewer-slice')).toBe('2 / 6');
    axis('coronal');
    expect(text(v, '.rl-Viewer-slice')).not.toBe(coronal);
    expect(text(v, '.rl-Viewer-slice')).toMatch(/^(\d+) \/ \1$/);
    axis('axial');
    // a click (no drag) on screen pixel (0, 0) moves the point there: the sagittal and coronal
    // slices go through it. 5×4 pixels of 1.5 × 2 mm fitted in 512²: 96 × 128 px, left edge 16.
    const window = text(v, '.rl-Viewer-window');
    expect(strokes).toEqual([]);
    const drawn = images.length;
    pointer(v, 'pointerdown', 20, 10, { button: 0 });
    pointer(v, 'pointerup', 20, 10, { button: 0 });
    expect(text(v, '.rl-Viewer-window')).toBe(window);
    // the point is marked on pixel (0, 0)'s centre: (16 + 48, 64) on a device pixel, arms 8 px
    await nextImage(drawn);
    expect(strokes.slice(-2)).toEqual([
      [56.5, 64.5],
      [64.5, 56.5]
    ]);
    expect(q(v, '.rl-Viewer-error').hidden).toBe(true);
    axis('sagittal');
    const sagittalAtLeft = text(v, '.rl-Viewer-slice');
    axis('axial');
    expect(text(v, '.rl-Viewer-slice')).toBe('2 / 6');
    // screen pixel (4, 3), the other corner: patient left instead of right
    pointer(v, 'pointerdown', 490, 500, { button: 0 });
    pointer(v, 'pointerup', 490, 500, { button: 0 });
    axis('sagittal');
    const sagittalAtRight = text(v, '.rl-Viewer-slice');
    expect(sagittalAtRight).not.toBe(sagittalAtLeft);
    // a drag is window/level, not a click: the point stays
    axis('axial');
    pointer(v, 'pointerdown', 20, 10, { button: 0 });
    pointer(v, 'pointermove', 60, 10);
    pointer(v, 'pointerup', 60, 10, { button: 0 });
    expect(text(v, '.rl-Viewer-window')).not.toBe(window);
    axis('sagittal');
    expect(text(v, '.rl-Viewer-slice')).toBe(sagittalAtRight);
  });

  it('numbers the slice slider from 1 for screen readers', async () => {
    const v = mount();
    await v.open({ title: 'scl', files: [vectorFile('nifti/int16_scl.nii')] });
    const range = q(v, '.rl-Viewer-sliceRange');
    expect(range.getAttribute('aria-valuetext')).toBe('Axial slice 3 of 6');
    key(v, 'Home');
    expect(range.getAttribute('aria-valuetext')).toBe('Axial slice 1 of 6');
  });

  it('says a DICOM file is truncated (N of M bytes) and still shows its header', async () => {
    const full = vector('dicom/s16_explicit_le.dcm');
    const cut = full.slice(0, full.length - 300);
    const v = mount();
    await v.open({ title: 'cut.dcm', files: [{ name: 'cut.dcm', read: async () => cut.slice() }] });
    expect(text(v, '.rl-Viewer-errorTitle')).toBe('Cannot open cut.dcm');
    expect(text(v, '.rl-Viewer-errorMessage')).toBe(
      `The file is truncated (${cut.length} of ${full.length} bytes): its pixel data cannot be read.`
    );
    expect(text(v, '.rl-Viewer-errorHint')).toMatch(/copy the file again/);
    expect(q(v, '.rl-Viewer-header').hidden).toBe(false);
    expect(text(v, '.rl-Viewer-headerTable')).toContain('64 × 64');
    expect(text(v, '.rl-Viewer-headerTable')).toContain(PHI_MASK);

    // in a folder, the cut file is skipped with the same words
    const files = series('full', 8);
    const bad = files[2];
    files[2] = {
      name: bad.name,
      read: async () => {
        const b = await bad.read();
        return b.slice(0, b.length - 10);
      }
    };
    await v.open({ title: 'series', files });
    expect(text(v, '.rl-Viewer-notes')).toMatch(
      new RegExp(`${bad.name}: The file is truncated \\(\\d+ of \\d+ bytes\\)`)
    );
  });

  it('masks PHI by default and reveals it only after confirmation', async () => {
    const confirm = vi.fn<() => Promise<boolean>>().mockResolvedValue(false);
    const v = mount({ confirmRevealPhi: confirm });
    await v.open({ title: 'u8', files: [vectorFile('dicom/u8_explicit_le.dcm')] });
    const header = q(v, '.rl-Viewer-header');
    expect(header.hidden).toBe(false);
    const all = (): string => v.node.textContent ?? '';
    for (const secret of [
      'Doe^Jane',
      'RADLAB-0001',
      '19700101',
      'ACC123',
      'Radlab General',
      'House'
    ])
      expect(all()).not.toContain(secret);
    expect(text(v, '.rl-Viewer-headerTable')).toContain(PHI_MASK);
    expect(text(v, '.rl-Viewer-headerTable')).toContain("Patient's Name");
    const button = q(v, '.rl-Viewer-reveal') as HTMLButtonElement;
    expect(button.textContent).toBe('Show patient data');
    button.click();
    await vi.waitFor(() => expect(confirm).toHaveBeenCalledTimes(1));
    await new Promise(r => setTimeout(r, 10));
    expect(all()).not.toContain('Doe^Jane');
    confirm.mockResolvedValue(true);
    button.click();
    await vi.waitFor(() => expect(all()).toContain('Doe^Jane'));
    expect(all()).toContain('RADLAB-0001');
    expect(button.textContent).toBe('Hide patient data');
    // Status and labels never carry PHI even when revealed.
    expect(text(v, '.rl-Viewer-status')).not.toContain('Doe');
    button.click();
    expect(all()).not.toContain('Doe^Jane');
    expect(button.textContent).toBe('Show patient data');
  });

  it('masks the free-text NIfTI description and shows NIfTI header fields', async () => {
    const v = mount();
    await v.open({ title: 'scl', files: [vectorFile('nifti/int16_scl.nii')] });
    expect(text(v, '.rl-Viewer-headerTable')).toContain('NIfTI-1');
    expect(text(v, '.rl-Viewer-headerTable')).toContain('2 / -10');
    expect(text(v, '.rl-Viewer-slice')).toBe('3 / 6');
    expect(text(v, '.rl-Viewer-label-top')).toBe('A');
    // Middle slice, screen (0,0) = voxel (3, 0, 2): stored 43 → 2·43 − 10 = 76, RAS shown.
    // 5×4 pixels of 1.5 × 2 mm fitted into 512×512: 96 × 128 px each, left edge at 16.
    pointer(v, 'pointermove', 64, 64);
    expect(text(v, '.rl-Viewer-cursor')).toMatch(/^x 0 y 0 · 43 → 76 · RAS /);
  });

  it('shows errors in the view with what to do, and never rejects', async () => {
    const v = mount();
    await expect(
      v.open({ title: 'fake.dcm', files: [vectorFile('nifti/float32.nii', 'fake.dcm')] })
    ).resolves.toBeUndefined();
    const error = q(v, '.rl-Viewer-error');
    expect(error.hidden).toBe(false);
    expect(text(v, '.rl-Viewer-errorTitle')).toBe('Cannot open fake.dcm');
    expect(text(v, '.rl-Viewer-errorMessage')).toMatch(/DICOM/);
    expect(text(v, '.rl-Viewer-errorHint')).not.toBe('');

    const truncated = vector('nifti/int16_qform.nii').slice(0, 360);
    await v.open({ title: 'cut.nii', files: [{ name: 'cut.nii', read: async () => truncated }] });
    expect(text(v, '.rl-Viewer-errorMessage')).toMatch(/truncated/);

    const small = mount({ maxBytes: 1000 });
    await small.open({ title: 'big', files: [vectorFile('dicom/u16_explicit_le.dcm')] });
    expect(text(small, '.rl-Viewer-errorMessage')).toMatch(/over the viewer's .* limit/);

    const failing: ImageFile = {
      name: 'x.dcm',
      read: async () => {
        throw new Error('permission denied');
      }
    };
    await v.open({ title: '<img src=x onerror=alert(1)>', files: [failing] });
    expect(text(v, '.rl-Viewer-errorMessage')).toBe('permission denied');
    expect(v.node.querySelector('img')).toBeNull();
    expect(text(v, '.rl-Viewer-title')).toBe('<img src=x onerror=alert(1)>');

    // A good open afterwards clears the error.
    await v.open({ title: 'ok', files: [vectorFile('dicom/u8_explicit_le.dcm')] });
    expect(q(v, '.rl-Viewer-error').hidden).toBe(true);
  });

  it('ignores a header window the VOI LUT cannot apply', async () => {
    const inner = createInlineDecoder();
    const decoder: ImagingDecoder = {
      ...inner,
      async dicom(bytes, options) {
        const out = await inner.dicom(bytes, options);
        return { ...out, header: { ...out.header, windowCenters: [40], windowWidths: [0] } };
      }
    };
    const v = mount({ decoder });
    await v.open({ title: 'u8', files: [vectorFile('dicom/u8_explicit_le.dcm')] });
    await nextImage(0);
    expect(q(v, '.rl-Viewer-error').hidden).toBe(true);
    expect((q(v, '.rl-Viewer-preset') as HTMLSelectElement).value).toBe('auto');
  });

  it('opens a .hdr/.img pair, MONOCHROME1 inverted and RGB without a window', async () => {
    const single = vector('nifti/int16_qform.nii');
    const offset = new DataView(single.buffer, single.byteOffset).getFloat32(108, true);
    const hdr = single.slice(0, 348);
    hdr.set([0x6e, 0x69, 0x31, 0], 344); // "ni1": the pair form
    hdr.set([0, 0, 0, 0], 108);
    const img = single.slice(offset);
    const v = mount();
    await v.open({
      title: 'pair',
      files: [
        { name: 'brain.img', read: async () => img },
        { name: 'brain.hdr', read: async () => hdr }
      ]
    });
    expect(q(v, '.rl-Viewer-error').hidden).toBe(true);
    expect(text(v, '.rl-Viewer-slice')).toBe('3 / 6');

    const n = images.length;
    await v.open({ title: 'm2', files: [vectorFile('dicom/u8_explicit_le.dcm')] });
    const m2 = await nextImage(n);
    await v.open({ title: 'm1', files: [vectorFile('dicom/u8_monochrome1.dcm')] });
    const m1 = await nextImage(images.length);
    // Same stored pixels, MONOCHROME1: the minimum is white.
    expect([m2.data[0], m1.data[0]]).toEqual([0, 255]);
    expect(m1.data[4 * 4095]).toBe(255 - m2.data[4 * 4095]);

    await v.open({ title: 'rgb', files: [vectorFile('dicom/rgb8_planar1.dcm')] });
    const rgb = await nextImage(images.length);
    expect(text(v, '.rl-Viewer-window')).toBe('RGB');
    expect((q(v, '.rl-Viewer-preset') as HTMLSelectElement).disabled).toBe(true);
    // Pixel (x=1, y=2): (x·8, y·8, (x+y)·4).
    expect([...rgb.data.subarray((2 * 32 + 1) * 4, (2 * 32 + 1) * 4 + 4)]).toEqual([
      8, 16, 12, 255
    ]);
    pointer(v, 'pointerdown', 100, 100, { button: 0 });
    pointer(v, 'pointermove', 150, 100);
    expect(text(v, '.rl-Viewer-window')).toBe('RGB');
  });

  it('shows 4D NIfTI frames with a slider and reslices on the axis buttons', async () => {
    const v = mount();
    await v.open({ title: '4d', files: [vectorFile('nifti/float32_4d.nii.gz')] });
    const frame = q(v, '.rl-Viewer-frame') as HTMLInputElement;
    expect(frame.parentElement!.hidden).toBe(false);
    expect(frame.max).toBe('4');
    expect(text(v, '.rl-Viewer-frameLabel')).toBe('Frame 1/5');
    const n = images.length;
    frame.value = '2';
    frame.dispatchEvent(new Event('input'));
    expect(text(v, '.rl-Viewer-frameLabel')).toBe('Frame 3/5');
    await nextImage(n);
    expect(text(v, '.rl-Viewer-slice')).toBe('1 / 2');
    (q(v, '.rl-Viewer-axis[data-axis="sagittal"]') as HTMLButtonElement).click();
    expect(text(v, '.rl-Viewer-slice')).toBe('2 / 3');
    expect(text(v, '.rl-Viewer-label-left')).toBe('A');
    expect(q(v, '.rl-Viewer-axis[data-axis="sagittal"]').getAttribute('aria-pressed')).toBe('true');
  });

  it('blends a label-map overlay with adjustable opacity', async () => {
    const v = mount();
    await v.open({ title: 'scl', files: [vectorFile('nifti/int16_scl.nii')] });
    const plain = await nextImage(0);
    const n = images.length;
    await v.addOverlay(vectorFile('nifti/int16_qform.nii', 'labels.nii'));
    const opacity = q(v, '.rl-Viewer-opacity') as HTMLInputElement;
    expect(opacity.parentElement!.hidden).toBe(false);
    const blended = await nextImage(n);
    expect(blended.data).not.toEqual(plain.data);
    // the legend: each label's colour and value (no colour table beside this file: no names)
    const legend = q(v, '.rl-Viewer-legend');
    expect(legend.hidden).toBe(false);
    expect(legend.querySelector('.rl-Viewer-legendItem')?.textContent).toBe('1');
    const m = images.length;
    opacity.value = '0';
    opacity.dispatchEvent(new Event('input'));
    expect(text(v, '.rl-Viewer-opacityLabel')).toBe('Overlay 0%');
    expect((await nextImage(m)).data).toEqual(plain.data);

    await v.addOverlay(vectorFile('nifti/float32_4d.nii.gz'));
    expect(text(v, '.rl-Viewer-errorMessage')).toMatch(/is 3×4×2, the image is 4×5×6/);
  });

  it('offers an Overlay… button that asks the host for a label map', async () => {
    let answer: ImageFile | undefined = vectorFile('nifti/int16_qform.nii', 'labels.nii');
    const pickOverlay = vi.fn(() => Promise.resolve(answer));
    const v = mount({ pickOverlay });
    const button = q(v, '.rl-Viewer-addOverlay') as HTMLButtonElement;
    expect(button.textContent).toBe('Overlay…');
    expect(button.disabled).toBe(true);
    await v.open({ title: 'scl', files: [vectorFile('nifti/int16_scl.nii')] });
    const plain = await nextImage(0);
    expect(button.disabled).toBe(false);
    const n = images.length;
    button.click();
    await vi.waitFor(() => expect(q(v, '.rl-Viewer-opacity').parentElement!.hidden).toBe(false));
    expect(pickOverlay).toHaveBeenCalledTimes(1);
    expect((await nextImage(n)).data).not.toEqual(plain.data);

    // cancelling the dialog changes nothing; a failing host shows in the error box
    answer = undefined;
    button.click();
    await vi.waitFor(() => expect(pickOverlay).toHaveBeenCalledTimes(2));
    expect(q(v, '.rl-Viewer-error').hidden).toBe(true);
    pickOverlay.mockImplementationOnce(() => Promise.reject(new Error('no such file')));
    button.click();
    await vi.waitFor(() => expect(text(v, '.rl-Viewer-errorMessage')).toBe('no such file'));
    expect(text(v, '.rl-Viewer-errorTitle')).toBe('Cannot choose an overlay');
  });

  it('removes the overlay: the image alone again, its controls gone, Overlay… free again', async () => {
    const pickOverlay = vi.fn(() =>
      Promise.resolve<ImageFile | undefined>(vectorFile('nifti/int16_qform.nii', 'labels.nii'))
    );
    const v = mount({ pickOverlay });
    const remove = q(v, '.rl-Viewer-removeOverlay') as HTMLButtonElement;
    expect(remove.getAttribute('aria-label')).toBe('Remove overlay');
    expect(remove.title).not.toBe('');
    expect(remove.hidden).toBe(true);
    await v.open({ title: 'scl', files: [vectorFile('nifti/int16_scl.nii')] });
    const plain = await nextImage(0);

    // removing with nothing shown does nothing
    let n = images.length;
    v.removeOverlay();
    await new Promise(r => setTimeout(r, 40));
    expect(images.length).toBe(n);
    expect(q(v, '.rl-Viewer-error').hidden).toBe(true);

    const add = q(v, '.rl-Viewer-addOverlay') as HTMLButtonElement;
    add.click();
    await vi.waitFor(() => expect(remove.hidden).toBe(false));
    expect(v.hasOverlay).toBe(true);
    expect(q(v, '.rl-Viewer-opacity').parentElement!.hidden).toBe(false);
    // beside the opacity slider
    expect(q(v, '.rl-Viewer-opacityBox').nextElementSibling).toBe(remove);
    expect((await nextImage(n)).data).not.toEqual(plain.data);

    n = images.length;
    remove.focus();
    remove.click();
    expect(v.hasOverlay).toBe(false);
    expect(remove.hidden).toBe(true);
    expect(q(v, '.rl-Viewer-opacity').parentElement!.hidden).toBe(true);
    expect(text(v, '.rl-Viewer-opacityLabel')).toBe('Overlay');
    // the hidden button gives the keyboard focus to the way to choose another
    expect(document.activeElement).toBe(add);
    expect((await nextImage(n)).data).toEqual(plain.data);

    // twice: harmless
    n = images.length;
    v.removeOverlay();
    remove.click();
    await new Promise(r => setTimeout(r, 40));
    expect(images.length).toBe(n);
    expect(q(v, '.rl-Viewer-error').hidden).toBe(true);

    // Overlay… shows one again; the next image to open starts without it
    expect(add.disabled).toBe(false);
    n = images.length;
    add.click();
    await vi.waitFor(() => expect(remove.hidden).toBe(false));
    expect(pickOverlay).toHaveBeenCalledTimes(2);
    expect((await nextImage(n)).data).not.toEqual(plain.data);
    await v.open({ title: 'scl', files: [vectorFile('nifti/int16_scl.nii')] });
    expect(v.hasOverlay).toBe(false);
    expect(remove.hidden).toBe(true);
  });

  it('removing stops an overlay still loading', async () => {
    const { file: hanging, reads } = hangingFile('labels.nii');
    const v = mount();
    await v.open({ title: 'scl', files: [vectorFile('nifti/int16_scl.nii')] });
    const added = v.addOverlay(hanging);
    await vi.waitFor(() => expect(reads).toHaveLength(1));
    v.removeOverlay();
    expect(reads[0]!.aborted).toBe(true);
    await expect(added).resolves.toBeUndefined();
    expect(v.hasOverlay).toBe(false);
    expect(q(v, '.rl-Viewer-removeOverlay').hidden).toBe(true);
    expect(q(v, '.rl-Viewer-error').hidden).toBe(true);

    // a newer choice wins over one still loading
    const first = v.addOverlay(hanging);
    await vi.waitFor(() => expect(reads).toHaveLength(2));
    await v.addOverlay(vectorFile('nifti/int16_qform.nii', 'labels.nii'));
    expect(reads[1]!.aborted).toBe(true);
    await first;
    expect(v.hasOverlay).toBe(true);
    expect(q(v, '.rl-Viewer-error').hidden).toBe(true);
  });

  it("keeps no reference to a removed overlay's voxels", async () => {
    // V8's gc, for this test only: a WeakRef shows whether anything still holds the voxels.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const inner = createInlineDecoder();
    let voxels: WeakRef<ArrayBufferLike> | undefined;
    const decoder: ImagingDecoder = {
      ...inner,
      async nifti(bytes, name, options) {
        const out = await inner.nifti(bytes, name, options);
        if (name === 'labels.nii') voxels = new WeakRef(out.data.buffer);
        return out;
      }
    };
    const v = mount({ decoder });
    await v.open({ title: 'scl', files: [vectorFile('nifti/int16_scl.nii')] });
    let n = images.length;
    await v.addOverlay(vectorFile('nifti/int16_qform.nii', 'labels.nii'));
    await nextImage(n);
    const collected = async (): Promise<boolean> => {
      // a WeakRef keeps its target alive until the current job ends
      await new Promise(r => setTimeout(r, 0));
      gc();
      return voxels!.deref() === undefined;
    };
    expect(await collected()).toBe(false);
    n = images.length;
    v.removeOverlay();
    await nextImage(n);
    expect(await collected()).toBe(true);
  });

  it('registers every listener with the signal dispose aborts', async () => {
    const spy = vi.spyOn(EventTarget.prototype, 'addEventListener');
    const v = mount({ pickOverlay: () => Promise.resolve(undefined) });
    const options = spy.mock.calls
      .filter(([, , o]) => !(typeof o === 'object' && o?.once))
      .map(([, , o]) => (typeof o === 'object' ? o.signal : undefined));
    spy.mockRestore();
    expect(options.length).toBeGreaterThan(10);
    expect(options.every(s => s !== undefined && !s.aborted)).toBe(true);
    v.dispose();
    expect(options.every(s => s!.aborted)).toBe(true);
  });

  it('has no Overlay… button without a host picker', () => {
    expect(mount().node.querySelector('.rl-Viewer-addOverlay')).toBeNull();
  });

  it('dispose aborts in-flight reads and removes listeners, timers and the node', async () => {
    const { file: hanging, reads } = hangingFile('slow.dcm');
    const v = mount();
    await v.open({ title: 'full', files: series('full', 8) });
    const cancel = vi.spyOn(window, 'cancelAnimationFrame');
    wheel(v, 100); // schedules a frame
    const opened = v.open({ title: 'slow', files: [hanging] });
    await vi.waitFor(() => expect(reads).toHaveLength(1));
    v.dispose();
    expect(reads[0]!.aborted).toBe(true);
    await expect(opened).resolves.toBeUndefined();
    expect(v.node.isConnected).toBe(false);
    expect(cancel).toHaveBeenCalled();
    const slice = text(v, '.rl-Viewer-slice');
    wheel(v, 100);
    key(v, 'ArrowDown');
    expect(text(v, '.rl-Viewer-slice')).toBe(slice);
    expect(q(v, '.rl-Viewer-error').hidden).toBe(true);
    await v.open({ title: 'late', files: series('full', 1) });
    expect(text(v, '.rl-Viewer-title')).toBe('slow');
  });

  it('aborts an open when the caller aborts its signal', async () => {
    const { file: hanging, reads } = hangingFile('slow.dcm');
    const v = mount();
    const ctrl = new AbortController();
    const opened = v.open({ title: 'slow', files: [hanging] }, ctrl.signal);
    await vi.waitFor(() => expect(reads).toHaveLength(1));
    ctrl.abort();
    await opened;
    expect(reads[0]!.aborted).toBe(true);
    expect(q(v, '.rl-Viewer-error').hidden).toBe(true);
    expect(q(v, '.rl-Viewer-progress').hidden).toBe(true);
  });
});
