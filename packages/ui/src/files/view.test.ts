// @vitest-environment jsdom
// The browser view on a folder listing fed page by page (a stand-in client that pages like a
// NameNode: 1000 a page); the listing itself is tested against the real HDFS in listing.test.ts.
import { RadlabError, type FileStatus, type FilesClient, type ListPage } from '@radlab/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FolderListing } from './listing.js';
import { FILE_ROW_HEIGHT, FileBrowserView } from './view.js';

function entry(dir: string, name: string, type: FileStatus['type'] = 'file'): FileStatus {
  return {
    name,
    path: `${dir}/${name}`,
    type,
    size: 1234,
    modified: Date.UTC(2026, 11, 2, 6, 41),
    owner: 'radlab',
    group: 'radlab',
    permission: '644'
  };
}

/** Pages of `count` entries; the next page waits for `release()` (to look between pages). */
function pagedClient(count: number, perPage = 1000) {
  let release: () => void = () => undefined;
  const client: Pick<FilesClient, 'pages'> = {
    async *pages(path: string): AsyncIterable<ListPage> {
      if (path === '/denied') {
        throw new RadlabError({
          code: 'forbidden',
          service: 'files',
          message: 'LISTSTATUS_BATCH /denied: Permission denied (AccessControlException)',
          hint: 'This user may not do that here.'
        });
      }
      if (path.endsWith('/sub')) {
        yield { entries: [entry(path, '<b>x</b>.txt')], remaining: 0 };
        return;
      }
      for (let at = 0; at < count; at += perPage) {
        const entries = [];
        for (let i = at; i < Math.min(count, at + perPage); i++) {
          entries.push(
            i === 0
              ? entry(path, 'sub', 'directory')
              : entry(path, `file-${String(i).padStart(6, '0')}.json`)
          );
        }
        yield { entries, remaining: Math.max(0, count - at - perPage) };
        if (at + perPage < count) await new Promise<void>(r => (release = r));
      }
    }
  };
  return { client, release: () => release() };
}

const tick = () => new Promise(r => setTimeout(r, 0));

describe('FileBrowserView', () => {
  let view: FileBrowserView | undefined;
  afterEach(() => {
    view?.dispose();
    document.body.replaceChildren();
  });

  function mount(client: Pick<FilesClient, 'pages'>, path = '/user/radlab/many') {
    const host = document.createElement('div');
    document.body.append(host);
    const listing = new FolderListing(client, path);
    const onOpen = vi.fn();
    view = new FileBrowserView(host, listing, { onOpen });
    const scroller = host.querySelector('.rl-Files-scroller') as HTMLElement;
    Object.defineProperty(scroller, 'clientHeight', { value: 480, configurable: true });
    return { host, listing, onOpen, scroller };
  }

  it('shows the first page of a 100,000-entry folder before the rest, with few rows in the DOM', async () => {
    const { client, release } = pagedClient(100_000);
    const { host, listing } = mount(client);
    void listing.open();
    await tick();
    const status = host.querySelector('.rl-Files-status')?.textContent;
    expect(status).toBe('1,000 of 100,000 loaded…');
    const rows = host.querySelectorAll('.rl-Files-row');
    expect(rows.length).toBeLessThan(60);
    expect(rows[1]?.querySelector('.rl-Files-name')?.textContent).toBe('file-000001.json');
    for (let i = 0; i < 99; i++) {
      release();
      await tick();
    }
    await tick();
    expect(host.querySelector('.rl-Files-status')?.textContent).toBe('100,000 entries');
    expect((host.querySelector('.rl-Files-spacer') as HTMLElement).style.height).toBe(
      `${100_000 * FILE_ROW_HEIGHT}px`
    );
    expect(host.querySelectorAll('.rl-Files-row').length).toBeLessThan(60);
  });

  it('renders the rows of the scroll position only', async () => {
    const { client, release } = pagedClient(5000);
    const { host, listing, scroller } = mount(client);
    const done = listing.open();
    for (let i = 0; i < 5; i++) {
      await tick();
      release();
    }
    await done;
    scroller.scrollTop = 4000 * FILE_ROW_HEIGHT;
    scroller.dispatchEvent(new Event('scroll'));
    await new Promise(r => setTimeout(r, 50));
    const names = [...host.querySelectorAll('.rl-Files-name')].map(n => n.textContent);
    expect(names).toContain('file-004005.json');
    expect(names).not.toContain('file-000001.json');
  });

  it('filters by name, opens folders on click and files on double click; names are text', async () => {
    const { client } = pagedClient(50);
    const { host, listing, onOpen } = mount(client);
    await listing.open();
    const filter = host.querySelector('.rl-Files-filter') as HTMLInputElement;
    filter.value = 'file-00004';
    filter.dispatchEvent(new Event('input'));
    expect([...host.querySelectorAll('.rl-Files-name')].map(n => n.textContent)).toEqual(
      Array.from({ length: 10 }, (_, i) => `file-00004${i}.json`)
    );
    expect(host.querySelector('.rl-Files-status')?.textContent).toBe('50 entries · 10 match');
    (host.querySelector('.rl-Files-row') as HTMLElement).dispatchEvent(
      new MouseEvent('dblclick', { bubbles: true })
    );
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ name: 'file-000040.json' }));
    filter.value = '';
    filter.dispatchEvent(new Event('input'));
    (host.querySelector('.rl-Files-directory') as HTMLElement).click();
    await tick();
    await tick();
    expect(host.querySelector('.rl-Files-path')?.textContent).toBe('/user/radlab/many/sub');
    const name = host.querySelector('.rl-Files-name') as HTMLElement;
    expect(name.textContent).toBe('<b>x</b>.txt');
    expect(name.querySelector('b')).toBeNull();
  });

  it('says what went wrong and what to do', async () => {
    const { client } = pagedClient(1);
    const { host, listing } = mount(client, '/denied');
    await listing.open();
    const alert = host.querySelector('[role="alert"]');
    expect(alert?.getAttribute('data-code')).toBe('forbidden');
    expect(alert?.textContent).toContain('Permission denied');
    expect(alert?.textContent).toContain('This user may not do that here.');
    expect(host.querySelectorAll('.rl-Files-row')).toHaveLength(0);
  });

  it('leaves no rows of the previous folder in a folder that fails', async () => {
    const { client } = pagedClient(30);
    const { host, listing } = mount(client);
    await listing.open();
    expect(host.querySelectorAll('.rl-Files-row').length).toBe(30);
    await listing.open('/denied');
    expect(host.querySelectorAll('.rl-Files-row')).toHaveLength(0);
    expect(host.querySelector('[role="alert"]')).not.toBeNull();
  });
});
