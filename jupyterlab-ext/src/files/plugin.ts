// Files in JupyterLab: a sidebar browser per files connection (MapR/HDFS over HttpFS or WebHDFS,
// through the Jupyter proxy, which follows DataNode redirects within the connection's dataNodes).
// The list and its paging are @radlab/ui's FileBrowserView; opening a file shows its first 256 KiB
// as text in the main area (read by byte range).
import { ILayoutRestorer } from '@jupyterlab/application';
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget } from '@jupyterlab/apputils';
import { folderIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import { toErrorJSON, type FileStatus, type WebHdfsClient } from '@radlab/core';
import { FileBrowserView, FolderListing, formatSize } from '@radlab/ui';
import { LAB_COMMANDS } from '../commands.generated.js';
import { IRadlabConnections, IRadlabFeatures } from '../tokens.js';

export const FilesCommandIDs = LAB_COMMANDS.files;

const PREVIEW_BYTES = 256 * 1024;

/** The sidebar: a connection picker over one FileBrowserView. */
class FilesPanel extends Widget {
  static readonly ID = 'radlab-files';
  private readonly picker: HTMLSelectElement;
  private readonly body: HTMLElement;
  private view: FileBrowserView | undefined;
  private listing: FolderListing | undefined;
  private current: string | undefined;

  constructor(
    private readonly connections: IRadlabConnections,
    private readonly onOpen: (name: string, client: WebHdfsClient, entry: FileStatus) => void
  ) {
    super();
    this.id = FilesPanel.ID;
    this.addClass('rl-FilesPanel');
    this.title.icon = folderIcon;
    this.title.caption = 'Radlab files (MapR/HDFS)';
    this.picker = document.createElement('select');
    this.picker.className = 'rl-FilesPanel-connection';
    this.picker.setAttribute('aria-label', 'Files connection');
    this.picker.addEventListener('change', this.onPick);
    this.body = document.createElement('div');
    this.body.className = 'rl-FilesPanel-body';
    this.node.append(this.picker, this.body);
    connections.changed.connect(this.sync, this);
    this.sync();
  }

  /** The files connections that reach the proxy (posix ones are read on the server, not here). */
  private names(): string[] {
    return this.connections.connections
      .filter(c => c.kind === 'files' && c.protocol !== 'posix')
      .map(c => c.name);
  }

  private sync(): void {
    const names = this.names();
    this.picker.replaceChildren(
      ...names.map(n => {
        const o = document.createElement('option');
        o.value = n;
        o.textContent = n;
        return o;
      })
    );
    if (this.current && names.includes(this.current)) this.picker.value = this.current;
    else if (names[0]) void this.showConnection(names[0]);
    else
      this.showMessage(
        'No files connection (kind "files", protocol httpfs or webhdfs) is configured.'
      );
  }

  private readonly onPick = (): void => void this.showConnection(this.picker.value);

  refresh(): void {
    void this.listing?.open();
  }

  private showMessage(text: string): void {
    this.view?.dispose();
    this.listing?.dispose();
    this.view = this.listing = undefined;
    const p = document.createElement('div');
    p.className = 'rl-Files-empty';
    p.textContent = text;
    this.body.replaceChildren(p);
  }

  private async showConnection(name: string): Promise<void> {
    this.current = name;
    this.picker.value = name;
    const client = this.connections.client('files', name);
    if (!client) return this.showMessage(`Connection ${name} is not available here.`);
    this.view?.dispose();
    this.listing?.dispose();
    this.body.replaceChildren();
    const listing = new FolderListing(client, '/');
    this.listing = listing;
    this.view = new FileBrowserView(this.body, listing, {
      onOpen: entry => this.onOpen(name, client, entry)
    });
    let home = '/';
    try {
      home = await client.home();
    } catch {
      // the listing of '/' will say what is wrong
    }
    if (this.listing === listing) void listing.open(home);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.connections.changed.disconnect(this.sync, this);
    this.picker.removeEventListener('change', this.onPick);
    this.view?.dispose();
    this.listing?.dispose();
    super.dispose();
  }
}

/** The first bytes of a file as text, in the main area (text only: file contents are untrusted). */
async function previewWidget(
  name: string,
  client: WebHdfsClient,
  entry: FileStatus
): Promise<MainAreaWidget> {
  const content = new Widget();
  content.addClass('rl-FilePreview');
  const head = document.createElement('div');
  head.className = 'rl-FilePreview-head';
  const pre = document.createElement('pre');
  content.node.append(head, pre);
  try {
    const bytes = await client.readBytes(entry.path, { length: PREVIEW_BYTES });
    const cut = entry.size > bytes.length;
    head.textContent = `${name}:${entry.path} · ${formatSize(entry.size)}${cut ? ` · first ${formatSize(bytes.length)} shown` : ''}`;
    pre.textContent = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  } catch (e) {
    const error = toErrorJSON(e, { service: 'files', connection: name });
    head.textContent = `${name}:${entry.path}`;
    pre.setAttribute('role', 'alert');
    pre.textContent = `${error.message}\n${error.hint ?? ''}`;
  }
  const widget = new MainAreaWidget({ content });
  widget.id = `radlab-file-${name}-${entry.path}`;
  widget.title.label = entry.name;
  widget.title.caption = `${name}:${entry.path}`;
  widget.title.closable = true;
  return widget;
}

export const filesPlugin: JupyterFrontEndPlugin<void> = {
  id: '@radlab/jupyterlab-ext:files',
  description: 'Files: a browser of MapR/HDFS connections that stays fast on huge folders.',
  autoStart: true,
  requires: [IRadlabConnections],
  optional: [ICommandPalette, ILayoutRestorer, IRadlabFeatures],
  activate: (
    app: JupyterFrontEnd,
    connections: IRadlabConnections,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    features: IRadlabFeatures | null
  ): void => {
    features?.add({ id: 'files', label: 'Files', kinds: ['files'], commands: FilesCommandIDs });
    const open = (name: string, client: WebHdfsClient, entry: FileStatus): void => {
      void previewWidget(name, client, entry).then(widget => {
        if (!widget.isAttached) app.shell.add(widget, 'main');
        app.shell.activateById(widget.id);
      });
    };
    const panel = new FilesPanel(connections, open);
    app.shell.add(panel, 'left', { rank: 630 });
    restorer?.add(panel, FilesPanel.ID);
    app.commands.addCommand(FilesCommandIDs.openBrowser, {
      label: 'Show Radlab Files',
      caption: 'Open the MapR/HDFS files browser',
      icon: folderIcon,
      execute: () => app.shell.activateById(panel.id)
    });
    app.commands.addCommand(FilesCommandIDs.refresh, {
      label: 'Refresh Radlab Files',
      execute: () => panel.refresh()
    });
    if (palette) {
      for (const command of [FilesCommandIDs.openBrowser, FilesCommandIDs.refresh]) {
        palette.addItem({ command, category: 'Radlab' });
      }
    }
  }
};
