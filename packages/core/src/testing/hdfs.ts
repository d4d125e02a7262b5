// Test support: the local stack's real HDFS (scripts/services/hdfs start, idempotent): HttpFS and a
// WebHDFS NameNode with one DataNode. When it can't be had, `hdfsUnavailable` says why and the
// tests skip.

import { startService } from './service.js';

const env = process.env;

export const HTTPFS_URL = `http://127.0.0.1:${env['RADLAB_HTTPFS_PORT'] ?? '14000'}`;
export const WEBHDFS_URL = `http://127.0.0.1:${env['RADLAB_WEBHDFS_PORT'] ?? '9870'}`;
export const DATANODE_URL = `http://127.0.0.1:${env['RADLAB_HDFS_DN_HTTP_PORT'] ?? '9864'}`;
export const HDFS_USER = env['RADLAB_HDFS_USER'] ?? 'radlab';
export const HDFS_HOME = `/user/${HDFS_USER}`;
/** The seeded big file's size (scripts/services/hdfs: RADLAB_HDFS_BIG_MIB). */
export const HDFS_BIG_MIB = Number(env['RADLAB_HDFS_BIG_MIB'] ?? '2048');

/** Why HDFS is not available, or undefined when HttpFS and WebHDFS answer. */
export const hdfsUnavailable: string | undefined = startService('hdfs', 900_000);
if (hdfsUnavailable) console.warn(`HDFS tests skipped: ${hdfsUnavailable}`);

/** The expected byte at `offset` of the seeded big file. */
export function bigFileByte(offset: number): number {
  return (offset % (1 << 20)) % 251;
}
