// The Files view: each files connection, under it its folders, listed lazily when expanded and a
// page at a time (./pages.ts), with a "Load more" row at the end of a long folder. Files open
// through maprfs: in the ordinary editors (DICOM/NIfTI in the Radlab viewer). Context menus are
// keyed by viewItem: radlab.files.connection, radlab.files.folder, radlab.files.file.
import * as vscode from 'vscode';
import { formatSize, formatTime } from '@radlab/ui';
import type { FileStatus } from '@radlab/core';
import type { Log } from '../log.js';
import { Disposable } from '../util/dispose.js';
import { FolderPages } from './pages.js';
import { filesUri } from './provider.js';
import type { FilesService } from './service.js';
import { treeMessageItem } from '../treeMessage.js';

const t = vscode.l10n.t;

export type FilesNode =
  | { type: 'connection'; connection: string; path: '/' }
  | { type: 'entry'; connection: string; path: string; status: FileStatus }
  | { type: 'more'; connection: string; path: string; remaining: number }
  | { type: 'message'; connection: string; path: string; text: string; error?: boolean };

/** A node's folder: the connection root, or an entry that is a folder. */
export function isFolder(node: FilesNode): boolean {
  return node.type === 'connection' || (node.type === 'entry' && node.status.type === 'directory');
}

export class FilesTreeProvider extends Disposable implements vscode.TreeDataProvider<FilesNode> {
  private readonly changed = this._register(new vscode.EventEmitter<FilesNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly pages: FolderPages;
  /** The folder nodes handed out, by connection and path (VS Code refreshes by identity). */
  private readonly folders = new Map<string, FilesNode>();

  constructor(
    private readonly service: FilesService,
    private readonly log: Log
  ) {
    super();
    this.pages = new FolderPages(name => this.service.client(name));
  }

  private folderKey(connection: string, path: string): string {
    return `${connection}\u0000${path}`;
  }

  /** Reloads everything, or one folder (and what is below it). */
  refresh(connection?: string, path?: string): void {
    this.pages.forget(connection, path);
    const node =
      connection !== undefined
        ? this.folders.get(this.folderKey(connection, path ?? '/'))
        : undefined;
    this.changed.fire(node);
  }

  /** Shows the next page of the folder of a "Load more" row. */
  async loadMore(node: FilesNode): Promise<void> {
    if (node.type !== 'more') return;
    await this.pages.more(node.connection, node.path);
    this.changed.fire(this.folders.get(this.folderKey(node.connection, node.path)));
  }

  getTreeItem(node: FilesNode): vscode.TreeItem {
    switch (node.type) {
      case 'connection': {
        const item = new vscode.TreeItem(
          node.connection,
          vscode.TreeItemCollapsibleState.Collapsed
        );
        item.id = `files/${node.connection}`;
        item.contextValue = 'radlab.files.connection';
        item.iconPath = new vscode.ThemeIcon('server-environment');
        item.resourceUri = filesUri(node.connection, '/');
        item.tooltip = filesUri(node.connection, '/').toString(true);
        return item;
      }
      case 'entry': {
        const s = node.status;
        const dir = s.type === 'directory';
        const uri = filesUri(node.connection, s.path);
        const item = new vscode.TreeItem(
          uri,
          dir ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None
        );
        item.label = s.name;
        item.id = `files/${node.connection}${s.path}`;
        item.contextValue = dir ? 'radlab.files.folder' : 'radlab.files.file';
        item.description = dir
          ? s.children !== undefined
            ? s.children === 1
              ? t('1 entry')
              : t('{0} entries', s.children.toLocaleString('en-US'))
            : undefined
          : formatSize(s.size);
        item.tooltip = `${s.path}\n${dir ? '' : `${formatSize(s.size)} · `}${formatTime(s.modified)} · ${s.owner}:${s.group} ${s.permission}`;
        if (!dir) item.command = { command: 'vscode.open', title: t('Open'), arguments: [uri] };
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(
          t('Load more… ({0} more)', node.remaining.toLocaleString('en-US'))
        );
        item.id = `files/${node.connection}${node.path}/\u0000more`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = {
          command: 'radlab.files.loadMore',
          title: t('Load more'),
          arguments: [node]
        };
        item.contextValue = 'radlab.files.more';
        return item;
      }
      case 'message':
        return treeMessageItem(node.text, node.error);
    }
  }

  async getChildren(node?: FilesNode): Promise<FilesNode[]> {
    if (!node) {
      const connections = await this.service.connections();
      return connections.map(c =>
        this.remember({ type: 'connection', connection: c.name, path: '/' })
      );
    }
    if (!isFolder(node)) return [];
    const path = node.type === 'entry' ? node.status.path : '/';
    try {
      const page = await this.pages.open(node.connection, path);
      const rows: FilesNode[] = page.entries.map(status =>
        status.type === 'directory'
          ? this.remember({ type: 'entry', connection: node.connection, path: status.path, status })
          : { type: 'entry', connection: node.connection, path: status.path, status }
      );
      if (page.remaining > 0)
        rows.push({ type: 'more', connection: node.connection, path, remaining: page.remaining });
      if (rows.length === 0)
        rows.push({ type: 'message', connection: node.connection, path, text: t('Empty folder') });
      return rows;
    } catch (err) {
      const e = err as { message?: string; hint?: string };
      this.log.warn(`files ${node.connection}:${path}: ${String(e.message ?? err)}`);
      return [
        {
          type: 'message',
          connection: node.connection,
          path,
          text: e.hint ? `${e.message ?? ''} ${e.hint}` : String(e.message ?? err),
          error: true
        }
      ];
    }
  }

  getParent(node: FilesNode): FilesNode | undefined {
    if (node.type === 'connection') return undefined;
    const path = node.type === 'entry' ? node.status.path : node.path;
    const parent = node.type === 'entry' ? path.slice(0, path.lastIndexOf('/')) || '/' : path;
    return this.folders.get(this.folderKey(node.connection, parent));
  }

  private remember(node: FilesNode): FilesNode {
    const key = this.folderKey(node.connection, node.path);
    const known = this.folders.get(key);
    if (known && known.type === node.type) {
      // same identity, fresh status
      Object.assign(known, node);
      return known;
    }
    this.folders.set(key, node);
    return node;
  }
}
