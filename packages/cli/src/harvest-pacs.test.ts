// `radlab harvest pacs:<connection>` against the real Orthanc of the local stack (scripts/services/orthanc),
// seeded with the 24-slice CT phantom whose headers carry fake patient data: the catalog is made from
// QIDO-RS and WADO-RS metadata alone (the PACS source cannot read files or frames), its
// columns equal those of a harvest of the same files from a folder, no patient datum and no original UID
// reaches any byte of the output, a re-run reads nothing, and a PACS that is down stops the run.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '@radlab/core/testing/http';
import { DICOMWEB_URL, PHANTOM, startOrthanc } from '@radlab/core/testing/orthanc';
import { buildCli, REPO_ROOT, runCli } from './testing/cli.js';
import { catalogTable, everyByte } from './testing/catalog.js';

const work = mkdtempSync(join(tmpdir(), 'radlab-harvest-pacs-'));
const SEED = join(REPO_ROOT, '.radlab/cache/orthanc-seed/ct-series');
const connections = (url = DICOMWEB_URL): string =>
  JSON.stringify([{ name: 'archive', kind: 'dicomweb', url, auth: { type: 'none' } }]);
const env = {
  RADLAB_CATALOG_KEY_FILE: join(work, 'catalog.key'),
  RADLAB_CONNECTIONS: connections()
};
const PHI = [
  'Radlabtest',
  'Visible',
  PHANTOM.patientId,
  PHANTOM.birthDate,
  PHANTOM.accession,
  PHANTOM.institution,
  'Referrer',
  PHANTOM.studyDescription
];

/** The phantom's original UIDs, as the PACS has them. */
async function originalUids(): Promise<string[]> {
  const get = async (path: string): Promise<Record<string, { Value?: string[] }>[]> =>
    (await (await fetch(`${DICOMWEB_URL}${path}`)).json()) as Record<
      string,
      { Value?: string[] }
    >[];
  const [study] = await get(`/studies?PatientID=${PHANTOM.patientId}`);
  const s = study['0020000D'].Value![0];
  const [series] = await get(`/studies/${s}/series`);
  const se = series['0020000E'].Value![0];
  const instances = await get(`/studies/${s}/series/${se}/instances`);
  return [s, se, ...instances.map(i => i['00080018'].Value![0])];
}

let skip: string | undefined;
const phantomRows = (rows: Record<string, unknown>[]): Record<string, unknown>[] =>
  rows.filter(r => r.SeriesDescription === 'Axial 2.5 mm' && r.Modality === 'CT');

beforeAll(() => {
  skip = startOrthanc();
  if (!skip) buildCli();
}, 240_000);

