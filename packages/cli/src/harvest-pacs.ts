// `radlab harvest pacs:<connection>`: the PACS source of a harvest (loaded only for a PACS, so that a
// folder harvest still starts without @radlab/core). The connection is a `dicomweb` one (its URL the
// DICOMweb root); without a name, the first of that kind.
import { createNodeDicomWebClient } from '@radlab/core/node';
import { pacsSource, type Deidentifier, type HarvestSource } from '@radlab/imaging/node';
import { pickConnection, type Io } from './connections.js';

export const PACS_PREFIX = 'pacs:';

export async function pacsHarvestSource(
  source: string,
  deid: Deidentifier,
  io: Io,
  signal?: AbortSignal
): Promise<{ source: HarvestSource; location: string }> {
  const name = source.slice(PACS_PREFIX.length) || undefined;
  const conn = await pickConnection('dicomweb', { connection: name }, io);
  const client = await createNodeDicomWebClient(conn, { env: io.env });
  return {
    source: pacsSource(client, { uid: uid => deid.uid(uid), signal }),
    location: `${PACS_PREFIX}${conn.name}`
  };
}
