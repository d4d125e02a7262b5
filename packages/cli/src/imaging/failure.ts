// How `radlab imaging` fails: one line on stderr and an exit code, never a stack trace. Messages
// name files by their base name only and never carry header values (PHI).
import { ImagingError } from '@radlab/imaging';

/** 1: the input is not a readable image (malformed, unsupported, codec failure, unreadable file). */
export const EXIT_IMAGE = 1;
/** 2: bad usage (missing path, index out of range, bad option). */
export const EXIT_USAGE = 2;

export class ImagingCliError extends Error {
  readonly exitCode: number;
  readonly hint?: string;

  constructor(message: string, exitCode: number, hint?: string) {
    super(message);
    this.name = 'ImagingCliError';
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

export function usageError(message: string, hint?: string): ImagingCliError {
  return new ImagingCliError(message, EXIT_USAGE, hint);
}

const FS_MESSAGES: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EISDIR: 'is a folder',
  ENOTDIR: 'not a folder'
};

/** Any failure → {message, exit code}; `name` prefixes file-level failures. */
export function describeFailure(e: unknown, name?: string): { line: string; exitCode: number } {
  const prefix = name ? `${name}: ` : '';
  if (e instanceof ImagingCliError) {
    return { line: `${e.message}${e.hint ? ` (${e.hint})` : ''}`, exitCode: e.exitCode };
  }
  if (e instanceof ImagingError) {
    return { line: `${prefix}${e.message} ${e.hint}`, exitCode: EXIT_IMAGE };
  }
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && FS_MESSAGES[code]) {
    return {
      line: `${prefix}${FS_MESSAGES[code]}`,
      exitCode: code === 'ENOENT' ? EXIT_USAGE : EXIT_IMAGE
    };
  }
  // Unknown failures: the message only (no stack); codec and parser messages hold no header values.
  return { line: `${prefix}${e instanceof Error ? e.message : String(e)}`, exitCode: EXIT_IMAGE };
}
