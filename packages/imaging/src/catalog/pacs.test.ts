// The PACS source on a fake DICOMweb client (the real Orthanc: packages/cli/src/harvest-pacs.test.ts):
// one WADO-RS metadata request per series, missing tags as findings, a PACS failure stops the run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDeidentifier, deidProfile } from './deid.js';
import { harvest } from './harvest.js';
import { jsonInstanceRecord, pacsSource, type DicomJsonLike } from './pacs.js';

const deid = createDeidentifier(new Uint8Array(32).fill(3), deidProfile('basic'));
const el = (vr: string, ...Value: unknown[]) => ({ vr, Value });

function instance(series: string, n: number, extra: DicomJsonLike = {}): DicomJsonLike {
  return {
    '0020000D': el('UI', '1.2.3'),
    '0020000E': el('UI', series),
    '00080018': el('UI', `${series}.${n}`),
    '00080060': el('CS', 'MR'),
    '00100010': el('PN', { Alphabetic: 'Doe^Jane' }),
    '00100020': el('LO', 'MRN-77'),
    '0008103E': el('LO', 'T1 Doe'),
    '00280010': el('US', 64),
    '00280011': el('US', 64),
    '00200032': el('DS', 0, 0, n),
    ...extra
  };
}

function fakePacs(fail = false) {
  const series: Record<string, DicomJsonLike[]> = {
    '1.2.3.1': [1, 2, 3].map(n => instance('1.2.3.1', n)),
    '1.2.3.2': [instance('1.2.3.2', 1, { '00280010': el('US') })]
  };
  const calls: string[] = [];
  return {
    calls,
    client: {
      searchStudies: async () => [{ '0020000D': el('UI', '1.2.3') }],
      searchSeries: async () => Object.keys(series).map(s => ({ '0020000E': el('UI', s) })),
      searchInstances: async (_st: string | undefined, se: string | undefined) =>
        series[se!].map(i => ({ '00080018': i['00080018'] })),
      seriesMetadata: async (_st: string, se: string) => {
        calls.push(se);
        if (fail) throw new Error('PACS down');
        return series[se];
      }
    }
  };
}

describe('pacsSource', () => {
  it('makes records from series metadata, one request per series, de-identified', async () => {
    const { client, calls } = fakePacs();
    const dest = mkdtempSync(join(tmpdir(), 'radlab-pacs-'));
    const summary = await harvest({ source: pacsSource(client, { uid: deid.uid }), dest, deid });
    expect(summary).toMatchObject({ files: 4, read: 4, instances: 3, series: 1 });
    expect(summary.quality).toEqual({ unreadable: 1 });
    expect(calls.sort()).toEqual(['1.2.3.1', '1.2.3.2']);
    const again = await harvest({ source: pacsSource(client, { uid: deid.uid }), dest, deid });
    expect(again.read).toBe(0);
    expect(calls).toHaveLength(2);
  });

  it('cleans descriptors and pseudonymizes as a file header would be', () => {
    const r = jsonInstanceRecord(instance('1.2.3.1', 1), { path: '', size: 0 }, deid);
    expect(r.record?.SeriesDescription).toBe('T1 X');
    expect(r.record?.PatientID).toBe(deid.pseudonym('PatientID', 'MRN-77'));
    expect(r.record?.SOPInstanceUID).toBe(deid.uid('1.2.3.1.1'));
    expect(r.record?.ImagePositionPatient).toEqual([0, 0, 1]);
    const noModality = jsonInstanceRecord(
      { ...instance('1.2.3.1', 1), '00080060': el('CS') },
      { path: '', size: 0 },
      deid
    );
    expect(noModality.quality.map(q => q.Detail)).toEqual(['Modality is missing.']);
  });

  it('stops the run when the PACS fails (no instance marked unreadable for good)', async () => {
    const { client } = fakePacs(true);
    const dest = mkdtempSync(join(tmpdir(), 'radlab-pacs-'));
    await expect(
      harvest({ source: pacsSource(client, { uid: deid.uid }), dest, deid })
    ).rejects.toThrow('PACS down');
  });
});
