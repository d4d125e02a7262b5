// harvest against files made by dcmtk (img2dcm + dcmodify) with patient data in their headers: every
// catalog column checked against pydicom's reading of the same files, no PHI in any output, re-runs
// incremental, a crashed run resumed without duplicates.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
  appendFileSync,
  copyFileSync,
  rmSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createDeidentifier,
  deidProfile,
  folderSource,
  loadParquet,
  harvest
} from '../node/index.js';

const { fromParquet } = await loadParquet();

const PYTHON = resolve(__dirname, '../../../../.venv/bin/python');
const HAVE_TOOLS =
  existsSync('/usr/bin/img2dcm') && existsSync('/usr/bin/dcmodify') && existsSync(PYTHON);
const PHI = ['DOE', 'JOHN', 'MRN12345', '19600101', 'ACC999', 'Main Street', 'Dr^Who'];
const KEY = new Uint8Array(32).fill(7);
const DRILL = `http://127.0.0.1:${process.env['RADLAB_DRILL_PORT'] ?? '8047'}`;

function bmp(): Buffer {
  const w = 8;
  const row = Buffer.alloc(24);
  for (let i = 0; i < 24; i++) row[i] = (i * 9) % 256;
  const data = Buffer.concat(Array.from({ length: w }, () => row));
  const h = Buffer.alloc(54);
  h.write('BM');
  h.writeUInt32LE(54 + data.length, 2);
  h.writeUInt32LE(54, 10);
  h.writeUInt32LE(40, 14);
  h.writeInt32LE(w, 18);
  h.writeInt32LE(w, 22);
  h.writeUInt16LE(1, 26);
  h.writeUInt16LE(24, 28);
  h.writeUInt32LE(data.length, 34);
  return Buffer.concat([h, data]);
}

function makeTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'radlab-harvest-'));
  const src = join(dir, 'src');
  execFileSync('mkdir', ['-p', join(src, 'mr'), join(src, 'ct')]);
  writeFileSync(join(dir, 'img.bmp'), bmp());
  const make = (file: string, tags: string[]): void => {
    execFileSync('img2dcm', ['-q', '-i', 'BMP', join(dir, 'img.bmp'), file]);
    execFileSync('dcmodify', ['-q', '-nb', ...tags.flatMap(t => ['-i', t]), file]);
  };
  const common = [
    '(0010,0010)=DOE^JOHN',
    '(0010,0020)=MRN12345',
    '(0010,0030)=19600101',
    '(0010,1040)=1 Main Street',
    '(0008,0050)=ACC999',
    '(0008,0090)=Dr^Who',
    '(0008,0020)=20200315',
    '(0020,000D)=1.2.826.0.1.3680043.8.498.1'
  ];
  for (const z of [1, 2, 3, 4, 6])
    make(join(src, 'mr', `i${z}.dcm`), [
      ...common,
      '(0008,0060)=MR',
      '(0008,103E)=T1 AX DOE JOHN',
      '(0018,0015)=BRAIN',
      '(0008,0070)=ACME',
      '(0008,1090)=Scan9000',
      '(0018,0050)=0.9',
      '(0028,0030)=0.5\\0.6',
      '(0020,0037)=1\\0\\0\\0\\1\\0',
      `(0020,0032)=0\\0\\${z * 2}`,
      `(0020,0013)=${z}`,
      '(0020,000E)=1.2.826.0.1.3680043.8.498.2',
      `(0008,0018)=1.2.826.0.1.3680043.8.498.2.${z}`
    ]);
  for (const z of [1, 2, 3])
    make(join(src, 'ct', `c${z}.dcm`), [
      ...common,
      '(0008,0060)=CT',
      '(0008,103E)=Head 5mm',
      '(0018,0050)=5',
      '(0028,0030)=0.7\\0.7',
      '(0020,0037)=1\\0\\0\\0\\1\\0',
      `(0020,0032)=0\\0\\${z * 5}`,
      '(0020,000E)=1.2.826.0.1.3680043.8.498.3',
      `(0008,0018)=1.2.826.0.1.3680043.8.498.3.${z}`
    ]);
  copyFileSync(join(src, 'mr', 'i1.dcm'), join(src, 'mr', 'zz-copy.dcm'));
  writeFileSync(join(src, 'notes.txt'), 'DOE JOHN was here\n');
  writeFileSync(
    join(src, 'mr', 'cut.dcm'),
    readFileSync(join(src, 'mr', 'i2.dcm')).subarray(0, 400)
  );
  return dir;
}

function readTable(dest: string, table: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.parquet')) rows.push(...fromParquet(readFileSync(p)));
    }
  };
  walk(join(dest, table));
  return rows;
}

