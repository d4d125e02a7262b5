// ImageViewer: the DICOM/NIfTI slice view shared by the JupyterLab widget and the VS Code webview.
// Plain DOM and a 2D canvas; hosts only build an ImageSource and place `viewer.node`.
//
// Mouse (Cornerstone/OHIF conventions): left-drag window/level, wheel slices, right- or ctrl-drag
// zoom, middle- or shift-drag pan. Keys: arrows and PageUp/PageDown slices, Home/End, R resets.
import {
  AXES,
  ImagingError,
  PHI_MASK,
  createInlineDecoder,
  volumeFromNifti,
  type Axis,
  type DicomImage,
  type ImagingDecoder,
  type Slice,
  type VoiWindow,
  type Volume
} from '@radlab/imaging';
import { el } from '../element.js';
import { dicomHeaderRows, niftiHeaderRows, type HeaderRow } from './header.js';
import {
  DEFAULT_MAX_BYTES,
  isAbort,
  loadDicom,
  loadNifti,
  ownBuffer,
  readBytes,
  type LoadedDicom,
  type LoadedNifti,
  type LoadPhase
} from './loader.js';
import { acquisitionPlane, indexPlanes, planeCount, planeSlice, sameGrid } from './planes.js';
import { blendLabels, renderRgba } from './render.js';
import { planSource, type ImageFile, type ImageSource } from './source.js';
import {
  place,
  screenToImage,
  zoomAbout,
  zoomFactorForDrag,
  type Layout,
  type ViewState
} from './viewport.js';
import {
  CT_PRESETS,
  autoWindow,
  dragMultiplier,
  dragWindow,
  formatNumber,
  formatWindow,
  quantiles
} from './windowing.js';

export interface ImageViewerOptions {
  /** Decoder (a worker pool in the hosts); default: decode on this thread. */
  decoder?: ImagingDecoder;
  /** Asked before identifying attributes are shown; without it the button click is the consent. */
  confirmRevealPhi?: () => Promise<boolean>;
  /** Files of a DICOM folder read and decoded at once (default 4). */
  concurrency?: number;
  /** Largest file, image or volume in bytes (default 1 GiB). */
  maxBytes?: number;
  /** Document to build in (default: the global one). */
  document?: Document;
  /** Lets the user choose a label map to show over the image (an "Overlay…" button); undefined: cancelled. */
  pickOverlay?: () => Promise<ImageFile | undefined>;
}

type Loaded = LoadedDicom | LoadedNifti;
type DragMode = 'window' | 'zoom' | 'pan';

interface Drag {
  mode: DragMode;
  pointerId: number;
  x0: number;
  y0: number;
  /** Canvas-relative start, for zooming about it. */
  cx: number;
  cy: number;
  window: VoiWindow;
  view: ViewState;
}

interface Overlay {
  volume: Volume;
  opacity: number;
}

const FIT: ViewState = { zoom: 1, panX: 0, panY: 0 };
const AXIS_LABELS: Record<Axis, string> = {
  axial: 'Axial',
  coronal: 'Coronal',
  sagittal: 'Sagittal'
};
const WHEEL_STEP = 40;

/** A header window the VOI LUT accepts (a zero or negative width would throw). */
function usableWindow(w: VoiWindow): boolean {
  const min = w.fn === 'LINEAR' || w.fn === undefined ? 1 : Number.MIN_VALUE;
  return Number.isFinite(w.center) && Number.isFinite(w.width) && w.width >= min;
}

function errorText(err: unknown): { message: string; hint: string } {
  if (err instanceof ImagingError) return { message: err.message, hint: err.hint };
  const message = err instanceof Error ? err.message : String(err);
  return { message, hint: 'Check that the file is a DICOM or NIfTI image and open it again.' };
}

export class ImageViewer {
  readonly node: HTMLElement;

  private readonly doc: Document;
  private readonly decoder: ImagingDecoder;
  private readonly ownsDecoder: boolean;
  private readonly options: ImageViewerOptions;
  private readonly listeners = new AbortController();
  private load: AbortController | undefined;
  private disposed = false;
  private frameRequest: { cancel(): void } | undefined;
  private resizeObserver: ResizeObserver | undefined;

  // DOM
  private readonly title: HTMLElement;
  private readonly axisButtons = new Map<Axis, HTMLButtonElement>();
  private readonly presetSelect: HTMLSelectElement;
  private readonly frameInput: HTMLInputElement;
  private readonly frameLabel: HTMLElement;
  private readonly opacityInput: HTMLInputElement;
  private readonly opacityLabel: HTMLElement;
  private readonly overlayButton: HTMLButtonElement | undefined;
  private readonly removeOverlayButton: HTMLButtonElement;
  private readonly stage: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly labels: Record<'top' | 'bottom' | 'left' | 'right', HTMLElement>;
  private readonly progress: HTMLElement;
  private readonly pending: HTMLElement;
  private readonly errorBox: HTMLElement;
  private readonly sliceInput: HTMLInputElement;
  private readonly windowText: HTMLElement;
  private readonly sliceText: HTMLElement;
  private readonly cursorText: HTMLElement;
  private readonly zoomText: HTMLElement;
  private readonly notes: HTMLElement;
  private readonly header: HTMLDetailsElement;
  private readonly revealButton: HTMLButtonElement;
  private readonly headerTable: HTMLTableElement;

