// ImageViewer: the DICOM/NIfTI slice view shared by the JupyterLab widget and the VS Code webview.
// Plain DOM and a 2D canvas; hosts only build an ImageSource and place `viewer.node`. This file holds
// the state and ties the parts together: the toolbar (toolbar.ts), input → intent (intents.ts), the
// label-map overlay (overlay.ts), the header panel (headerPanel.ts), the window/level state
// (windowState.ts), where it looks in the volume (navigation.ts), the status line (statusBar.ts), the stage's messages (stageMessages.ts) and
// the notes under the image (volumeNotes.ts).
//
// The point of interest is one voxel (i, j, k): each plane shows the slice through it, so switching
// plane keeps the place the user looked at (NiiVue's crosshair, without drawing one); scrolling moves
// it along the plane's axis and a left click without a drag moves it to the pixel clicked.
import {
  createInlineDecoder,
  type Axis,
  type ImagingDecoder,
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
import { SliceNavigator } from './navigation.js';
import { OverlayController } from './overlay.js';
import { describePixel } from './pixelReadout.js';
import { SliceCanvas, type Picture } from './sliceCanvas.js';
import { planSource, type ImageFile, type ImageSource } from './source.js';
import { StageMessages } from './stageMessages.js';
import { ViewerStatus } from './statusBar.js';
import { AXIS_LABELS, ViewerToolbar } from './toolbar.js';
import { renderNotes, volumeNotes } from './volumeNotes.js';
import { WindowState } from './windowState.js';
import {
  place,
  screenToImage,
  zoomAbout,
  zoomFactorForDrag,
  type Layout,
  type ViewState
} from './viewport.js';
import { dragWindow, formatWindow } from './windowing.js';

export { zoomLabel } from './statusBar.js';

export interface ImageViewerOptions {
  /** Decoder (a worker pool in the hosts); default: decode on this thread. */
  decoder?: ImagingDecoder;
  /** Asked before identifying attributes are shown; without it the button click is the consent. */
  confirmRevealPhi?: () => Promise<boolean>;
  /** Reads of a DICOM folder at once (default: the source's parallelReads, else 6). */
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

/**
 * A User Timing mark (open, first image drawn, all decoded): what the browser's performance panel
 * and bench/viewer read. Names only the image's title.
 */
function mark(name: string, title: string): void {
  try {
    globalThis.performance?.mark?.(name, { detail: { title } });
  } catch {
    // no User Timing (an old or test DOM): nothing to mark
  }
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
  private readonly messages: StageMessages;
  private readonly sliceInput: HTMLInputElement;
  private readonly status: ViewerStatus;
  private readonly notes: HTMLElement;

  // State
  private loaded: Loaded | undefined;
  private readonly nav = new SliceNavigator();
  private readonly windows = new WindowState();
  private view: ViewState = FIT;
  private drag: Drag | undefined;
  /** A folder's volume is still filling in. */
  private decoding = false;
  /** The title of the image opened last while it has not been drawn yet (its performance mark). */
  private firstImagePending: string | undefined;

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
      err => this.showError('Cannot draw the image', err),
      () => this.drawn()
    );
    this.labels = {
      top: el(d, 'div', 'rl-Viewer-label rl-Viewer-label-top'),
      bottom: el(d, 'div', 'rl-Viewer-label rl-Viewer-label-bottom'),
      left: el(d, 'div', 'rl-Viewer-label rl-Viewer-label-left'),
      right: el(d, 'div', 'rl-Viewer-label rl-Viewer-label-right')
    };
    this.messages = new StageMessages(d);
    this.stage.append(
      this.canvas,
      this.labels.top,
      this.labels.bottom,
      this.labels.left,
      this.labels.right,
      this.overlay.legend,
      ...this.messages.nodes
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

    this.status = new ViewerStatus(d);

    this.notes = el(d, 'ul', 'rl-Viewer-notes');
    this.notes.hidden = true;

    this.node.append(
      this.toolbar.node,
      this.stage,
      this.sliceInput,
      this.status.node,
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
          count: this.nav.count
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
    this.firstImagePending = source.title;
    mark('radlab:viewer:open', source.title);
    this.toolbar.setTitle(source.title);
    this.showProgress('Loading…');
    const options = {
      signal: load.signal,
      maxBytes: this.options.maxBytes ?? DEFAULT_MAX_BYTES,
      concurrency: Math.max(1, this.options.concurrency ?? source.parallelReads ?? 6),
      ...(source.ordered ? { ordered: true } : {}),
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
      mark('radlab:viewer:loaded', source.title);
    } catch (err) {
      if (this.load !== load || this.disposed || isAbort(err) || load.signal.aborted) return;
      // a file cut short whose header reads: the header panel shows it beside the error
      if (err instanceof HeaderOnlyError)
        this.headerPanel.show({ kind: 'dicom', file: err.file, header: err.header });
      this.showError(`Cannot open ${source.title}`, err);
    } finally {
      signal?.removeEventListener('abort', stop);
      if (this.load === load) {
        this.messages.hideProgress();
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
    this.nav.clear();
    this.loaded = undefined;
    this.node.remove();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  // ---- showing a volume ----

  private clear(): void {
    this.loaded = undefined;
    this.nav.clear();
    this.overlay.remove();
    this.drag = undefined;
    this.decoding = false;
    this.windows.autoPending = false;
    this.messages.clear();
    this.toolbar.setOverlay(false);
    this.toolbar.hideFrames();
    this.toolbar.enableOverlayButton(false);
    this.headerPanel.show(undefined);
    renderNotes(this.notes, []);
    this.updateStatus();
    this.updateLabels();
  }

  private show(loaded: Loaded, how: { provisional: boolean }): void {
    const previous = this.nav.volume;
    const volume = loaded.volume;
    // The folder being loaded, now complete: slice, frame, zoom and window stay as the user set them.
    const same = previous === volume;
    const selected = this.toolbar.preset;
    const keepWindow = previous !== undefined && (same || selected === 'custom');
    this.loaded = loaded;
    this.decoding = how.provisional;
    // a folder still decoding has no complete grid to check an overlay against
    this.toolbar.enableOverlayButton(!how.provisional);
    const geometry = loaded.kind === 'nifti' || loaded.header.imageOrientationPatient !== undefined;
    this.nav.orient = loaded.kind === 'nifti' ? 'radiological' : 'dicom';
    // a folder starts on the slice it decodes first
    this.nav.show(volume, {
      mpr: !how.provisional && geometry && volume.dims[2] > 1 && !volume.rgb,
      ...(loaded.kind === 'dicom' ? { startIndex: loaded.startIndex } : {})
    });

    const explanations = loaded.kind === 'dicom' ? loaded.header.windowExplanations : [];
    this.windows.showVolume(volume, explanations, {
      provisional: how.provisional,
      keep: keepWindow
    });
    const fileWindows = this.windows.fileWindows;
    this.toolbar.setPresets(
      { file: fileWindows, modality: volume.modality, rgb: volume.rgb === true },
      keepWindow && !same ? 'custom' : this.windows.defaultPreset
    );
    if (same) {
      this.toolbar.selectPreset(selected);
      if (selected === 'auto' && this.toolbar.presetsEnabled)
        this.windows.current = this.windows.auto;
    }
    this.toolbar.setFrames(volume.frames, this.nav.frame);

    renderNotes(
      this.notes,
      volumeNotes(volume, loaded.skipped, { geometry, dicom: loaded.kind === 'dicom' })
    );
    this.updateAxisButtons();
    this.updateSlice();
  }

  private get volume(): Volume | undefined {
    return this.nav.volume;
  }

  /** Whether the slice on screen has been decoded (a folder fills in as its files decode). */
  private sliceReady(): boolean {
    const filled = this.loaded?.kind === 'dicom' ? this.loaded.filled : undefined;
    const slot = filled ? this.nav.slot : undefined;
    return slot === undefined || filled!(slot);
  }

  private updatePending(): void {
    const ready = !this.volume || this.sliceReady();
    this.messages.setPending(ready ? undefined : this.decoding ? 'Decoding…' : 'Not decoded');
  }

  /** A slice of the loading folder arrived: draw it if it is on screen. */
  private sliceDecoded(slot: number): void {
    const v = this.volume;
    if (!v) return;
    const first = this.windows.firstSlice(v, slot, this.toolbar.preset === 'auto');
    if (!first && slot !== this.nav.slot) return;
    this.nav.invalidate();
    this.updateSlice();
  }

  private applyPreset(id: string): void {
    const w = this.windows.preset(id);
    if (!w) return;
    this.windows.current = { fn: 'LINEAR', ...w };
    this.updateStatus();
    this.scheduleRender();
  }

  private setWindow(w: VoiWindow): void {
    this.windows.current = w;
    this.toolbar.selectPreset('custom');
    this.updateStatus();
    this.scheduleRender();
  }

  private updateAxisButtons(): void {
    this.toolbar.setAxes(this.volume ? this.nav.axis : undefined, this.nav.mpr);
  }

  /** Another plane, through the same point of interest (not its middle slice). */
  private setAxis(axis: Axis): void {
    if (!this.nav.setAxis(axis)) return;
    this.view = FIT;
    this.updateAxisButtons();
    this.updateSlice();
  }

  private setIndex(index: number): void {
    if (this.nav.setIndex(index)) this.updateSlice();
  }

  private setFrame(frame: number): void {
    if (!this.nav.setFrame(frame)) return;
    this.toolbar.setFrames(this.nav.volume!.frames, this.nav.frame);
    this.updateSlice();
  }

  private setOverlayOpacity(opacity: number): void {
    if (!this.overlay.isShown) return;
    this.overlay.opacity = opacity;
  }

  private reset(): void {
    if (!this.volume) return;
    this.windows.current = this.windows.default;
    this.view = FIT;
    // R also clears the point's mark (the point itself stays: the planes keep their slices)
    this.nav.marked = false;
    this.toolbar.selectPreset(this.windows.defaultPreset);
    this.updateStatus();
    this.scheduleRender();
  }

  private updateSlice(): void {
    const slice = this.nav.current();
    if (slice) {
      this.sliceInput.disabled = slice.count <= 1;
      this.sliceInput.max = String(slice.count - 1);
      this.sliceInput.value = String(slice.index);
      this.sliceInput.setAttribute(
        'aria-valuetext',
        `${AXIS_LABELS[this.nav.axis]} slice ${slice.index + 1} of ${slice.count}`
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
    const slice = v ? this.nav.current() : undefined;
    if (!loaded || !v || !slice) return;
    const rows = sliceRows(
      AXIS_LABELS[this.nav.axis],
      slice,
      { index: this.nav.frame, count: v.frames },
      loaded.kind === 'nifti' ? 'RAS' : 'LPS'
    );
    let subject: HeaderSubject;
    if (loaded.kind === 'nifti') subject = { kind: 'nifti', nifti: loaded.nifti };
    else {
      // the k plane shows one file's image; another plane crosses them all: the one at the point
      const source = loaded.sourceOf(this.nav.poiSlot ?? 0) ?? {
        file: loaded.file,
        header: loaded.header,
        frame: 0
      };
      subject = {
        kind: 'dicom',
        file: source.file,
        header: source.header,
        frame: source.frame,
        reformatted: this.nav.reformatted
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
    const slice = this.volume ? this.nav.current() : undefined;
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
      this.status.clear();
      return;
    }
    this.status.show(
      v.rgb ? 'RGB' : formatWindow(this.windows.current),
      this.nav.index,
      this.nav.count,
      AXIS_LABELS[this.nav.axis]
    );
    this.updateZoom();
  }

  /** The real scale (screen pixels per image pixel), not the zoom relative to the fit. */
  private updateZoom(): void {
    const layout = this.layout();
    if (!layout) {
      this.status.setZoom(undefined);
      return;
    }
    const p = place(layout, this.view);
    const dpr = this.sliceCanvas.devicePixelRatio;
    const [sx, sy] = layout.pixelSpacing;
    this.status.setZoom({
      scale: Math.min(p.scaleX, p.scaleY) * dpr,
      fitted: this.view.zoom === 1 && this.view.panX === 0 && this.view.panY === 0,
      ...(sx > 0 && sy > 0 ? { devicePxPerMm: (p.scaleX / sx) * dpr } : {})
    });
  }

  // ---- input ----

  private handle(intent: Intent): void {
    const v = this.volume;
    if (!v) return;
    switch (intent.kind) {
      case 'step':
        this.setIndex(this.nav.index + intent.delta);
        return;
      case 'reset':
        this.reset();
        return;
      case 'dragStart':
        this.drag = {
          mode: intent.mode,
          cx: intent.x,
          cy: intent.y,
          window: this.windows.current,
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
          if (!this.input.dragging) this.status.setCursor('');
        } else this.updateCursor(intent.x, intent.y);
    }
  }

  private dragTo(dx: number, dy: number): void {
    const drag = this.drag;
    if (!drag) return;
    if (drag.mode === 'window')
      this.setWindow(dragWindow(drag.window, dx, dy, this.windows.multiplier));
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
    const slice = this.nav.cached;
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
    const at = this.pixelAt(x, y);
    if (!at) return;
    this.nav.pointAt(at[0], at[1]);
    this.updateHeader();
    this.scheduleRender();
  }

  private updateCursor(x: number, y: number): void {
    const slice = this.nav.cached;
    const v = this.volume;
    if (!slice || !v) return;
    const at = this.pixelAt(x, y);
    const loaded = this.loaded;
    const hu =
      loaded?.kind === 'dicom' &&
      (v.modality === 'CT' || loaded.header.rescaleType?.trim().toUpperCase() === 'HU');
    this.status.setCursor(
      at
        ? describePixel(slice, v, at[0], at[1], {
            hu,
            coordinates: loaded?.kind === 'nifti' ? 'RAS' : 'LPS'
          })
        : ''
    );
  }

  // ---- errors and progress ----

  private showError(what: string, err: unknown): void {
    this.messages.showError(what, err);
  }

  private showProgress(text: string): void {
    this.messages.showProgress(text);
  }

  // ---- drawing ----

  private drawn(): void {
    const title = this.firstImagePending;
    if (title === undefined) return;
    this.firstImagePending = undefined;
    mark('radlab:viewer:first-image', title);
  }

  private scheduleRender(): void {
    this.sliceCanvas.schedule();
  }

  private layout(): Layout | undefined {
    const slice = this.nav.cached ?? this.nav.current();
    return slice ? this.sliceCanvas.layout(slice) : undefined;
  }

  /** What the canvas shows at its next redraw. */
  private picture(): Picture | undefined {
    const v = this.volume;
    if (!v) return undefined;
    // the view may have been resized since: the real scale follows
    this.updateZoom();
    const slice = this.nav.current();
    if (!slice || !this.sliceReady()) return undefined;
    const { axis, index, orient } = this.nav;
    const marker = this.nav.marker(slice);
    return {
      slice,
      volume: v,
      window: this.windows.current,
      view: this.view,
      blend: rgba => this.overlay.blend(rgba, axis, index, orient),
      ...(marker ? { marker } : {})
    };
  }
}
