// Where the viewer looks in a volume: the plane, the point of interest (one voxel; each plane
// shows the slice through it, so switching plane keeps the place looked at), the frame, and the
// slice on screen (cached until one of those changes). No DOM: the viewer redraws after a change.
import type { Axis, Slice, Vec3, Volume } from '@radlab/imaging';
import {
  acquisitionPlane,
  indexPlanes,
  pixelOfVoxel,
  planeAxis,
  planeCount,
  planeSlice
} from './planes.js';

export class SliceNavigator {
  volume: Volume | undefined;
  axis: Axis = 'axial';
  /** The point of interest, voxel (i, j, k). */
  poi: Vec3 = [0, 0, 0];
  /** The user has clicked a point: it is marked in every plane. */
  marked = false;
  frame = 0;
  /** Other planes than the acquired one can be shown. */
  mpr = false;
  /** NIfTI slices are shown radiologically, DICOM as stored. */
  orient: 'dicom' | 'radiological' = 'dicom';
  private slice: Slice | undefined;
  private sliceKey = '';

  /** Nothing shown. */
  clear(): void {
    this.volume = undefined;
    this.invalidate();
  }

  /**
   * Show `volume`: a new one starts on its acquisition plane at its middle (on `startIndex` along
   * the plane's axis when given: the slice a folder decodes first); the same one keeps the place.
   */
  show(volume: Volume, how: { mpr: boolean; startIndex?: number }): void {
    const same = this.volume === volume;
    this.volume = volume;
    this.mpr = how.mpr;
    this.invalidate();
    if (same) return;
    this.frame = 0;
    this.axis = acquisitionPlane(volume);
    const middle = (n: number): number => Math.floor((n - 1) / 2);
    const [nx, ny, nz] = volume.dims;
    this.poi = [middle(nx), middle(ny), middle(nz)];
    this.marked = false;
    if (how.startIndex !== undefined)
      this.poi[planeAxis(volume, this.axis)] = Math.min(
        how.startIndex,
        planeCount(volume, this.axis) - 1
      );
  }

  /** The slice on screen is drawn again from the volume (its pixels changed). */
  invalidate(): void {
    this.slice = undefined;
    this.sliceKey = '';
  }

  /** The slice index of the plane on screen: the point of interest's coordinate along its axis. */
  get index(): number {
    return this.volume ? this.poi[planeAxis(this.volume, this.axis)] : 0;
  }

  /** Slices in the plane on screen (0 without a volume). */
  get count(): number {
    return this.volume ? planeCount(this.volume, this.axis) : 0;
  }

  /** Slot (t × slices + k) of the slice on screen, when the plane shown is the volume's k plane. */
  get slot(): number | undefined {
    const v = this.volume;
    if (!v || indexPlanes(v)[this.axis] !== 'axial') return undefined;
    return this.frame * v.dims[2] + this.index;
  }

  /** Slot of the point of interest's k slice (the file another plane's header panel shows). */
  get poiSlot(): number | undefined {
    const v = this.volume;
    return v ? this.frame * v.dims[2] + this.poi[2] : undefined;
  }

  /** The plane on screen is not the volume's k plane (it crosses every file). */
  get reformatted(): boolean {
    return this.volume !== undefined && indexPlanes(this.volume)[this.axis] !== 'axial';
  }

  /** Another plane through the same point (only when `mpr`). Whether it changed. */
  setAxis(axis: Axis): boolean {
    if (!this.volume || !this.mpr || axis === this.axis) return false;
    this.axis = axis;
    return true;
  }

  /** Slice `index` of the plane on screen (clamped). Whether it changed. */
  setIndex(index: number): boolean {
    const v = this.volume;
    if (!v) return false;
    const next = Math.min(this.count - 1, Math.max(0, Math.round(index)));
    if (next === this.index) return false;
    this.poi[planeAxis(v, this.axis)] = next;
    return true;
  }

  /** Frame `frame` (clamped). Whether it changed. */
  setFrame(frame: number): boolean {
    if (!this.volume) return false;
    const next = Math.min(this.volume.frames - 1, Math.max(0, Math.round(frame)));
    if (next === this.frame) return false;
    this.frame = next;
    return true;
  }

  /** A click on pixel (px, py) of the slice on screen: the point moves there and is marked. */
  pointAt(px: number, py: number): void {
    const slice = this.slice;
    if (!slice) return;
    this.poi = slice.toIndex(px, py);
    this.marked = true;
  }

  /** The slice on screen (cached until plane, index or frame change), if a volume is shown. */
  current(): Slice | undefined {
    const v = this.volume;
    if (!v) return undefined;
    const key = `${this.axis}/${this.index}/${this.frame}`;
    if (!this.slice || key !== this.sliceKey) {
      this.slice = planeSlice(v, this.axis, this.index, this.frame, this.orient);
      this.sliceKey = key;
    }
    return this.slice;
  }

  /** The slice last computed, without computing one. */
  get cached(): Slice | undefined {
    return this.slice;
  }

  /** Where to draw the point's mark in the slice on screen, when the user marked one. */
  marker(slice: Slice): [number, number] | undefined {
    return this.marked ? pixelOfVoxel(slice, this.poi) : undefined;
  }
}