  // State
  private loaded: Loaded | undefined;
  private volume: Volume | undefined;
  private axis: Axis = 'axial';
  private index = 0;
  private frame = 0;
  private window: VoiWindow = { center: 0, width: 1 };
  private defaultWindow: VoiWindow = { center: 0, width: 1 };
  private fileWindows: { label: string; window: VoiWindow }[] = [];
  private auto: VoiWindow = { center: 0, width: 1 };
  private multiplier = 1;
  private view: ViewState = FIT;
  private mpr = false;
  private slice: Slice | undefined;
  private sliceKey = '';
  private overlay: Overlay | undefined;
  /** The label map being read and decoded (addOverlay); a newer one or removeOverlay aborts it. */
  private overlayLoad: AbortController | undefined;
  private drag: Drag | undefined;
  private wheel = 0;
  private revealed: DicomImage | 'nifti' | undefined;
  private notesList: string[] = [];
  /** A folder's volume is still filling in. */
  private decoding = false;
  /** The automatic window still awaits its first decoded slice. */
  private autoPending = false;

  constructor(options: ImageViewerOptions = {}) {
    this.options = options;
    this.doc = options.document ?? globalThis.document;
    this.decoder = options.decoder ?? createInlineDecoder();
    this.ownsDecoder = options.decoder === undefined;
    const d = this.doc;
    const on = { signal: this.listeners.signal };

    this.node = el(d, 'div', 'rl-Viewer');
    this.node.tabIndex = 0;
    this.node.setAttribute('role', 'application');
    this.node.setAttribute('aria-label', 'Image viewer');

    const toolbar = el(d, 'div', 'rl-Viewer-toolbar');
    this.title = el(d, 'span', 'rl-Viewer-title');
    const axes = el(d, 'div', 'rl-Viewer-axes');
    axes.setAttribute('role', 'group');
    axes.setAttribute('aria-label', 'Plane');
    for (const axis of AXES) {
      const b = el(d, 'button', 'rl-Viewer-axis', AXIS_LABELS[axis]);
      b.type = 'button';
      b.dataset.axis = axis;
      b.disabled = true;
      b.setAttribute('aria-pressed', 'false');
      b.addEventListener('click', () => this.setAxis(axis), on);
      this.axisButtons.set(axis, b);
      axes.append(b);
    }
    this.presetSelect = el(d, 'select', 'rl-Viewer-preset');
    this.presetSelect.setAttribute('aria-label', 'Window preset');
    this.presetSelect.disabled = true;
    this.presetSelect.addEventListener('change', () => this.applyPreset(), on);

    const frameBox = el(d, 'label', 'rl-Viewer-frameBox');
    this.frameLabel = el(d, 'span', 'rl-Viewer-frameLabel');
    this.frameInput = el(d, 'input', 'rl-Viewer-frame');
    this.frameInput.type = 'range';
    this.frameInput.min = '0';
    this.frameInput.step = '1';
    this.frameInput.addEventListener(
      'input',
      () => this.setFrame(Number(this.frameInput.value)),
      on
    );
    frameBox.append(this.frameLabel, this.frameInput);
    frameBox.hidden = true;

    const opacityBox = el(d, 'label', 'rl-Viewer-opacityBox');
    this.opacityLabel = el(d, 'span', 'rl-Viewer-opacityLabel', 'Overlay');
    this.opacityInput = el(d, 'input', 'rl-Viewer-opacity');
    this.opacityInput.type = 'range';
    this.opacityInput.min = '0';
    this.opacityInput.max = '1';
    this.opacityInput.step = '0.05';
    this.opacityInput.value = '0.5';
    this.opacityInput.addEventListener(
      'input',
      () => this.setOverlayOpacity(Number(this.opacityInput.value)),
      on
    );
    opacityBox.append(this.opacityLabel, this.opacityInput);
    opacityBox.hidden = true;

    // Beside the slider, not inside its <label>: a button there would join the slider's name.
    this.removeOverlayButton = el(d, 'button', 'rl-Viewer-removeOverlay', '✕');
    this.removeOverlayButton.type = 'button';
    this.removeOverlayButton.title = 'Remove the overlay';
    this.removeOverlayButton.setAttribute('aria-label', 'Remove overlay');
    this.removeOverlayButton.hidden = true;
    this.removeOverlayButton.addEventListener('click', () => this.removeOverlayByUser(), on);

    const pickOverlay = options.pickOverlay;
    if (pickOverlay) {
      const b = el(d, 'button', 'rl-Viewer-addOverlay', 'Overlay…');
      b.type = 'button';
      b.title = 'Show a label map (NIfTI on the same grid) over the image';
      b.disabled = true;
      b.addEventListener('click', () => void this.chooseOverlay(pickOverlay), on);
      this.overlayButton = b;
    }

    const reset = el(d, 'button', 'rl-Viewer-reset', 'Reset');
    reset.type = 'button';
    reset.title = 'Reset window, zoom and pan (R)';
    reset.addEventListener('click', () => this.reset(), on);
    toolbar.append(this.title, axes, this.presetSelect, frameBox);
    if (this.overlayButton) toolbar.append(this.overlayButton);
    toolbar.append(opacityBox, this.removeOverlayButton, reset);

    this.stage = el(d, 'div', 'rl-Viewer-stage');
    this.canvas = el(d, 'canvas', 'rl-Viewer-canvas');
    this.canvas.setAttribute('aria-label', 'Image');
    this.labels = {
      top: el(d, 'div', 'rl-Viewer-label rl-Viewer-label-top'),
      bottom: el(d, 'div', 'rl-Viewer-label rl-Viewer-label-bottom'),
      left: el(d, 'div', 'rl-Viewer-label rl-Viewer-label-left'),
      right: el(d, 'div', 'rl-Viewer-label rl-Viewer-label-right')
    };
    this.progress = el(d, 'div', 'rl-Viewer-progress');
    this.progress.setAttribute('role', 'status');
    this.progress.hidden = true;
    this.pending = el(d, 'div', 'rl-Viewer-pending');
    this.pending.hidden = true;
    this.errorBox = el(d, 'div', 'rl-Viewer-error');
    this.errorBox.setAttribute('role', 'alert');
    this.errorBox.hidden = true;
    this.stage.append(
      this.canvas,
      this.labels.top,
      this.labels.bottom,
      this.labels.left,
      this.labels.right,
      this.progress,
      this.pending,
      this.errorBox
    );

    this.sliceInput = el(d, 'input', 'rl-Viewer-sliceRange');
    this.sliceInput.type = 'range';
    this.sliceInput.min = '0';
    this.sliceInput.step = '1';
    this.sliceInput.disabled = true;
    this.sliceInput.setAttribute('aria-label', 'Slice');
    this.sliceInput.addEventListener(
      'input',
      () => this.setIndex(Number(this.sliceInput.value)),
      on
    );

    const status = el(d, 'div', 'rl-Viewer-status');
    this.windowText = el(d, 'span', 'rl-Viewer-window');
    this.sliceText = el(d, 'span', 'rl-Viewer-slice');
    this.cursorText = el(d, 'span', 'rl-Viewer-cursor');
    this.zoomText = el(d, 'span', 'rl-Viewer-zoom');
    status.append(this.windowText, this.sliceText, this.cursorText, this.zoomText);

    this.notes = el(d, 'ul', 'rl-Viewer-notes');
    this.notes.hidden = true;

    this.header = el(d, 'details', 'rl-Viewer-header');
    const summary = el(d, 'summary', 'rl-Viewer-headerTitle', 'Header');
    this.revealButton = el(d, 'button', 'rl-Viewer-reveal', 'Show patient data');
    this.revealButton.type = 'button';
    this.revealButton.hidden = true;
    this.revealButton.addEventListener('click', () => void this.togglePhi(), on);
    this.headerTable = el(d, 'table', 'rl-Viewer-headerTable');
    this.header.append(summary, this.revealButton, this.headerTable);
    this.header.hidden = true;

    this.node.append(toolbar, this.stage, this.sliceInput, status, this.notes, this.header);
    this.bindInput(on);
    this.updateStatus();
  }

