// The JupyterLab renderer of Drill results (application/vnd.radlab.drill-result+json): a Lumino widget
// around @radlab/ui's ResultGrid. Notebook outputs, the output view and consoles all use it.
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { DRILL_RESULT_MIME, ResultGrid } from '@radlab/ui';
import type { DrillResultPayload } from '@radlab/ui';
import { viewerOption } from '../imaging/openFromResult.js';

export const MIME_TYPE = DRILL_RESULT_MIME;

/**
 * The renderer's rank (lower wins). `%%drill` outputs also carry text/html for other front ends, and
 * JupyterLab's HTML renderer has rank 50: a tie goes to the renderer registered first, the HTML one.
 */
export const GRID_RANK = 40;

/** The scroll area never grows past this (px), so notebook outputs stay a sane height. */
export const MAX_GRID_HEIGHT = 360;

export class DrillResultRenderer extends Widget implements IRenderMime.IRenderer {
  private readonly mimeType: string;
  private grid: ResultGrid | undefined;
  /** The shown result's Drill connection (its payload's), for Open in viewer's catalog look-ups. */
  private connection: string | undefined;

  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this.mimeType = options.mimeType;
    this.addClass('rl-DrillResultRenderer');
  }

  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const data = model.data[this.mimeType] as unknown as DrillResultPayload | undefined;
    this.grid ??= new ResultGrid(this.node, {
      maxHeight: MAX_GRID_HEIGHT,
      ...viewerOption(() => this.connection)
    });
    if (!data || typeof data !== 'object' || !Array.isArray(data.columns)) {
      this.node.dataset.error = 'true';
      this.grid.setResult({ version: 1, columns: [], rows: [], rowCount: 0, truncated: false });
      return Promise.resolve();
    }
    delete this.node.dataset.error;
    this.connection = typeof data.connection === 'string' ? data.connection : undefined;
    this.grid.setResult(data);
    return Promise.resolve();
  }

  protected override onAfterShow(): void {
    this.grid?.render();
  }

  protected override onResize(): void {
    this.grid?.render();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.grid?.dispose();
    this.grid = undefined;
    super.dispose();
  }
}

export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [MIME_TYPE],
  defaultRank: GRID_RANK,
  createRenderer: options => new DrillResultRenderer(options)
};

const extension: IRenderMime.IExtension = {
  id: '@radlab/jupyterlab-ext:drill-result',
  description: 'Renders Radlab Drill results as a virtualized, sortable grid.',
  rendererFactory,
  rank: GRID_RANK,
  dataType: 'json'
};

export default extension;
