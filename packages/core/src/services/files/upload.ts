// Resumable uploads on any FilesClient: the bytes go to a temporary name beside the target that is
// derived from the source's fingerprint (size and modification time), so a second run after an
// interruption finds it, checks its length and its last bytes against the source, appends the rest
// and only then renames it over the target. A retry never corrupts the target: the target changes
// only in that final rename of a complete file.

import { RadlabError } from '../../errors.js';
import { baseName, childPath, normalizePath, parentPath } from './paths.js';
import type { CallOptions, FilesClient, FileStatus, TransferProgress } from './types.js';

export interface UploadSource {
  /** Bytes of the source. */
  size: number;
  /** This version of the source (e.g. `${size}:${mtimeMs}`): a temp file of another version is not resumed. */
  fingerprint: string;
  /** The source's bytes from `offset` to the end. */
  open(offset: number): AsyncIterable<Uint8Array>;
}

export interface UploadOptions extends CallOptions {
  /** Replace an existing target (default false: it is a conflict). */
  overwrite?: boolean;
  /** Bytes of the source on the server so far (resumed bytes included). */
  onProgress?: (progress: TransferProgress) => void;
  /** Called once when an earlier upload's bytes are kept. */
  onResume?: (offset: number) => void;
}

/** Errors a retry would meet again: the temporary file is removed rather than kept to resume. */
const FINAL: ReadonlySet<string> = new Set([
  'forbidden',
  'badRequest',
  'notFound',
  'auth',
  'config'
]);

/** Bytes at the end of the kept part compared with the source before resuming. */
const TAIL_CHECK = 64 * 1024;

/** FNV-1a, 32 bits, as 8 hex digits: a short stable tag of a fingerprint. */
function tag(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** The temporary name an upload of `source` to `target` uses (and a retry finds). */
export function uploadTempPath(target: string, fingerprint: string): string {
  const path = normalizePath(target);
  return childPath(parentPath(path), `.${baseName(path)}.radlab-up-${tag(fingerprint)}.part`);
}

async function readAll(chunks: AsyncIterable<Uint8Array>, want: number): Promise<Uint8Array> {
  const out = new Uint8Array(want);
  let at = 0;
  for await (const chunk of chunks) {
    const take = Math.min(chunk.length, want - at);
    out.set(chunk.subarray(0, take), at);
    at += take;
    if (at >= want) break;
  }
  return at === want ? out : out.subarray(0, at);
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** How many bytes of an earlier upload at `temp` can be kept (0: start again). */
async function keptBytes(
  client: FilesClient,
  temp: string,
  source: UploadSource,
  options: CallOptions
): Promise<number> {
  const earlier = await client.exists(temp, options);
  if (!earlier) return -1;
  if (earlier.type !== 'file' || earlier.size > source.size) return 0;
  if (earlier.size === 0) return 0;
  const from = Math.max(0, earlier.size - TAIL_CHECK);
  const [theirs, ours] = await Promise.all([
    client.readBytes(temp, { offset: from, length: earlier.size - from, signal: options.signal }),
    readAll(source.open(from), earlier.size - from)
  ]);
  return same(theirs, ours) ? earlier.size : 0;
}

/**
 * Why a write of `bytes` more into `temp` fails, when it is its folder's space quota: HttpFS answers
 * a quota refusal in the middle of a streamed body by closing the connection, so the error says
 * "unreachable". A NameNode allocates a whole block (blockSize × replication) against the quota.
 */
async function overQuota(
  client: FilesClient,
  temp: string,
  bytes: number
): Promise<RadlabError | undefined> {
  try {
    const [file, folder] = await Promise.all([client.stat(temp), client.summary(parentPath(temp))]);
    if (folder.spaceQuota < 0) return undefined;
    const block = Math.min(file.blockSize ?? bytes, bytes) * (file.replication ?? 1);
    if (folder.spaceConsumed + block <= folder.spaceQuota) return undefined;
    return new RadlabError({
      code: 'forbidden',
      service: 'files',
      message: `${parentPath(temp)} is over its space quota (DSQuotaExceededException): ${folder.spaceConsumed} of ${folder.spaceQuota} bytes used, a block needs ${block}`,
      hint: 'The folder is over its space quota: free space, or ask for a larger quota.',
      details: { exception: 'DSQuotaExceededException' }
    });
  } catch {
    return undefined;
  }
}

/**
 * Uploads `source` to `target`, resuming an interrupted upload of the same source. Throws
 * RadlabError `conflict` when the target exists (unless `overwrite`) or is a folder.
 */
export async function resumableUpload(
  client: FilesClient,
  target: string,
  source: UploadSource,
  options: UploadOptions = {}
): Promise<FileStatus> {
  const path = normalizePath(target);
  const call = { signal: options.signal };
  const existing = await client.exists(path, call);
  if (existing?.type === 'directory') {
    throw new RadlabError({
      code: 'conflict',
      service: 'files',
      message: `cannot upload to ${path}: it is a folder`,
      hint: 'Name the file inside the folder, e.g. the folder path followed by /name.'
    });
  }
  if (existing && !options.overwrite) {
    throw new RadlabError({
      code: 'conflict',
      service: 'files',
      message: `${path} exists`,
      hint: 'Choose another name, or overwrite it (radlab files put --force).',
      details: { reason: 'exists' }
    });
  }
  const temp = uploadTempPath(path, source.fingerprint);
  let offset = await keptBytes(client, temp, source, call);
  if (offset > 0) options.onResume?.(offset);
  if (offset < 0) offset = 0;
  options.onProgress?.({ bytes: offset });
  const progress = {
    signal: options.signal,
    onProgress: (p: TransferProgress) => options.onProgress?.({ bytes: offset + p.bytes })
  };
  try {
    // a fresh upload is one streamed CREATE of the temp file; a resumed one appends the rest
    if (offset === 0) {
      await client.write(temp, source.open(0), { ...progress, inPlace: true, overwrite: true });
    } else if (offset < source.size) {
      await client.append(temp, source.open(offset), progress);
    }
  } catch (e) {
    const cancelled = RadlabError.isRadlabError(e) && e.code === 'cancelled';
    const error = cancelled ? e : ((await overQuota(client, temp, source.size - offset)) ?? e);
    // a refusal (quota, permission) will not pass on a retry: no leftover to resume
    if (RadlabError.isRadlabError(error) && FINAL.has(error.code)) {
      await client.delete(temp, {}).catch(() => undefined);
    }
    throw error;
  }
  const done = await client.stat(temp, call);
  if (done.size !== source.size) {
    throw new RadlabError({
      code: 'server',
      service: 'files',
      message: `upload to ${path} stopped at ${done.size} of ${source.size} bytes`,
      hint: 'Run the same upload again: it resumes where it stopped.',
      details: { temp, bytes: done.size }
    });
  }
  await client.rename(temp, path, { ...call, overwrite: existing !== undefined });
  return client.stat(path, call);
}
