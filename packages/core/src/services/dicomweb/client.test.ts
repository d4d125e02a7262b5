// Against the real Orthanc of the local stack (scripts/services/orthanc) with its DICOMweb plugin,
// seeded with the 24-slice CT phantom: QIDO-RS at every level, WADO-RS metadata and frames (checked
// byte for byte against the seeded files), the health check, and the errors of the contract.

import { beforeAll, describe, expect, it } from 'vitest';
import { checkHealth } from '../../health/check.js';
import { failure } from '../../testing/errors.js';
import { closedPort } from '../../testing/http.js';
import { DICOMWEB_URL, PHANTOM, phantomFiles, startOrthanc } from '../../testing/orthanc.js';
import { Transport } from '../../transport/transport.js';
import { DicomWebClient } from './client.js';
import { DICOMWEB_TAGS as T, dicomJsonNumbers, dicomJsonString } from './types.js';

const transport = (base = DICOMWEB_URL): Transport =>
  new Transport({ service: 'dicomweb', connection: 'local-pacs', baseURL: base, retries: 0 });
const client = (base?: string): DicomWebClient => new DicomWebClient(transport(base));

let skip: string | undefined;
let study = '';
let series = '';

beforeAll(async () => {
  skip = startOrthanc();
  if (skip) return;
  const [s] = await client().searchStudies({ match: { PatientID: PHANTOM.patientId } });
  study = dicomJsonString(s, T.StudyInstanceUID) ?? '';
  const [se] = await client().searchSeries(study);
  series = dicomJsonString(se, T.SeriesInstanceUID) ?? '';
}, 150_000);

describe('DicomWebClient against the stack Orthanc', { timeout: 60_000 }, () => {
  it('searches studies (QIDO-RS) by an attribute: the phantom study, its instance count', async ({
    skip: skipIt
  }) => {
    if (skip) skipIt(skip);
    const studies = await client().searchStudies({
      match: { PatientID: PHANTOM.patientId, ModalitiesInStudy: 'CT' },
      includefield: ['StudyDescription']
    });
    expect(studies).toHaveLength(1);
    expect(dicomJsonString(studies[0], '00081030')).toBe(PHANTOM.studyDescription);
    expect(dicomJsonNumbers(studies[0], T.NumberOfStudyRelatedInstances)).toEqual([PHANTOM.slices]);
    expect(await client().searchStudies({ match: { PatientID: 'NO-SUCH-PATIENT' } })).toEqual([]);
  });

  it('searches the series of a study and of the whole PACS', async ({ skip: skipIt }) => {
    if (skip) skipIt(skip);
    const inStudy = await client().searchSeries(study);
    expect(inStudy).toHaveLength(1);
    expect(dicomJsonString(inStudy[0], T.Modality)).toBe('CT');
    expect(dicomJsonNumbers(inStudy[0], T.NumberOfSeriesRelatedInstances)).toEqual([
      PHANTOM.slices
    ]);
    const all = await client().searchSeries(undefined, { match: { Modality: 'CT' } });
    expect(all.map(s => dicomJsonString(s, T.SeriesInstanceUID))).toContain(series);
  });

  it('pages instances with limit/offset: every one once', async ({ skip: skipIt }) => {
    if (skip) skipIt(skip);
    const c = client();
    const seen: string[] = [];
    for await (const i of c.searchAll(q => c.searchInstances(study, series, q), {}, 10))
      seen.push(dicomJsonString(i, T.SOPInstanceUID) ?? '');
    expect(seen).toHaveLength(PHANTOM.slices);
    expect(new Set(seen).size).toBe(PHANTOM.slices);
    const inStudy = await c.searchInstances(study, undefined);
    expect(inStudy).toHaveLength(PHANTOM.slices);
  });

  it('reads WADO-RS metadata of a series in one request, and of one instance', async ({
    skip: skipIt
  }) => {
    if (skip) skipIt(skip);
    const meta = await client().seriesMetadata(study, series);
    expect(meta).toHaveLength(PHANTOM.slices);
    const z = meta.map(m => dicomJsonNumbers(m, '00200032')[2]).sort((a, b) => a - b);
    expect(z[0]).toBeCloseTo(-57.5);
    expect(z[z.length - 1]).toBeCloseTo(0);
    expect(dicomJsonNumbers(meta[0], '00280030')).toEqual([1.5, 1.5]);
    const sop = dicomJsonString(meta[0], T.SOPInstanceUID)!;
    const one = await client().instanceMetadata(study, series, sop);
    expect(dicomJsonString(one, T.SOPInstanceUID)).toBe(sop);
    expect(dicomJsonNumbers(one, '00280010')).toEqual([PHANTOM.rows]);
  });

  it('fetches WADO-RS frames: the seeded pixel data byte for byte', async ({ skip: skipIt }) => {
    if (skip) skipIt(skip);
    const meta = await client().seriesMetadata(study, series);
    const bytesOf = new Map<string, Uint8Array>();
    for (const f of phantomFiles()) {
      // the phantom's Pixel Data is the files' last rows × columns × 2 bytes
      const n = PHANTOM.rows * PHANTOM.columns * 2;
      const sop = meta.find(m =>
        // the instance whose InstanceNumber matches the file's: compare through the header's bytes
        new TextDecoder('latin1').decode(f.bytes).includes(dicomJsonString(m, T.SOPInstanceUID)!)
      );
      if (sop)
        bytesOf.set(dicomJsonString(sop, T.SOPInstanceUID)!, f.bytes.subarray(f.bytes.length - n));
    }
    expect(bytesOf.size).toBe(PHANTOM.slices);
    for (const m of meta.slice(0, 4)) {
      const sop = dicomJsonString(m, T.SOPInstanceUID)!;
      const [frame] = await client().frames(study, series, sop, [1]);
      expect(frame.transferSyntax).toBe('1.2.840.10008.1.2.1');
      expect(frame.data.length).toBe(PHANTOM.rows * PHANTOM.columns * 2);
      expect(Buffer.from(frame.data).equals(Buffer.from(bytesOf.get(sop)!))).toBe(true);
    }
  });

  it('is healthy by the health check', async ({ skip: skipIt }) => {
    if (skip) skipIt(skip);
    const conn = { name: 'local-pacs', kind: 'dicomweb' as const, url: DICOMWEB_URL };
    const result = await checkHealth(conn, { transport: transport() });
    expect(result.state).toBe('healthy');
  });

  it('errors: unknown study (notFound), a non-UID (badRequest, not sent), frame 0, cancelled, unreachable', async ({
    skip: skipIt
  }) => {
    if (skip) skipIt(skip);
    const missing = await failure(client().seriesMetadata('1.2.3.4', '5.6.7'));
    expect(missing.code).toBe('notFound');
    expect(missing.service).toBe('dicomweb');
    expect(missing.hint).toBeTruthy();

    const notUid = await failure(client().seriesMetadata('1.2.3; DROP', series));
    expect(notUid.code).toBe('badRequest');
    expect(notUid.request).toBeUndefined();

    const frame0 = await failure(client().frames(study, series, '1.2', [0]));
    expect(frame0.code).toBe('badRequest');

    const controller = new AbortController();
    controller.abort();
    const cancelled = await failure(client().searchStudies({}, { signal: controller.signal }));
    expect(cancelled.code).toBe('cancelled');

    const port = await closedPort();
    const down = await failure(client(`http://127.0.0.1:${port}/dicom-web`).searchStudies());
    expect(down.code).toBe('unreachable');
    expect(down.service).toBe('dicomweb');
  });
});
