// Enhanced multi-frame (PS3.3 C.7.6.16): each frame's geometry, rescale and window come from the
// Per-Frame Functional Groups Sequence (5200,9230), falling back to the Shared Functional Groups
// Sequence (5200,9229), then to the top-level attributes of classic images.
import type { DataSet } from './dicomParser.js';
import { fixed, num, numbers, str } from './values.js';

export type Vec3 = [number, number, number];

/** One frame's geometry and pixel value transformation (Rescale, window). */
export interface DicomFrameInfo {
  imagePositionPatient?: Vec3;
  imageOrientationPatient?: [number, number, number, number, number, number];
  /** [row spacing, column spacing] in mm. */
  pixelSpacing?: [number, number];
  sliceThickness?: number;
  spacingBetweenSlices?: number;
  rescaleSlope: number;
  rescaleIntercept: number;
  rescaleType?: string;
  windowCenters: number[];
  windowWidths: number[];
}

/** The data set of the first item of sequence `tag` inside `ds`. */
function item(ds: DataSet | undefined, tag: string): DataSet | undefined {
  return ds?.elements[tag]?.items?.[0]?.dataSet;
}

/** The first group (per-frame, then shared) holding `macro`, as that macro's item data set. */
function macro(groups: (DataSet | undefined)[], tag: string): DataSet | undefined {
  for (const g of groups) {
    const m = item(g, tag);
    if (m) return m;
  }
  return undefined;
}

/** Per-frame info from the functional groups, or undefined for classic (non-enhanced) images. */
export function readFunctionalGroups(ds: DataSet, frames: number): DicomFrameInfo[] | undefined {
  const perFrame = ds.elements.x52009230?.items;
  const shared = item(ds, 'x52009229');
  if (!perFrame && !shared) return undefined;
  const out: DicomFrameInfo[] = [];
  for (let f = 0; f < frames; f++) {
    const groups = [perFrame?.[f]?.dataSet, shared];
    const position = macro(groups, 'x00209113'); // Plane Position (Patient)
    const orientation = macro(groups, 'x00209116'); // Plane Orientation (Patient)
    const measures = macro(groups, 'x00289110'); // Pixel Measures
    const transform = macro(groups, 'x00289145'); // Pixel Value Transformation
    const voi = macro(groups, 'x00289132'); // Frame VOI LUT
    const info: DicomFrameInfo = {
      imagePositionPatient: position && (fixed(numbers(position, 'x00200032'), 3) as Vec3),
      imageOrientationPatient:
        orientation &&
        (fixed(numbers(orientation, 'x00200037'), 6) as DicomFrameInfo['imageOrientationPatient']),
      pixelSpacing: measures && (fixed(numbers(measures, 'x00280030'), 2) as [number, number]),
      sliceThickness: measures && num(measures, 'x00180050'),
      spacingBetweenSlices: measures && num(measures, 'x00180088'),
      rescaleSlope: (transform && num(transform, 'x00281053')) ?? 1,
      rescaleIntercept: (transform && num(transform, 'x00281052')) ?? 0,
      rescaleType: transform && str(transform, 'x00281054'),
      windowCenters: voi ? numbers(voi, 'x00281050') : [],
      windowWidths: voi ? numbers(voi, 'x00281051') : []
    };
    for (const key of Object.keys(info) as (keyof DicomFrameInfo)[])
      if (info[key] === undefined) delete info[key];
    out.push(info);
  }
  return out;
}
