// The shared ImageViewer (@radlab/ui) in a Lumino widget. The source is built when the widget is first
// shown (listing a folder is a server call); disposing the widget aborts any read and frees the viewer.
import { Widget } from '@lumino/widgets';
import type { Message } from '@lumino/messaging';
import { ImageViewer, errorBlock } from '@radlab/ui';
import type { ImageSource, ImageViewerOptions } from '@radlab/ui';
import { toErrorJSON } from '../api.js';

export type SourceLoader = (signal: AbortSignal) => Promise<ImageSource>;

export class ImageViewerWidget extends Widget {
  readonly viewer: ImageViewer;
  private readonly abort = new AbortController();
  private started: Promise<void> | undefined;

  constructor(
    private readonly load: SourceLoader,
    options: ImageViewerOptions = {}
  ) {
    super();
    this.addClass('rl-ImageViewerWidget');
    this.viewer = new ImageViewer(options);
    this.node.appendChild(this.viewer.node);
  }

  /** Loads and shows the source (once); resolves when the first image is up or the error shown. */
  start(): Promise<void> {
    this.started ??= this.run();
    return this.started;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let source: ImageSource;
    try {
      source = await this.load(signal);
    } catch (e) {
      if (signal.aborted || this.isDisposed) return;
      // the viewer never got a source (e.g. the folder could not be listed): say why in its place
      this.node.replaceChildren(
        errorBlock(this.node.ownerDocument, toErrorJSON(e), 'rl-Viewer-error')
      );
      return;
    }
    if (signal.aborted || this.isDisposed) return;
    try {
      await this.viewer.open(source, signal);
    } catch (e) {
      // the viewer shows its own errors; a cancelled open after dispose is expected
      if (!signal.aborted)
        console.warn('Radlab: opening the image failed:', toErrorJSON(e).message);
    }
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    void this.start();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.abort.abort();
    this.viewer.dispose();
    super.dispose();
  }
}