describe('radlab harvest pacs:<connection> against the stack Orthanc', { timeout: 120_000 }, () => {
  it('catalogs the PACS from metadata: the same columns as a folder harvest of the same files', async ({
    skip: skipIt
  }) => {
    if (skip) skipIt(skip);
    const dest = join(work, 'pacs');
    const run = await runCli(['harvest', 'pacs:archive', '--into', dest, '--json'], {
      home: work,
      env
    });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { files: number; read: number; instances: number };
    expect(summary.files).toBeGreaterThanOrEqual(PHANTOM.slices);
    expect(summary.read).toBe(summary.files);
    const instances = phantomRows(await catalogTable(dest, 'instances'));
    expect(instances).toHaveLength(PHANTOM.slices);
    for (const r of instances) {
      expect(r).toMatchObject({ Rows: 96, Columns: 96, NumberOfFrames: 1, SliceThickness: 2.5 });
      expect(r).toMatchObject({ PixelSpacingRow: 1.5, PixelSpacingColumn: 1.5 });
      expect(String(r.SOPInstanceUID)).toMatch(/^2\.25\.\d+$/);
      expect(String(r.DicomFile)).toMatch(
        /^studies\/2\.25\.\d+\/series\/2\.25\.\d+\/instances\/2\.25\.\d+$/
      );
      expect(String(r.PatientID)).toMatch(/^[0-9a-f]{24}$/);
    }
    expect(new Set(instances.map(r => r.PatientID)).size).toBe(1);
    const meta = JSON.parse(readFileSync(join(dest, 'catalog.json'), 'utf8')) as { source: string };
    expect(meta.source).toBe('pacs:archive');

    // the same files harvested from a folder with the same key and profile: every column agrees but
    // what only a file has (its path, size and transfer syntax)
    const folder = join(work, 'folder');
    const byFolder = await runCli(['harvest', SEED, '--into', folder, '--json'], {
      home: work,
      env
    });
    expect(byFolder.code, byFolder.stderr).toBe(0);
    const fileRows = phantomRows(await catalogTable(folder, 'instances'));
    const own = ['DicomFile', 'FileSize', 'TransferSyntaxUID'];
    const strip = (r: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(Object.entries(r).filter(([k]) => !own.includes(k)));
    const bySop = new Map(fileRows.map(r => [r.SOPInstanceUID, strip(r)]));
    for (const r of instances) expect(strip(r)).toEqual(bySop.get(r.SOPInstanceUID));
    const [pacsSeries] = phantomRows(await catalogTable(dest, 'series'));
    const [fileSeries] = phantomRows(await catalogTable(folder, 'series'));
    const seriesOwn = [...own, 'Folder', 'TotalSize', 'TransferSyntaxUIDs', 'FileCount'];
    const stripSeries = (r: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(Object.entries(r).filter(([k]) => !seriesOwn.includes(k)));
    expect(stripSeries(pacsSeries)).toEqual(stripSeries(fileSeries));
    expect(pacsSeries).toMatchObject({ InstanceCount: PHANTOM.slices, UnevenSpacing: false });
  });

  it('leaves no patient datum and no original UID in any output', async ({ skip: skipIt }) => {
    if (skip) skipIt(skip);
    const dest = join(work, 'pacs');
    const text = everyByte(dest);
    for (const phi of PHI) expect(text, phi).not.toContain(phi);
    for (const uid of await originalUids()) expect(text, uid).not.toContain(uid);
    const rows = [
      ...(await catalogTable(dest, 'instances')),
      ...(await catalogTable(dest, 'series')),
      ...(await catalogTable(dest, 'studies'))
    ];
    const values = JSON.stringify(rows, (_k, v: unknown) =>
      typeof v === 'bigint' ? String(v) : v
    );
    for (const phi of PHI) expect(values, phi).not.toContain(phi);
  });

  it('re-runs from QIDO-RS alone; --retain-uids keeps the PACS UIDs (paths open the instances)', async ({
    skip: skipIt
  }) => {
    if (skip) skipIt(skip);
    const dest = join(work, 'pacs');
    const again = await runCli(['harvest', 'pacs:archive', '--into', dest, '--json'], {
      home: work,
      env
    });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ read: 0 });

    const kept = join(work, 'pacs-uids');
    const run = await runCli(
      ['harvest', 'pacs:', '--into', kept, '--retain-uids', '--profile', 'retain-dates', '--json'],
      { home: work, env }
    );
    expect(run.code, run.stderr).toBe(0);
    const [study, series, ...sops] = await originalUids();
    const rows = phantomRows(await catalogTable(kept, 'instances'));
    expect(rows.map(r => r.SOPInstanceUID).sort()).toEqual([...sops].sort());
    for (const r of rows) {
      expect(r.StudyInstanceUID).toBe(study);
      expect(String(r.DicomFile)).toBe(
        `studies/${study}/series/${series}/instances/${String(r.SOPInstanceUID)}`
      );
      // retain-dates: the header's 2025-01-15 (a DATE column, read back as epoch milliseconds)
      expect(r.StudyDate).toBe(Date.UTC(2025, 0, 15));
    }
    const res = await fetch(`${DICOMWEB_URL}/${String(rows[0].DicomFile)}/metadata`, {
      headers: { Accept: 'application/dicom+json' }
    });
    expect(res.status).toBe(200);
  });

  it('fails clearly: an unknown connection (2), a PACS that is down (1, catalog kept, no PHI)', async ({
    skip: skipIt
  }) => {
    if (skip) skipIt(skip);
    const dest = join(work, 'pacs');
    const unknown = await runCli(['harvest', 'pacs:nosuch', '--into', dest], { home: work, env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no connection named "nosuch"');
    const port = await closedPort();
    const down = await runCli(['harvest', 'pacs:archive', '--into', join(work, 'down')], {
      home: work,
      env: { ...env, RADLAB_CONNECTIONS: connections(`http://127.0.0.1:${port}/dicom-web`) }
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/PACS failed: .*running/);
    for (const phi of PHI) expect(down.stdout + down.stderr).not.toContain(phi);
  });
});
