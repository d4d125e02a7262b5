// The viewer's toolbar: title, plane buttons, window presets, the frame slider of 4-D data, the
// overlay's controls and Reset. It owns its elements and says what the user did through `actions`;
// the viewer tells it what to show.
import { AXES, type Axis, type VoiWindow } from '@radlab/imaging';
import { el } from '../element.js';
import { CT_PRESETS, formatWindow } from './windowing.js';

export const AXIS_LABELS: Record<Axis, string> = {
  axial: 'Axial',
  coronal: 'Coronal',
  sagittal: 'Sagittal'
};

export interface ToolbarActions {
  axis(axis: Axis): void;
  /** A preset chosen: 'auto', 'file-N' or a CT preset id. */
  preset(id: string): void;
  /** 0-based. */
  frame(frame: number): void;
  opacity(opacity: number): void;
  removeOverlay(): void;
  /** Only offered when the host can pick a label map. */
  chooseOverlay?(): void;
  reset(): void;
}

export interface PresetChoices {
  /** Windows from the file, labelled. */
  file: { label: string; window: VoiWindow }[];
  modality?: string;
  /** RGB data has no window: the select is disabled. */
  rgb: boolean;
}

export class ViewerToolbar {
  readonly node: HTMLElement;
  readonly title: HTMLElement;
  readonly presetSelect: HTMLSelectElement;
  readonly removeOverlayButton: HTMLButtonElement;
  readonly overlayButton: HTMLButtonElement | undefined;

  private readonly doc: Document;
  private readonly axisButtons = new Map<Axis, HTMLButtonElement>();
  private readonly frameBox: HTMLElement;
  private readonly frameInput: HTMLInputElement;
  private readonly frameLabel: HTMLElement;
  private readonly opacityBox: HTMLElement;
  private readonly opacityInput: HTMLInputElement;
  private readonly opacityLabel: HTMLElement;

  constructor(doc: Document, actions: ToolbarActions, signal: AbortSignal) {
    const d = doc;
    const on = { signal };
    this.doc = doc;
    this.node = el(d, 'div', 'rl-Viewer-toolbar');
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
      b.addEventListener('click', () => actions.axis(axis), on);
      this.axisButtons.set(axis, b);
      axes.append(b);
    }
    this.presetSelect = el(d, 'select', 'rl-Viewer-preset');
    this.presetSelect.setAttribute('aria-label', 'Window preset');
    this.presetSelect.disabled = true;
    this.presetSelect.addEventListener('change', () => actions.preset(this.presetSelect.value), on);

    this.frameBox = el(d, 'label', 'rl-Viewer-frameBox');
    this.frameLabel = el(d, 'span', 'rl-Viewer-frameLabel');
    this.frameInput = el(d, 'input', 'rl-Viewer-frame');
    this.frameInput.type = 'range';
    this.frameInput.min = '0';
    this.frameInput.step = '1';
    this.frameInput.addEventListener(
      'input',
      () => actions.frame(Number(this.frameInput.value)),
      on
    );
    this.frameBox.append(this.frameLabel, this.frameInput);
    this.frameBox.hidden = true;

    this.opacityBox = el(d, 'label', 'rl-Viewer-opacityBox');
    this.opacityLabel = el(d, 'span', 'rl-Viewer-opacityLabel', 'Overlay');
    this.opacityInput = el(d, 'input', 'rl-Viewer-opacity');
    this.opacityInput.type = 'range';
    this.opacityInput.min = '0';
    this.opacityInput.max = '1';
    this.opacityInput.step = '0.05';
    this.opacityInput.value = '0.5';
    this.opacityInput.addEventListener(
      'input',
      () => actions.opacity(Number(this.opacityInput.value)),
      on
    );
    this.opacityBox.append(this.opacityLabel, this.opacityInput);
    this.opacityBox.hidden = true;

