// What @radlab/core exports of the files capability.

export { WebHdfsClient, type WebHdfsClientOptions } from './webhdfs.js';
export { webhdfsError } from './errors.js';
export { FILES_HINTS } from './hints.js';
export { baseName, childPath, encodePath, normalizePath, parentPath } from './paths.js';
export * from './types.js';
export {
  resumableUpload,
  uploadTempPath,
  type UploadOptions,
  type UploadSource
} from './upload.js';
export {
  copyPaths,
  parseFilesUri,
  resolveFilesPath,
  type CopyPaths,
  type FilesTarget
} from './uri.js';
export { DEFAULT_DRILL_PLUGIN, drillQueryable, drillQueryFor } from './drill.js';
