// What @radlab/core exports of the files capability.

export { WebHdfsClient, type WebHdfsClientOptions, type TransferProgress } from './webhdfs.js';
export { webhdfsError } from './errors.js';
export { FILES_HINTS } from './hints.js';
export { baseName, childPath, encodePath, normalizePath, parentPath } from './paths.js';
export * from './types.js';
