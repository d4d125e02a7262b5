// Spawns the built CLI (bin/radlab.js) on the shared imaging vectors and on fixtures made by
// fixtures.py; `--raw` output is compared byte for byte with ground truth computed independently
// by pydicom / nibabel / numpy (and a JPEG 2000 copy of the CT series encoded by gdcm).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureVectors } from '../../../imaging/src/testing/vectors.js';
import { buildCli, type CliRun, REPO_ROOT, runCli } from '../testing/cli.js';

const PHI = ['Roe^Richard', 'CT-PID-4242', '19600229', 'ACC-CT-77', 'Radlab Test Hospital'];

let dir = '';
let vectors = '';
let truth: Record<string, { file: string; width: number; height: number }> = {};

function radlab(args: string[]): Promise<CliRun> {
  return runCli(['imaging', ...args], { home: dir });
}

let outCount = 0;

/** Runs `slice ... --raw OUT` and returns the bytes written. */
async function raw(path: string, args: string[]): Promise<Buffer> {
  const out = join(dir, `out-${outCount++}.raw`);
  const run = await radlab(['slice', path, ...args, '--raw', out]);
  expect(run.stderr).not.toMatch(/radlab imaging: (?!warning|the folder)/);
  expect(run.code).toBe(0);
  return readFileSync(out);
}

function expected(name: string): Buffer {
  const t = truth[name];
  if (!t) throw new Error(`no ground truth ${name}`);
  return readFileSync(t.file);
}

beforeAll(() => {
  buildCli();
  vectors = ensureVectors();
  dir = mkdtempSync(join(tmpdir(), 'radlab-cli-imaging-'));
  const manifest = execFileSync(
    join(REPO_ROOT, '.venv/bin/python'),
    [fileURLToPath(new URL('./fixtures.py', import.meta.url)), dir, vectors],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }
  );
  truth = JSON.parse(manifest) as typeof truth;
}, 120_000);

describe('radlab imaging slice --raw is bit-exact', { timeout: 60_000 }, () => {
  it('counts a series folder in patient-position order, not file or instance order', async () => {
    for (const k of [0, 3, 5]) {
      expect(await raw(join(dir, 'ct'), ['--index', String(k)])).toEqual(
        expected(`ct_native_${k}`)
      );
    }
  });

  it('decodes a JPEG 2000 series (gdcm) to the same stored values', async () => {
    expect(await raw(join(dir, 'ct_j2k'), ['--index', '3'])).toEqual(expected('ct_native_3'));
  });

  it('reslices axial, coronal and sagittal (radiological display)', async () => {
    for (const folder of ['ct', 'ct_j2k']) {
      const path = join(dir, folder);
      expect(await raw(path, ['--index', '2', '--axis', 'axial'])).toEqual(expected('ct_axial_2'));
      expect(await raw(path, ['--index', '5', '--axis', 'coronal'])).toEqual(
        expected('ct_coronal_5')
      );
      expect(await raw(path, ['--index', '7', '--axis', 'sagittal'])).toEqual(
        expected('ct_sagittal_7')
      );
    }
  });

  it('takes --index as the frame of a multi-frame file', async () => {
    expect(await raw(join(dir, 'multiframe.dcm'), ['--index', '2'])).toEqual(
      expected('multiframe_2')
    );
  });

  it('writes single DICOM files at their own sample width, masked and sign-extended', async () => {
    for (const name of [
      'u16_explicit_le',
      'u16_bs12_garbage',
      's12_garbage',
      's16_explicit_le',
      'u8_explicit_le',
      'rgb8_planar0',
      'rgb8_planar1',
      'u16_explicit_be'
    ]) {
      const got = await raw(join(vectors, 'dicom', `${name}.dcm`), ['--index', '0']);
      expect(got, name).toEqual(expected(`dicom_${name}`));
    }
    // Compressed syntaxes encoded by gdcm: the same stored values as their sources.
    for (const [file, source] of [
      ['u16_j2k', 'u16_explicit_le'],
      ['u16_jpegls', 'u16_explicit_le'],
      ['u16_rle', 'u16_explicit_le'],
      ['s16_jpeg_lossless', 's16_explicit_le'],
      ['rgb8_jpegls', 'rgb8_planar0']
    ]) {
      const got = await raw(join(vectors, 'dicom', `${file}.dcm`), ['--index', '0']);
      expect(got, file).toEqual(expected(`dicom_${source}`));
    }
  });

  it('slices NIfTI by the third voxel index in file order, 4-D by --frame', async () => {
    for (const [name, k, t] of [
      ['int16_scl.nii', 4, 0],
      ['int16_scl.nii.gz', 1, 0],
      ['float32_4d.nii.gz', 1, 4],
      ['int16_nifti2.nii', 5, 0],
      ['float32.nii', 2, 0],
      ['rgb24.nii', 0, 0]
    ] as const) {
      const got = await raw(join(vectors, 'nifti', name), [
        '--index',
        String(k),
        '--frame',
        String(t + 1)
      ]);
      expect(got, name).toEqual(expected(`nifti_${name}_${k}_${t}`));
    }
  });

  it('reslices NIfTI like nibabel through the closest canonical orientation', async () => {
    const path = join(vectors, 'nifti', 'int16_scl.nii');
    const counts = { axial: 6, coronal: 4, sagittal: 5 };
    for (const [axis, count] of Object.entries(counts)) {
      for (let index = 0; index < count; index++) {
        const got = await raw(path, ['--index', String(index), '--axis', axis]);
        expect(got, `${axis} ${index}`).toEqual(expected(`nifti_reslice_${axis}_${index}`));
      }
    }
  });

  it('reads a .hdr/.img pair', async () => {
    expect(await raw(join(dir, 'pair', 'vol.hdr'), ['--index', '4'])).toEqual(expected('pair_4'));
    expect(await raw(join(dir, 'pair', 'vol.img'), ['--index', '4'])).toEqual(expected('pair_4'));
  });
});