    // Beside the slider, not inside its <label>: a button there would join the slider's name.
    this.removeOverlayButton = el(d, 'button', 'rl-Viewer-removeOverlay', '✕');
    this.removeOverlayButton.type = 'button';
    this.removeOverlayButton.title = 'Remove the overlay';
    this.removeOverlayButton.setAttribute('aria-label', 'Remove overlay');
    this.removeOverlayButton.hidden = true;
    this.removeOverlayButton.addEventListener('click', () => actions.removeOverlay(), on);

    const choose = actions.chooseOverlay;
    if (choose) {
      const b = el(d, 'button', 'rl-Viewer-addOverlay', 'Overlay…');
      b.type = 'button';
      b.title = 'Show a label map (NIfTI on the same grid) over the image';
      b.disabled = true;
      b.addEventListener('click', () => choose.call(actions), on);
      this.overlayButton = b;
    }

    const reset = el(d, 'button', 'rl-Viewer-reset', 'Reset');
    reset.type = 'button';
    reset.title = 'Reset window, zoom and pan (R)';
    reset.addEventListener('click', () => actions.reset(), on);
    this.node.append(this.title, axes, this.presetSelect, this.frameBox);
    if (this.overlayButton) this.node.append(this.overlayButton);
    this.node.append(this.opacityBox, this.removeOverlayButton, reset);
  }

  setTitle(text: string): void {
    this.title.textContent = text;
    this.title.title = text;
  }

  /** The plane buttons: `active` pressed (none without an image), all enabled when `enabled`. */
  setAxes(active: Axis | undefined, enabled: boolean): void {
    for (const [axis, b] of this.axisButtons) {
      b.disabled = !enabled;
      b.setAttribute('aria-pressed', String(axis === active));
      b.classList.toggle('rl-mod-active', axis === active);
    }
  }

  /** The frame slider of 4-D data (hidden for one frame); `frame` is 0-based. */
  setFrames(count: number, frame: number): void {
    this.frameBox.hidden = count <= 1;
    this.frameInput.max = String(count - 1);
    this.frameInput.value = String(frame);
    this.frameLabel.textContent = `Frame ${frame + 1}/${count}`;
  }

  hideFrames(): void {
    this.frameBox.hidden = true;
  }

  /** The presets for an image (none: disabled); `selected` is the option to show. */
  setPresets(choices: PresetChoices | undefined, selected: string): void {
    const d = this.doc;
    const s = this.presetSelect;
    s.replaceChildren();
    if (!choices || choices.rgb) {
      s.disabled = true;
      s.append(el(d, 'option', undefined, choices?.rgb ? 'RGB (no window)' : 'Window'));
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
      choices.file.map((w, i) => ({
        id: `file-${i}`,
        label: `${w.label} (${formatWindow(w.window)})`
      }))
    );
    group(
      'CT',
      CT_PRESETS.map(p => ({ id: p.id, label: `${p.label} (${formatWindow(p.window)})` }))
    );
    group('Data', [
      { id: 'auto', label: `${choices.modality === 'CT' ? 'Auto' : 'MR auto'} (data range)` }
    ]);
    s.value = selected;
  }

  /** The preset shown, if the select is in use. */
  selectPreset(id: string): void {
    if (!this.presetSelect.disabled) this.presetSelect.value = id;
  }

  get preset(): string {
    return this.presetSelect.value;
  }

  get presetsEnabled(): boolean {
    return !this.presetSelect.disabled;
  }

  /** The overlay's slider and ✕, shown while an overlay is; `opacity` 0..1. */
  setOverlay(shown: boolean, opacity?: number): void {
    this.opacityBox.hidden = !shown;
    this.removeOverlayButton.hidden = !shown;
    if (opacity !== undefined) this.opacityInput.value = String(opacity);
    this.opacityLabel.textContent = shown
      ? `Overlay ${Math.round(Number(this.opacityInput.value) * 100)}%`
      : 'Overlay';
  }

  /** The opacity the slider shows (the next overlay starts at it). */
  get opacity(): number {
    return Number(this.opacityInput.value);
  }

  /** "Overlay…" is usable once a complete volume is shown. */
  enableOverlayButton(enabled: boolean): void {
    if (this.overlayButton) this.overlayButton.disabled = !enabled;
  }
}
