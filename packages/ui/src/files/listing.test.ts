// FolderListing on the real local HDFS (the NameNode's WebHDFS pages by 1000), through the node
// client: a 100,000-entry folder arrives page by page and is whole at the end.
import { createNodeFilesClient } from '@radlab/core/node';
import { describe, expect, it } from 'vitest';
import { FolderListing, type FolderState } from './listing.js';

const WEBHDFS = `http://127.0.0.1:${process.env['RADLAB_WEBHDFS_PORT'] ?? '9870'}`;
const DATANODE = `http://127.0.0.1:${process.env['RADLAB_HDFS_DN_HTTP_PORT'] ?? '9864'}`;
const USER = process.env['RADLAB_HDFS_USER'] ?? 'radlab';

async function up(): Promise<boolean> {
  try {
    const r = await fetch(
      `${WEBHDFS}/webhdfs/v1/user/${USER}/many?op=GETFILESTATUS&user.name=${USER}`
    );
    return r.ok;
  } catch {
    return false;
  }
}

const available = await up();
if (!available)
  console.warn(
    'FolderListing HDFS test skipped: WebHDFS does not answer (scripts/services/hdfs start)'
  );

describe.skipIf(!available)('FolderListing on the real HDFS', () => {
  it('loads the 100,000-file folder page by page', { timeout: 120_000 }, async () => {
    const client = await createNodeFilesClient({
      name: 'local-webhdfs',
      kind: 'files',
      protocol: 'webhdfs',
      url: WEBHDFS,
      auth: { type: 'hdfsUser', user: USER },
      dataNodes: [DATANODE]
    });
    const listing = new FolderListing(client, `/user/${USER}/many`);
    const seen: FolderState[] = [];
    listing.onChange(s => seen.push(s));
    await listing.open();
    const firstPage = seen.find(s => s.loaded > 0);
    expect(firstPage).toMatchObject({ loaded: 1000, expected: 100_000, loading: true });
    expect(listing.state).toMatchObject({ loaded: 100_000, expected: 100_000, loading: false });
    listing.setFilter('file-09999');
    expect(listing.state.entries.map(e => e.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `file-09999${i}.json`)
    );
  });
});
