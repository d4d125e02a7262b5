// ImageViewer: the DICOM/NIfTI slice view shared by the JupyterLab widget and the VS Code webview.
// Plain DOM and a 2D canvas; hosts only build an ImageSource and place `viewer.node`. This file holds
// the state and ties the parts together: the toolbar (toolbar.ts), input → intent (intents.ts), the
// label-map overlay (overlay.ts) and the header panel (headerPanel.ts).
//
// The point of interest is one voxel (i, j, k): each plane shows the slice through it, so switching
// plane keeps the place the user looked at (NiiVue's crosshair, without drawing one); scrolling moves
// it along the plane's axis and a left click without a drag moves it to the pixel clicked.
import {
  createInlineDecoder,
  ImagingError,
  type Axis,
  type ImagingDecoder,
  type Slice,
  type Vec3,
  type VoiWindow,
  type Volume
} from '@radlab/imaging';
import { el } from '../element.js';
import { sliceRows } from './header.js';
import { HeaderPanel, type HeaderSubject } from './headerPanel.js';
import { CanvasInput, type DragMode, type Intent } from './intents.js';
import {
  DEFAULT_MAX_BYTES,
  HeaderOnlyError,
  isAbort,
  loadDicom,
  loadNifti,
  ownBuffer,
  readBytes,
  type LoadedDicom,
  type LoadedNifti,
  type LoadPhase
} from './loader.js';
import { OverlayController } from './overlay.js';
import {
  acquisitionPlane,
  indexPlanes,
  pixelOfVoxel,
  planeAxis,
  planeCount,
  planeSlice
} from './planes.js';
import { describePixel } from './pixelReadout.js';
import { SliceCanvas, type Picture } from './sliceCanvas.js';
import { planSource, type ImageFile, type ImageSource } from './source.js';
import { AXIS_LABELS, ViewerToolbar } from './toolbar.js';
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

interface Drag {
  mode: DragMode;
  /** Canvas-relative start, for zooming about it. */
  cx: number;
  cy: number;
  window: VoiWindow;
  view: ViewState;
}

const FIT: ViewState = { zoom: 1, panX: 0, panY: 0 };

/** A header window the VOI LUT accepts (a zero or negative width would throw). */
function usableWindow(w: VoiWindow): boolean {
  const min = w.fn === 'LINEAR' || w.fn === undefined ? 1 : Number.MIN_VALUE;
  return Number.isFinite(w.center) && Number.isFinite(w.width) && w.width >= min;
}

function errorText(err: unknown): { message: string; hint: string } {
  if (err instanceof HeaderOnlyError) return errorText(err.cause);
  if (err instanceof ImagingError) return { message: err.message, hint: err.hint };
  const message = err instanceof Error ? err.message : String(err);
  return { message, hint: 'Check that the file is a DICOM or NIfTI image and open it again.' };
}

/**
 * "Zoom 312%": screen pixels per image pixel (the finer axis of non-square pixels) in device
 * pixels, so 100% is one image pixel per screen pixel whatever the fit; "(fit)" while fitted.
 */
