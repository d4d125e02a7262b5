// DICOM files (one series, or one multi-frame file) → Volume. The geometry comes from the headers
// alone, so a VolumeBuilder can allocate once and show the first decoded slice while the rest decode.
// Slices are ordered by ImagePositionPatient along the normal; spacing comes from those positions
// (SliceThickness is not spacing); gaps, uneven spacing and duplicates become warnings.
import type { DecodedFrame } from '../dicom/frame.js';
import type { DicomImage, Vec3 } from '../dicom/parse.js';
import { ImagingError } from '../errors.js';
import { headerWindows } from '../lut/voi.js';
import { groupSeries, sameOrientation } from '../series/group.js';
import { SAME_POSITION_MM, sortSeries, type SortedSeries } from '../series/sort.js';
import {
  allocateVolumeData,
  DEFAULT_MAX_VOXEL_BYTES,
  type Volume,
  type VolumeDataKind
} from './volume.js';

export interface VolumeOptions {
  /** Voxel memory limit, checked before allocating. Default 1 GiB. */
  maxVoxelBytes?: number;
  /** Relative tolerance for "same slice spacing" (default 0.05). */
  tolerance?: number;
}

export interface VolumeFromSeriesOptions extends VolumeOptions {
  /** Which series to build when the files hold several (default: the one with most frames). */
  seriesInstanceUID?: string;
}

/** Where the pixels of volume slice `k` (of 4th-dimension frame `t`) come from. */
export interface SliceSlot {
  /** Index of the file in the headers given to the builder. */
  file: number;
  /** Frame of that file (0 for single-frame files). */
  frame: number;
  k: number;
  t: number;
}

interface Item {
  file: number;
  frame: number;
  ordinal: number;
  seriesInstanceUID: string;
  imagePositionPatient?: Vec3;
  imageOrientationPatient?: [number, number, number, number, number, number];
  instanceNumber: number;
  pixelSpacing?: [number, number];
}

/** Rescale of one frame: enhanced images carry it per frame. */
function rescaleOf(h: DicomImage, frame: number): { slope: number; intercept: number } {
  const f = h.perFrame?.[frame];
  return f
    ? { slope: f.rescaleSlope, intercept: f.rescaleIntercept }
    : { slope: h.rescaleSlope, intercept: h.rescaleIntercept };
}

/** Decoded as interleaved RGB: several samples, or PALETTE COLOR (decodeFrame applies the LUTs). */
function isColour(h: DicomImage): boolean {
  return (
    h.samplesPerPixel > 1 || h.photometricInterpretation.trim().toUpperCase() === 'PALETTE COLOR'
  );
}

function dataKind(headers: readonly DicomImage[], float: boolean): VolumeDataKind {
  const h = headers[0];
  if (isColour(h)) return 'uint8';
  if (float) return 'float32';
  const signed = headers.some(x => x.pixelRepresentation === 1);
  const mixed = signed && headers.some(x => x.pixelRepresentation === 0);
  if (h.bitsAllocated <= 8) return mixed ? 'int16' : signed ? 'int8' : 'uint8';
  if (h.bitsAllocated <= 16) return mixed ? 'int32' : signed ? 'int16' : 'uint16';
  if (mixed) return 'float64';
  return signed ? 'int32' : 'uint32';
}

function normalize(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
}

