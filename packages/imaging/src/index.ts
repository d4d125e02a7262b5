// @radlab/imaging: DICOM and NIfTI decode, LUTs, series ordering. No DOM.
export { ImagingError, type ImagingErrorCode, type ImagingErrorOptions } from './errors.js';
export { PHI_ATTRIBUTES, PHI_MASK, maskPhi, type PhiAttribute, type PhiCarrier } from './phi.js';
export {
  parseDicom,
  type DicomImage,
  type ParsedDicom,
  type ParseDicomOptions,
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
  readNativePixels,
  fixStoredBits,
  toInterleaved,
  ybrFullToRgb,
  type PixelArray,
  type PixelLayout
} from './dicom/pixels.js';
export { decodeRle } from './dicom/decode/rle.js';
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
