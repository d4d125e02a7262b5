export { ImageViewer, type ImageViewerOptions } from './viewer.js';
export { dicomHeaderRows, niftiHeaderRows, type HeaderRow } from './header.js';
export {
  blendLabels,
  displayValue,
  renderRgba,
  type GreyMapping,
  type RenderInput
} from './render.js';
export { acquisitionPlane, indexPlanes, planeCount, planeSlice } from './planes.js';
export {
  hasDicomPreamble,
  kindFromName,
  planSource,
  type FileKind,
  type ImageFile,
  type ImageSource,
  type SourcePlan
} from './source.js';
export {
  dicomWebSeriesSource,
  orderInstances,
  part10Header,
  type DicomJsonInstance,
  type DicomWebSeriesClient,
  type DicomWebSeriesOptions
} from './dicomweb.js';
export {
  CT_PRESETS,
  autoWindow,
  dragMultiplier,
  dragWindow,
  formatWindow,
  type WindowPreset
} from './windowing.js';
