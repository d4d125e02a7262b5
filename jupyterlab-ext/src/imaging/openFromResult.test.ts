import { describe, expect, it, vi } from 'vitest';
import { imageTarget } from '@radlab/ui';
import { openTarget, serverPath, setImageOpener, viewerOption } from './openFromResult.js';

describe('Open in viewer (lab)', () => {
  it('names absolute paths relative to the server root, and refuses those outside it', () => {
    expect(serverPath('/home/u/data/p1', '/home/u')).toBe('data/p1');
    expect(serverPath('/home/u', '/home/u/')).toBe('');
    expect(serverPath('/other/p1', '/home/u')).toBeUndefined();
    expect(serverPath('/home/user2/x', '/home/u')).toBeUndefined();
    expect(serverPath('rel/p1', '/home/u')).toBe('rel/p1');
    expect(serverPath('/home/u/x', '~/work')).toBeUndefined();
  });

  it('opens a catalog series as its folder, on the result connection', async () => {
    const openFolder = vi.fn();
    const query = vi.fn(
      () => async (sql: string) => (sql.includes('catalog.json') ? [['/srv/exports']] : [['p1/T1']])
    );
    const error = vi.fn();
    const deps = { query, openFolder, openFile: vi.fn(), error, root: '/srv' };
    await openTarget(imageTarget('SeriesInstanceUID', '2.25.5')!, 'local-drill', deps);
    expect(query).toHaveBeenCalledWith('local-drill');
    expect(error).not.toHaveBeenCalled();
    expect(openFolder).toHaveBeenCalledWith('exports/p1/T1');
    await openTarget(imageTarget('SeriesInstanceUID', '2.25.5')!, 'local-drill', {
      ...deps,
      root: '/home/u'
    });
    expect(error).toHaveBeenCalledWith(
      "/srv/exports/p1/T1 is outside the Jupyter server's root folder."
    );
  });

  it('opens a relative NIfTI path as a file, and says what went wrong', async () => {
    const openFile = vi.fn();
    const error = vi.fn();
    const deps = { query: () => undefined, openFolder: vi.fn(), openFile, error };
    await openTarget(imageTarget('path', 'data/brain.nii.gz')!, undefined, deps);
    expect(openFile).toHaveBeenCalledWith('data/brain.nii.gz');
    await openTarget(imageTarget('SeriesInstanceUID', '2.25.5')!, undefined, deps);
    expect(error).toHaveBeenCalledWith('Open in viewer needs the catalog: no Drill connection.');
  });

  it('opens a row of a catalog harvested from a PACS with WADO-RS, on its connection', async () => {
    const openPacs = vi.fn();
    const openFolder = vi.fn();
    const query = () => async (sql: string) =>
      sql.includes('catalog.json') ? [['pacs:local-pacs']] : [];
    const deps = { query, openFolder, openFile: vi.fn(), openPacs, error: vi.fn() };
    const file = 'studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5';
    await openTarget(imageTarget('DicomFile', file, { DicomFile: file })!, 'local-drill', deps);
    expect(openPacs).toHaveBeenCalledWith('local-pacs', '1.2.3', '1.2.3.4');
    expect(openFolder).not.toHaveBeenCalled();
    const error = vi.fn();
    await openTarget(imageTarget('Folder', 'studies/1.2.3/series/1.2.3.4/instances')!, 'd', {
      ...deps,
      openPacs: undefined,
      error
    });
    expect(error).toHaveBeenCalledWith('This series is on a PACS, which this viewer cannot open.');
  });

  it('offers the Viewer option only once the imaging plugin set its opener', () => {
    setImageOpener(undefined);
    expect(viewerOption(() => 'c')).toEqual({});
    const open = vi.fn();
    setImageOpener(open);
    const option = viewerOption(() => 'c') as { onOpenInViewer: (t: unknown) => void };
    option.onOpenInViewer(imageTarget('Folder', 'p1')!);
    expect(open).toHaveBeenCalledWith(expect.objectContaining({ kind: 'folder' }), 'c');
    setImageOpener(undefined);
  });
});
