// MapR/HDFS files over WebHDFS/HttpFS, or a posix mount; health only so far.

import type { ServiceDefinition } from '../definition.js';
import { checkFiles } from './health.js';

export const files: ServiceDefinition = {
  kind: 'files',
  title: 'File system (WebHDFS, HttpFS, posix)',
  probe: checkFiles,
  hints: {}
};
