// PNGs show a slice in its true proportions: a coronal plane of 2.5 mm slices and 0.6 mm columns
// is stretched along its rows until every PNG pixel is square in millimetres (as a viewer draws it).
// The finer spacing is kept, so no detail is lost; --raw stays voxel-exact and never comes here.

/** Longest side a stretched PNG may get (a 1 mm × 100 mm voxel must not make a giant file). */
export const MAX_PNG_SIDE = 8192;

/** PNG size for `width × height` pixels of `spacing` mm (per column, per row). */
export function squarePixelSize(
  width: number,
  height: number,
  spacing: readonly [number, number] | undefined
): [number, number] {
  const ok = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && v > 0;
  if (!spacing || !ok(spacing[0]) || !ok(spacing[1])) return [width, height];
  const [sx, sy] = spacing;
  if (Math.abs(sx - sy) <= 1e-3 * Math.max(sx, sy)) return [width, height];
  const mm = Math.min(sx, sy);
  let w = Math.max(1, Math.round((width * sx) / mm));
  let h = Math.max(1, Math.round((height * sy) / mm));
  const over = Math.max(w, h) / MAX_PNG_SIDE;
  if (over > 1) {
    w = Math.max(1, Math.round(w / over));
    h = Math.max(1, Math.round(h / over));
  }
  return [w, h];
}

type Pixels = Uint8Array | Uint16Array;

/**
 * Bilinear resampling of interleaved `channels`-sample pixels (pixel centres aligned, edges
 * clamped), the interpolation viewers use to display. Returns `data` itself when the size is equal.
 */
export function resample<T extends Pixels>(
  data: T,
  width: number,
  height: number,
  channels: number,
  outWidth: number,
  outHeight: number
): T {
  if (outWidth === width && outHeight === height) return data;
  const out = new (data.constructor as new (n: number) => T)(outWidth * outHeight * channels);
  const max = data instanceof Uint16Array ? 65535 : 255;
  for (let y = 0; y < outHeight; y++) {
    const fy = Math.min(height - 1, Math.max(0, ((y + 0.5) * height) / outHeight - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < outWidth; x++) {
      const fx = Math.min(width - 1, Math.max(0, ((x + 0.5) * width) / outWidth - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(width - 1, x0 + 1);
      const wx = fx - x0;
      const o = (y * outWidth + x) * channels;
      for (let c = 0; c < channels; c++) {
        const a = data[(y0 * width + x0) * channels + c];
        const b = data[(y0 * width + x1) * channels + c];
        const d = data[(y1 * width + x0) * channels + c];
        const e = data[(y1 * width + x1) * channels + c];
        const top = a + (b - a) * wx;
        const bottom = d + (e - d) * wx;
        out[o + c] = Math.min(max, Math.max(0, Math.round(top + (bottom - top) * wy)));
      }
    }
  }
  return out;
}
