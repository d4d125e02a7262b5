// DICOM and NIfTI in JupyterLab: the `radlab-dicom` / `radlab-nifti` file types opened read-only by the
// "Radlab Image Viewer" document factory, and "Open as DICOM Series" on folders (file browser context
// menu, palette). Both put @radlab/ui's ImageViewer in the main area; bytes come from the server's
// `radlab/api/contents-*` endpoints. "Open PACS Series" (radlab:open-pacs-series {connection, study,
// series}) shows a series of a dicomweb connection: WADO-RS metadata and frames through the proxy.
import { ILayoutRestorer } from '@jupyterlab/application';
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  MainAreaWidget,
  Notification,
  WidgetTracker,
  showDialog
} from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { imageIcon } from '@jupyterlab/ui-components';
import type { DicomWebClient } from '@radlab/core';
import { dicomWebSeriesSource, filesFolderSource, type ImageViewerOptions } from '@radlab/ui';
import {
  DICOM_FILE_TYPE,
  FACTORY_NAME,
  ImageViewerFactory,
  MODEL_NAME,
  NIFTI_FILE_TYPE,
  NoContentModelFactory
} from './factory.js';
import type { ImageDocument } from './factory.js';
import { imagingDecoder } from './decoder.js';
import { pickOverlay } from './overlayPicker.js';
import { drivePath, filesDrives } from '../files/drive.js';
import { apiPath, folderSource } from './serverFiles.js';
import { locateCodecWasm } from './wasm.js';
import { ImageViewerWidget } from './widget.js';
import { LAB_COMMANDS } from '../commands.generated.js';
import { IRadlabConnections, IRadlabFeatures } from '../tokens.js';
import { openTarget, setImageOpener } from './openFromResult.js';
import { harvestFolder, type HarvestNotices } from './harvest.js';

/** The imaging commands (declared in shared/commands.json). */
export const ImagingCommandIDs = LAB_COMMANDS.imaging;

const PALETTE_CATEGORY = 'Radlab';

/** A harvest in the lab's notifications: progress with Cancel, then the summary. */
const labNotices: HarvestNotices = {
  started: (message, cancel) =>
    Notification.emit(message, 'in-progress', {
      autoClose: false,
      actions: [{ label: 'Cancel', callback: cancel, displayType: 'warn' }]
    }),
  update: (id, message, cancel) =>
    void Notification.update({
      id,
      message,
      type: 'in-progress',
      autoClose: false,
      actions: [{ label: 'Cancel', callback: cancel, displayType: 'warn' }]
    }),
  ended: (id, message, type) =>
    void Notification.update({
      id,
      message,
      type,
      autoClose: type === 'success' ? 10_000 : false,
      actions: []
    })
};

/** Asks before the header panel shows names, IDs and dates (PHI is masked until then). */
function confirmRevealPhi(): Promise<boolean> {
  return showDialog({
    title: 'Show patient data?',
    body:
      'The header panel will show identifying attributes (names, IDs, dates of birth, accession ' +
      'numbers, institution…). Make sure nobody who may not see them is looking.',
    buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: 'Show patient data' })]
  }).then(result => result.button.accept);
}

/** `folder`: where the overlay dialog opens; without a file browser there is no document manager for it. */
function viewerOptions(
  browsers: IFileBrowserFactory | null,
  folder: () => string
): ImageViewerOptions {
  const options: ImageViewerOptions = { confirmRevealPhi, decoder: imagingDecoder() };
  if (browsers) {
    options.pickOverlay = () => {
      // the dialog browses with the file browser's document manager (the lab always has one open)
      const manager = browsers.tracker.currentWidget?.model.manager;
      if (!manager) throw new Error('Open the file browser to choose an overlay.');
      return pickOverlay(manager, folder());
    };
  }
  return options;
}

