// @radlab/imaging: DICOM and NIfTI decode, LUTs, series ordering. No DOM.
export { ImagingError, type ImagingErrorCode, type ImagingErrorOptions } from './errors.js';
export { PHI_ATTRIBUTES, PHI_MASK, maskPhi, type PhiAttribute, type PhiCarrier } from './phi.js';
export {
  parseDicom,
  truncatedError,
  type DicomImage,
  type ParsedDicom,
  type ParseDicomOptions,
  type Truncation,
  type Vec3
} from './dicom/parse.js';
export {
  decoderFor,
  lookupTransferSyntax,
  transferSyntaxes,
  type DecoderKind,
  type TransferSyntax
} from './dicom/transferSyntax.js';
export { decodeFrame, frameData, type DecodedFrame } from './dicom/frame.js';
export {
  HEAD_BYTES,
  hasDicomPreamble,
  pixelDataOffset,
  readDicomHead,
  type DicomHead,
  type ReadHeadOptions
} from './dicom/head.js';
export {
  readNativePixels,
  fixStoredBits,
  toInterleaved,
  ybrFullToRgb,
  type PixelArray,
  type PixelLayout
} from './dicom/pixels.js';
export { decodeRle } from './dicom/decode/rle.js';
export { decodeDicom, spareBuffer, type DecodeDicomOptions } from './dicom/file.js';
export {
  DEFAULT_MAX_PIXEL_BYTES,
  checkPixelBytes,
  pixelBytes,
  type PixelSize
} from './dicom/limits.js';
export { type DecodeFrameOptions } from './dicom/frame.js';
export {
  createInlineDecoder,
  createWorkerDecoder,
  type DecodedDicom,
  type DicomDecodeOptions,
  type ImagingDecoder,
  type NiftiDecodeOptions,
  type WorkerDecoderOptions,
  type WorkerLike
} from './worker/decoder.js';
export { DEFAULT_MAX_VOXEL_BYTES, niftiVoxelBytes } from './worker/niftiSize.js';
export {
  WORKER_READY,
  createFallbackDecoder,
  type FallbackDecoderOptions
} from './worker/fallback.js';
export { setWasmLocator, type WasmLocator } from './dicom/decode/wasm.js';
export {
  applyModalityLut,
  isIdentityRescale,
  modalityValue,
  type Rescale
} from './lut/modality.js';
export {
  headerWindows,
  renderGrey8,
  voiValue,
  windowFromRange,
  type VoiFunction,
  type VoiWindow
} from './lut/voi.js';
export { readNifti, qformToAffine, type NiftiVolume, type VoxelArray } from './nifti/read.js';
export {
  cross,
  sliceNormal,
  sortSeries,
  type SliceGap,
  type SliceHeader,
  type SortedSeries,
  type SortOptions
} from './series/sort.js';
export {
  AXES,
  allocateVolumeData,
  checkVoxelBytes,
  indexToPatient,
  volumeRange,
  type Axis,
  type Volume,
  type VolumeData,
  type VolumeDataKind
} from './volume/volume.js';
export {
  reslice,
  sliceCount,
  type ResliceOptions,
  type Slice,
  type SliceLabels
} from './volume/reslice.js';
export { orientationLetters } from './volume/orientation.js';
export {
  VolumeBuilder,
  volumeFromSeries,
  type SliceSlot,
  type VolumeFromSeriesOptions,
  type VolumeOptions
} from './volume/fromSeries.js';
export {
  groupSeries,
  type SeriesGroup,
  type SeriesGrouping,
  type SkippedFile
} from './series/group.js';
export { readNiftiPair, type ReadNiftiOptions } from './nifti/read.js';
export {
  NIFTI_INTENT_LABEL,
  volumeFromNifti,
  type VolumeFromNiftiOptions
} from './volume/fromNifti.js';
export {
  isLabelMap,
  labelColor,
  labelColorTable,
  labelValues,
  type LabelMapOptions
} from './volume/labelMap.js';
