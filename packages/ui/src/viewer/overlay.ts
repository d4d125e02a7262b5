// The label-map overlay: reading a NIfTI label map, checking it lies on the image's voxel grid,
// blending it over the slice on screen, and its legend (each label's colour, value and name). Names
// and colours come from a colour table beside the file (the header's aux_file, else
// `<name>.json|.txt|.lut|.ctbl|.label|.tsv`, see labelTable.ts), as ITK-SNAP, 3D Slicer and NiiVue
// read them; without one, values only, in imaging's categorical colours.
import {
  ImagingError,
  labelColor,
  labelValues,
  volumeFromNifti,
  type Axis,
  type ImagingDecoder,
  type NiftiVolume,
  type Volume
} from '@radlab/imaging';
import { el } from '../element.js';
import { isAbort, ownBuffer, readBytes } from './loader.js';
import { parseLabelTable, sidecarNames, type LabelTable } from './labelTable.js';
import { planeSlice, sameGrid } from './planes.js';
import { blendLabels } from './render.js';
import type { ImageFile } from './source.js';

/** Legend rows shown; the rest are counted ("… and 40 more"). */
export const LEGEND_ROWS = 24;

/** Largest colour table read beside a label map. */
const MAX_TABLE_BYTES = 4 * 2 ** 20;

export interface LegendEntry {
  value: number;
  color: [number, number, number];
  name?: string;
}

export interface OverlayDeps {
  decoder: ImagingDecoder;
  maxBytes: number;
  /** The overlay was added, removed or changed: draw again. */
  onChange(): void;
  onError(what: string, err: unknown): void;
}

interface Shown {
  volume: Volume;
  colors: (label: number) => [number, number, number];
  legend: LegendEntry[];
  /** Where the names came from (the table's file name), if anywhere. */
  source?: string;
}

/** The legend of `values` with `table`'s names and colours (imaging's colours where it has none). */
export function legendEntries(values: readonly number[], table?: LabelTable): LegendEntry[] {
  return values
    .filter(v => v !== 0)
    .map(value => {
      const entry = table?.get(value);
      return {
        value,
        color: entry?.color ?? labelColor(value),
        ...(entry?.name ? { name: entry.name } : {})
      };
    });
}

/** The first colour table beside `file` that parses; undefined when there is none. */
export async function findLabelTable(
  file: ImageFile,
  nifti: Pick<NiftiVolume, 'auxFile'>,
  signal: AbortSignal
): Promise<{ table: LabelTable; name: string } | undefined> {
  if (!file.sidecar) return undefined;
  const names = sidecarNames(file.name, nifti.auxFile);
  // the host looks in the file's folder and answers with the first of the names that exists
  let remaining = names;
  while (remaining.length) {
    const found = await file.sidecar(remaining, signal);
    if (!found) return undefined;
    const at = remaining.findIndex(n => n.toLowerCase() === found.name.toLowerCase());
    remaining = at < 0 ? [] : remaining.slice(at + 1);
    try {
      const bytes = await readBytes(found, MAX_TABLE_BYTES, signal);
      const table = parseLabelTable(new TextDecoder().decode(bytes));
      if (table) return { table, name: found.name };
    } catch (err) {
      if (isAbort(err) || signal.aborted) throw err;
      // an unreadable or oversized table: try the next name; the overlay shows without names
    }
  }
  return undefined;
}

export class OverlayController {
  /** The legend (shown over the image's corner while an overlay is). */
  readonly legend: HTMLElement;

  private readonly doc: Document;
  private shown: Shown | undefined;
  private loading: AbortController | undefined;
  private alpha = 0.5;

  constructor(
    doc: Document,
    private readonly deps: OverlayDeps,
    private readonly signal: AbortSignal
  ) {
    this.doc = doc;
    this.legend = el(doc, 'div', 'rl-Viewer-legend');
    this.legend.setAttribute('role', 'list');
    this.legend.setAttribute('aria-label', 'Labels');
    this.legend.hidden = true;
  }

  get isShown(): boolean {
    return this.shown !== undefined;
  }

  get opacity(): number {
    return this.alpha;
  }

  set opacity(value: number) {
    this.alpha = Math.min(1, Math.max(0, value));
    if (this.shown) this.deps.onChange();
  }

  /** The legend's entries (empty without an overlay). */
  get entries(): readonly LegendEntry[] {
    return this.shown?.legend ?? [];
  }