describe('radlab imaging slice --png', { timeout: 60_000 }, () => {
  it('renders through the header window by default and through --window when given', async () => {
    const ct = join(dir, 'ct');
    const a = join(dir, 'a.png');
    const b = join(dir, 'b.png');
    expect((await radlab(['slice', ct, '--index', '2', '--png', a])).code).toBe(0);
    expect(
      (await radlab(['slice', ct, '--index', '2', '--png', b, '--window', '-1024,200'])).code
    ).toBe(0);
    const pa = decode(readFileSync(a));
    const pb = decode(readFileSync(b));
    // 24 columns of 0.6 mm × 16 rows of 0.8 mm: rows stretched to square pixels (16 × 0.8 / 0.6)
    expect([pa.width, pa.height, pa.channels]).toEqual([24, 21, 1]);
    // Slice 2 holds stored -500..-20 → HU -1524..-1044: below the 40/400 window, all black;
    // the window around -1024 spreads them over grey levels.
    expect(Math.max(...pa.data)).toBe(0);
    expect(new Set(pb.data).size).toBeGreaterThan(10);
  });

  it('shows coronal and sagittal planes in true proportions; --raw stays voxel-exact', async () => {
    // 24 × 16 × 6 voxels of 0.6 × 0.8 × 2.5 mm: the coronal plane is 14.4 × 15 mm, the sagittal
    // 12.8 × 15 mm; the PNG's pixels are square at the finer spacing
    const ct = join(dir, 'ct');
    for (const [axis, size, pngSize] of [
      ['coronal', [24, 6], [24, 25]],
      ['sagittal', [16, 6], [16, 19]]
    ] as const) {
      const out = join(dir, `${axis}.png`);
      const run = await radlab(['slice', ct, '--slice', '3', '--axis', axis, '--png', out]);
      expect(run.code, run.stderr).toBe(0);
      const png = decode(readFileSync(out));
      expect([png.width, png.height], axis).toEqual(pngSize);
      expect(run.stderr).toContain(
        `${size[0]} × ${size[1]}, 16-bit; PNG ${pngSize[0]} × ${pngSize[1]}`
      );
      const bytes = await raw(ct, ['--slice', '3', '--axis', axis]);
      expect(bytes.length).toBe(size[0] * size[1] * 2);
    }
  });

  it('writes RGB as RGB', async () => {
    const out = join(dir, 'rgb.png');
    const run = await radlab([
      'slice',
      join(vectors, 'dicom', 'rgb8_planar1.dcm'),
      '--index',
      '0',
      '--png',
      out
    ]);
    expect(run.code).toBe(0);
    const png = decode(readFileSync(out));
    expect(png.channels).toBe(3);
    expect(Buffer.from(png.data as Uint8Array)).toEqual(expected('dicom_rgb8_planar0'));
  });
});

