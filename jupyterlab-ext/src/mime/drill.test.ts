// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { DrillResultRenderer } from './drill.js';

// jsdom has no DragEvent, which @lumino/dragdrop (under @lumino/widgets) subclasses at import time.
(globalThis as { DragEvent?: unknown }).DragEvent ??= class DragEvent extends MouseEvent {};
const { default: extension, MIME_TYPE, rendererFactory } = await import('./drill.js');

const here = dirname(fileURLToPath(import.meta.url));
const mimeTypes = JSON.parse(
  readFileSync(resolve(here, '../../../shared/mime-types.json'), 'utf8')
) as { drillResult: string };

function model(data: unknown): IRenderMime.IMimeModel {
  return {
    data: { [MIME_TYPE]: data },
    metadata: {},
    trusted: false
  } as unknown as IRenderMime.IMimeModel;
}

describe('the Drill result mime extension', () => {
  it('renders the shared drill MIME type, safely (untrusted outputs too)', () => {
    expect(MIME_TYPE).toBe(mimeTypes.drillResult);
    expect(rendererFactory.mimeTypes).toEqual([mimeTypes.drillResult]);
    expect(rendererFactory.safe).toBe(true);
    // the grid, not the HTML table the same output carries, is what a notebook cell shows
    expect(rendererFactory.defaultRank).toBeLessThan(50);
    expect(extension.rank).toBeLessThan(50);
    expect(extension.dataType).toBe('json');
    const pkg = JSON.parse(readFileSync(resolve(here, '../../package.json'), 'utf8'));
    expect(pkg.jupyterlab.mimeExtension).toBe('lib/mime/index.js');
  });

  it('wraps a ResultGrid in a widget and disposes it', async () => {
    const renderer = rendererFactory.createRenderer({
      mimeType: MIME_TYPE,
      sanitizer: {} as IRenderMime.ISanitizer,
      resolver: null,
      linkHandler: null,
      latexTypesetter: null
    } as unknown as IRenderMime.IRendererOptions) as DrillResultRenderer;
    document.body.appendChild(renderer.node);
    await renderer.renderModel(
      model({
        version: 1,
        columns: [{ name: 'name', type: 'VARCHAR' }],
        rows: [['<img src=x onerror=alert(1)>']],
        rowCount: 1,
        truncated: false
      })
    );
    const cell = renderer.node.querySelector('.rl-Grid-cell');
    expect(cell?.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(renderer.node.querySelector('img')).toBeNull();
    // a malformed payload shows an empty grid, not an exception
    await renderer.renderModel(model({ nope: true }));
    expect(renderer.node.dataset.error).toBe('true');
    renderer.dispose();
    expect(renderer.node.querySelector('.rl-Grid')).toBeNull();
  });
});