  /**
   * Show `file` over `base` (replacing the shown overlay once it has loaded; a failure keeps the
   * old one and is reported). A newer call or remove() cancels one still loading. Never rejects.
   */
  async load(file: ImageFile, base: Volume, stillCurrent: () => boolean): Promise<void> {
    this.loading?.abort();
    const ctrl = new AbortController();
    this.loading = ctrl;
    const stop = (): void => ctrl.abort();
    this.signal.addEventListener('abort', stop, { once: true });
    const live = (): boolean => !ctrl.signal.aborted && !this.signal.aborted && stillCurrent();
    try {
      const { maxBytes, decoder } = this.deps;
      const bytes = await readBytes(file, maxBytes, ctrl.signal);
      const nifti = await decoder.nifti(ownBuffer(bytes), file.name, {
        maxVoxelBytes: maxBytes,
        signal: ctrl.signal
      });
      if (!live()) return;
      const volume = checkedOverlay(volumeFromNifti(nifti), base, file.name);
      const values = labelValues(volume, 4096) ?? [];
      const found = await findLabelTable(file, nifti, ctrl.signal);
      if (!live()) return;
      const table = found?.table;
      const colors = (label: number): [number, number, number] =>
        table?.get(label)?.color ?? labelColor(label);
      this.shown = {
        volume,
        colors,
        legend: legendEntries(values, table),
        ...(found ? { source: found.name } : {})
      };
      this.renderLegend();
      this.deps.onChange();
    } catch (err) {
      if (!live() || isAbort(err)) return;
      this.deps.onError(`Cannot show the overlay ${file.name}`, err);
    } finally {
      this.signal.removeEventListener('abort', stop);
      if (this.loading === ctrl) this.loading = undefined;
    }
  }

  /** Stop showing the overlay (and stop one still loading); its voxels are let go. */
  remove(): void {
    this.loading?.abort();
    this.loading = undefined;
    if (!this.shown) return;
    this.shown = undefined;
    this.renderLegend();
    this.deps.onChange();
  }

  /** Blend the overlay's slice into `rgba` (the image's slice of the same plane). */
  blend(
    rgba: Uint8ClampedArray,
    axis: Axis,
    index: number,
    orient: 'dicom' | 'radiological'
  ): void {
    const s = this.shown;
    if (!s) return;
    const o = planeSlice(s.volume, axis, index, 0, orient);
    blendLabels(rgba, o.data, this.alpha, s.colors);
  }

  private renderLegend(): void {
    const s = this.shown;
    const d = this.doc;
    if (!s || !s.legend.length) {
      this.legend.replaceChildren();
      this.legend.hidden = true;
      return;
    }
    const rows = s.legend.slice(0, LEGEND_ROWS).map(entry => {
      const row = el(d, 'div', 'rl-Viewer-legendItem');
      row.setAttribute('role', 'listitem');
      const swatch = el(d, 'span', 'rl-Viewer-legendSwatch');
      swatch.style.backgroundColor = `rgb(${entry.color.join(', ')})`;
      row.dataset.value = String(entry.value);
      row.append(
        swatch,
        el(d, 'span', 'rl-Viewer-legendValue', String(entry.value)),
        el(d, 'span', 'rl-Viewer-legendName', entry.name ?? '')
      );
      return row;
    });
    const more = s.legend.length - LEGEND_ROWS;
    if (more > 0) rows.push(el(d, 'div', 'rl-Viewer-legendMore', `… and ${more} more`));
    this.legend.replaceChildren(...rows);
    this.legend.title = s.source ? `Names from ${s.source}` : 'No colour table beside the file';
    this.legend.hidden = false;
  }
}

/** `volume` checked against `base` and given base's geometry, so both planes line up voxel for voxel. */
function checkedOverlay(volume: Volume, base: Volume, name: string): Volume {
  const hint =
    'An overlay must be a label map on the same voxel grid as the image (resample it first).';
  if (volume.dims.some((n, i) => n !== base.dims[i]) || volume.rgb) {
    throw new ImagingError({
      code: 'unsupportedPixelFormat',
      message: `The overlay ${name} is ${volume.dims.join('×')}, the image is ${base.dims.join('×')}.`,
      hint
    });
  }
  if (!sameGrid(volume, base)) {
    throw new ImagingError({
      code: 'unsupportedPixelFormat',
      message: `The overlay ${name} has the image's size but not its position or orientation.`,
      hint
    });
  }
  return { ...volume, direction: base.direction, origin: base.origin, spacing: base.spacing };
}
