// Wires MapR/HDFS files into VS Code: the maprfs: file system (every files connection, credentials
// from SecretStorage), the Files view (lazy, paged), and its commands: add a connection's home to the
// workspace, upload from disk and download to disk with progress and cancel, new folder, rename,
// delete (confirmed), copy path as maprfs:///…, hdfs://… or /mapr/…. Everything returned goes
// into context.subscriptions.
import * as vscode from 'vscode';
import { baseName, childPath, copyPaths, parentPath } from '@radlab/core';
import type { Feature, FeatureHost } from '../feature.js';
import { registerRangeReader } from '../imaging/files.js';
import { FILES_SCHEME, FilesFileSystemProvider, filesUri, toFileSystemError } from './provider.js';
import { FilesService } from './service.js';
import { downloadToDisk, uploadFromDisk } from './transfers.js';
import { FilesTreeProvider, isFolder, type FilesNode } from './tree.js';

const t = vscode.l10n.t;

function isNode(arg: unknown): arg is FilesNode {
  return (
    !!arg &&
    typeof arg === 'object' &&
    typeof (arg as FilesNode).type === 'string' &&
    typeof (arg as FilesNode).connection === 'string'
  );
}

/** The connection and path of a tree node or a maprfs: URI (the explorer passes URIs). */
function targetOf(arg: unknown): { connection: string; path: string; folder: boolean } | undefined {
  if (isNode(arg)) {
    if (arg.type === 'connection') return { connection: arg.connection, path: '/', folder: true };
    if (arg.type === 'entry')
      return { connection: arg.connection, path: arg.status.path, folder: isFolder(arg) };
    return undefined;
  }
  if (arg instanceof vscode.Uri && arg.scheme === FILES_SCHEME) {
    return { connection: arg.authority, path: arg.path || '/', folder: false };
  }
  return undefined;
}

