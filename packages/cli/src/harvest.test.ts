// `radlab harvest` as a user runs it (the built CLI, spawned): files made by dcmtk (img2dcm +
// dcmodify) with patient data in their headers, in a folder named after the patient, beside the
// imaging fuzz cases (truncated, flipped and cut-length headers, non-DICOM files, missing tags, a
// duplicate SOP Instance UID). The run never stops on them: each is a quality row naming its file,
// every other file is an instance, and no patient's name reaches any byte the catalog or the
// command writes (stdout, stderr, tables, catalog.json, the state file).
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from './testing/cli.js';
import { catalogTable, everyByte } from './testing/catalog.js';

const HAVE_DCMTK = existsSync('/usr/bin/img2dcm') && existsSync('/usr/bin/dcmodify');
const PHI = ['DOE', 'JOHN', 'MRN12345', '19600101', 'ACC999', 'Main Street'];

const work = mkdtempSync(join(tmpdir(), 'radlab-harvest-cli-'));
const src = join(work, 'exports');
const env = { RADLAB_CATALOG_KEY_FILE: join(work, 'catalog.key') };

function bmp(): Buffer {
  const w = 8;
  const data = Buffer.alloc(w * w * 3, 0x40);
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

/** mulberry32, seeded: the same mutations every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The tree: <patient folder>/<series>/…, plus the bad files. Returns the bad files' paths. */
function makeTree(): { fuzz: string[] } {
  const patient = join(src, 'DOE_JOHN_19600101');
  mkdirSync(join(patient, 'T1'), { recursive: true });
  writeFileSync(join(work, 'img.bmp'), bmp());
  const make = (file: string, tags: string[], erase: string[] = []): void => {
    execFileSync('img2dcm', ['-q', '-i', 'BMP', join(work, 'img.bmp'), file]);
    execFileSync('dcmodify', ['-q', '-nb', ...tags.flatMap(t => ['-i', t]), file]);
    if (erase.length)
      execFileSync('dcmodify', ['-q', '-nb', ...erase.flatMap(t => ['-ea', t]), file]);
  };
  const tags = (z: number, series = '11'): string[] => [
    '(0010,0010)=DOE^JOHN',
    '(0010,0020)=MRN12345',
    '(0010,0030)=19600101',
    '(0010,1040)=1 Main Street',
    '(0008,0050)=ACC999',
    '(0008,0020)=20200315',
    '(0008,0060)=MR',
    '(0008,103E)=T1 AX',
    '(0018,0050)=0.9',
    '(0028,0030)=0.5\\0.5',
    '(0020,0037)=1\\0\\0\\0\\1\\0',
    `(0020,0032)=0\\0\\${z}`,
    `(0020,0013)=${z}`,
    '(0020,000D)=1.2.826.0.1.3680043.8.498.10',
    `(0020,000E)=1.2.826.0.1.3680043.8.498.${series}`,
    `(0008,0018)=1.2.826.0.1.3680043.8.498.${series}.${z}`
  ];
  for (const z of [1, 2, 3, 4]) make(join(patient, 'T1', `DOE_JOHN_${z}.dcm`), tags(z));
  const good = readFileSync(join(patient, 'T1', 'DOE_JOHN_1.dcm'));
  const bad = join(src, 'bad');
  mkdirSync(bad);
  const fuzz: string[] = [];
  const put = (name: string, bytes: Uint8Array | string): void => {
    writeFileSync(join(bad, name), bytes);
    fuzz.push(`bad/${name}`);
  };
  // missing tags: no SeriesInstanceUID (not an instance), no Modality (an instance, reported)
  make(join(bad, 'no-series.dcm'), tags(5), ['(0020,000E)']);
  fuzz.push('bad/no-series.dcm');
  make(join(bad, 'no-modality.dcm'), tags(6, '12'), ['(0008,0060)']);
  // a duplicate SOP Instance UID (a copy under another name)
  copyFileSync(join(patient, 'T1', 'DOE_JOHN_2.dcm'), join(bad, 'copy.dcm'));
  put('notes.txt', 'DOE JOHN called about his scan\n');
  put(
    'random.dcm',
    new Uint8Array(4096).map((_, i) => (i * 7919) % 251)
  );
  put('empty.dcm', new Uint8Array(0));
  put('preamble-only.dcm', good.subarray(0, 132));
  put('cut-in-meta.dcm', good.subarray(0, 200));
  put('cut-in-header.dcm', good.subarray(0, Math.floor(good.length / 3)));
  // the imaging fuzz mutations of a real header: bytes flipped, lengths set to extremes
  const rnd = prng(0x5eed_2024);
  for (let k = 0; k < 24; k++) {
    const b = good.slice();
    if (k % 2 === 0) {
      for (let n = 0; n < 1 + (k % 7); n++)
        b[132 + Math.floor(rnd() * (b.length - 132))] = Math.floor(rnd() * 256);
    } else {
      const at = 132 + Math.floor(rnd() * (b.length - 140));
      b.writeUInt32LE([0, 0xffff, 0x7fffffff, 0xffffffff][k % 4], at);
    }
    put(`fuzz-${k}.dcm`, b);
  }
  return { fuzz };
}

describe.skipIf(!HAVE_DCMTK)('radlab harvest (the CLI)', () => {
  let fuzz: string[] = [];
  beforeAll(() => {
    buildCli();
    fuzz = makeTree().fuzz;
  }, 120_000);

  it('catalogs a folder with broken files: every file an instance or a quality row', async () => {
    const dest = join(work, 'catalog');
    const run = await runCli(['harvest', src, '--into', dest, '--json'], { home: work, env });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      files: number;
      read: number;
      instances: number;
      quality: Record<string, number>;
    };
    // the four good files, no-modality and the copy, and every file of `fuzz` (no-series among them)
    const total = 4 + 2 + fuzz.length;
    expect(summary).toMatchObject({ files: total, read: total });
    const instances = await catalogTable(dest, 'instances');
    const quality = await catalogTable(dest, 'quality');
    expect(summary.instances).toBe(instances.length);
    // the four good files, the one without Modality; the copy is a duplicate, not an instance
    expect(instances.length).toBeGreaterThanOrEqual(5);
    const issues = (name: string): string[] =>
      quality.filter(q => String(q.DicomFile) === `bad/${name}`).map(q => String(q.Issue));
    expect(issues('notes.txt')).toEqual(['notDicom']);
    expect(issues('random.dcm')).toEqual(['notDicom']);
    expect(issues('empty.dcm')).toEqual(['notDicom']);
    expect(issues('cut-in-meta.dcm').length).toBe(1);
    expect(['unreadable', 'missingTag']).toContain(issues('cut-in-header.dcm')[0]);
    expect(issues('no-series.dcm')).toEqual(['missingTag']);
    expect(quality.find(q => q.DicomFile === 'bad/no-series.dcm')?.Detail).toBe(
      'SeriesInstanceUID is missing.'
    );
    expect(issues('no-modality.dcm')).toEqual(['missingTag']);
    // the copy and its original: the first by catalog path is kept, the other reported
    expect(quality.filter(q => q.Issue === 'duplicateSOPInstanceUID')).toHaveLength(1);
    // each fuzz case is an instance or named in the quality table, and the summary counts them
    const instancePaths = new Set(instances.map(r => String(r.DicomFile)));
    for (const f of fuzz.filter(f => f.includes('fuzz-')))
      expect(instancePaths.has(f) || issues(f.slice(4)).length > 0, f).toBe(true);
    const counted = Object.values(summary.quality).reduce((a, b) => a + b, 0);
    expect(counted).toBe(quality.length);
    expect(run.stdout + run.stderr).not.toMatch(/DOE|JOHN|MRN12345|19600101/);
  });

  it('stores orientation and position as numeric lists', async () => {
    const dest = join(work, 'catalog');
    const instances = await catalogTable(dest, 'instances');
    const good = instances.filter(r => String(r.SeriesDescription) === 'T1 AX');
    expect(good.length).toBeGreaterThanOrEqual(4);
    for (const r of good) {
      expect(r.ImageOrientationPatient).toEqual([1, 0, 0, 0, 1, 0]);
      expect(r.ImagePositionPatient).toEqual([0, 0, expect.any(Number)]);
    }
    const series = await catalogTable(dest, 'series');
    const t1 = series.find(s => s.SeriesDescription === 'T1 AX');
    expect(t1?.ImageOrientationPatient).toEqual([1, 0, 0, 0, 1, 0]);
    expect(t1).toMatchObject({ SliceSpacing: 1, UnevenSpacing: false });
  });

  it('keeps a folder or file named after the patient out of DicomFile', async () => {
    const dest = join(work, 'catalog');
    const rows = [
      ...(await catalogTable(dest, 'instances')),
      ...(await catalogTable(dest, 'quality'))
    ];
    const t1 = [...new Set(rows.map(r => String(r.DicomFile)))].filter(p => !p.startsWith('bad/'));
    expect(t1).toHaveLength(4);
    for (const p of t1) {
      // <stand-in of DOE_JOHN_19600101>/T1/<stand-in of DOE_JOHN_n>.dcm: relative, extension kept
      expect(p).toMatch(/^~[0-9a-f]{16}\/T1\/~[0-9a-f]{16}\.dcm$/);
    }
    expect(new Set(t1.map(p => p.split('/')[0])).size).toBe(1);
    const series = await catalogTable(dest, 'series');
    // the T1 series' files: three under the patient's folder, the copy under bad/
    expect(series.find(s => s.SeriesDescription === 'T1 AX')?.Folder).toBe('');
    const text = everyByte(dest);
    for (const phi of PHI) expect(text, phi).not.toContain(phi);
    // the source folder is recorded once, in catalog.json (to open rows from), and nowhere else
    const meta = JSON.parse(readFileSync(join(dest, 'catalog.json'), 'utf8')) as { source: string };
    expect(meta.source).toBe(src);
    expect(text.split(src).length - 1).toBe(1);
  });

  it('re-runs without reading, and answers usage errors with 2', async () => {
    const dest = join(work, 'catalog');
    const again = await runCli(['harvest', src, '--into', dest, '--json'], { home: work, env });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ read: 0 });
    const text = await runCli(['harvest', src, '--into', dest], { home: work, env });
    expect(text.stdout).toMatch(/0 read, \d+ unchanged/);
    expect(text.stdout).toMatch(/quality: .*notDicom.*\(see the quality table\)/);
    // a program running the command reads its progress as JSON lines
    const json = await runCli(
      ['harvest', src, '--into', join(work, 'progress'), '--json', '--progress', 'json'],
      { home: work, env }
    );
    expect(json.code, json.stderr).toBe(0);
    const lines = json.stderr
      .trim()
      .split('\n')
      .map(l => JSON.parse(l) as { files: number; total: number });
    expect(lines.at(-1)).toMatchObject({ files: 37, total: 37 });
    expect(lines[0]!.total).toBe(37);
    const badProgress = await runCli(['harvest', src, '--into', dest, '--progress', 'bar'], {
      home: work,
      env
    });
    expect(badProgress.code).toBe(2);
    const notFolder = await runCli(['harvest', join(work, 'nowhere'), '--into', dest], {
      home: work,
      env
    });
    expect(notFolder.code).toBe(2);
    expect(notFolder.stderr).toContain('is not a folder');
    const profile = await runCli(['harvest', src, '--into', dest, '--profile', 'none'], {
      home: work,
      env
    });
    expect(profile.code).toBe(2);
    expect(profile.stderr).toContain('--profile is basic or retain-dates');
    const missing = await runCli(['harvest', src], { home: work, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--into');
  });
});
