// The messages between the Drill result renderer (drill.ts, in the notebook's output webview) and the
// extension (drill/rendererMessaging.ts). Types only: both sides import them.

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
