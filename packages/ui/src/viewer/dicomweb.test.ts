// A PACS series in the viewer's loader: the real Orthanc of the local stack (scripts/services/orthanc)
// with the CT phantom. The source orders the instances from WADO-RS metadata (one request), the
// loader's header pass asks the PACS nothing, each instance's pixels come from WADO-RS frames once,
// and the volume equals the one loaded from the same files on disk.
import { beforeAll, describe, expect, it } from 'vitest';
import { createInlineDecoder } from '@radlab/imaging';
import { DicomWebClient, Transport } from '@radlab/core';
import { DICOMWEB_URL, PHANTOM, phantomFiles, startOrthanc } from '@radlab/core/testing/orthanc';
import { dicomWebSeriesSource, type DicomWebSeriesClient } from './dicomweb.js';
import { loadDicom, readHead, type LoadOptions } from './loader.js';
import { planSource, type ImageFile } from './source.js';

let skip: string | undefined;
let study = '';
let series = '';
const client = new DicomWebClient(
  new Transport({ service: 'dicomweb', connection: 'local-pacs', baseURL: DICOMWEB_URL })
);

beforeAll(async () => {
  skip = startOrthanc();
  if (skip) return;
  const [s] = await client.searchStudies({ match: { PatientID: PHANTOM.patientId } });
  study = String(s['0020000D'].Value![0]);
  const [se] = await client.searchSeries(study);
  series = String(se['0020000E'].Value![0]);
}, 150_000);

function counting(): { client: DicomWebSeriesClient; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    client: {
      seriesMetadata: (st, se, o) => {
        calls.push('metadata');
        return client.seriesMetadata(st, se, o);
      },
      frames: (st, se, i, f, o) => {
        calls.push(`frames ${i}`);
        return client.frames(st, se, i, f, o);
      }
    }
  };
}

const options = (extra: Partial<LoadOptions> = {}): LoadOptions => ({
  signal: new AbortController().signal,
  maxBytes: 2 ** 30,
  concurrency: 6,
  ...extra
});

describe('dicomWebSeriesSource against the stack Orthanc', { timeout: 60_000 }, () => {
  it('orders the series from its metadata and gives headers without a request', async ({
    skip: skipIt
  }) => {
    if (skip) skipIt(skip);
    const { client: c, calls } = counting();
    const source = await dicomWebSeriesSource(c, study, series);
    expect(source.ordered).toBe(true);
    expect(source.files).toHaveLength(PHANTOM.slices);
    expect(source.title).toBe(`CT series (${PHANTOM.slices} images, PACS)`);
    // a header range is the file's own, made from the metadata
    const head = await source.files[0].readRange!(0, 132);
    expect(new TextDecoder().decode(head.subarray(128, 132))).toBe('DICM');
    // the loader's header pass: every head without a read
    for (const f of source.files) {
      const h = await readHead(f, 2 ** 30, new AbortController().signal);
      expect(h).toMatchObject({ whole: false, reads: 0 });
    }
    expect(calls).toEqual(['metadata']);
  });

  it('loads the volume the files on disk give, each instance fetched once', async ({
    skip: skipIt
  }) => {
    if (skip) skipIt(skip);
    const { client: c, calls } = counting();
    const source = await dicomWebSeriesSource(c, study, series);
    let started = 0;
    const pacs = await loadDicom(planSource(source), createInlineDecoder(), {
      ...options({ ordered: true }),
      onStart: () => started++
    });
    expect(pacs.volume.dims).toEqual([PHANTOM.columns, PHANTOM.rows, PHANTOM.slices]);
    expect(started).toBeGreaterThanOrEqual(1);
    const fetched = calls.filter(c => c.startsWith('frames '));
    expect(fetched).toHaveLength(PHANTOM.slices);
    expect(new Set(fetched).size).toBe(PHANTOM.slices);
    expect(calls.filter(c => c === 'metadata')).toHaveLength(1);

    const files: ImageFile[] = phantomFiles().map(f => ({
      name: f.name,
      read: async () => f.bytes
    }));
    const disk = await loadDicom(
      planSource({ title: 'disk', files }),
      createInlineDecoder(),
      options()
    );
    expect(pacs.volume.dims).toEqual(disk.volume.dims);
    expect([...pacs.volume.spacing]).toEqual([...disk.volume.spacing]);
    expect(Array.from(pacs.volume.data)).toEqual(Array.from(disk.volume.data));
    // the header the viewer has holds no patient attribute at all (none is copied from the PACS)
    const shown = JSON.stringify(pacs.header);
    for (const phi of [PHANTOM.patientId, 'Radlabtest', PHANTOM.birthDate, PHANTOM.institution])
      expect(shown).not.toContain(phi);
  });
});