  /** Open a file, .hdr/.img pair or DICOM folder. Never rejects: problems show in the view. */
  async open(source: ImageSource, signal?: AbortSignal): Promise<void> {
    if (this.disposed) return;
    this.load?.abort();
    const load = new AbortController();
    this.load = load;
    const stop = (): void => load.abort();
    if (signal?.aborted) load.abort();
    signal?.addEventListener('abort', stop, { once: true });
    this.clear();
    this.title.textContent = source.title;
    this.title.title = source.title;
    this.showProgress('Loading…');
    const options = {
      signal: load.signal,
      maxBytes: this.options.maxBytes ?? DEFAULT_MAX_BYTES,
      concurrency: Math.max(1, this.options.concurrency ?? 4),
      onProgress: (done: number, total: number, phase: LoadPhase) => {
        if (total > 1 && this.load === load)
          this.showProgress(`${phase === 'reading' ? 'Reading' : 'Loading'} ${done}/${total}`);
      },
      // A folder: the volume shows (middle slice first) and fills in while the rest decode.
      onStart: (loading: LoadedDicom) => {
        if (this.load === load && !this.disposed) this.show(loading, { provisional: true });
      },
      onSlice: (slot: number) => {
        if (this.load === load && !this.disposed) this.sliceDecoded(slot);
      }
    };
    try {
      const plan = planSource(source);
      const loaded =
        plan.kind === 'dicom'
          ? await loadDicom(plan, this.decoder, options)
          : await loadNifti(plan, this.decoder, options);
      if (this.load !== load || this.disposed) return;
      // a test hook: where the image was decoded (the hosts' pool falls back inline if it must)
      this.node.dataset.decoder = this.decoder.kind ?? 'inline';
      this.show(loaded, { provisional: false });
    } catch (err) {
      if (this.load !== load || this.disposed || isAbort(err) || load.signal.aborted) return;
      this.showError(`Cannot open ${source.title}`, err);
    } finally {
      signal?.removeEventListener('abort', stop);
      if (this.load === load) {
        this.hideProgress();
        this.load = undefined;
      }
    }
  }

  /**
   * Show a label map (NIfTI on the same voxel grid) over the image, replacing the one shown (once
   * the new one has loaded; a failure keeps the old one). Never rejects.
   */
  async addOverlay(file: ImageFile, signal?: AbortSignal): Promise<void> {
    const base = this.volume;
    if (this.disposed || !base) return;
    // the last choice wins: an earlier one still loading would otherwise land after it
    this.overlayLoad?.abort();
    const ctrl = new AbortController();
    this.overlayLoad = ctrl;
    const stop = (): void => ctrl.abort();
    signal?.addEventListener('abort', stop, { once: true });
    this.listeners.signal.addEventListener('abort', stop, { once: true });
    try {
      const bytes = await readBytes(file, this.options.maxBytes ?? DEFAULT_MAX_BYTES, ctrl.signal);
      const nifti = await this.decoder.nifti(ownBuffer(bytes), file.name, {
        maxVoxelBytes: this.options.maxBytes ?? DEFAULT_MAX_BYTES,
        signal: ctrl.signal
      });
      if (this.disposed || this.volume !== base || ctrl.signal.aborted) return;
      const volume = volumeFromNifti(nifti);
      const hint =
        'An overlay must be a label map on the same voxel grid as the image (resample it first).';
      if (volume.dims.some((n, i) => n !== base.dims[i]) || volume.rgb) {
        throw new ImagingError({
          code: 'unsupportedPixelFormat',
          message: `The overlay ${file.name} is ${volume.dims.join('×')}, the image is ${base.dims.join('×')}.`,
          hint
        });
      }
      if (!sameGrid(volume, base)) {
        throw new ImagingError({
          code: 'unsupportedPixelFormat',
          message: `The overlay ${file.name} has the image's size but not its position or orientation.`,
          hint
        });
      }
      // Same grid: reslice it with the image's geometry so both planes line up voxel for voxel.
      this.overlay = {
        volume: {
          ...volume,
          direction: base.direction,
          origin: base.origin,
          spacing: base.spacing
        },
        opacity: Number(this.opacityInput.value)
      };
      this.opacityLabel.textContent = `Overlay ${Math.round(this.overlay.opacity * 100)}%`;
      this.showOverlayControls(true);
      this.scheduleRender();
    } catch (err) {
      if (this.disposed || isAbort(err) || ctrl.signal.aborted) return;
      this.showError(`Cannot show the overlay ${file.name}`, err);
    } finally {
      signal?.removeEventListener('abort', stop);
      this.listeners.signal.removeEventListener('abort', stop);
      if (this.overlayLoad === ctrl) this.overlayLoad = undefined;
    }
  }