function mm(v: number): string {
  return `${v.toFixed(2)} mm`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Plans a volume from the headers of one series (or one multi-frame file), allocates it once, then
 * takes decoded frames in any order. `volume` is usable (zeros where not yet filled) at once.
 */
export class VolumeBuilder {
  readonly volume: Volume;
  /** Slot s = t * dims[2] + k, i.e. the order of slices in `volume.data`. */
  readonly slots: SliceSlot[];
  private readonly headers: readonly DicomImage[];
  private readonly done: Uint8Array;
  private readonly bySource = new Map<string, number>();
  private readonly float: boolean;
  private remaining: number;

  constructor(headers: readonly DicomImage[], options: VolumeOptions = {}) {
    if (!headers.length)
      throw new ImagingError({ code: 'malformed', message: 'No DICOM images to build a volume.' });
    this.headers = headers;
    const ref = headers[0];
    for (const h of headers) {
      if (
        h.rows !== ref.rows ||
        h.columns !== ref.columns ||
        h.samplesPerPixel !== ref.samplesPerPixel
      )
        throw new ImagingError({
          code: 'malformed',
          message: `Images of ${h.columns}×${h.rows} and ${ref.columns}×${ref.rows} pixels cannot form one volume.`
        });
    }
    const warnings: string[] = [];

    // One item per frame of every file, deduplicated by SOP Instance UID.
    const items: Item[] = [];
    const seen = new Set<string>();
    let duplicateFiles = 0;
    let missingPerFrame = false;
    const fileOrder = headers
      .map((h, i) => ({ h, i }))
      .sort((a, b) => (a.h.instanceNumber ?? 0) - (b.h.instanceNumber ?? 0) || a.i - b.i);
    for (const { h, i } of fileOrder) {
      if (h.sopInstanceUID) {
        if (seen.has(h.sopInstanceUID)) {
          duplicateFiles++;
          continue;
        }
        seen.add(h.sopInstanceUID);
      }
      const multi = h.numberOfFrames > 1;
      for (let f = 0; f < h.numberOfFrames; f++) {
        const g = multi ? h.perFrame?.[f] : undefined;
        if (multi && !g?.imagePositionPatient) missingPerFrame = true;
        items.push({
          file: i,
          frame: f,
          ordinal: items.length,
          seriesInstanceUID: '',
          imagePositionPatient: multi ? g?.imagePositionPatient : h.imagePositionPatient,
          imageOrientationPatient: g?.imageOrientationPatient ?? h.imageOrientationPatient,
          instanceNumber: items.length,
          pixelSpacing: g?.pixelSpacing ?? h.pixelSpacing
        });
      }
    }
    if (duplicateFiles)
      warnings.push(
        `${plural(duplicateFiles, 'file repeats', 'files repeat')} an image already loaded; ignored.`
      );

    const refIop = items.find(i => i.imageOrientationPatient)?.imageOrientationPatient;
    const oblique = items.filter(i => !sameOrientation(i.imageOrientationPatient, refIop)).length;
    if (oblique)
      warnings.push(
        `${plural(oblique, 'slice has', 'slices have')} a different orientation from the first; positions may be wrong.`
      );

    let [sorted] = sortSeries(items, { tolerance: options.tolerance });
    // Several images at one position: a 4th dimension when every position has the same number
    // (phases, echoes, b-values), else keep the first at each position.
    let frames = 1;
    let slots: SliceSlot[] | undefined;
    if (sorted.orderedBy === 'position' && sorted.duplicates > 0) {
      const runs: Item[][] = [];
      sorted.slices.forEach((item, n) => {
        if (n > 0 && sorted.positions[n] - sorted.positions[n - 1] < SAME_POSITION_MM)
          runs[runs.length - 1].push(item);
        else runs.push([item]);
      });
      for (const run of runs) run.sort((a, b) => a.ordinal - b.ordinal);
      const sizes = new Set(runs.map(r => r.length));
      if (sizes.size === 1 && runs.length > 1) {
        frames = runs[0].length;
        const firsts = runs.map(r => r[0]);
        [sorted] = sortSeries(firsts, { tolerance: options.tolerance });
        const order = new Map(sorted.slices.map((item, k) => [item, k]));
        const byK: Item[][] = runs.slice().sort((a, b) => order.get(a[0])! - order.get(b[0])!);
        const planned: SliceSlot[] = [];
        for (let t = 0; t < frames; t++)
          byK.forEach((run, k) => planned.push({ file: run[t].file, frame: run[t].frame, k, t }));
        slots = planned;
        warnings.push(
          `${plural(frames, 'image')} at each of ${plural(runs.length, 'position')}: shown as ${frames} frames.`
        );
      } else {
        const dropped = sorted.slices.length - runs.length;
        warnings.push(
          `${plural(dropped, 'slice shares', 'slices share')} a position with another; the first at each position is shown.`
        );
        [sorted] = sortSeries(
          runs.map(r => r[0]),
          { tolerance: options.tolerance }
        );
      }
    }
    const nz = sorted.slices.length;
    this.slots =
      slots ?? sorted.slices.map((item, k) => ({ file: item.file, frame: item.frame, k, t: 0 }));
    warnings.push(...spacingWarnings(sorted));

    // Geometry.
    const first = sorted.slices[0];
    let direction: [Vec3, Vec3, Vec3];
    let origin: Vec3 = first.imagePositionPatient ?? [0, 0, 0];
    if (refIop) {
      const row = normalize([refIop[0], refIop[1], refIop[2]]);
      const col = normalize([refIop[3], refIop[4], refIop[5]]);
      direction = [row, col, normalize(sorted.normal ?? cross(row, col))];
    } else {
      direction = [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1]
      ];
      origin = [0, 0, 0];
      warnings.push('The images have no orientation (Image Orientation Patient); axes assumed.');
    }
    const ps = first.pixelSpacing;
    if (!ps) warnings.push('The images have no Pixel Spacing; 1 mm pixels assumed.');
    let sliceSpacing = sorted.spacing;
    if (sorted.orderedBy !== 'position' && nz > 1) {
      sliceSpacing = 1;
      warnings.push(
        missingPerFrame
          ? 'The multi-frame image has no per-frame positions: frames stacked in file order, 1 mm apart.'
          : 'The slices have no positions (Image Position Patient): stacked by instance number, 1 mm apart.'
      );
    } else if (!(sliceSpacing > 0)) {
      sliceSpacing = ref.sliceThickness && ref.sliceThickness > 0 ? ref.sliceThickness : 1;
    }
    if (sorted.orderedBy === 'position' && nz > 1) {
      const last = sorted.slices[nz - 1].imagePositionPatient!;
      const p0 = first.imagePositionPatient!;
      const along = normalize([last[0] - p0[0], last[1] - p0[1], last[2] - p0[2]]);
      const n = direction[2];
      const cos = Math.min(1, Math.abs(along[0] * n[0] + along[1] * n[1] + along[2] * n[2]));
      const degrees = (Math.acos(cos) * 180) / Math.PI;
      if (degrees > 0.5)
        warnings.push(
          `The slices are sheared by ${degrees.toFixed(1)}° (gantry tilt); shown without correction.`
        );
    }

    // Rescale: one for the volume, unless slices differ (PET): then real values in float32.
    const rescales = this.slots.map(s => rescaleOf(headers[s.file], s.frame));
    const r0 = rescales[0];
    this.float = rescales.some(r => r.slope !== r0.slope || r.intercept !== r0.intercept);
    if (this.float)
      warnings.push(
        'Rescale slope/intercept differ between slices: the volume holds rescaled (real) values.'
      );
    if (ref.samplesPerPixel > 1 && ref.bitsAllocated > 8)
      warnings.push(`Colour images with ${ref.bitsAllocated} bits are shown with 8 bits.`);

    const [nx, ny] = [ref.columns, ref.rows];
    const C = isColour(ref) ? 3 : 1;
    const kind = dataKind(headers, this.float);
    const data = allocateVolumeData(
      kind,
      nx * ny * nz * frames * C,
      options.maxVoxelBytes ?? DEFAULT_MAX_VOXEL_BYTES
    );
    this.volume = {
      dims: [nx, ny, nz],
      frames,
      data,
      ...(C === 3 ? { rgb: true } : {}),
      spacing: [ps?.[1] ?? 1, ps?.[0] ?? 1, sliceSpacing],
      origin,
      direction,
      rescale: this.float ? { slope: 1, intercept: 0 } : r0,
      windows: headerWindows(ref),
      warnings,
      ...(ref.photometricInterpretation.trim().toUpperCase() === 'MONOCHROME1'
        ? { invert: true }
        : {}),
      ...(ref.modality ? { modality: ref.modality } : {})
    };
    this.done = new Uint8Array(this.slots.length);
    this.remaining = this.slots.length;
    this.slots.forEach((s, n) => this.bySource.set(`${s.file}:${s.frame}`, n));
  }

  /** Number of slots (dims[2] × frames). */
  get size(): number {
    return this.slots.length;
  }

  get complete(): boolean {
    return this.remaining === 0;
  }

  filled(slot: number): boolean {
    return this.done[slot] === 1;
  }

  /** The slot fed by frame `frame` of file `file`, or -1 (a skipped duplicate). */
  slotOf(file: number, frame = 0): number {
    return this.bySource.get(`${file}:${frame}`) ?? -1;
  }

  /** Copy a decoded frame into slot `slot` (= t × dims[2] + k). */
  set(slot: number, decoded: DecodedFrame): void {
    const { volume } = this;
    const [nx, ny] = volume.dims;
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.slots.length)
      throw new RangeError(`Slot ${slot} is out of range 0..${this.slots.length - 1}.`);
    if (decoded.columns !== nx || decoded.rows !== ny)
      throw new ImagingError({
        code: 'malformed',
        message: `A frame of ${decoded.columns}×${decoded.rows} pixels does not fit the ${nx}×${ny} volume.`
      });
    const C = volume.rgb ? 3 : 1;
    const n = nx * ny * C;
    const src = decoded.pixels;
    if (src.length < n || (C === 3) !== decoded.samplesPerPixel > 1)
      throw new ImagingError({
        code: 'malformed',
        message: `A frame's pixels (${decoded.samplesPerPixel} samples) do not fit the volume.`
      });
    const at = slot * n;
    const out = volume.data;
    const { file, frame } = this.slots[slot];
    const h = this.headers[file];
    if (this.float) {
      const { slope: m, intercept: b } = rescaleOf(h, frame);
      for (let p = 0; p < n; p++) out[at + p] = src[p] * m + b;
    } else if (C === 3 && !(src instanceof Uint8Array)) {
      const shift = Math.max(0, h.bitsStored - 8);
      for (let p = 0; p < n; p++) out[at + p] = src[p] >> shift;
    } else {
      out.set(src.length === n ? src : src.subarray(0, n), at);
    }
    if (!this.done[slot]) {
      this.done[slot] = 1;
      this.remaining--;
    }
  }

  /**
   * Every slot, in the order to decode them so that slice `first` of `frame` shows first and its
   * neighbours follow outward (other frames after). Default: the middle slice of frame 0.
   */
  decodeOrder(first = Math.floor((this.volume.dims[2] - 1) / 2), frame = 0): number[] {
    const key = (s: SliceSlot) => (s.t === frame ? 0 : 1e9) + Math.abs(s.k - first) * 1e3 + s.t;
    return this.slots
      .map((s, n) => ({ n, key: key(s) }))
      .sort((a, b) => a.key - b.key)
      .map(x => x.n);
  }

  /** `set` by source: frame `decoded.frameIndex` of file `file`. False when no slot takes it. */
  setFrame(file: number, decoded: DecodedFrame): boolean {
    const slot = this.slotOf(file, decoded.frameIndex);
    if (slot < 0) return false;
    this.set(slot, decoded);
    return true;
  }

  /** The volume, with a warning when some slots were never filled. */
  finish(): Volume {
    if (this.remaining > 0) {
      const w = `${plural(this.remaining, 'slice was', 'slices were')} not decoded and show as blank.`;
      if (!this.volume.warnings.includes(w)) this.volume.warnings.push(w);
    }
    return this.volume;
  }
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function spacingWarnings(sorted: SortedSeries<unknown>): string[] {
  const out: string[] = [];
  for (const g of sorted.gaps) {
    out.push(
      `${plural(g.missing, 'slice')} missing between slices ${g.after + 1} and ${g.after + 2} (${mm(g.distance)} apart where the spacing is ${mm(sorted.spacing)}).`
    );
  }
  for (const g of sorted.uneven) {
    out.push(
      `Uneven slice spacing: ${mm(g.distance)} between slices ${g.after + 1} and ${g.after + 2} where the spacing is ${mm(sorted.spacing)}.`
    );
  }
  return out;
}

