// Files in JupyterLab, per files connection (MapR/HDFS over HttpFS or WebHDFS, through the Jupyter
// proxy, which adds the credentials and follows DataNode redirects within the connection's dataNodes):
// - a drive of the lab's own file browser (drive.ts), shown as its own browser in the left area, so
//   notebooks and text files open and save in place with the lab's editors; rename, move, delete,
//   new folder, upload and download are the browser's own; Radlab adds Copy Path as maprfs:///,
//   hdfs:// and /mapr/, Query with Drill, and Open in Radlab Files to its context menu;
// - the Radlab Files panel (@radlab/ui's FileBrowserView): lists lazily and stays fast on folders of
//   100,000 entries (the lab's browser renders every row, so the drive gives it the first 5,000);
//   opening a file there shows its first 256 KiB as text (read by byte range).
import { ILayoutRestorer } from '@jupyterlab/application';
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import {
  Clipboard,
  ICommandPalette,
  MainAreaWidget,
  Notification,
  ToolbarButton
} from '@jupyterlab/apputils';
import { IFileBrowserFactory, Uploader, type FileBrowser } from '@jupyterlab/filebrowser';
import { folderIcon, newFolderIcon, notebookIcon, refreshIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import {
  drillQueryable,
  drillQueryFor,
  parentPath,
  copyPaths,
  type CopyPaths,
  toErrorJSON,
  type FileStatus,
  type WebHdfsClient
} from '@radlab/core';
import { FileBrowserView, FolderListing, formatSize } from '@radlab/ui';
import { proxyBaseURL } from '../connections/model.js';
import { LAB_COMMANDS } from '../commands.generated.js';
import { filesDriveIcon } from '../icons.js';
import { IRadlabConnections, IRadlabFeatures, type PublicConnection } from '../tokens.js';
import {
  drivePath,
  filesDrives,
  FilesDrive,
  proxyDownloadUrl,
  type UploadNotices
} from './drive.js';

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

  /** Shows `path` of connection `name`. */
  async openAt(name: string, path: string): Promise<void> {
    if (this.current !== name || !this.listing) await this.showConnection(name, path);
    else await this.listing.open(path);
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

  private async showConnection(name: string, at?: string): Promise<void> {
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
    let home = at ?? '/';
    try {
      if (at === undefined) home = await client.home();
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

/**
 * A drive error for a notice (the lab cuts notices at 140 characters): "OP PATH: what" without
 * HDFS's details after the first ':' or ',' of what, then the hint (the second line).
 */
function shortFailure(message: string): string {
  const [first = '', ...rest] = message.split('\n');
  const cut = /^(\S+ \/.*?: [^:,(]+)/.exec(first);
  const head = (cut?.[1] ?? first).trim().replace(/^[A-Z_]+ (?=\/)/, '');
  return rest.length ? `${head}. ${rest.join(' ')}` : head;
}

/** Uploads in the lab's notifications: bytes sent, a Cancel, and how it ended. */
const uploadNotices: UploadNotices = {
  started: (label, cancel) =>
    Notification.emit(`Uploading ${label}…`, 'in-progress', {
      autoClose: false,
      actions: [{ label: 'Cancel', callback: cancel, displayType: 'warn' }]
    }),
  progress: (id, label, bytes, cancel) =>
    void Notification.update({
      id,
      message: `Uploading ${label}: ${formatSize(bytes)} sent`,
      type: 'in-progress',
      autoClose: false,
      actions: [{ label: 'Cancel', callback: cancel, displayType: 'warn' }]
    }),
  ended: (id, label, outcome) =>
    void Notification.update({
      id,
      message:
        'bytes' in outcome
          ? `Uploaded ${label} (${formatSize(outcome.bytes)})`
          : 'cancelled' in outcome
            ? `Upload of ${label} cancelled: the file on the server is as it was.`
            : `Upload of ${label} failed: ${outcome.error.message}`,
      type: 'bytes' in outcome ? 'success' : 'cancelled' in outcome ? 'warning' : 'error',
      autoClose: 'bytes' in outcome ? 5000 : false,
      actions: []
    })
};

const PATH_FORMS: ReadonlyArray<{ form: keyof CopyPaths; label: string }> = [
  { form: 'maprfs', label: 'Copy Path as maprfs:///…' },
  { form: 'hdfs', label: 'Copy Path as hdfs://…' },
  { form: 'mapr', label: 'Copy Path as /mapr/…' }
];

/** The connections a drive is made for (posix ones are mounted on the server, not reached here). */
function driveConnections(connections: IRadlabConnections): PublicConnection[] {
  return connections.connections.filter(c => c.kind === 'files' && c.protocol !== 'posix');
}

export const filesPlugin: JupyterFrontEndPlugin<void> = {
  id: '@radlab/jupyterlab-ext:files',
  description:
    'Files: MapR/HDFS connections as drives of the lab file browser, and a browser that stays fast on huge folders.',
  autoStart: true,
  requires: [IRadlabConnections],
  optional: [ICommandPalette, ILayoutRestorer, IRadlabFeatures, IFileBrowserFactory],
  activate: (
    app: JupyterFrontEnd,
    connections: IRadlabConnections,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    features: IRadlabFeatures | null,
    browsers: IFileBrowserFactory | null
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
    const contents = app.serviceManager.contents;
    const settings = app.serviceManager.serverSettings;

    // ---- drives: one per files connection, each with its own lab file browser -----------------
    const driveBrowsers = new Map<string, FileBrowser>();
    const connectionOf = (name: string): PublicConnection | undefined =>
      connections.connections.find(c => c.name === name && c.kind === 'files');

    const addDrive = (connection: PublicConnection, rank: number): void => {
      const name = connection.name;
      if (filesDrives.has(name) || !browsers) return;
      const drive = new FilesDrive({
        name,
        client: () => connections.client('files', name),
        serverSettings: settings,
        downloadUrl: path => proxyDownloadUrl(proxyBaseURL(settings, name), path),
        user: connection.auth.user ?? connection.auth.username,
        notices: uploadNotices,
        onTruncated: (path, shown, total) => {
          Notification.info(
            `${name}:${path} has ${total.toLocaleString('en-US')} entries; this browser shows the first ${shown.toLocaleString('en-US')}. Radlab Files lists all of them, paged and filterable.`,
            {
              autoClose: 10_000,
              actions: [
                {
                  label: 'Open in Radlab Files',
                  callback: () => {
                    app.shell.activateById(panel.id);
                    void panel.openAt(name, path);
                  }
                }
              ]
            }
          );
        }
      });
      filesDrives.set(name, drive);
      contents.addDrive(drive);
      const browser = browsers.createFileBrowser(`radlab-drive-${name}`, {
        driveName: name,
        refreshInterval: 30_000
      });
      browser.addClass('rl-DriveBrowser');
      browser.node.dataset['connection'] = name;
      browser.title.icon = filesDriveIcon;
      browser.title.label = '';
      browser.title.caption = `${name} (${connection.protocol ?? 'files'}): the lab file browser on this connection`;
      const toolbar = browser.toolbar;
      const label = document.createElement('span');
      label.className = 'rl-DriveBrowser-name';
      label.textContent = name;
      toolbar.addItem('name', new Widget({ node: label }));
      toolbar.addItem(
        'new-notebook',
        new ToolbarButton({
          icon: notebookIcon,
          tooltip: 'New notebook here',
          onClick: () =>
            void contents
              .newUntitled({ path: browser.model.path, type: 'notebook' })
              .then(model => app.commands.execute('docmanager:open', { path: model.path }))
              .catch(e => Notification.error(toErrorJSON(e, { service: 'files' }).message))
        })
      );
      toolbar.addItem(
        'new-folder',
        new ToolbarButton({
          icon: newFolderIcon,
          tooltip: 'New folder',
          onClick: () => void browser.createNewDirectory()
        })
      );
      toolbar.addItem('upload', new Uploader({ model: browser.model }));
      toolbar.addItem(
        'refresh',
        new ToolbarButton({
          icon: refreshIcon,
          tooltip: 'Refresh',
          onClick: () => void browser.model.refresh()
        })
      );
      // the lab's browser says only "Directory not found" itself: say the rest (permission denied,
      // safe mode, unreachable), once per message while it repeats on each refresh
      let lastFailure = '';
      browser.model.connectionFailure.connect((_, error) => {
        if ((error as { response?: { status?: number } }).response?.status === 404) return;
        const message = error.message || String(error);
        if (message === lastFailure) return;
        lastFailure = message;
        Notification.error(`${name}: ${shortFailure(message)}`, { autoClose: false });
      });
      browser.model.pathChanged.connect(() => (lastFailure = ''));
      // JupyterLab 4.5's browser model compares a drive's change (already `name:path`) with
      // `name:` + its folder, so it never refreshes on a drive's own change: refresh here
      drive.fileChanged.connect((_, change) => {
        const here = drivePath(contents.localPath(browser.model.path));
        const touched = [change.oldValue?.path, change.newValue?.path].filter(
          (p): p is string => typeof p === 'string'
        );
        if (touched.some(p => parentPath(drivePath(p)) === here)) void browser.model.refresh();
      });
      app.shell.add(browser, 'left', { rank });
      restorer?.add(browser, browser.id);
      driveBrowsers.set(name, browser);
      // open at the user's home folder
      void (async () => {
        const client = connections.client('files', name);
        let home = '/';
        try {
          home = client ? await client.home() : '/';
        } catch {
          // the root's listing says what is wrong
        }
        // an absolute path is resolved within the browser's drive
        await browser.model.cd(drivePath(home));
      })().catch(() => undefined);
    };
    const syncDrives = (): void =>
      driveConnections(connections).forEach((c, i) => addDrive(c, 631 + i));
    connections.changed.connect(syncDrives);
    syncDrives();

    /** The drive browser a context menu (or a command) is about, and its selected entry. */
    const target = ():
      { browser: FileBrowser; name: string; path: string; isDir: boolean } | undefined => {
      const hit = app.contextMenuHitTest(node => node.classList.contains('rl-DriveBrowser'));
      const browser =
        [...driveBrowsers.values()].find(b => hit && b.node === hit) ??
        [...driveBrowsers.values()].find(b => b === browsers?.tracker.currentWidget);
      if (!browser) return undefined;
      const name = browser.node.dataset['connection'] ?? '';
      const item = browser.selectedItems().next();
      const model = item.done ? undefined : item.value;
      const local = contents.localPath(model ? model.path : browser.model.path);
      return {
        browser,
        name,
        path: drivePath(local),
        isDir: model ? model.type === 'directory' : true
      };
    };

    app.commands.addCommand(FilesCommandIDs.copyPath, {
      label: args => PATH_FORMS.find(f => f.form === args['form'])?.label ?? 'Copy Path',
      caption: 'Copy the path in the form code and shells on the cluster use',
      execute: args => {
        const t = target();
        const connection = t && connectionOf(t.name);
        if (!t || !connection) return;
        const form = (PATH_FORMS.find(f => f.form === args['form']) ?? PATH_FORMS[0]!).form;
        const text = copyPaths(connection, t.path)[form];
        Clipboard.copyToSystem(text);
        return text;
      }
    });
    app.commands.addCommand(FilesCommandIDs.queryWithDrill, {
      label: 'Query with Drill',
      caption:
        "Open the SQL editor on this file or folder, read through Drill's file-system plugin",
      isVisible: () => {
        const t = target();
        return !!t && drillQueryable(t.path, t.isDir);
      },
      execute: async () => {
        const t = target();
        const connection = t && connectionOf(t.name);
        if (!t || !connection) return;
        const drills = connections.connections.filter(c => c.kind === 'drill');
        const up = drills.find(c => {
          const h = connections.health.get(c.name);
          return h !== undefined && h !== 'checking' && h.state === 'healthy';
        });
        const drill = (up ?? drills[0])?.name;
        if (!drill) {
          Notification.warning('No Drill connection is configured: add one in Radlab Connections.');
          return;
        }
        const sql = drillQueryFor(t.path, connection);
        return app.commands.execute(LAB_COMMANDS.drill.newSqlFile, {
          sql,
          connection: drill,
          run: true
        });
      }
    });
    app.commands.addCommand(FilesCommandIDs.openInPanel, {
      label: 'Open in Radlab Files',
      caption: 'List this folder in Radlab Files (paged, filterable, fast on huge folders)',
      execute: () => {
        const t = target();
        if (!t) return;
        app.shell.activateById(panel.id);
        return panel.openAt(t.name, t.isDir ? t.path : t.path.replace(/\/[^/]*$/, '') || '/');
      }
    });
    app.commands.addCommand(FilesCommandIDs.openDrive, {
      label: args =>
        typeof args['connection'] === 'string'
          ? `Show ${args['connection']} in the File Browser`
          : 'Show Files Connection in the File Browser',
      execute: args => {
        const name = typeof args['connection'] === 'string' ? args['connection'] : undefined;
        const browser = name ? driveBrowsers.get(name) : [...driveBrowsers.values()][0];
        if (!browser) return;
        app.shell.activateById(browser.id);
        if (typeof args['path'] === 'string') {
          return browser.model.cd(drivePath(args['path']));
        }
      }
    });
    const selector = '.rl-DriveBrowser .jp-DirListing-item';
    PATH_FORMS.forEach((f, i) =>
      app.contextMenu.addItem({
        command: FilesCommandIDs.copyPath,
        args: { form: f.form },
        selector,
        rank: 14 + i / 10
      })
    );
    app.contextMenu.addItem({ command: FilesCommandIDs.queryWithDrill, selector, rank: 13 });
    app.contextMenu.addItem({ command: FilesCommandIDs.openInPanel, selector, rank: 13.5 });

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
      palette.addItem({ command: FilesCommandIDs.openDrive, category: 'Radlab' });
    }
  }
};
