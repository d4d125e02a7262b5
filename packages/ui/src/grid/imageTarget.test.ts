import { describe, expect, it } from 'vitest';
import {
  catalogLocation,
  imageTarget,
  locateImages,
  pacsLocation,
  targetFolder
} from './imageTarget.js';

describe('imageTarget', () => {
  it('finds DICOM and NIfTI paths, catalog folders and series UIDs', () => {
    expect(imageTarget('path', '/data/ct/slice1.dcm')).toMatchObject({
      kind: 'file',
      format: 'dicom',
      path: '/data/ct/slice1.dcm'
    });
    expect(imageTarget('file', 'brain/T1.nii.gz')).toMatchObject({ kind: 'file', format: 'nifti' });
    expect(imageTarget('x', 'a.HDR')).toMatchObject({ format: 'nifti' });
    // the catalog's DicomFile has no extension rule: any path there is a DICOM file
    expect(imageTarget('DicomFile', 'p1/T1/0001')).toMatchObject({ kind: 'file', format: 'dicom' });
    expect(imageTarget('Folder', 'p1/T1')).toMatchObject({ kind: 'folder', path: 'p1/T1' });
    expect(imageTarget('SeriesInstanceUID', '2.25.3319')).toMatchObject({
      kind: 'series',
      seriesInstanceUid: '2.25.3319'
    });
    expect(imageTarget('seriesinstanceuid', ' 1.2.840.10008.5.1 ')).toMatchObject({
      seriesInstanceUid: '1.2.840.10008.5.1'
    });
  });

  it('leaves other cells alone', () => {
    for (const [column, value] of [
      ['name', 'Knee MRI'],
      ['path', '/data/notes.txt'],
      ['DicomFile', 'no-slash'],
      ['url', 'https://host/a.dcm'],
      ['SeriesInstanceUID', 'not.a.uid'],
      ['SeriesInstanceUID', '1.02.3'],
      ['SeriesInstanceUID', '1.' + '2'.repeat(70)],
      ['StudyInstanceUID', '1.2.3'],
      ['path', 'a.dcm\nb.dcm'],
      ['id', 42],
      ['Folder', null]
    ] as [string, unknown][])
      expect(imageTarget(column, value), `${column}=${String(value)}`).toBeUndefined();
  });

  it('says which folder a target is in, from the row when it can', () => {
    expect(targetFolder(imageTarget('DicomFile', 'p/T1/1.dcm')!)).toBe('p/T1');
    expect(targetFolder(imageTarget('Folder', 'p/T1')!)).toBe('p/T1');
    expect(targetFolder(imageTarget('SeriesInstanceUID', '2.25.1', { Folder: 'p/CT' })!)).toBe(
      'p/CT'
    );
    expect(
      targetFolder(imageTarget('SeriesInstanceUID', '2.25.1', { DicomFile: 'q/MR/7.dcm' })!)
    ).toBe('q/MR');
    expect(targetFolder(imageTarget('SeriesInstanceUID', '2.25.1')!)).toBeUndefined();
  });

  it('makes catalog paths absolute and refuses de-identified ones', () => {
    expect(catalogLocation('/data/exports/', 'p1/T1')).toEqual({ path: '/data/exports/p1/T1' });
    expect(catalogLocation('/data', '/abs/x.dcm')).toEqual({ path: '/abs/x.dcm' });
    expect(catalogLocation(undefined, 'p1/T1')).toEqual({ path: 'p1/T1' });
    expect(catalogLocation('/data', '~0123456789abcdef/T1')).toHaveProperty('error');
  });
});

describe('locateImages', () => {
  const catalog = (folder: string | null = 'p1/T1') => {
    const asked: string[] = [];
    const query = (sql: string): Promise<unknown[][]> => {
      asked.push(sql);
      if (sql.includes('catalog.json')) return Promise.resolve([['/data/exports']]);
      return Promise.resolve(folder === null ? [] : [[folder]]);
    };
    return { asked, query };
  };

  it('opens a catalog row as its series folder under the catalog source', async () => {
    const { asked, query } = catalog();
    const t = imageTarget('SeriesInstanceUID', '2.25.7')!;
    expect(await locateImages(t, query)).toEqual({ kind: 'folder', path: '/data/exports/p1/T1' });
    expect(asked).toEqual([
      "SELECT Folder FROM dfs.catalog.series WHERE SeriesInstanceUID = '2.25.7' LIMIT 1",
      'SELECT source FROM dfs.catalog.`catalog.json`'
    ]);
    const file = imageTarget('DicomFile', 'p1/T1/3.dcm', { DicomFile: 'p1/T1/3.dcm' })!;
    expect(await locateImages(file, query)).toEqual({
      kind: 'folder',
      path: '/data/exports/p1/T1'
    });
  });

  it('opens a path outside the catalog as the file, without asking Drill', async () => {
    const { asked, query } = catalog();
    expect(await locateImages(imageTarget('path', '/x/brain.nii.gz')!, query)).toEqual({
      kind: 'file',
      format: 'nifti',
      path: '/x/brain.nii.gz'
    });
    expect(await locateImages(imageTarget('path', 'rel/a.dcm')!, query)).toEqual({
      kind: 'file',
      format: 'dicom',
      path: 'rel/a.dcm'
    });
    expect(asked).toEqual([]);
  });

  it('says what is wrong instead of throwing', async () => {
    const missing = catalog(null);
    expect(await locateImages(imageTarget('SeriesInstanceUID', '2.25.8')!, missing.query)).toEqual({
      error: 'Series 2.25.8 is not in dfs.catalog.series.'
    });
    expect(await locateImages(imageTarget('SeriesInstanceUID', '2.25.8')!)).toHaveProperty('error');
    const failing = (): Promise<unknown[][]> => Promise.reject(new Error('Drill is down'));
    expect(await locateImages(imageTarget('SeriesInstanceUID', '2.25.8')!, failing)).toEqual({
      error: 'The catalog could not be read: Drill is down'
    });
    const hidden = catalog('~0123456789abcdef/T1');
    expect(
      await locateImages(imageTarget('SeriesInstanceUID', '2.25.8')!, hidden.query)
    ).toHaveProperty('error');
  });
});

describe('pacsLocation', () => {
  it('reads a PACS catalog location, and nothing else', () => {
    expect(
      pacsLocation('pacs:local-pacs/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5')
    ).toEqual({ connection: 'local-pacs', study: '1.2.3', series: '1.2.3.4' });
    expect(pacsLocation('pacs:a/studies/1.2/series/3.4')).toEqual({
      connection: 'a',
      study: '1.2',
      series: '3.4'
    });
    expect(pacsLocation('/srv/pacs:a/studies/1.2/series/3.4')).toBeUndefined();
    expect(pacsLocation('pacs:a/studies/1.2/series/3.4x')).toBeUndefined();
    expect(pacsLocation('pacs:/studies/1.2/series/3.4')).toBeUndefined();
  });
});
