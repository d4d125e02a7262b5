// What every files client answers, whatever the protocol (WebHDFS, HttpFS, a posix mount).

export type FileType = 'file' | 'directory' | 'symlink';

export interface FileStatus {
  /** The entry's name (the last path segment); '' for the root. */
  name: string;
  /** Absolute path on the file system, '/'-separated, not encoded. */
  path: string;
  type: FileType;
  /** Bytes (0 for directories). */
  size: number;
  /** Milliseconds since the epoch. */
  modified: number;
  accessed?: number;
  owner: string;
  group: string;
  /** Octal permission bits, e.g. "755". */
  permission: string;
  replication?: number;
  blockSize?: number;
  /** Entries of a directory, when the server says (HDFS childrenNum). */
  children?: number;
}

export interface ListPage {
  entries: FileStatus[];
  /** Entries after this page that the server reported (0 when this is the last page). */
  remaining: number;
  /** Pass as `startAfter` for the next page; absent on the last page. */
  next?: string;
}

export interface ContentSummary {
  directoryCount: number;
  fileCount: number;
  /** Bytes of all files below (one replica). */
  length: number;
  /** Name quota (files + directories), -1 when none. */
  quota: number;
  /** Bytes used, all replicas counted. */
  spaceConsumed: number;
  /** Space quota in bytes, -1 when none. */
  spaceQuota: number;
}

export interface FileChecksum {
  algorithm: string;
  /** Hex digest as the server gives it. */
  bytes: string;
  length: number;
}

/** Bytes to write: one buffer, or chunks as they come (a node Readable is one). */
export type WriteData = Uint8Array | AsyncIterable<Uint8Array>;

export interface CallOptions {
  signal?: AbortSignal;
}

export interface TransferProgress {
  /** Bytes sent or received so far. */
  bytes: number;
}

export interface TransferOptions extends CallOptions {
  /** Called as bytes go (for progress bars); not called more often than chunks arrive. */
  onProgress?: (progress: TransferProgress) => void;
}

export interface RenameOptions extends CallOptions {
  /** Replace an existing target (default false: an existing target is a conflict). */
  overwrite?: boolean;
}

export interface ReadOptions extends TransferOptions {
  offset?: number;
  /** Bytes to read from `offset`; to the end when absent. */
  length?: number;
}

export interface WriteOptions extends TransferOptions {
  /** Replace an existing file (default false: an existing file is a conflict). */
  overwrite?: boolean;
  /** Octal permission of a new file, e.g. "644". */
  permission?: string;
  /**
   * The file's modification time (ms) when it was read: the write is refused as a conflict when the
   * file changed since (someone else saved). Implies overwrite.
   */
  expectModified?: number;
  /**
   * Write under `path` itself, without a temporary name: for callers that keep their own temporary
   * file (resumableUpload). A failed write can leave a partial file at `path`.
   */
  inPlace?: boolean;
}

export interface DeleteOptions extends CallOptions {
  recursive?: boolean;
}

/** One interface for every files protocol; paths are absolute and unencoded. */
export interface FilesClient {
  readonly protocol: 'webhdfs' | 'httpfs' | 'posix';
  home(options?: CallOptions): Promise<string>;
  stat(path: string, options?: CallOptions): Promise<FileStatus>;
  /** The status, or undefined when nothing is at `path`. */
  exists(path: string, options?: CallOptions): Promise<FileStatus | undefined>;
  /** One page of a directory, in name order. */
  list(path: string, options?: CallOptions & { startAfter?: string }): Promise<ListPage>;
  /** Every page of a directory, one after the other. */
  pages(path: string, options?: CallOptions): AsyncIterable<ListPage>;
  /** The bytes of a range as they arrive. */
  read(path: string, options?: ReadOptions): AsyncIterable<Uint8Array>;
  /** A range in one buffer (for small reads: headers, a DICOM tag block). */
  readBytes(path: string, options?: ReadOptions): Promise<Uint8Array>;
  /** Writes to a temporary name beside `path`, then renames it: a failed write leaves no partial file. */
  write(path: string, data: WriteData, options?: WriteOptions): Promise<FileStatus>;
  append(path: string, data: WriteData, options?: TransferOptions): Promise<void>;
  mkdir(path: string, options?: CallOptions & { permission?: string }): Promise<void>;
  /** Refuses (conflict) when `to` exists, unless `overwrite`. */
  rename(from: string, to: string, options?: RenameOptions): Promise<void>;
  delete(path: string, options?: DeleteOptions): Promise<void>;
  chmod(path: string, permission: string, options?: CallOptions): Promise<void>;
  checksum(path: string, options?: CallOptions): Promise<FileChecksum>;
  summary(path: string, options?: CallOptions): Promise<ContentSummary>;
}
