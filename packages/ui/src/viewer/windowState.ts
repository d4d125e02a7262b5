// The viewer's window/level state for one volume: the window shown, the file's own windows, the
// automatic one and the default (R returns to it), and the drag speed. No DOM: the viewer turns
// the toolbar's choices into calls here and draws with `current`.
import type { Volume, VoiWindow } from '@radlab/imaging';
import { CT_PRESETS, autoWindow, dragMultiplier, quantiles } from './windowing.js';

/** A header window the VOI LUT accepts (a zero or negative width would throw). */
export function usableWindow(w: VoiWindow): boolean {
  const min = w.fn === 'LINEAR' || w.fn === undefined ? 1 : Number.MIN_VALUE;
  return Number.isFinite(w.center) && Number.isFinite(w.width) && w.width >= min;
}

export interface FileWindow {
  label: string;
  window: VoiWindow;
}

const UNIT: VoiWindow = { center: 0, width: 1 };

export class WindowState {
  /** The window drawn with. */
  current: VoiWindow = UNIT;
  /** The file's first usable window, else the automatic one. */
  default: VoiWindow = UNIT;
  /** The file's usable windows, labelled by their explanation. */
  fileWindows: FileWindow[] = [];
  /** The automatic window (robust range of the data). */
  auto: VoiWindow = UNIT;
  /** Window units per pixel of drag. */
  multiplier = 1;
  /** The automatic window still awaits its first decoded slice (a folder loading). */
  autoPending = false;

  /** The preset the toolbar selects by default. */
  get defaultPreset(): string {
    return this.fileWindows.length ? 'file-0' : 'auto';
  }

  /**
   * A volume shown (or the loading one, complete now). While a folder decodes its volume is mostly
   * zeros (`provisional`): the first decoded slice sets the automatic window. `keep`: the window
   * stays as the user set it.
   */
  showVolume(
    volume: Volume,
    explanations: readonly string[],
    how: { provisional: boolean; keep: boolean }
  ): void {
    this.autoPending = how.provisional;
    this.autoFrom(
      volume,
      how.provisional
        ? volume.data.subarray(0, 0)
        : volume.data.subarray(0, volume.dims[0] * volume.dims[1] * volume.dims[2])
    );
    this.fileWindows = volume.windows
      .map((w, i) => ({
        label: explanations[i] ? `File: ${explanations[i]}` : `File window ${i + 1}`,
        window: w
      }))
      .filter(w => usableWindow(w.window));
    this.default = this.fileWindows[0]?.window ?? this.auto;
    if (!how.keep) this.current = this.default;
  }

  /**
   * A slice of the loading volume holds pixels: the first one sets the automatic window (and the
   * window shown when `autoSelected`). Whether it did.
   */
  firstSlice(volume: Volume, slot: number, autoSelected: boolean): boolean {
    if (!this.autoPending) return false;
    this.autoPending = false;
    const n = volume.dims[0] * volume.dims[1] * (volume.rgb ? 3 : 1);
    this.autoFrom(volume, volume.data.subarray(slot * n, (slot + 1) * n));
    if (!this.fileWindows.length) {
      this.default = this.auto;
      if (autoSelected) this.current = this.auto;
    }
    return true;
  }

  /** The window of a toolbar preset id ('auto', 'file-N', a CT preset); undefined: unknown. */
  preset(id: string): VoiWindow | undefined {
    if (id === 'auto') return this.auto;
    if (id.startsWith('file-')) return this.fileWindows[Number(id.slice(5))]?.window;
    return CT_PRESETS.find(p => p.id === id)?.window;
  }

  /** The automatic window and drag speed from `data` (stored values). */
  private autoFrom(volume: Volume, data: Volume['data']): void {
    const { slope, intercept } = volume.rescale;
    this.auto = volume.rgb ? { center: 127.5, width: 256 } : autoWindow(data, volume.rescale);
    const [lo, hi] = volume.rgb ? [0, 255] : quantiles(data, [0, 1], v => v * slope + intercept);
    this.multiplier = dragMultiplier(hi - lo);
  }
}
