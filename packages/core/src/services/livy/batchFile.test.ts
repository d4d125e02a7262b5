import { describe, expect, it } from 'vitest';
import type { FilesClient } from '../files/types.js';
import { batchFileUri, uploadBatchFile } from './batchFile.js';

describe('a batch file where Livy can read it', () => {
  it('is named by the connection: hdfs:// from its nameNode or host, maprfs:/// on MapR', () => {
    const hdfs = { name: 'h', url: 'http://nn.example:14000', protocol: 'httpfs' as const };
    expect(batchFileUri(hdfs, '/user/a/x.py')).toBe('hdfs://nn.example:8020/user/a/x.py');
    expect(batchFileUri({ ...hdfs, nameNode: 'hdfs://nn:9000' }, '/x.py')).toBe(
      'hdfs://nn:9000/x.py'
    );
    expect(batchFileUri({ ...hdfs, cluster: 'prod' }, '/x.py')).toBe('maprfs:///x.py');
    expect(batchFileUri({ ...hdfs, cluster: 'prod', nameNode: 'hdfs://nn:8020' }, '/x.py')).toBe(
      'hdfs://nn:8020/x.py'
    );
    expect(() => batchFileUri({ name: 'm', protocol: 'posix', root: '/mapr/p' }, '/x.py')).toThrow(
      /mounted folder/
    );
  });

  it('uploads under the home folder with a new, safe name each time', async () => {
    const calls: string[] = [];
    const files = {
      home: async () => '/user/ann',
      mkdir: async (p: string) => void calls.push(`mkdir ${p}`),
      write: async (p: string) => {
        calls.push(`write ${p}`);
        return {};
      }
    } as unknown as FilesClient;
    const up = await uploadBatchFile(
      files,
      { name: 'h', url: 'http://nn:14000', protocol: 'httpfs' },
      '/home/ann/my job (v2).py',
      new Uint8Array([1]),
      { now: Date.UTC(2026, 11, 3, 7, 5, 9, 120) }
    );
    expect(up.path).toBe('/user/ann/.radlab/batches/2026-12-03T07-05-09-120Z-my_job__v2_.py');
    expect(up.uri).toBe(`hdfs://nn:8020${up.path}`);
    expect(calls).toEqual(['mkdir /user/ann/.radlab/batches', `write ${up.path}`]);
  });
});