export const imagingPlugin: JupyterFrontEndPlugin<void> = {
  id: '@radlab/jupyterlab-ext:imaging',
  description: 'DICOM and NIfTI preview: the Radlab Image Viewer for files and DICOM folders.',
  autoStart: true,
  optional: [
    ICommandPalette,
    IFileBrowserFactory,
    ILayoutRestorer,
    IRadlabFeatures,
    IRadlabConnections
  ],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    browsers: IFileBrowserFactory | null,
    restorer: ILayoutRestorer | null,
    features: IRadlabFeatures | null,
    connections: IRadlabConnections | null
  ): void => {
    features?.add({
      id: 'imaging',
      label: 'DICOM and NIfTI viewer',
      kinds: [],
      commands: ImagingCommandIDs
    });
    locateCodecWasm();
    const registry = app.docRegistry;
    registry.addModelFactory(new NoContentModelFactory());
    registry.addFileType({
      name: DICOM_FILE_TYPE,
      displayName: 'DICOM Image',
      extensions: ['.dcm', '.dicom'],
      mimeTypes: ['application/dicom'],
      contentType: 'file',
      fileFormat: null,
      icon: imageIcon
    });
    registry.addFileType({
      name: NIFTI_FILE_TYPE,
      displayName: 'NIfTI Volume',
      // the registry tries the longest extension first: brain.nii.gz → .nii.gz, then .gz
      extensions: ['.nii', '.nii.gz', '.hdr'],
      mimeTypes: ['application/x-nifti'],
      contentType: 'file',
      fileFormat: null,
      icon: imageIcon
    });

    const factory = new ImageViewerFactory(
      {
        name: FACTORY_NAME,
        label: 'Radlab Image Viewer',
        modelName: MODEL_NAME,
        fileTypes: [DICOM_FILE_TYPE, NIFTI_FILE_TYPE],
        defaultFor: [DICOM_FILE_TYPE, NIFTI_FILE_TYPE],
        readOnly: true,
        preferKernel: false,
        canStartKernel: false
      },
      folder => viewerOptions(browsers, folder)
    );
    registry.addWidgetFactory(factory);
    const documents = new WidgetTracker<ImageDocument>({ namespace: 'radlab-image' });
    factory.widgetCreated.connect((_, widget) => {
      widget.title.icon = imageIcon;
      widget.context.pathChanged.connect(() => void documents.save(widget));
      void documents.add(widget);
    });

    const series = new WidgetTracker<MainAreaWidget<ImageViewerWidget>>({
      namespace: 'radlab-dicom-series'
    });
    const openSeries = (globalPath: string): MainAreaWidget<ImageViewerWidget> => {
      // a folder on a files drive (MapR/HDFS) is listed and read by range through its client
      const driveName = app.serviceManager.contents.driveName(globalPath);
      const drive = driveName ? filesDrives.get(driveName) : undefined;
      const path = app.serviceManager.contents.localPath(globalPath);
      const folder = drive ? `${driveName}:${apiPath(path)}` : apiPath(path);
      const existing = series.find(w => w.id === seriesId(folder));
      if (existing) {
        app.shell.activateById(existing.id);
        return existing;
      }
      const content = new ImageViewerWidget(
        signal =>
          drive
            ? filesFolderSource(drive.filesClient(), drivePath(path), signal)
            : folderSource(folder, undefined, signal),
        viewerOptions(browsers, () => folder)
      );
      const widget = new MainAreaWidget({ content });
      widget.id = seriesId(folder);
      widget.addClass('rl-ImageDocument');
      widget.title.label = PathExt.basename(folder) || '/';
      widget.title.caption = `DICOM series: ${folder || '/'}`;
      widget.title.icon = imageIcon;
      widget.title.closable = true;
      widget.toolbar.hide();
      series.add(widget).catch(() => undefined);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      return widget;
    };

    // Open in viewer from Drill result grids (openFromResult.ts): catalog rows are looked up on
    // the result's Drill connection, else the first one
    setImageOpener((target, connection) => {
      void openTarget(target, connection, {
        query: name => {
          const drill =
            name ?? connections?.connections.find(c => c.kind === 'drill')?.name ?? undefined;
          const client = drill ? connections?.client('drill', drill) : undefined;
          return client ? async sql => (await client.query(sql)).rows : undefined;
        },
        openFolder: path => void openSeries(path),
        openPacs: (conn, study, uid) => void openPacsSeries(conn, study, uid),
        openFile: path =>
          void app.commands.execute('docmanager:open', { path, factory: FACTORY_NAME }),
        error: message =>
          void showDialog({
            title: 'Open in viewer',
            body: message,
            buttons: [Dialog.okButton()]
          })
      });
    });

    // a PACS series (a dicomweb connection; the first one without a name), e.g. from a catalog row;
    // not restored on reload (its tracker has no restorer)
    const pacsSeries = new WidgetTracker<MainAreaWidget<ImageViewerWidget>>({
      namespace: 'radlab-pacs-series'
    });
    const openPacsSeries = (
      name: string | undefined,
      study: string,
      uid: string
    ): MainAreaWidget<ImageViewerWidget> | undefined => {
      const conn = name ?? connections?.connections.find(c => c.kind === 'dicomweb')?.name;
      const client = conn
        ? (connections?.client('dicomweb', conn) as DicomWebClient | undefined)
        : undefined;
      if (!conn || !client) {
        void showDialog({
          title: 'Open PACS series',
          body: conn
            ? `No DICOMweb connection named ${conn}.`
            : 'No DICOMweb connection is configured.',
          buttons: [Dialog.okButton()]
        });
        return undefined;
      }
      const id = `${PACS_PREFIX}${conn}/${uid}`;
      const existing = pacsSeries.find(w => w.id === id);
      if (existing) {
        app.shell.activateById(existing.id);
        return existing;
      }
      const content = new ImageViewerWidget(
        signal => dicomWebSeriesSource(client, study, uid, { signal }),
        viewerOptions(browsers, () => '')
      );
      const widget = new MainAreaWidget({ content });
      widget.id = id;
      widget.addClass('rl-ImageDocument');
      widget.title.label = `PACS series (${conn})`;
      widget.title.caption = `DICOM series ${uid} on ${conn} (DICOMweb)`;
      widget.title.icon = imageIcon;
      widget.title.closable = true;
      widget.toolbar.hide();
      pacsSeries.add(widget).catch(() => undefined);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      return widget;
    };
    app.commands.addCommand(ImagingCommandIDs.openPacsSeries, {
      label: 'Open PACS Series',
      caption: 'Show a series of a PACS (a DICOMweb connection) in the Radlab Image Viewer',
      icon: imageIcon,
      execute: args => {
        const study = args['study'];
        const uid = args['series'];
        if (typeof study !== 'string' || typeof uid !== 'string') return;
        const name = typeof args['connection'] === 'string' ? args['connection'] : undefined;
        return openPacsSeries(name, study, uid);
      }
    });

    app.commands.addCommand(ImagingCommandIDs.openSeries, {
      label: 'Open as DICOM Series',
      caption: 'Show the DICOM files of a folder as one series in the Radlab Image Viewer',
      icon: imageIcon,
      execute: args => {
        const path = typeof args['path'] === 'string' ? args['path'] : selectedFolder(browsers);
        if (path === undefined) return;
        return openSeries(path);
      }
    });
    app.contextMenu.addItem({
      command: ImagingCommandIDs.openSeries,
      selector: '.jp-DirListing-item[data-isdir="true"]',
      rank: 3
    });

    app.commands.addCommand(ImagingCommandIDs.harvest, {
      label: 'Harvest into Catalog…',
      caption:
        'Read the DICOM headers of a folder into the de-identified catalog Drill queries as dfs.catalog (on the server)',
      execute: args => {
        const path = typeof args['path'] === 'string' ? args['path'] : selectedFolder(browsers);
        if (path === undefined) return;
        // files drives (MapR/HDFS) are not harvested from the lab yet: the server reads its own files
        if (app.serviceManager.contents.driveName(path)) {
          void showDialog({
            title: 'Harvest into Catalog',
            body: 'Only folders of the Jupyter server can be harvested from here for now.',
            buttons: [Dialog.okButton()]
          });
          return;
        }
        return harvestFolder(app.serviceManager.contents.localPath(path), labNotices).catch(
          () => undefined
        );
      }
    });
    app.contextMenu.addItem({
      command: ImagingCommandIDs.harvest,
      selector: '.jp-DirListing-item[data-isdir="true"]',
      rank: 4
    });
    palette?.addItem({ command: ImagingCommandIDs.harvest, category: PALETTE_CATEGORY });
    palette?.addItem({ command: ImagingCommandIDs.openSeries, category: PALETTE_CATEGORY });

    if (restorer) {
      void restorer.restore(documents, {
        command: 'docmanager:open',
        args: widget => ({ path: widget.context.path, factory: FACTORY_NAME }),
        name: widget => widget.context.path
      });
      void restorer.restore(series, {
        command: ImagingCommandIDs.openSeries,
        args: widget => ({ path: widget.id.slice(SERIES_PREFIX.length) }),
        name: widget => widget.id
      });
    }
  }
};

const SERIES_PREFIX = 'radlab-dicom-series:';
const PACS_PREFIX = 'radlab-pacs-series:';

function seriesId(folder: string): string {
  return SERIES_PREFIX + folder;
}

/** The folder selected in the file browser, else the folder it shows. */
function selectedFolder(browsers: IFileBrowserFactory | null): string | undefined {
  const browser = browsers?.tracker.currentWidget;
  if (!browser) return undefined;
  for (const item of browser.selectedItems()) {
    if (item.type === 'directory') return item.path;
  }
  return browser.model.path;
}
