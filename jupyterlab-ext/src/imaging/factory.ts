// Documents for DICOM and NIfTI files whose content the lab never loads: the model factory asks the
// contents API for metadata only (`fileFormat: null` → `content=0`), and the widget reads the bytes from
// the Radlab server endpoint itself, streamed, instead of a base64 string in a JSON body.
import { ABCWidgetFactory, DocumentWidget, TextModelFactory } from '@jupyterlab/docregistry';
import type { DocumentRegistry, IDocumentWidget } from '@jupyterlab/docregistry';
import type { Contents } from '@jupyterlab/services';
import type { ImageViewerOptions } from '@radlab/ui';
import { filesDocumentSource } from '@radlab/ui';
import { drivePath, filesDrives } from '../files/drive.js';
import { folderOf } from './overlayPicker.js';
import { documentSource } from './serverFiles.js';
import { ImageViewerWidget } from './widget.js';

export const MODEL_NAME = 'radlab-no-content';
export const FACTORY_NAME = 'Radlab Image Viewer';
export const DICOM_FILE_TYPE = 'radlab-dicom';
export const NIFTI_FILE_TYPE = 'radlab-nifti';

/** A model factory that loads no content: only the file's metadata reaches the document context. */
export class NoContentModelFactory extends TextModelFactory {
  override get name(): string {
    return MODEL_NAME;
  }

  override get contentType(): Contents.ContentType {
    return 'file';
  }

  override get fileFormat(): Contents.FileFormat {
    return null;
  }
}

export type ImageDocument = IDocumentWidget<ImageViewerWidget, DocumentRegistry.IModel>;

export class ImageViewerFactory extends ABCWidgetFactory<ImageDocument, DocumentRegistry.IModel> {
  constructor(
    options: DocumentRegistry.IWidgetFactoryOptions<ImageDocument>,
    /** `folder`: where the document is now (an overlay dialog opens there). */
    private readonly viewerOptions: (folder: () => string) => ImageViewerOptions
  ) {
    super(options);
  }

  protected createNewWidget(
    context: DocumentRegistry.IContext<DocumentRegistry.IModel>
  ): ImageDocument {
    // localPath: the contents path without a drive prefix, which is what the server endpoint takes
    // a file on a files drive (MapR/HDFS) is read by range through that connection's client
    const drive = filesDrives.get(context.path.split(':')[0] ?? '');
    const onDrive = drive !== undefined && context.path.includes(':');
    const content = new ImageViewerWidget(
      signal =>
        context.ready.then(() =>
          onDrive
            ? filesDocumentSource(drive.filesClient(), drivePath(context.localPath), signal)
            : documentSource(context.localPath, undefined, signal)
        ),
      this.viewerOptions(() => folderOf(context.localPath))
    );
    const widget = new DocumentWidget({ content, context });
    widget.addClass('rl-ImageDocument');
    // the viewer has its own toolbar (presets, reveal); the document's would stay empty
    widget.toolbar.hide();
    return widget;
  }
}
