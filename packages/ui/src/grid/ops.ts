// Sorting and filtering of row indices, in time slices for big results so that the page never freezes:
// work runs for ~12 ms, then yields to the event loop (rendering, input), then goes on. A newer request
// cancels an older one through its AbortSignal.

/** Above this many rows, sort and filter run in slices; below it they run at once. */
export const CHUNK_THRESHOLD = 200_000;
const SLICE_MS = 12;
const RUN = 8192;

export interface SliceOptions {
  signal?: AbortSignal;
  /** Rows above which the work is sliced (default CHUNK_THRESHOLD). */
  threshold?: number;
  /** How to yield (default: a macrotask). */
  yieldFn?: () => Promise<void>;
}

export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

const now = (): number =>
  typeof performance !== 'undefined' && performance.now ? performance.now() : Date.now();

export function macrotask(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 0));
}

class Slicer {
  private deadline = now() + SLICE_MS;
  constructor(private readonly options: SliceOptions) {}

  /** Yields when the slice is used up; throws Cancelled once aborted. */
  async tick(): Promise<void> {
    if (this.options.signal?.aborted) throw new Cancelled();
    if (now() < this.deadline) return;
    await (this.options.yieldFn ?? macrotask)();
    if (this.options.signal?.aborted) throw new Cancelled();
    this.deadline = now() + SLICE_MS;
  }
}

/**
 * Sorts `indices` by `compare` (which must break ties itself for a stable order). Small arrays are
 * sorted at once; big ones by runs sorted natively and merged bottom-up, yielding between slices.
 * Returns the sorted array (`indices` itself or a new one).
 */
export async function sortIndices(
  indices: Uint32Array,
  compare: (a: number, b: number) => number,
  options: SliceOptions = {}
): Promise<Uint32Array> {
  const n = indices.length;
  if (n <= (options.threshold ?? CHUNK_THRESHOLD)) {
    if (options.signal?.aborted) throw new Cancelled();
    return indices.sort(compare);
  }
  const slicer = new Slicer(options);
  const run = Math.min(RUN, Math.max(2, Math.ceil(n / 8)));
  for (let start = 0; start < n; start += run) {
    indices.subarray(start, Math.min(n, start + run)).sort(compare);
    await slicer.tick();
  }
  let src: Uint32Array = indices;
  let dst: Uint32Array = new Uint32Array(n);
  for (let width = run; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        dst[k++] = compare(src[i]!, src[j]!) <= 0 ? src[i++]! : src[j++]!;
        if ((k & 4095) === 0) await slicer.tick();
      }
      while (i < mid) dst[k++] = src[i++]!;
      while (j < hi) dst[k++] = src[j++]!;
    }
    [src, dst] = [dst, src];
    await slicer.tick();
  }
  return src;
}

/** The indices (in `indices` order, or 0..count-1) of rows for which `test` holds. */
export async function filterIndices(
  count: number,
  test: (row: number) => boolean,
  options: SliceOptions = {}
): Promise<Uint32Array> {
  const out = new Uint32Array(count);
  let m = 0;
  if (count <= (options.threshold ?? CHUNK_THRESHOLD)) {
    if (options.signal?.aborted) throw new Cancelled();
    for (let i = 0; i < count; i++) if (test(i)) out[m++] = i;
    return out.slice(0, m);
  }
  const slicer = new Slicer(options);
  for (let i = 0; i < count; i++) {
    if (test(i)) out[m++] = i;
    if ((i & 1023) === 0) await slicer.tick();
  }
  return out.slice(0, m);
}

/** Extracts something per row in slices (the sort keys of a big column). */
export async function sliced<T>(
  count: number,
  work: (from: number, to: number) => void,
  finish: () => T,
  options: SliceOptions = {}
): Promise<T> {
  const threshold = options.threshold ?? CHUNK_THRESHOLD;
  if (count <= threshold) {
    work(0, count);
    return finish();
  }
  const slicer = new Slicer(options);
  const step = 16_384;
  for (let from = 0; from < count; from += step) {
    work(from, Math.min(count, from + step));
    await slicer.tick();
  }
  return finish();
}