function allText(dir: string): string {
  let text = '';
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else text += readFileSync(p).toString('latin1');
    }
  };
  walk(dir);
  return text;
}

describe.skipIf(!HAVE_TOOLS)('harvest (dcmtk files, pydicom as the reference)', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTree();
  });
  const deid = (profile: 'basic' | 'retain-dates', retainUids = false) =>
    createDeidentifier(KEY, deidProfile(profile, retainUids));

  it('catalogs every column as pydicom reads it (retain-dates, retain UIDs)', async () => {
    const dest = join(dir, 'kept');
    const summary = await harvest({
      source: folderSource(join(dir, 'src')),
      dest,
      deid: deid('retain-dates', true)
    });
    expect(summary).toMatchObject({ files: 11, read: 11, studies: 1, series: 2, instances: 8 });
    expect(summary.quality).toEqual({ notDicom: 1, unreadable: 1, duplicateSOPInstanceUID: 1 });
    const script = `
import json, sys, pathlib, pydicom
out = {}
for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.dcm')):
    try:
        d = pydicom.dcmread(p, stop_before_pixels=True)
        d.SOPInstanceUID, d.Rows, d.BitsAllocated
    except Exception:
        continue
    g = lambda k: d.get(k)
    ps = g('PixelSpacing'); iop = g('ImageOrientationPatient')
    out[d.SOPInstanceUID] = dict(Modality=g('Modality'), BodyPartExamined=g('BodyPartExamined'),
      StudyDate=g('StudyDate'), Manufacturer=g('Manufacturer'), ManufacturerModelName=g('ManufacturerModelName'),
      Rows=int(d.Rows), Columns=int(d.Columns), NumberOfFrames=int(g('NumberOfFrames') or 1),
      SliceThickness=float(d.SliceThickness), PixelSpacingRow=float(ps[0]), PixelSpacingColumn=float(ps[1]),
      ImageOrientationPatient=[float(v) for v in iop], SeriesInstanceUID=d.SeriesInstanceUID,
      StudyInstanceUID=d.StudyInstanceUID, TransferSyntaxUID=d.file_meta.TransferSyntaxUID,
      SOPClassUID=d.SOPClassUID, FileSize=p.stat().st_size)
print(json.dumps(out))`;
    const ref = JSON.parse(
      execFileSync(PYTHON, ['-c', script, join(dir, 'src')]).toString()
    ) as Record<string, Record<string, unknown>>;
    const instances = readTable(dest, 'instances');
    expect(instances).toHaveLength(8);
    for (const row of instances) {
      const r = ref[row.SOPInstanceUID as string];
      expect(r, String(row.DicomFile)).toBeDefined();
      const day = new Date(row.StudyDate as number).toISOString().slice(0, 10).replace(/-/g, '');
      expect(day).toBe(r.StudyDate);
      // numeric lists, not DICOM's backslash strings
      expect(row.ImageOrientationPatient).toEqual(r.ImageOrientationPatient);
      for (const k of [
        'Modality',
        'BodyPartExamined',
        'Manufacturer',
        'ManufacturerModelName',
        'Rows',
        'Columns',
        'NumberOfFrames',
        'SliceThickness',
        'PixelSpacingRow',
        'PixelSpacingColumn',
        'SeriesInstanceUID',
        'StudyInstanceUID',
        'TransferSyntaxUID',
        'SOPClassUID'
      ])
        expect(row[k] ?? null, k).toEqual(r[k] ?? null);
      expect(Number(row.FileSize)).toBe(r.FileSize);
    }
    const series = readTable(dest, 'series');
    const mr = series.find(s => s.Modality === 'MR')!;
    expect(mr).toMatchObject({
      InstanceCount: 5,
      SliceSpacing: 2,
      UnevenSpacing: true,
      MissingSlices: 1,
      Folder: 'mr'
    });
    expect(series.find(s => s.Modality === 'CT')).toMatchObject({
      InstanceCount: 3,
      UnevenSpacing: false,
      MissingSlices: 0
    });
    const quality = readTable(dest, 'quality');
    expect(quality.map(q => `${q.DicomFile} ${q.Issue}`).sort()).toEqual([
      'mr/cut.dcm unreadable',
      'mr/zz-copy.dcm duplicateSOPInstanceUID',
      'notes.txt notDicom'
    ]);
    const meta = JSON.parse(readFileSync(join(dest, 'catalog.json'), 'utf8'));
    expect(meta.deidentification).toMatchObject({ name: 'retain-dates', version: 'radlab-deid-1' });
  });

  it('leaves no PHI in any output and pseudonymizes consistently (basic)', async () => {
    const dest = join(dir, 'basic');
    const logs: string[] = [];
    await harvest({
      source: folderSource(join(dir, 'src')),
      dest,
      deid: deid('basic'),
      onProgress: p => logs.push(JSON.stringify(p))
    });
    const text = allText(dest) + logs.join('\n');
    for (const phi of PHI) expect(text.includes(phi), phi).toBe(false);
    expect(text.includes('1.2.826.0.1.3680043.8.498')).toBe(false);
    const studies = readTable(dest, 'studies');
    const series = readTable(dest, 'series');
    expect(new Set(series.map(s => s.PatientID)).size).toBe(1);
    expect(series[0].PatientID).toBe(studies[0].PatientID);
    expect(series.find(s => s.Modality === 'MR')!.SeriesDescription).toBe('T1 AX X X');
    // dates shifted back by the patient's offset, the same for both series
    expect(new Set(series.map(s => s.StudyDate)).size).toBe(1);
    expect(series[0].StudyDate).toBeLessThan(Date.UTC(2020, 2, 15));
  });

  it('re-reads only changed files and resumes a crashed run without duplicates', async () => {
    const dest = join(dir, 'incremental');
    const source = folderSource(join(dir, 'src'));
    await harvest({ source, dest, deid: deid('basic') });
    const written = readFileSync(join(dest, 'catalog.json'), 'utf8');
    const again = await harvest({ source, dest, deid: deid('basic') });
    expect(again.read).toBe(0);
    // nothing changed: the catalog is not rewritten
    expect(readFileSync(join(dest, 'catalog.json'), 'utf8')).toBe(written);
    expect(again.instances).toBe(8);
    // a crash of a first run: the state file ends in a torn line, some files were never reached and
    // no catalog was written (a complete catalog of the same files is kept as it is, unread)
    rmSync(join(dest, 'catalog.json'));
    const state = join(dest, '.harvest-state.jsonl');
    const lines = readFileSync(state, 'utf8').split('\n').filter(Boolean);
    writeFileSync(state, lines.slice(0, 5).join('\n') + '\n');
    appendFileSync(state, lines[5].slice(0, 20));
    const resumed = await harvest({ source, dest, deid: deid('basic') });
    expect(resumed.read).toBe(7);
    expect(resumed.instances).toBe(8);
    const uids = readTable(dest, 'instances').map(r => r.SOPInstanceUID);
    expect(new Set(uids).size).toBe(uids.length);
  });

  // the real local Drill (started by the stack before the unit tests) reads the catalog as written
  it('is queried by Drill with typed columns and partition folders', async () => {
    const dest = join(dir, 'drill');
    await harvest({ source: folderSource(join(dir, 'src')), dest, deid: deid('basic') });
    const sql = (query: string) =>
      fetch(`${DRILL}/query.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ queryType: 'SQL', query, autoLimit: 100 })
      }).then(
        r =>
          r.json() as Promise<{
            queryState: string;
            rows: Record<string, unknown>[];
            metadata: string[];
          }>
      );
    const counts = await sql(
      `SELECT Modality, COUNT(*) AS n FROM dfs.root.\`${dest}/series\` GROUP BY Modality ORDER BY Modality`
    );
    expect(counts.queryState).toBe('COMPLETED');
    expect(counts.rows).toEqual([
      { Modality: 'CT', n: 1 },
      { Modality: 'MR', n: 1 }
    ]);
    const mr = await sql(
      `SELECT StudyDate, SliceThickness, UnevenSpacing, MissingSlices, TotalSize, dir0 FROM dfs.root.\`${dest}/series\` WHERE dir0 = 'MR' AND SliceThickness <= 1`
    );
    expect(mr.metadata).toEqual(['DATE', 'FLOAT8', 'BIT', 'INT', 'BIGINT', 'VARCHAR']);
    expect(mr.rows).toHaveLength(1);
    expect(mr.rows[0]).toMatchObject({
      SliceThickness: 0.9,
      UnevenSpacing: true,
      MissingSlices: 1
    });
    // orientation is a LIST of DOUBLE: Drill's array, indexable in SQL
    const iop = await sql(
      `SELECT t.ImageOrientationPatient AS iop, t.ImageOrientationPatient[4] AS colY, t.DicomFile AS f FROM dfs.root.\`${dest}/instances\` t WHERE dir0 = 'CT' ORDER BY t.DicomFile LIMIT 1`
    );
    expect(iop.queryState).toBe('COMPLETED');
    // the file's own column (Drill's implicit `filepath` would have shadowed a FilePath)
    expect(iop.rows[0]).toEqual({ iop: [1, 0, 0, 0, 1, 0], colY: 1, f: 'ct/c1.dcm' });
  }, 60_000);
});