export function zoomLabel(scale: number, fitted: boolean): string {
  return `Zoom ${Math.round(scale * 100)}%${fitted ? ' (fit)' : ''}`;
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
  private resizeObserver: ResizeObserver | undefined;

  // Parts
  private readonly toolbar: ViewerToolbar;
  private readonly input: CanvasInput;
  private readonly overlay: OverlayController;
  private readonly headerPanel: HeaderPanel;
  private readonly sliceCanvas: SliceCanvas;

  // DOM
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

  // State
  private loaded: Loaded | undefined;
  private volume: Volume | undefined;
  private axis: Axis = 'axial';
  /** The point of interest, voxel (i, j, k): each plane shows the slice through it. */
  private poi: Vec3 = [0, 0, 0];
  /** The user has clicked a point: it is marked in every plane. */
  private poiMarked = false;
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
  private drag: Drag | undefined;
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
    const signal = this.listeners.signal;
    const on = { signal };

    this.node = el(d, 'div', 'rl-Viewer');
    this.node.tabIndex = 0;
    this.node.setAttribute('role', 'application');
    this.node.setAttribute('aria-label', 'Image viewer');

    const pickOverlay = options.pickOverlay;
    this.toolbar = new ViewerToolbar(
      d,
      {
        axis: axis => this.setAxis(axis),
        preset: id => this.applyPreset(id),
        frame: frame => this.setFrame(frame),
        opacity: opacity => this.setOverlayOpacity(opacity),
        removeOverlay: () => this.removeOverlayByUser(),
        ...(pickOverlay ? { chooseOverlay: () => void this.chooseOverlay(pickOverlay) } : {}),
        reset: () => this.reset()
      },
      signal
    );
    this.overlay = new OverlayController(
      d,
      {
        decoder: this.decoder,
        maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
        onChange: () => {
          this.toolbar.setOverlay(this.overlay.isShown, this.overlay.opacity);
          this.scheduleRender();
        },
        onError: (what, err) => this.showError(what, err)
      },
      signal
    );
    this.headerPanel = new HeaderPanel(
      d,
      {
        confirmRevealPhi: options.confirmRevealPhi,
        readUnmasked: (file, abort) => this.readUnmasked(file, abort),
        onError: (what, err) => this.showError(what, err)
      },
      signal
    );

    this.stage = el(d, 'div', 'rl-Viewer-stage');
    this.canvas = el(d, 'canvas', 'rl-Viewer-canvas');
    this.canvas.setAttribute('aria-label', 'Image');
    this.sliceCanvas = new SliceCanvas(
      d,
      this.stage,
      this.canvas,
      () => this.picture(),
      err => this.showError('Cannot draw the image', err)
    );
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
      this.overlay.legend,
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

    this.node.append(
      this.toolbar.node,
      this.stage,
      this.sliceInput,
      status,
      this.notes,
      this.headerPanel.node
    );
    this.input = new CanvasInput(
      {
        canvas: this.canvas,
        node: this.node,
        state: () => ({
          ready: this.volume !== undefined,
          rgb: this.volume?.rgb === true,
          count: this.volume ? planeCount(this.volume, this.axis) : 0
        })
      },
      intent => this.handle(intent),
      signal
    );
    const RO = (d.defaultView as (Window & typeof globalThis) | null)?.ResizeObserver;
    if (RO) {
      this.resizeObserver = new RO(() => this.scheduleRender());
      this.resizeObserver.observe(this.stage);
    }
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
    this.toolbar.setTitle(source.title);
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
      // a file cut short whose header reads: the header panel shows it beside the error
      if (err instanceof HeaderOnlyError)
        this.headerPanel.show({ kind: 'dicom', file: err.file, header: err.header });
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
    this.overlay.opacity = this.toolbar.opacity;
    const stop = (): void => this.overlay.remove();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      await this.overlay.load(file, base, () => !this.disposed && this.volume === base);
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  }

  /**
   * Stop showing the label map (and stop one still loading): the image is drawn alone and the
   * overlay's voxels are no longer referenced. Without an overlay it does nothing.
   */
  removeOverlay(): void {
    this.overlay.remove();
  }

  /** Whether a label map is shown over the image. */
  get hasOverlay(): boolean {
    return this.overlay.isShown;
  }

  private removeOverlayByUser(): void {
    const focused = this.doc.activeElement === this.toolbar.removeOverlayButton;
    this.removeOverlay();
    // the button hides: keep the keyboard user in the toolbar, on the way to choose another
    if (focused) {
      const b = this.toolbar.overlayButton;
      (b && !b.disabled ? b : this.node).focus({ preventScroll: true });
    }
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
    this.overlay.remove();
    this.listeners.abort();
    this.sliceCanvas.dispose();
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
    if (this.ownsDecoder) this.decoder.dispose();
    this.volume = undefined;
    this.slice = undefined;
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
    this.overlay.remove();
    this.drag = undefined;
    this.notesList = [];
    this.decoding = false;
    this.autoPending = false;
    this.pending.hidden = true;
    this.errorBox.hidden = true;
    this.errorBox.replaceChildren();
    this.toolbar.setOverlay(false);
    this.toolbar.hideFrames();
    this.toolbar.enableOverlayButton(false);
    this.headerPanel.show(undefined);
    this.renderNotes();
    this.updateStatus();
    this.updateLabels();
  }

  private show(loaded: Loaded, how: { provisional: boolean }): void {
    const previous = this.volume;
    const volume = loaded.volume;
    // The folder being loaded, now complete: slice, frame, zoom and window stay as the user set them.
    const same = previous === volume;
    const selected = this.toolbar.preset;
    const keepWindow = previous !== undefined && (same || selected === 'custom');
    this.loaded = loaded;
    this.volume = volume;
    this.slice = undefined;
    this.sliceKey = '';
    this.decoding = how.provisional;
    // a folder still decoding has no complete grid to check an overlay against
    this.toolbar.enableOverlayButton(!how.provisional);
    const geometry = loaded.kind === 'nifti' || loaded.header.imageOrientationPatient !== undefined;
    this.mpr = !how.provisional && geometry && volume.dims[2] > 1 && !volume.rgb;
    if (!same) {
      this.frame = 0;
      this.axis = acquisitionPlane(volume);
      // the middle of the volume; a folder starts on the slice it decodes first
      const middle = (n: number): number => Math.floor((n - 1) / 2);
      const [nx, ny, nz] = volume.dims;
      this.poi = [middle(nx), middle(ny), middle(nz)];
      this.poiMarked = false;
      const count = planeCount(volume, this.axis);
      if (loaded.kind === 'dicom')
        this.poi[planeAxis(volume, this.axis)] = Math.min(loaded.startIndex, count - 1);
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
    this.toolbar.setPresets(
      { file: this.fileWindows, modality: volume.modality, rgb: volume.rgb === true },
      keepWindow && !same ? 'custom' : this.fileWindows.length ? 'file-0' : 'auto'
    );
    if (same) {
      this.toolbar.selectPreset(selected);
      if (selected === 'auto' && this.toolbar.presetsEnabled) this.window = this.auto;
    }
    this.toolbar.setFrames(volume.frames, this.frame);

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

  /** The slice index of the plane on screen: the point of interest's coordinate along its axis. */
  private get index(): number {
    return this.volume ? this.poi[planeAxis(this.volume, this.axis)] : 0;
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
        if (this.toolbar.preset === 'auto') this.window = this.auto;
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

  private presetWindow(id: string): VoiWindow | undefined {
    if (id === 'auto') return this.auto;
    if (id.startsWith('file-')) return this.fileWindows[Number(id.slice(5))]?.window;
    return CT_PRESETS.find(p => p.id === id)?.window;
  }

  private applyPreset(id: string): void {
    const w = this.presetWindow(id);
    if (!w) return;
    this.window = { fn: 'LINEAR', ...w };
    this.updateStatus();
    this.scheduleRender();
  }

  private setWindow(w: VoiWindow): void {
    this.window = w;
    this.toolbar.selectPreset('custom');
    this.updateStatus();
    this.scheduleRender();
  }

  private updateAxisButtons(): void {
    this.toolbar.setAxes(this.volume ? this.axis : undefined, this.mpr);
  }

  /** Another plane, through the same point of interest (not its middle slice). */
  private setAxis(axis: Axis): void {
    if (!this.volume || !this.mpr || axis === this.axis) return;
    this.axis = axis;
    this.view = FIT;
    this.updateAxisButtons();
    this.updateSlice();
  }

  private setIndex(index: number): void {
    const v = this.volume;
    if (!v) return;
    const count = planeCount(v, this.axis);
    const next = Math.min(count - 1, Math.max(0, Math.round(index)));
    if (next === this.index) return;
    this.poi[planeAxis(v, this.axis)] = next;
    this.updateSlice();
  }

  private setFrame(frame: number): void {
    if (!this.volume) return;
    const next = Math.min(this.volume.frames - 1, Math.max(0, Math.round(frame)));
    if (next === this.frame) return;
    this.frame = next;
    this.toolbar.setFrames(this.volume.frames, next);
    this.updateSlice();
  }

  private setOverlayOpacity(opacity: number): void {
    if (!this.overlay.isShown) return;
    this.overlay.opacity = opacity;
  }

  private reset(): void {
    if (!this.volume) return;
    this.window = this.defaultWindow;
    this.view = FIT;
    // R also clears the point's mark (the point itself stays: the planes keep their slices)
    this.poiMarked = false;
    this.toolbar.selectPreset(this.fileWindows.length ? 'file-0' : 'auto');
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
      this.sliceInput.setAttribute(
        'aria-valuetext',
        `${AXIS_LABELS[this.axis]} slice ${slice.index + 1} of ${slice.count}`
      );
    }
    this.updateLabels();
    this.updatePending();
    this.updateStatus();
    this.updateHeader();
    this.scheduleRender();
  }

  /** The header panel: the slice on screen and the file holding it (or the point of interest). */
  private updateHeader(): void {
    const loaded = this.loaded;
    const v = this.volume;
    const slice = v ? this.currentSlice() : undefined;
    if (!loaded || !v || !slice) return;
    const rows = sliceRows(
      AXIS_LABELS[this.axis],
      slice,
      { index: this.frame, count: v.frames },
      loaded.kind === 'nifti' ? 'RAS' : 'LPS'
    );
    let subject: HeaderSubject;
    if (loaded.kind === 'nifti') subject = { kind: 'nifti', nifti: loaded.nifti };
    else {
      // the k plane shows one file's image; another plane crosses them all: the one at the point
      const slot = this.frame * v.dims[2] + this.poi[2];
      const source = loaded.sourceOf(slot) ?? {
        file: loaded.file,
        header: loaded.header,
        frame: 0
      };
      subject = {
        kind: 'dicom',
        file: source.file,
        header: source.header,
        frame: source.frame,
        reformatted: indexPlanes(v)[this.axis] !== 'axial'
      };
    }
    this.headerPanel.show(subject, rows);
  }

  /** Decoded headers are masked: read the file again for its header alone, unmasked. */
  private async readUnmasked(file: ImageFile, signal: AbortSignal) {
    const bytes = await readBytes(file, this.options.maxBytes ?? DEFAULT_MAX_BYTES, signal);
    const { header } = await this.decoder.dicom(ownBuffer(bytes), {
      frames: [],
      revealPhi: true,
      signal
    });
    return header;
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
    this.updateZoom();
  }

  /** The real scale (screen pixels per image pixel), not the zoom relative to the fit. */
  private updateZoom(): void {
    const layout = this.layout();
    if (!layout) {
      this.zoomText.textContent = '';
      return;
    }
    const p = place(layout, this.view);
    const dpr = this.sliceCanvas.devicePixelRatio;
    const scale = Math.min(p.scaleX, p.scaleY) * dpr;
    const fitted = this.view.zoom === 1 && this.view.panX === 0 && this.view.panY === 0;
    this.zoomText.textContent = zoomLabel(scale, fitted);
    const [sx, sy] = layout.pixelSpacing;
    const perMm = sx > 0 && sy > 0 ? p.scaleX / sx : undefined;
    this.zoomText.title =
      `1 image pixel = ${formatNumber(scale)} screen pixels` +
      (perMm ? `; 1 cm = ${Math.round(perMm * 10 * dpr)} px` : '') +
      (fitted ? '; fitted to the view (R resets to it)' : '');
  }

  // ---- input ----

  private handle(intent: Intent): void {
    const v = this.volume;
    if (!v) return;
    switch (intent.kind) {
      case 'step':
        this.setIndex(this.index + intent.delta);
        return;
      case 'reset':
        this.reset();
        return;
      case 'dragStart':
        this.drag = {
          mode: intent.mode,
          cx: intent.x,
          cy: intent.y,
          window: this.window,
          view: this.view
        };
        return;
      case 'drag':
        this.dragTo(intent.dx, intent.dy);
        return;
      case 'dragEnd':
        this.drag = undefined;
        return;
      case 'point':
        this.pointAt(intent.x, intent.y);
        return;
      case 'hover':
        if (intent.x === undefined || intent.y === undefined) {
          if (!this.input.dragging) this.cursorText.textContent = '';
        } else this.updateCursor(intent.x, intent.y);
    }
  }

  private dragTo(dx: number, dy: number): void {
    const drag = this.drag;
    if (!drag) return;
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
      this.updateStatus();
      this.scheduleRender();
    }
  }

  /** The image pixel under canvas point (x, y), if the point is on the image. */
  private pixelAt(x: number, y: number): [number, number] | undefined {
    const slice = this.slice;
    const layout = this.layout();
    if (!slice || !layout) return undefined;
    const [fx, fy] = screenToImage(place(layout, this.view), x, y);
    const px = Math.round(fx);
    const py = Math.round(fy);
    if (px < 0 || py < 0 || px >= slice.width || py >= slice.height) return undefined;
    return [px, py];
  }

  /** A click: the point of interest moves to the voxel under it (this plane's slice stays). */
  private pointAt(x: number, y: number): void {
    const slice = this.slice;
    const at = this.pixelAt(x, y);
    if (!slice || !at) return;
    this.poi = slice.toIndex(at[0], at[1]);
    this.poiMarked = true;
    this.updateHeader();
    this.scheduleRender();
  }

  private updateCursor(x: number, y: number): void {
    const slice = this.slice;
    const v = this.volume;
    if (!slice || !v) return;
    const at = this.pixelAt(x, y);
    const loaded = this.loaded;
    const hu =
      loaded?.kind === 'dicom' &&
      (v.modality === 'CT' || loaded.header.rescaleType?.trim().toUpperCase() === 'HU');
    this.cursorText.textContent = at
      ? describePixel(slice, v, at[0], at[1], {
          hu,
          coordinates: loaded?.kind === 'nifti' ? 'RAS' : 'LPS'
        })
      : '';
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

  // ---- drawing ----

  private scheduleRender(): void {
    this.sliceCanvas.schedule();
  }

  private layout(): Layout | undefined {
    const slice = this.slice ?? (this.volume ? this.currentSlice() : undefined);
    return slice ? this.sliceCanvas.layout(slice) : undefined;
  }

  /** What the canvas shows at its next redraw. */
  private picture(): Picture | undefined {
    const v = this.volume;
    if (!v) return undefined;
    // the view may have been resized since: the real scale follows
    this.updateZoom();
    const slice = this.currentSlice();
    if (!slice || !this.sliceReady()) return undefined;
    const axis = this.axis;
    const index = this.index;
    return {
      slice,
      volume: v,
      window: this.window,
      view: this.view,
      blend: rgba => this.overlay.blend(rgba, axis, index, this.orient()),
      ...(this.poiMarked ? { marker: pixelOfVoxel(slice, this.poi) } : {})
    };
  }
}
