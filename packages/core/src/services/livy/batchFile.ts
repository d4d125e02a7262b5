// A batch's file where Livy can read it. Livy reads a batch's `file` itself, on the Livy host: a local
// path there works only inside livy.file.local-dir-whitelist, so a file from the editor's machine or
// a notebook server is uploaded to a files connection (HDFS, MapR) first and Livy is given its
// hdfs:// (MapR: maprfs:///) URI, which Spark reads like any input.

import type { ConnectionConfig } from '../../connection.js';
import { RadlabError } from '../../errors.js';
import { normalizePath } from '../files/paths.js';
import type { CallOptions, FilesClient, WriteData } from '../files/types.js';
import { copyPaths } from '../files/uri.js';

/** Where uploads go, under the connection's home folder. */
export const BATCH_UPLOAD_FOLDER = '.radlab/batches';

/** What a user is told when a local file cannot be given to Livy as it is. */
export const BATCH_LOCAL_PATH_HINT =
  'Livy reads a batch file itself, on the Livy host: a local path works only when Livy runs on that machine and allows the folder (livy.file.local-dir-whitelist). Upload it to a files connection (HDFS or MapR) and Livy reads it from there.';

/**
 * The URI Livy (Spark) reads a files connection's `path` by: its `nameNode` (hdfs://host:port) when
 * set, else maprfs:/// on a MapR cluster, else hdfs:// on the URL's host.
 */
export function batchFileUri(
  connection: Pick<ConnectionConfig, 'name' | 'url' | 'protocol' | 'root' | 'nameNode' | 'cluster'>,
  path: string
): string {
  if (connection.protocol === 'posix') {
    throw new RadlabError({
      code: 'config',
      service: 'livy',
      connection: connection.name,
      message: `${connection.name} is a mounted folder; Livy cannot read a batch file through it`,
      hint: 'Choose a webhdfs or httpfs files connection to upload the batch file to.'
    });
  }
  const paths = copyPaths(connection, path);
  // the file system's own URI when the connection names one; else MapR's form on a MapR cluster
  return connection.nameNode || !connection.cluster ? paths.hdfs : paths.maprfs;
}

/** A file name safe in a path: the base name with anything but letters, digits, . _ - as _. */
function safeName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return clean || 'batch';
}

export interface UploadedBatchFile {
  /** The path on the files connection. */
  path: string;
  /** What Livy is given as the batch's `file`. */
  uri: string;
}

/**
 * Uploads a batch file to `<home>/.radlab/batches/<time>-<name>` of a files connection (a new name
 * each time: a running batch's file is never replaced) and returns its path and the URI for Livy.
 */
export async function uploadBatchFile(
  files: FilesClient,
  connection: Pick<ConnectionConfig, 'name' | 'url' | 'protocol' | 'root' | 'nameNode' | 'cluster'>,
  fileName: string,
  data: WriteData,
  options: CallOptions & { now?: number } = {}
): Promise<UploadedBatchFile> {
  const home = await files.home({ signal: options.signal });
  const folder = normalizePath(`${home}/${BATCH_UPLOAD_FOLDER}`);
  await files.mkdir(folder, { signal: options.signal });
  const stamp = new Date(options.now ?? Date.now()).toISOString().replace(/[:.]/g, '-');
  const path = `${folder}/${stamp}-${safeName(fileName)}`;
  // the URI first: a connection Livy cannot read through fails before anything is written
  const uri = batchFileUri(connection, path);
  await files.write(path, data, { signal: options.signal });
  return { path, uri };
}