describe('radlab imaging slice numbers from 1', { timeout: 60_000 }, () => {
  it('--slice N is --index N-1, and the status line counts from 1', async () => {
    const ct = join(dir, 'ct');
    expect(await raw(ct, ['--slice', '4'])).toEqual(await raw(ct, ['--index', '3']));
    const first = await radlab(['slice', ct, '--slice', '1', '--raw', join(dir, 's1.raw')]);
    expect(first.stderr).toMatch(/^slice 1 of 6 \(patient-position order\): 24 × 16/);
    const last = await radlab([
      'slice',
      ct,
      '--slice',
      '6',
      '--axis',
      'axial',
      '--raw',
      join(dir, 's6.raw')
    ]);
    expect(last.stderr).toMatch(/^axial slice 6 of 6 /m);
  });

  it('says an out-of-range slice in the numbering the user gave', async () => {
    const ct = join(dir, 'ct');
    const bySlice = await radlab(['slice', ct, '--slice', '7', '--raw', join(dir, 'x.raw')]);
    expect(bySlice.stderr).toMatch(/slice 7 is out of range: the image has 6 slices \(1\.\.6\)/);
    const byIndex = await radlab(['slice', ct, '--index', '6', '--raw', join(dir, 'x.raw')]);
    expect(byIndex.stderr).toMatch(
      /--index 6 is out of range: the image has 6 slices \(index 0\.\.5\)/
    );
    const nifti = join(vectors, 'nifti', 'float32_4d.nii.gz');
    const frame = await radlab([
      'slice',
      nifti,
      '--slice',
      '1',
      '--frame',
      '9',
      '--raw',
      join(dir, 'x.raw')
    ]);
    expect(frame.stderr).toMatch(/frame 9 is out of range: the image has \d+ frames \(1\.\.\d+\)/);
  });
});

describe('radlab imaging info', { timeout: 60_000 }, () => {
  it('summarises a series folder with PHI masked', async () => {
    const run = await radlab(['info', join(dir, 'ct')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/kind\s+DICOM series folder/);
    expect(run.stdout).toMatch(/dims\s+24 × 16 × 6 slice/);
    expect(run.stdout).toMatch(/spacing\s+0\.6 × 0\.8 × 2\.5 mm/);
    expect(run.stdout).toMatch(/orientation\s+i→L j→P k→S, axial/);
    expect(run.stdout).toMatch(/windows\s+C 40 W 400; C -600 W 1500/);
    expect(run.stdout).toMatch(/PatientName\s+\*\*\*/);
    expect(run.stdout).toMatch(/skipped README\.txt/);
    for (const value of PHI) expect(run.stdout + run.stderr).not.toContain(value);
    expect(run.stderr).toBe('');
  });

  it('prints JSON with masked PHI and UIDs', async () => {
    const run = await radlab(['info', '--json', join(dir, 'ct_j2k')]);
    expect(run.code).toBe(0);
    const info = JSON.parse(run.stdout);
    expect(info).toMatchObject({
      kind: 'dicom-series',
      phiMasked: true,
      modality: 'CT',
      dims: [24, 16, 6],
      transferSyntax: { uid: '1.2.840.10008.1.2.4.90', lossy: false, decodable: true },
      rescale: { slope: 1, intercept: -1024 },
      orientation: { axes: 'LPS', plane: 'axial' }
    });
    expect(info.series[0]).toMatchObject({ uid: '***', orderedBy: 'position', warnings: [] });
    for (const value of PHI) expect(run.stdout).not.toContain(value);
  });

  it('shows PHI with --reveal-phi, with a one-line warning on stderr', async () => {
    const run = await radlab(['info', '--reveal-phi', join(dir, 'ct')]);
    expect(run.code).toBe(0);
    for (const value of PHI) expect(run.stdout).toContain(value);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/reveal-phi.*unmasked/);
  });

  it('reports missing slices and several series', async () => {
    const run = await radlab(['info', '--json', join(vectors, 'series')]);
    expect(run.code).toBe(0);
    const info = JSON.parse(run.stdout);
    expect(info.series).toHaveLength(2);
    expect(info.series[1].dims[2]).toBe(7);
    expect(info.series[1].warnings.join(' ')).toMatch(/missing slices: ~1 between slices 5 and 6/);
    expect(info.warnings.join(' ')).toMatch(/2 series/);
  });

  it('describes NIfTI geometry as nibabel does', async () => {
    const path = join(vectors, 'nifti', 'int16_scl.nii.gz');
    const run = await radlab(['info', '--json', path]);
    expect(run.code).toBe(0);
    const info = JSON.parse(run.stdout);
    const nib = JSON.parse(
      execFileSync(join(REPO_ROOT, '.venv/bin/python'), [
        '-c',
        'import sys, json, nibabel as nib; i = nib.load(sys.argv[1]); ' +
          'print(json.dumps({"codes": "".join(nib.aff2axcodes(i.affine)), "zooms": [float(z) for z in i.header.get_zooms()], "shape": list(i.shape)}))',
        path
      ]).toString()
    );
    // Both name the patient direction each voxel axis points to (RAS+ or LPS coordinates alike).
    expect(info.orientation.axes).toBe(nib.codes);
    expect(info.dims).toEqual(nib.shape);
    expect(info.spacing).toEqual(nib.zooms);
    expect(info.rescale).toEqual({ slope: 2, intercept: -10 });
  });
});