/**
 * Build a volume from decoded DICOM files. Several series: the one named by `seriesInstanceUID`, or
 * the largest; files left out (other size or orientation) are listed in the warnings.
 */
export function volumeFromSeries(
  slices: ReadonlyArray<{ header: DicomImage; frames: DecodedFrame[] }>,
  options: VolumeFromSeriesOptions = {}
): Volume {
  const { groups, skipped } = groupSeries(slices);
  const group = options.seriesInstanceUID
    ? groups.find(g => g.seriesInstanceUID === options.seriesInstanceUID)
    : groups[0];
  if (!group)
    throw new ImagingError({
      code: 'malformed',
      message: options.seriesInstanceUID
        ? 'The requested series is not among the files.'
        : 'No DICOM images to build a volume.'
    });
  const builder = new VolumeBuilder(
    group.files.map(f => f.header),
    options
  );
  group.files.forEach((f, i) => {
    for (const frame of f.frames) builder.setFrame(i, frame);
  });
  const volume = builder.finish();
  const mine = skipped.filter(
    s => (s.file.header.seriesInstanceUID ?? '') === group.seriesInstanceUID
  );
  for (const s of mine) volume.warnings.push(`A file was left out: ${s.reason}.`);
  if (groups.length > 1)
    volume.warnings.push(
      `The files hold ${groups.length} series; showing one with ${plural(group.frames, 'image')}.`
    );
  return volume;
}
