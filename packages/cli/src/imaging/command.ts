// `radlab imaging info|slice`: DICOM and NIfTI from the terminal. Exit codes: 0 ok, 1 the input is
// not a readable image, 2 usage (bad option, missing path, index out of range). Failures are one
// line on stderr, no stack trace, no header values.
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { VoiWindow } from '@radlab/imaging';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Io } from '../connections.js';
import { describeFailure, usageError } from './failure.js';
import { describeImage, formatInfo } from './info.js';
import { pngBytes, pngSize, rawBytes, sliceWindow } from './render.js';
import { nativeSlice, type SliceAxis, type SliceRequest, type StoredSlice } from './slice.js';
import { openImage, type ImageInput } from './source.js';
import { reslicedSlice } from './volume.js';

export const EXIT_OK = 0;

const REVEAL_WARNING =
  'radlab imaging: --reveal-phi: patient data is shown unmasked; do not share this output.\n';

export interface InfoFlags {
  json?: boolean;
  revealPhi?: boolean;
}

export interface SliceFlags {
  /** --slice N: numbered from 1, as the viewer and the status line count. */
  slice?: number;
  /** --index K: the 0-based voxel index (numpy's), same slice as --slice K+1. */
  index?: number;
  axis?: SliceAxis;
  /** --frame T, numbered from 1. */
  frame?: number;
  series?: number;
  raw?: string;
  png?: string;
  window?: VoiWindow;
}

function fail(io: Io, e: unknown, path: string): number {
  const { line, exitCode } = describeFailure(e, basename(path));
  io.stderr.write(`radlab imaging: ${line}\n`);
  return exitCode;
}

export async function imagingInfo(path: string, flags: InfoFlags, io: Io): Promise<number> {
  try {
    if (flags.revealPhi) io.stderr.write(REVEAL_WARNING);
    const info = describeImage(
      await openImage(path, { revealPhi: flags.revealPhi }),
      flags.revealPhi === true
    );
    io.stdout.write(flags.json ? `${JSON.stringify(info, null, 2)}\n` : formatInfo(info));
    return EXIT_OK;
  } catch (e) {
    return fail(io, e, path);
  }
}

async function write(target: string, bytes: Uint8Array, io: Io): Promise<void> {
  if (target === '-')
    io.stdout.write(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as string
    );
  else await writeFile(target, bytes);
}

export async function sliceOf(input: ImageInput, request: SliceRequest): Promise<StoredSlice> {
  return request.axis ? reslicedSlice(input, request) : nativeSlice(input, request);
}

export async function imagingSlice(path: string, flags: SliceFlags, io: Io): Promise<number> {
  try {
    if ((flags.slice === undefined) === (flags.index === undefined))
      throw usageError(
        'say which slice with one of --slice N (from 1, as the viewer counts) or --index K (from 0)'
      );
    if (!flags.raw && !flags.png)
      throw usageError('say where to write the slice: --raw OUT or --png OUT');
    if (flags.raw === '-' && flags.png === '-')
      throw usageError('only one of --raw and --png can go to stdout');
    const input = await openImage(path);
    if (input.kind === 'series' && input.series.length > 1 && flags.series === undefined) {
      io.stderr.write(
        `radlab imaging: the folder holds ${input.series.length} series; using series 1 (${input.series[0].slices.length} slices), pick another with --series N\n`
      );
    }
    const slice = await sliceOf(input, {
      index: flags.slice !== undefined ? flags.slice - 1 : (flags.index ?? 0),
      given: flags.slice !== undefined ? 'slice' : 'index',
      axis: flags.axis,
      frame: flags.frame === undefined ? undefined : flags.frame - 1,
      series: flags.series
    });
    if (flags.raw) await write(flags.raw, rawBytes(slice), io);
    if (flags.png) await write(flags.png, pngBytes(slice, sliceWindow(slice, flags.window)), io);
    const sample = `${slice.data.BYTES_PER_ELEMENT * 8}-bit${slice.samples === 3 ? ' RGB' : ''}`;
    for (const w of slice.warnings ?? []) io.stderr.write(`radlab imaging: warning: ${w}\n`);
    // The status line goes to stderr so that `--raw -` / `--png -` keep stdout clean.
    const [pw, ph] = pngSize(slice);
    const png =
      flags.png && (pw !== slice.width || ph !== slice.height)
        ? `; PNG ${pw} × ${ph} (square pixels)`
        : '';
    io.stderr.write(`${slice.label}: ${slice.width} × ${slice.height}, ${sample}${png}\n`);
    return EXIT_OK;
  } catch (e) {
    return fail(io, e, path);
  }
}

function parseIndex(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError('expected an integer >= 0');
  }
  return n;
}

function parseNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a number >= 1 (the first is 1)');
  }
  return n;
}

function parseSeries(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a series number >= 1');
  return n;
}

function parseWindow(value: string): VoiWindow {
  const parts = value.split(',').map(s => Number(s.trim()));
  if (parts.length !== 2 || parts.some(n => !Number.isFinite(n)) || parts[1] <= 0) {
    throw new InvalidArgumentError('expected CENTER,WIDTH with WIDTH > 0, e.g. 40,400');
  }
  const [center, width] = parts;
  // Widths under 1 (float data) need LINEAR_EXACT: LINEAR's formula requires width >= 1.
  return { center, width, fn: width >= 1 ? 'LINEAR' : 'LINEAR_EXACT' };
}

/** Adds `imaging info` and `imaging slice` to the program. */
export function registerImaging(program: Command, io: Io, setExit: (code: number) => void): void {
  const imaging = program
    .command('imaging')
    .description('DICOM and NIfTI: header summary and slices (patient data masked)');
  imaging
    .command('info')
    .description(
      'summarise a DICOM file, a DICOM series folder or a NIfTI volume (.nii, .nii.gz, .hdr/.img)'
    )
    .argument('<path>', 'file or series folder')
    .option('--json', 'print JSON')
    .option('--reveal-phi', 'show patient-identifying attributes unmasked')
    .action(async (path: string, options: InfoFlags) => {
      setExit(await imagingInfo(path, options, io));
    });
  imaging
    .command('slice')
    .description(
      'write one slice: slices count in patient-position order (series folder), as frames (DICOM file) or along the third voxel axis in file order (NIfTI)'
    )
    .argument('<path>', 'file or series folder')
    .option('--slice <n>', 'slice (or frame) number, from 1 as the viewer counts', parseNumber)
    .option(
      '--index <k>',
      'the same as a 0-based voxel index (--index K = --slice K+1)',
      parseIndex
    )
    .addOption(
      new Option(
        '--axis <axis>',
        'reslice the volume in this patient plane (default: the stored slices)'
      ).choices(['axial', 'coronal', 'sagittal'])
    )
    .option('--frame <t>', 'frame of a 4-D NIfTI volume, from 1', parseNumber)
    .option('--series <n>', 'series of a folder holding several (as numbered by info)', parseSeries)
    .option(
      '--raw <out>',
      'write the stored values (before rescale), little endian, row-major; - for stdout'
    )
    .option('--png <out>', 'write an 8-bit PNG through the window; - for stdout')
    .option(
      '--window <c,w>',
      "window centre and width for --png, e.g. --window=-600,1500 (default: the header's, else the data range)",
      parseWindow
    )
    .action(async (path: string, options: SliceFlags) => {
      setExit(await imagingSlice(path, options, io));
    });
}