describe('radlab imaging errors', { timeout: 60_000 }, () => {
  function oneLine(run: CliRun): void {
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^radlab imaging: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }

  it('a non-DICOM file named .dcm: exit 1, one line', async () => {
    const fake = join(dir, 'fake.dcm');
    writeFileSync(fake, 'hello, I am not a DICOM file\n'.repeat(20));
    const run = await radlab(['info', fake]);
    expect(run.code).toBe(1);
    oneLine(run);
    expect(run.stderr).toMatch(/fake\.dcm: Not a readable DICOM file/);
  });

  it('a truncated DICOM file: says so with its size, exit 1, no PHI in the message', async () => {
    const full = readFileSync(join(dir, 'ct', 'IM0000'));
    const cut = join(dir, 'cut.dcm');
    writeFileSync(cut, full.subarray(0, full.length - 300));
    const run = await radlab(['slice', cut, '--index', '0', '--raw', join(dir, 'cut.raw')]);
    expect(run.code).toBe(1);
    oneLine(run);
    expect(run.stderr).toContain(
      `cut.dcm: The file is truncated (${full.length - 300} of ${full.length} bytes)`
    );
    expect(run.stderr).not.toMatch(/overrun|dicomParser/);
    for (const value of PHI) expect(run.stderr).not.toContain(value);
    // the header is whole: info shows it, with the truncation as a warning
    const info = await radlab(['info', cut]);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/dims\s+24 × 16/);
    expect(info.stdout).toMatch(/warning\s+The file is truncated \(\d+ of \d+ bytes\)/);
  });

  it('a corrupt NIfTI gzip: exit 1', async () => {
    const gz = readFileSync(join(vectors, 'nifti', 'int16_scl.nii.gz'));
    const bad = join(dir, 'bad.nii.gz');
    writeFileSync(bad, gz.subarray(0, 40));
    const run = await radlab(['info', bad]);
    expect(run.code).toBe(1);
    oneLine(run);
  });

  it('a folder without DICOM images: exit 1', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    copyFileSync(join(dir, 'ct', 'README.txt'), join(empty, 'README.txt'));
    const run = await radlab(['info', empty]);
    expect(run.code).toBe(1);
    oneLine(run);
    expect(run.stderr).toMatch(/no DICOM images/);
  });

  it('usage errors: exit 2', async () => {
    const ct = join(dir, 'ct');
    for (const args of [
      ['info', join(dir, 'no-such-file.dcm')],
      ['slice', ct, '--index', '6', '--raw', join(dir, 'x.raw')],
      ['slice', ct, '--index', '0'],
      ['slice', ct, '--index', '0', '--frame', '2', '--raw', join(dir, 'x.raw')],
      ['slice', ct, '--slice', '7', '--raw', join(dir, 'x.raw')],
      ['slice', ct, '--slice', '1', '--index', '0', '--raw', join(dir, 'x.raw')],
      ['slice', ct, '--raw', join(dir, 'x.raw')],
      ['slice', ct, '--index', '0', '--series', '2', '--raw', join(dir, 'x.raw')],
      ['slice', ct, '--index', '24', '--axis', 'sagittal', '--raw', join(dir, 'x.raw')]
    ]) {
      const run = await radlab(args);
      expect(run.code, args.join(' ')).toBe(2);
      oneLine(run);
    }
  });
});