  /**
   * Stop showing the label map (and stop one still loading): the image is drawn alone and the
   * overlay's voxels are no longer referenced. Without an overlay it does nothing.
   */
  removeOverlay(): void {
    this.overlayLoad?.abort();
    this.overlayLoad = undefined;
    if (!this.overlay) return;
    this.overlay = undefined;
    this.showOverlayControls(false);
    this.scheduleRender();
  }

  /** Whether a label map is shown over the image. */
  get hasOverlay(): boolean {
    return this.overlay !== undefined;
  }

  private removeOverlayByUser(): void {
    const focused = this.doc.activeElement === this.removeOverlayButton;
    this.removeOverlay();
    // the button hides: keep the keyboard user in the toolbar, on the way to choose another
    if (focused) {
      const next =
        this.overlayButton && !this.overlayButton.disabled ? this.overlayButton : undefined;
      (next ?? this.node).focus({ preventScroll: true });
    }
  }

  private showOverlayControls(shown: boolean): void {
    (this.opacityInput.parentElement as HTMLElement).hidden = !shown;
    this.removeOverlayButton.hidden = !shown;
    if (!shown) this.opacityLabel.textContent = 'Overlay';
  }

  private async chooseOverlay(pick: () => Promise<ImageFile | undefined>): Promise<void> {
    const base = this.volume;
    try {
      const file = await pick();
      // the user may have opened another image while the dialog was up
      if (!file || this.disposed || this.volume !== base) return;
      await this.addOverlay(file);
    } catch (err) {
      if (this.disposed || isAbort(err)) return;
      this.showError('Cannot choose an overlay', err);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.load?.abort();
    this.load = undefined;
    this.overlayLoad?.abort();
    this.overlayLoad = undefined;
    this.listeners.abort();
    this.frameRequest?.cancel();
    this.frameRequest = undefined;
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
    if (this.ownsDecoder) this.decoder.dispose();
    this.volume = undefined;
    this.slice = undefined;
    this.overlay = undefined;
    this.loaded = undefined;
    this.node.remove();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  // ---- showing a volume ----

  private clear(): void {
    this.loaded = undefined;
    this.volume = undefined;
    this.slice = undefined;
    this.sliceKey = '';
    this.overlay = undefined;
    this.overlayLoad?.abort();
    this.overlayLoad = undefined;
    this.revealed = undefined;
    this.drag = undefined;
    this.notesList = [];
    this.decoding = false;
    this.autoPending = false;
    this.pending.hidden = true;
    this.errorBox.hidden = true;
    this.errorBox.replaceChildren();
    this.showOverlayControls(false);
    (this.frameInput.parentElement as HTMLElement).hidden = true;
    if (this.overlayButton) this.overlayButton.disabled = true;
    this.header.hidden = true;
    this.renderNotes();
    this.updateStatus();
    this.updateLabels();
  }

  private show(loaded: Loaded, how: { provisional: boolean }): void {
    const previous = this.volume;
    const volume = loaded.volume;
    // The folder being loaded, now complete: slice, frame, zoom and window stay as the user set them.
    const same = previous === volume;
    const selected = this.presetSelect.value;
    const keepWindow = previous !== undefined && (same || selected === 'custom');
    this.loaded = loaded;
    this.volume = volume;
    this.slice = undefined;
    this.sliceKey = '';
    this.decoding = how.provisional;
    // a folder still decoding has no complete grid to check an overlay against
    if (this.overlayButton) this.overlayButton.disabled = how.provisional;
    const geometry = loaded.kind === 'nifti' || loaded.header.imageOrientationPatient !== undefined;
    this.mpr = !how.provisional && geometry && volume.dims[2] > 1 && !volume.rgb;
    if (!same) {
      this.frame = 0;
      this.axis = acquisitionPlane(volume);
      const count = planeCount(volume, this.axis);
      this.index =
        loaded.kind === 'dicom'
          ? Math.min(loaded.startIndex, count - 1)
          : Math.floor((count - 1) / 2);
    }

    // While a folder decodes the volume is mostly zeros: the first decoded slice sets the window.
    this.autoPending = how.provisional;
    this.autoFrom(
      how.provisional
        ? volume.data.subarray(0, 0)
        : volume.data.subarray(0, volume.dims[0] * volume.dims[1] * volume.dims[2])
    );
    const explanations = loaded.kind === 'dicom' ? loaded.header.windowExplanations : [];
    this.fileWindows = volume.windows
      .map((w, i) => ({
        label: explanations[i] ? `File: ${explanations[i]}` : `File window ${i + 1}`,
        window: w
      }))
      .filter(w => usableWindow(w.window));
    this.defaultWindow = this.fileWindows[0]?.window ?? this.auto;
    if (!keepWindow) this.window = this.defaultWindow;
    if (!previous) this.view = FIT;
    this.buildPresets(keepWindow && !same);
    if (same && !this.presetSelect.disabled) {
      this.presetSelect.value = selected;
      if (selected === 'auto') this.window = this.auto;
    }

    const frames = this.frameInput.parentElement as HTMLElement;
    frames.hidden = volume.frames <= 1;
    this.frameInput.max = String(volume.frames - 1);
    this.frameInput.value = String(this.frame);
    this.updateFrameLabel();

    // without orientation the viewer says what the user loses (below), not only that axes are assumed
    const notes = volume.warnings.filter(
      w => geometry || !w.startsWith('The images have no orientation')
    );
    if (loaded.skipped.length) {
      notes.push(`${loaded.skipped.length} file(s) skipped:`);
      notes.push(...loaded.skipped.slice(0, 10));
      if (loaded.skipped.length > 10) notes.push(`… and ${loaded.skipped.length - 10} more`);
    }
    if (!geometry && loaded.kind === 'dicom')
      notes.push(
        'No Image Orientation (Patient): orientation labels and other planes are unavailable.'
      );
    this.notesList = notes;
    this.renderNotes();
    this.renderHeader();
    this.updateAxisButtons();
    this.updateSlice();
  }

  /** The automatic window and drag speed from `data` (stored values). */
  private autoFrom(data: Volume['data']): void {
    const volume = this.volume;
    if (!volume) return;
    const { slope, intercept } = volume.rescale;
    this.auto = volume.rgb ? { center: 127.5, width: 256 } : autoWindow(data, volume.rescale);
    const [lo, hi] = volume.rgb ? [0, 255] : quantiles(data, [0, 1], v => v * slope + intercept);
    this.multiplier = dragMultiplier(hi - lo);
  }

  /** Slot (t × slices + k) of the slice on screen, when the plane shown is the volume's k plane. */
  private currentSlot(): number | undefined {
    const v = this.volume;
    if (!v || indexPlanes(v)[this.axis] !== 'axial') return undefined;
    return this.frame * v.dims[2] + this.index;
  }

  /** Whether the slice on screen has been decoded (a folder fills in as its files decode). */
  private sliceReady(): boolean {
    const filled = this.loaded?.kind === 'dicom' ? this.loaded.filled : undefined;
    const slot = filled ? this.currentSlot() : undefined;
    return slot === undefined || filled!(slot);
  }

  private updatePending(): void {
    const ready = !this.volume || this.sliceReady();
    this.pending.hidden = ready;
    this.pending.textContent = ready ? '' : this.decoding ? 'Decoding…' : 'Not decoded';
  }

  /** A slice of the loading folder arrived: draw it if it is on screen. */
  private sliceDecoded(slot: number): void {
    const v = this.volume;
    if (!v) return;
    let redraw = slot === this.currentSlot();
    if (this.autoPending) {
      this.autoPending = false;
      redraw = true;
      const n = v.dims[0] * v.dims[1] * (v.rgb ? 3 : 1);
      this.autoFrom(v.data.subarray(slot * n, (slot + 1) * n));
      if (!this.fileWindows.length) {
        this.defaultWindow = this.auto;
        if (this.presetSelect.value === 'auto') this.window = this.auto;
      }
    }
    if (!redraw) return;
    this.slice = undefined;
    this.sliceKey = '';
    this.updateSlice();
  }

  private renderNotes(): void {
    this.notes.replaceChildren(...this.notesList.map(n => el(this.doc, 'li', 'rl-Viewer-note', n)));
    this.notes.hidden = this.notesList.length === 0;
  }

  private buildPresets(keepCustom: boolean): void {
    const d = this.doc;
    const s = this.presetSelect;
    const volume = this.volume;
    s.replaceChildren();
    if (!volume || volume.rgb) {
      s.disabled = true;
      s.append(el(d, 'option', undefined, volume?.rgb ? 'RGB (no window)' : 'Window'));
      return;
    }
    s.disabled = false;
    const custom = el(d, 'option', undefined, 'Custom');
    custom.value = 'custom';
    custom.hidden = true;
    s.append(custom);
    const group = (label: string, items: { id: string; label: string }[]): void => {
      if (!items.length) return;
      const g = el(d, 'optgroup');
      g.label = label;
      for (const item of items) {
        const o = el(d, 'option', undefined, item.label);
        o.value = item.id;
        g.append(o);
      }
      s.append(g);
    };
    group(
      'This file',
      this.fileWindows.map((w, i) => ({
        id: `file-${i}`,
        label: `${w.label} (${formatWindow(w.window)})`
      }))
    );
    group(
      'CT',
      CT_PRESETS.map(p => ({ id: p.id, label: `${p.label} (${formatWindow(p.window)})` }))
    );
    group('Data', [
      { id: 'auto', label: `${volume.modality === 'CT' ? 'Auto' : 'MR auto'} (data range)` }
    ]);
    s.value = keepCustom ? 'custom' : this.fileWindows.length ? 'file-0' : 'auto';
  }

  private presetWindow(id: string): VoiWindow | undefined {
    if (id === 'auto') return this.auto;
    if (id.startsWith('file-')) return this.fileWindows[Number(id.slice(5))]?.window;
    return CT_PRESETS.find(p => p.id === id)?.window;
  }

  private applyPreset(): void {
    const w = this.presetWindow(this.presetSelect.value);
    if (!w) return;
    this.window = { fn: 'LINEAR', ...w };
    this.updateStatus();
    this.scheduleRender();
  }

  private setWindow(w: VoiWindow): void {
    this.window = w;
    if (!this.presetSelect.disabled) this.presetSelect.value = 'custom';
    this.updateStatus();
    this.scheduleRender();
  }

  private updateAxisButtons(): void {
    for (const [axis, b] of this.axisButtons) {
      b.disabled = !this.mpr;
      b.setAttribute('aria-pressed', String(axis === this.axis && this.volume !== undefined));
      b.classList.toggle('rl-mod-active', axis === this.axis && this.volume !== undefined);
    }
  }

  private setAxis(axis: Axis): void {
    if (!this.volume || !this.mpr || axis === this.axis) return;
    this.axis = axis;
    this.index = Math.floor((planeCount(this.volume, axis) - 1) / 2);
    this.view = FIT;
    this.updateAxisButtons();
    this.updateSlice();
  }

  private setIndex(index: number): void {
    if (!this.volume) return;
    const count = planeCount(this.volume, this.axis);
    const next = Math.min(count - 1, Math.max(0, Math.round(index)));
    if (next === this.index) return;
    this.index = next;
    this.updateSlice();
  }

  private setFrame(frame: number): void {
    if (!this.volume) return;
    const next = Math.min(this.volume.frames - 1, Math.max(0, Math.round(frame)));
    if (next === this.frame) return;
    this.frame = next;
    this.frameInput.value = String(next);
    this.updateFrameLabel();
    this.updateSlice();
  }

  private updateFrameLabel(): void {
    const n = this.volume?.frames ?? 1;
    this.frameLabel.textContent = `Frame ${this.frame + 1}/${n}`;
  }

  private setOverlayOpacity(opacity: number): void {
    if (!this.overlay) return;
    this.overlay.opacity = opacity;
    this.opacityLabel.textContent = `Overlay ${Math.round(opacity * 100)}%`;
    this.scheduleRender();
  }

  private reset(): void {
    if (!this.volume) return;
    this.window = this.defaultWindow;
    this.view = FIT;
    if (!this.presetSelect.disabled)
      this.presetSelect.value = this.fileWindows.length ? 'file-0' : 'auto';
    this.updateStatus();
    this.scheduleRender();
  }

  private orient(): 'dicom' | 'radiological' {
    return this.loaded?.kind === 'nifti' ? 'radiological' : 'dicom';
  }

  /** The current slice (cached until axis, index or frame change). */
  private currentSlice(): Slice | undefined {
    const v = this.volume;
    if (!v) return undefined;
    const key = `${this.axis}/${this.index}/${this.frame}`;
    if (!this.slice || key !== this.sliceKey) {
      this.slice = planeSlice(v, this.axis, this.index, this.frame, this.orient());
      this.sliceKey = key;
    }
    return this.slice;
  }

  private updateSlice(): void {
    const slice = this.currentSlice();
    if (slice) {
      this.sliceInput.disabled = slice.count <= 1;
      this.sliceInput.max = String(slice.count - 1);
      this.sliceInput.value = String(slice.index);
    }
    this.updateLabels();
    this.updatePending();
    this.updateStatus();
    this.scheduleRender();
  }

  private updateLabels(): void {
    const slice = this.volume ? this.currentSlice() : undefined;
    const loaded = this.loaded;
    const geometry =
      loaded !== undefined &&
      (loaded.kind === 'nifti' || loaded.header.imageOrientationPatient !== undefined);
    for (const side of ['top', 'bottom', 'left', 'right'] as const)
      this.labels[side].textContent = slice && geometry ? slice.labels[side] : '';
  }

  private updateStatus(): void {
    const v = this.volume;
    if (!v) {
      this.windowText.textContent = '';
      this.sliceText.textContent = '';
      this.cursorText.textContent = '';
      this.zoomText.textContent = '';
      return;
    }
    this.windowText.textContent = v.rgb ? 'RGB' : formatWindow(this.window);
    const count = planeCount(v, this.axis);
    this.sliceText.textContent = `${this.index + 1} / ${count}`;
    this.sliceText.title = `${AXIS_LABELS[this.axis]} slice`;
    this.zoomText.textContent = `Zoom ${Math.round(this.view.zoom * 100)}%`;
  }

  // ---- header panel and PHI ----

  private renderHeader(): void {
    const loaded = this.loaded;
    if (!loaded) {
      this.header.hidden = true;
      return;
    }
    let rows: HeaderRow[];
    let hasPhi: boolean;
    if (loaded.kind === 'dicom') {
      const h = this.revealed && this.revealed !== 'nifti' ? this.revealed : loaded.header;
      rows = dicomHeaderRows(h);
      hasPhi = rows.some(r => r.phi);
    } else {
      rows = niftiHeaderRows(loaded.nifti, this.revealed === 'nifti');
      hasPhi = rows.some(r => r.phi);
    }
    const d = this.doc;
    const body = el(d, 'tbody');
    for (const row of rows) {
      const tr = el(d, 'tr', row.phi ? 'rl-Viewer-phi' : undefined);
      const th = el(d, 'th', undefined, row.name);
      th.scope = 'row';
      const td = el(d, 'td', row.value === PHI_MASK ? 'rl-mod-masked' : undefined, row.value);
      tr.append(th, td);
      body.append(tr);
    }
    this.headerTable.replaceChildren(body);
    this.revealButton.hidden = !hasPhi;
    this.revealButton.textContent = this.revealed ? 'Hide patient data' : 'Show patient data';
    this.revealButton.setAttribute('aria-pressed', String(this.revealed !== undefined));
    this.header.hidden = false;
  }

  private async togglePhi(): Promise<void> {
    const loaded = this.loaded;
    if (!loaded || this.disposed) return;
    if (this.revealed) {
      this.revealed = undefined;
      this.renderHeader();
      return;
    }
    try {
      const ok = this.options.confirmRevealPhi ? await this.options.confirmRevealPhi() : true;
      if (!ok || this.disposed || this.loaded !== loaded) return;
      if (loaded.kind === 'nifti') {
        this.revealed = 'nifti';
      } else {
        // Decoded headers are masked: read the file again for its header alone, unmasked.
        const signal = this.listeners.signal;
        const bytes = await readBytes(
          loaded.file,
          this.options.maxBytes ?? DEFAULT_MAX_BYTES,
          signal
        );
        const { header } = await this.decoder.dicom(ownBuffer(bytes), {
          frames: [],
          revealPhi: true,
          signal
        });
        if (this.disposed || this.loaded !== loaded) return;
        this.revealed = header;
      }
      this.renderHeader();
    } catch (err) {
      if (this.disposed || isAbort(err)) return;
      this.showError('Cannot show patient data', err);
    }
  }

  // ---- errors and progress ----

  private showError(what: string, err: unknown): void {
    const { message, hint } = errorText(err);
    const d = this.doc;
    this.errorBox.replaceChildren(
      el(d, 'div', 'rl-Viewer-errorTitle', what),
      el(d, 'div', 'rl-Viewer-errorMessage', message),
      el(d, 'div', 'rl-Viewer-errorHint', hint)
    );
    this.errorBox.hidden = false;
  }

  private showProgress(text: string): void {
    this.progress.textContent = text;
    this.progress.hidden = false;
  }

  private hideProgress(): void {
    this.progress.hidden = true;
    this.progress.textContent = '';
  }

  // ---- input ----

  private bindInput(on: AddEventListenerOptions): void {
    const c = this.canvas;
    c.addEventListener('contextmenu', e => e.preventDefault(), on);
    c.addEventListener('pointerdown', e => this.pointerDown(e), on);
    c.addEventListener('pointermove', e => this.pointerMove(e), on);
    c.addEventListener('pointerup', e => this.pointerUp(e), on);
    c.addEventListener('pointercancel', e => this.pointerUp(e), on);
    c.addEventListener(
      'pointerleave',
      () => {
        if (!this.drag) this.cursorText.textContent = '';
      },
      on
    );
    c.addEventListener('wheel', e => this.onWheel(e), { ...on, passive: false });
    this.node.addEventListener('keydown', e => this.onKey(e), on);
    const RO = (this.doc.defaultView as (Window & typeof globalThis) | null)?.ResizeObserver;
    if (RO) {
      this.resizeObserver = new RO(() => this.scheduleRender());
      this.resizeObserver.observe(this.stage);
    }
  }

  private canvasPoint(e: MouseEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  private pointerDown(e: PointerEvent): void {
    if (!this.volume) return;
    let mode: DragMode | undefined;
    if (e.button === 2 || (e.button === 0 && (e.ctrlKey || e.metaKey))) mode = 'zoom';
    else if (e.button === 1 || (e.button === 0 && e.shiftKey)) mode = 'pan';
    else if (e.button === 0) mode = 'window';
    if (!mode) return;
    if (mode === 'window' && this.volume.rgb) return;
    e.preventDefault();
    const [cx, cy] = this.canvasPoint(e);
    this.drag = {
      mode,
      pointerId: e.pointerId,
      x0: e.clientX,
      y0: e.clientY,
      cx,
      cy,
      window: this.window,
      view: this.view
    };
    try {
      this.canvas.setPointerCapture?.(e.pointerId);
    } catch {
      // Synthetic pointers (tests) cannot be captured; dragging still works inside the canvas.
    }
    this.node.focus({ preventScroll: true });
  }

  private pointerMove(e: PointerEvent): void {
    const drag = this.drag;
    if (drag && e.pointerId === drag.pointerId) {
      const dx = e.clientX - drag.x0;
      const dy = e.clientY - drag.y0;
      if (drag.mode === 'window') this.setWindow(dragWindow(drag.window, dx, dy, this.multiplier));
      else if (drag.mode === 'zoom') {
        const layout = this.layout();
        if (layout) {
          this.view = zoomAbout(layout, drag.view, zoomFactorForDrag(dy), drag.cx, drag.cy);
          this.updateStatus();
          this.scheduleRender();
        }
      } else {
        this.view = { ...drag.view, panX: drag.view.panX + dx, panY: drag.view.panY + dy };
        this.scheduleRender();
      }
    }
    this.updateCursor(e);
  }

  private pointerUp(e: PointerEvent): void {
    if (!this.drag || e.pointerId !== this.drag.pointerId) return;
    this.drag = undefined;
    try {
      if (this.canvas.hasPointerCapture?.(e.pointerId))
        this.canvas.releasePointerCapture(e.pointerId);
    } catch {
      // Already released.
    }
  }

  private onWheel(e: WheelEvent): void {
    if (!this.volume) return;
    e.preventDefault();
    const scale = e.deltaMode === 1 ? WHEEL_STEP : e.deltaMode === 2 ? WHEEL_STEP * 10 : 1;
    this.wheel += e.deltaY * scale;
    // One slice per notch (Cornerstone's StackScroll); trackpads accumulate small deltas.
    if (Math.abs(this.wheel) >= WHEEL_STEP) {
      this.setIndex(this.index + Math.sign(this.wheel));
      this.wheel = 0;
    }
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.volume) return;
    const target = e.target as HTMLElement | null;
    if (target && target !== this.node && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName))
      return;
    const count = planeCount(this.volume, this.axis);
    const page = Math.max(1, Math.round(count / 10));
    const steps: Record<string, number> = {
      ArrowDown: 1,
      ArrowRight: 1,
      ArrowUp: -1,
      ArrowLeft: -1,
      PageDown: page,
      PageUp: -page,
      Home: -count,
      End: count
    };
    if (e.key in steps) {
      e.preventDefault();
      this.setIndex(this.index + steps[e.key]);
    } else if ((e.key === 'r' || e.key === 'R') && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      this.reset();
    }
  }

  private updateCursor(e: MouseEvent): void {
    const slice = this.slice;
    const v = this.volume;
    const layout = this.layout();
    if (!slice || !v || !layout) return;
    const p = place(layout, this.view);
    const [cx, cy] = this.canvasPoint(e);
    const [fx, fy] = screenToImage(p, cx, cy);
    const x = Math.round(fx);
    const y = Math.round(fy);
    if (x < 0 || y < 0 || x >= slice.width || y >= slice.height) {
      this.cursorText.textContent = '';
      return;
    }
    this.cursorText.textContent = this.describePixel(slice, v, x, y);
  }

  /** "x 12 y 40 · 24 → HU -1000 · LPS -10.5, 20.0, 30.3 mm": never carries PHI. */
  private describePixel(slice: Slice, v: Volume, x: number, y: number): string {
    const parts = [`x ${x} y ${y}`];
    const i = y * slice.width + x;
    if (v.rgb) {
      parts.push(`RGB ${slice.data[i * 3]} ${slice.data[i * 3 + 1]} ${slice.data[i * 3 + 2]}`);
    } else {
      const stored = Number(slice.data[i]);
      const { slope, intercept } = v.rescale;
      const value = stored * slope + intercept;
      const loaded = this.loaded;
      const hu =
        loaded?.kind === 'dicom' &&
        (v.modality === 'CT' || loaded.header.rescaleType?.trim().toUpperCase() === 'HU');
      if (slope === 1 && intercept === 0 && !hu) parts.push(formatNumber(stored));
      else parts.push(`${formatNumber(stored)} → ${hu ? 'HU ' : ''}${formatNumber(value)}`);
    }
    const [px, py, pz] = slice.toPatient(x, y);
    const fmt = (n: number): string => (Math.abs(n) < 0.05 ? 0 : n).toFixed(1);
    // NIfTI users read RAS (the format's own convention); DICOM users LPS.
    parts.push(
      this.loaded?.kind === 'nifti'
        ? `RAS ${fmt(-px)}, ${fmt(-py)}, ${fmt(pz)} mm`
        : `LPS ${fmt(px)}, ${fmt(py)}, ${fmt(pz)} mm`
    );
    return parts.join(' · ');
  }

  // ---- drawing ----

  private viewSize(): [number, number] {
    const w = this.stage.clientWidth || this.canvas.clientWidth;
    const h = this.stage.clientHeight || this.canvas.clientHeight;
    // Not laid out yet (or jsdom): draw at a nominal size.
    return [w > 0 ? w : 512, h > 0 ? h : 512];
  }

  private layout(): Layout | undefined {
    const slice = this.slice ?? (this.volume ? this.currentSlice() : undefined);
    if (!slice) return undefined;
    const [viewWidth, viewHeight] = this.viewSize();
    return {
      viewWidth,
      viewHeight,
      imageWidth: slice.width,
      imageHeight: slice.height,
      pixelSpacing: slice.pixelSpacing
    };
  }

  private scheduleRender(): void {
    if (this.frameRequest || this.disposed) return;
    const win = this.doc.defaultView;
    const run = (): void => {
      this.frameRequest = undefined;
      try {
        this.draw();
      } catch (err) {
        // Nothing may escape an animation frame: say what failed in the view instead.
        this.showError('Cannot draw the image', err);
      }
    };
    if (win?.requestAnimationFrame) {
      const id = win.requestAnimationFrame(run);
      this.frameRequest = { cancel: () => win.cancelAnimationFrame(id) };
    } else {
      const id = setTimeout(run, 16);
      this.frameRequest = { cancel: () => clearTimeout(id) };
    }
  }

  private context(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
    try {
      return canvas.getContext('2d');
    } catch {
      return null;
    }
  }

  private offscreen: HTMLCanvasElement | undefined;
  private imageData: ImageData | undefined;

  private draw(): void {
    if (this.disposed) return;
    const slice = this.volume ? this.currentSlice() : undefined;
    const layout = this.layout();
    const ctx = this.context(this.canvas);
    if (!ctx) return;
    const [w, h] = this.viewSize();
    const dpr = this.doc.defaultView?.devicePixelRatio || 1;
    const cw = Math.round(w * dpr);
    const ch = Math.round(h * dpr);
    if (this.canvas.width !== cw) this.canvas.width = cw;
    if (this.canvas.height !== ch) this.canvas.height = ch;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, cw, ch);
    if (!slice || !layout || !this.volume || !this.sliceReady()) return;

    this.offscreen ??= el(this.doc, 'canvas');
    const off = this.offscreen;
    if (off.width !== slice.width) off.width = slice.width;
    if (off.height !== slice.height) off.height = slice.height;
    const octx = this.context(off);
    if (!octx) return;
    // One ImageData per slice size: a drag re-renders into it ~60 times a second.
    let image = this.imageData;
    if (!image || image.width !== slice.width || image.height !== slice.height) {
      image = octx.createImageData(slice.width, slice.height);
      this.imageData = image;
    }
    const v = this.volume;
    renderRgba(
      { width: slice.width, height: slice.height, data: slice.data, rgb: v.rgb },
      { rescale: v.rescale, window: this.window, invert: v.invert },
      image.data
    );
    if (this.overlay) {
      const o = planeSlice(this.overlay.volume, this.axis, this.index, 0, this.orient());
      blendLabels(image.data, o.data, this.overlay.opacity);
    }
    octx.putImageData(image, 0, 0);

    const p = place(layout, this.view);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    // Smooth when shrinking or mildly enlarging; show voxels as blocks when zoomed right in.
    ctx.imageSmoothingEnabled = Math.max(p.scaleX, p.scaleY) * dpr < 4;
    ctx.drawImage(off, p.left, p.top, slice.width * p.scaleX, slice.height * p.scaleY);
  }
}
