// NIfTI memory limit, checked from the header before the voxels are inflated or copied: the
// header alone says how many bytes the image takes, and a .nii.gz may be a gzip bomb.
import { Gunzip, gunzipSync } from 'fflate';
import { ImagingError } from '../errors.js';

export const DEFAULT_MAX_VOXEL_BYTES = 1024 ** 3;

/** Voxel bytes a NIfTI-1/2 header declares, or undefined when `head` is not a NIfTI header. */
export function niftiVoxelBytes(head: Uint8Array): number | undefined {
  if (head.length < 348) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  for (const le of [true, false]) {
    const size = view.getInt32(0, le);
    if (size === 348) {
      const n = view.getInt16(40, le);
      if (n < 1 || n > 7) return undefined;
      let count = 1;
      for (let i = 1; i <= n; i++) count *= Math.max(1, view.getInt16(40 + 2 * i, le));
      return (count * Math.max(1, view.getInt16(72, le))) / 8;
    }
    if (size === 540 && head.length >= 540) {
      const n = Number(view.getBigInt64(16, le));
      if (n < 1 || n > 7) return undefined;
      let count = 1;
      for (let i = 1; i <= n; i++) count *= Math.max(1, Number(view.getBigInt64(16 + 8 * i, le)));
      return (count * Math.max(1, view.getInt16(14, le))) / 8;
    }
  }
  return undefined;
}

function checkVoxelBytes(head: Uint8Array, maxBytes: number): number | undefined {
  const need = niftiVoxelBytes(head);
  if (need !== undefined && (!Number.isFinite(need) || need > maxBytes)) {
    throw new ImagingError({
      code: 'tooLarge',
      message: `The NIfTI image needs ${need} bytes of voxels, over the limit of ${maxBytes}.`,
      details: { needBytes: need, maxBytes }
    });
  }
  return need;
}

const isGzip = (b: Uint8Array): boolean => b.length > 18 && b[0] === 0x1f && b[1] === 0x8b;

/** The first `n` inflated bytes of a gzip stream (inflating only as much input as that takes). */
function gunzipHead(bytes: Uint8Array, n: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let have = 0;
  const stream = new Gunzip(chunk => {
    parts.push(chunk);
    have += chunk.length;
  });
  for (let at = 0; at < bytes.length && have < n; at += 16384) {
    stream.push(bytes.subarray(at, Math.min(bytes.length, at + 16384)), false);
  }
  const head = new Uint8Array(Math.min(have, n));
  let at = 0;
  for (const p of parts) {
    if (at >= head.length) break;
    head.set(p.subarray(0, head.length - at), at);
    at += p.length;
  }
  return head;
}

/** Inflates a whole gzip member into exactly `size` bytes. */
export type GunzipFn = (gz: Uint8Array, size: number) => Uint8Array;

let nativeGunzip: GunzipFn | undefined;

/**
 * Node hands in zlib here (@radlab/imaging/node and the worker entry do): it inflates 2–3× faster
 * than fflate, which stays the default where there is no native inflater that is synchronous.
 */
export function setGunzip(gunzip: GunzipFn | undefined): void {
  nativeGunzip = gunzip;
}

/**
 * Checks the NIfTI voxel size against `maxBytes` and returns the file uncompressed, inflating a
 * .nii.gz (whether the name or the magic says so) into one buffer sized from the header.
 */
export function niftiBytesWithinLimit(
  input: ArrayBuffer,
  name: string,
  maxBytes = DEFAULT_MAX_VOXEL_BYTES
): ArrayBuffer {
  const bytes = new Uint8Array(input);
  if (!isGzip(bytes)) {
    if (/\.gz$/i.test(name)) {
      throw new ImagingError({
        code: 'malformed',
        message: `${name.split(/[\\/]/).pop()} is named .gz but is not gzip data.`
      });
    }
    checkVoxelBytes(bytes.subarray(0, 544), maxBytes);
    return input;
  }
  let head: Uint8Array;
  try {
    head = gunzipHead(bytes, 544);
  } catch (cause) {
    throw new ImagingError({ code: 'malformed', message: 'Corrupt gzip data.', cause });
  }
  const need = checkVoxelBytes(head, maxBytes);
  if (need === undefined) {
    throw new ImagingError({ code: 'malformed', message: 'Not a NIfTI-1 or NIfTI-2 file.' });
  }
  // ISIZE (inflated size mod 2^32) sizes the output once; the header bounds what is believed.
  const tail = new DataView(input, bytes.length - 4, 4).getUint32(0, true);
  let size = tail;
  while (size < need) size += 2 ** 32;
  const cap = maxBytes + 64 * 1024 ** 2;
  if (size > cap) {
    throw new ImagingError({
      code: 'tooLarge',
      message: `The gzip data inflates to ${size} bytes, over the limit of ${cap}.`,
      details: { needBytes: size, maxBytes: cap }
    });
  }
  try {
    const out = nativeGunzip
      ? nativeGunzip(bytes, size)
      : gunzipSync(bytes, { out: new Uint8Array(size) });
    return out.byteLength === out.buffer.byteLength
      ? (out.buffer as ArrayBuffer)
      : (out.slice().buffer as ArrayBuffer);
  } catch (cause) {
    throw new ImagingError({
      code: 'malformed',
      message: `Corrupt gzip data: ${cause instanceof Error ? cause.message : String(cause)}`,
      cause
    });
  }
}
