// A batch file uploaded to the stack's real HDFS (HttpFS) and run by the real Livy from its hdfs://
// URI, its log followed to success.

import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectionConfig } from '../../connection.js';
import { createNodeFilesClient } from '../../node/files.js';
import { HDFS_USER, HTTPFS_URL, hdfsUnavailable } from '../../testing/hdfs.js';
import { LIVY_URL, livyUnavailable } from '../../testing/livy.js';
import { Transport } from '../../transport/transport.js';
import { uploadBatchFile } from './batchFile.js';
import { LivyClient } from './client.js';

const files: ConnectionConfig = {
  name: 'test-httpfs',
  kind: 'files',
  protocol: 'httpfs',
  url: HTTPFS_URL,
  auth: { type: 'hdfsUser', user: HDFS_USER },
  nameNode: `hdfs://127.0.0.1:${process.env['RADLAB_HDFS_NN_PORT'] ?? '8020'}`
};

describe.skipIf(hdfsUnavailable !== undefined || livyUnavailable !== undefined)(
  'a batch file uploaded to HDFS, run by Livy',
  { timeout: 300_000 },
  () => {
    const livy = new LivyClient(
      new Transport({ service: 'livy', connection: 'local-livy', baseURL: LIVY_URL })
    );
    const cleanup: Array<() => Promise<unknown>> = [];
    afterAll(async () => {
      for (const c of cleanup.reverse()) await c().catch(() => undefined);
    });

    it('Livy reads it from its hdfs:// URI and the log says what it printed', async () => {
      const client = await createNodeFilesClient(files, { secrets: {} });
      const code =
        'from pyspark.sql import SparkSession\n' +
        'spark = SparkSession.builder.getOrCreate()\n' +
        'print("radlab hdfs batch rows", spark.range(5).count(), flush=True)\n' +
        'spark.stop()\n';
      const up = await uploadBatchFile(
        client,
        files,
        `radlab-batch-${process.pid}.py`,
        new TextEncoder().encode(code)
      );
      cleanup.push(() => client.delete(up.path));
      expect(up.uri).toMatch(/^hdfs:\/\/127\.0\.0\.1:\d+\/user\/.+\/\.radlab\/batches\/.+\.py$/);
      const batch = await livy.submitBatch({
        file: up.uri,
        name: `radlab-hdfs-batch-${process.pid}`
      });
      cleanup.push(() => livy.deleteBatch(batch.id));
      const lines: string[] = [];
      const follow = livy.followBatch(batch.id, { intervalMs: 500 });
      let step = await follow.next();
      while (!step.done) {
        lines.push(...step.value.map(l => l.line));
        step = await follow.next();
      }
      expect(step.value.state, lines.slice(-20).join('\n')).toBe('success');
      expect(lines).toContain('radlab hdfs batch rows 5');
    });
  }
);
