// The messages between the Drill result renderer (drill.ts, in the notebook's output webview) and the
// extension (drill/rendererMessaging.ts). Types only: both sides import them.
import type { ImageTarget } from '@radlab/ui';

/** Renderer -> extension: save this CSV. */
export interface RendererExportMessage {
  type: 'export';
  csv: string;
  filename: string;
  /** The output whose grid exported, for the answer. */
  outputId: string;
}

/** Extension -> renderer: where the CSV went (`path` undefined: not saved). */
export interface RendererExportedMessage {
  type: 'exported';
  outputId: string;
  path?: string;
}

/** Renderer -> extension: open the images of a cell (Open in viewer). */
export interface RendererOpenInViewerMessage {
  type: 'openInViewer';
  target: ImageTarget;
  /** The result's Drill connection (the payload's), for catalog look-ups. */
  connection?: string;
}