function activate(host: FeatureHost): vscode.Disposable[] {
  const { store, tree, log, registerCommand: register } = host;
  const service = new FilesService({
    list: async () => (await tree.entries()).map(e => e.config),
    // the store knows a connection once loaded: maprfs: can be asked before any view opened
    resolve: async name => {
      await tree.entries();
      return store.resolve(name);
    }
  });
  const provider = new FilesFileSystemProvider(service, log);
  const filesTree = new FilesTreeProvider(service, log);
  const view = vscode.window.createTreeView('radlab.files', {
    treeDataProvider: filesTree,
    showCollapseAll: true,
    canSelectMany: false
  });

  /** A node's target, or a connection picked (the only one is taken without asking). */
  const pick = async (arg: unknown) => {
    const target = targetOf(arg);
    if (target) return target;
    const names = (await service.connections()).map(c => c.name);
    if (names.length === 0) {
      void vscode.window.showWarningMessage(
        t('No files connection: add one of kind files in the Radlab Connections view.')
      );
      return undefined;
    }
    const name =
      names.length === 1
        ? names[0]
        : await vscode.window.showQuickPick(names, { title: t('Files connection') });
    return name ? { connection: name, path: await service.home(name), folder: true } : undefined;
  };

  /** Is `path` on `connection` a folder (a URI from the explorer does not say). */
  const folderOf = async (target: { connection: string; path: string; folder: boolean }) => {
    if (target.folder) return target.path;
    const s = await (await service.client(target.connection)).stat(target.path);
    return s.type === 'directory' ? s.path : parentPath(s.path);
  };

  const changedFolder = (connection: string, folder: string): void => {
    filesTree.refresh(connection, folder);
  };

  return [
    provider,
    filesTree,
    view,
    vscode.workspace.registerFileSystemProvider(FILES_SCHEME, provider, {
      isCaseSensitive: true
    }),
    // the DICOM/NIfTI viewer reads headers and slices by byte range, not whole files
    registerRangeReader(FILES_SCHEME, async (uri, start, end) =>
      (await service.client(uri.authority)).readBytes(uri.path || '/', {
        offset: start,
        length: end === undefined ? undefined : end - start
      })
    ),
    store.onDidChange(() => {
      service.reset();
      filesTree.refresh();
    }),
    register('radlab.files.refresh', arg => {
      const target = targetOf(arg);
      if (target?.folder) filesTree.refresh(target.connection, target.path);
      else filesTree.refresh();
    }),
    register('radlab.files.loadMore', arg => (isNode(arg) ? filesTree.loadMore(arg) : undefined)),
    register('radlab.files.addToWorkspace', async arg => {
      const target = await pick(arg);
      if (!target) return;
      const path =
        isNode(arg) && arg.type === 'connection'
          ? await service.home(target.connection)
          : target.path;
      const uri = filesUri(target.connection, path);
      const folders = vscode.workspace.workspaceFolders ?? [];
      if (folders.some(f => f.uri.toString() === uri.toString())) return;
      vscode.workspace.updateWorkspaceFolders(folders.length, 0, {
        uri,
        name: `${target.connection}: ${path}`
      });
      log.info(`files: added ${uri.toString(true)} to the workspace`);
    }),
    register('radlab.files.newFolder', async arg => {
      const target = await pick(arg);
      if (!target) return;
      const folder = await folderOf(target);
      const name = await vscode.window.showInputBox({
        title: t('New folder in {0}', folder),
        validateInput: v =>
          v === '' || v === '.' || v === '..' || v.includes('/')
            ? t('One name, without "/"')
            : undefined
      });
      if (!name) return;
      const path = childPath(folder, name);
      await vscode.workspace.fs.createDirectory(filesUri(target.connection, path));
      changedFolder(target.connection, folder);
    }),
    register('radlab.files.rename', async arg => {
      const target = targetOf(arg);
      if (!target || target.path === '/') return;
      const name = await vscode.window.showInputBox({
        title: t('Rename {0}', target.path),
        value: baseName(target.path),
        validateInput: v =>
          v === '' || v === '.' || v === '..' || v.includes('/')
            ? t('One name, without "/"')
            : undefined
      });
      if (!name || name === baseName(target.path)) return;
      const folder = parentPath(target.path);
      await vscode.workspace.fs.rename(
        filesUri(target.connection, target.path),
        filesUri(target.connection, childPath(folder, name)),
        { overwrite: false }
      );
      changedFolder(target.connection, folder);
    }),
    register('radlab.files.delete', async arg => {
      const target = targetOf(arg);
      if (!target || target.path === '/') return;
      const what = target.folder
        ? t('the folder {0} and everything in it', target.path)
        : target.path;
      const ok = await vscode.window.showWarningMessage(
        t('Delete {0} on {1}? This cannot be undone.', what, target.connection),
        { modal: true },
        t('Delete')
      );
      if (!ok) return;
      await vscode.workspace.fs.delete(filesUri(target.connection, target.path), {
        recursive: target.folder,
        useTrash: false
      });
      changedFolder(target.connection, parentPath(target.path));
    }),
    register('radlab.files.copyPath', async arg => {
      const target = targetOf(arg);
      if (!target) return;
      const paths = copyPaths(await service.config(target.connection), target.path);
      const chosen = await vscode.window.showQuickPick(
        [
          { label: paths.maprfs, description: t('MapR-FS URI (Spark, hadoop fs)') },
          { label: paths.hdfs, description: t('HDFS URI') },
          { label: paths.mapr, description: t('POSIX path on the /mapr mount') }
        ],
        { title: t('Copy path of {0}', target.path) }
      );
      if (!chosen) return;
      await vscode.env.clipboard.writeText(chosen.label);
      vscode.window.setStatusBarMessage(t('Copied {0}', chosen.label), 3000);
    }),
    register('radlab.files.upload', async arg => {
      const target = await pick(arg);
      if (!target) return;
      const folder = await folderOf(target);
      const picked = await vscode.window.showOpenDialog({
        title: t('Upload to {0}:{1}', target.connection, folder),
        canSelectMany: true,
        openLabel: t('Upload')
      });
      if (!picked?.length) return;
      const client = await service.client(target.connection);
      for (const local of picked) {
        try {
          await uploadFromDisk(
            client,
            local,
            childPath(folder, baseName(local.path)),
            target.connection
          );
        } finally {
          changedFolder(target.connection, folder);
        }
      }
    }),
    register('radlab.files.download', async arg => {
      const target = targetOf(arg);
      if (!target || target.folder) return;
      const to = await vscode.window.showSaveDialog({
        title: t('Download {0}', target.path),
        defaultUri: vscode.Uri.joinPath(
          vscode.workspace.workspaceFolders?.find(f => f.uri.scheme === 'file')?.uri ??
            vscode.Uri.file(process.env['HOME'] ?? '/'),
          baseName(target.path)
        ),
        saveLabel: t('Download')
      });
      if (!to) return;
      try {
        await downloadToDisk(
          await service.client(target.connection),
          target.path,
          to,
          target.connection
        );
      } catch (err) {
        throw toFileSystemError(err, filesUri(target.connection, target.path));
      }
    })
  ];
}

/** The files feature: maprfs: file system, the Files view and its commands. */
export const filesFeature: Feature = { id: 'files', activate };
