// The one error type @radlab/imaging throws. Shaped like @radlab/core's RadlabError JSON
// ({code, message, hint, details}) so hosts can show both the same way, but kept local: core's
// codes are about services (unreachable, auth, ...), not about pixels.

export type ImagingErrorCode =
  | 'unsupportedTransferSyntax'
  | 'unsupportedPixelFormat'
  | 'malformed'
  | 'codecFailed'
  | 'tooLarge'
  | 'cancelled';

export interface ImagingErrorOptions {
  code: ImagingErrorCode;
  message: string;
  hint?: string;
  details?: Record<string, unknown>;
  cause?: unknown;
}

const HINTS: Record<ImagingErrorCode, string> = {
  unsupportedTransferSyntax:
    'Radlab cannot decode this transfer syntax yet. Convert the file (e.g. `dcmconv +te` or `gdcmconv --raw`) and open it again.',
  unsupportedPixelFormat: 'This pixel layout is not supported by the Radlab previewer.',
  malformed: 'The file is not a valid DICOM or NIfTI image.',
  codecFailed: 'The image codec failed to decode this frame; the file may be corrupt.',
  tooLarge:
    'The image needs more memory than the configured limit (maxPixelBytes / maxVoxelBytes); raise the limit to open it.',
  cancelled: 'The decode was cancelled.'
};

export class ImagingError extends Error {
  readonly code: ImagingErrorCode;
  readonly hint: string;
  readonly details?: Record<string, unknown>;

  constructor(options: ImagingErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ImagingError';
    this.code = options.code;
    this.hint = options.hint ?? HINTS[options.code];
    if (options.details) this.details = options.details;
  }

  toJSON(): {
    code: ImagingErrorCode;
    message: string;
    hint: string;
    details?: Record<string, unknown>;
  } {
    return { code: this.code, message: this.message, hint: this.hint, details: this.details };
  }
}
