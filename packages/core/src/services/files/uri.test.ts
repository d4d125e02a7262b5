// Files URIs as users type and copy them (pure: no service).

import { describe, expect, it } from 'vitest';
import type { ConnectionConfig } from '../../connection.js';
import { RadlabError } from '../../errors.js';
import { copyPaths, parseFilesUri, resolveFilesPath } from './uri.js';

const files: ConnectionConfig[] = [
  { name: 'hdfs', kind: 'files', protocol: 'httpfs', url: 'http://httpfs.example:14000' },
  { name: 'nn', kind: 'files', protocol: 'webhdfs', url: 'http://nn.example:9870' },
  { name: 'mount', kind: 'files', protocol: 'posix', root: '/mapr/my.cluster.com' }
];

describe('parseFilesUri', () => {
  it('reads maprfs:/// and hdfs:/// as the default connection', () => {
    expect(parseFilesUri('maprfs:///user/a/x.csv', files)).toEqual({ path: '/user/a/x.csv' });
    expect(parseFilesUri('hdfs:///', files)).toEqual({ path: '/' });
    expect(parseFilesUri('maprfs://', files)).toEqual({ path: '/' });
  });

  it('names a connection by name or by the host of its URL', () => {
    expect(parseFilesUri('maprfs://nn/a', files)).toEqual({ connection: 'nn', path: '/a' });
    expect(parseFilesUri('hdfs://httpfs.example:14000/a', files)).toEqual({
      connection: 'hdfs',
      path: '/a'
    });
    expect(parseFilesUri('hdfs://nn.example/a', files)).toEqual({ connection: 'nn', path: '/a' });
    expect(() => parseFilesUri('hdfs://elsewhere/a', files)).toThrow(RadlabError);
  });

  it('maps /mapr/<cluster>/… to the posix connection of that root', () => {
    expect(parseFilesUri('/mapr/my.cluster.com/data/x', files)).toEqual({
      connection: 'mount',
      path: '/data/x'
    });
    expect(parseFilesUri('/mapr/my.cluster.com', files)).toEqual({
      connection: 'mount',
      path: '/'
    });
    expect(parseFilesUri('/mapr/my.cluster.community/x', files)).toEqual({
      path: '/mapr/my.cluster.community/x'
    });
  });

  it('keeps %, #, ? and spaces as name characters; refuses dot segments and other schemes', () => {
    expect(parseFilesUri('maprfs:///a b%23#?é.txt', files)).toEqual({ path: '/a b%23#?é.txt' });
    expect(() => parseFilesUri('maprfs:///a/../b', files)).toThrow(/dot segments/);
    expect(() => parseFilesUri('s3://bucket/x', files)).toThrow(/not a files URI/);
  });

  it('leaves relative paths to the home folder', () => {
    expect(parseFilesUri('sample/x.csv', files)).toEqual({ path: 'sample/x.csv' });
    expect(parseFilesUri('', files)).toEqual({ path: undefined });
    expect(resolveFilesPath('sample/x.csv', '/user/a')).toBe('/user/a/sample/x.csv');
    expect(resolveFilesPath(undefined, '/user/a')).toBe('/user/a');
    expect(resolveFilesPath('x', '/')).toBe('/x');
  });
});

describe('copyPaths', () => {
  it('writes a path as maprfs:///, hdfs:// and /mapr/', () => {
    expect(copyPaths(files[1]!, '/user/a/x.csv')).toEqual({
      maprfs: 'maprfs:///user/a/x.csv',
      hdfs: 'hdfs://nn.example:8020/user/a/x.csv',
      mapr: '/mapr/nn/user/a/x.csv'
    });
    expect(copyPaths(files[2]!, '/data').mapr).toBe('/mapr/my.cluster.com/data');
    expect(copyPaths(files[2]!, '/').mapr).toBe('/mapr/my.cluster.com');
  });

  it("takes the connection's nameNode and cluster when it names them", () => {
    const named = { ...files[1]!, nameNode: 'hdfs://10.0.0.1:9000/', cluster: 'prod.mapr' };
    expect(copyPaths(named, '/odd names/a b%23#?é.txt')).toEqual({
      maprfs: 'maprfs:///odd names/a b%23#?é.txt',
      hdfs: 'hdfs://10.0.0.1:9000/odd names/a b%23#?é.txt',
      mapr: '/mapr/prod.mapr/odd names/a b%23#?é.txt'
    });
  });
});
