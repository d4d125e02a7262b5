// What @radlab/core exports of the Livy capability.

export {
  LivyClient,
  parseLivyDuration,
  type LivyClientOptions,
  type KeepAlive,
  type KeepAliveOptions,
  type RunOptions,
  type WaitOptions
} from './client.js';
export {
  livyFailure,
  saysRMissing,
  usefulTraceback,
  LIVY_KIND_NEEDS,
  R_MISSING_HINT
} from './errors.js';
export { LogFollower, newLines, splitStreams, type LogLine, type LogStream } from './log-follow.js';
export * from './types.js';
export {
  isDataFrameName,
  LIVY_PULL,
  openPull,
  pullNotice,
  pullRows,
  pythonString,
  sparkTypeName,
  sqlDataFrame,
  type LivyPull,
  type LivyPullColumn,
  type LivyPullOptions,
  type LivyPullPage,
  type LivyPullStats,
  type LivyPulled
} from './pull.js';
export {
  BATCH_LOCAL_PATH_HINT,
  BATCH_UPLOAD_FOLDER,
  batchFileUri,
  uploadBatchFile,
  type UploadedBatchFile
} from './batchFile.js';
