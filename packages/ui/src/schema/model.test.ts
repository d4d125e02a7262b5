// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { DrillCatalog, RadlabError } from '@radlab/core';
import { SchemaBrowserModel, sqlName } from './model.js';
import { SchemaBrowserView } from './view.js';

function source(fail = false) {
  return {
    schemas: vi.fn(async () => {
      if (fail) {
        throw new RadlabError({
          code: 'unreachable',
          service: 'drill',
          message: 'connection refused <b>x</b>',
          hint: 'Start Drill.'
        });
      }
      return [
        { name: 'cp.default', type: 'file', mutable: false },
        { name: 'dfs.radlab', type: 'file', mutable: true }
      ];
    }),
    tables: vi.fn(async (schema: string) => [{ schema, name: 'studies.csv', type: 'FILE' }]),
    columns: vi.fn(async () => ({
      source: 'probe' as const,
      columns: [
        { name: 'modality', type: 'VARCHAR', position: 1 },
        { name: 'body_part', type: 'VARCHAR', position: 2 }
      ]
    }))
  };
}

const flush = () => new Promise(r => setTimeout(r, 0));

describe('SchemaBrowserModel', () => {
  it('loads schemas, then tables and columns on expand; filters', async () => {
    const s = source();
    const catalog = new DrillCatalog(s);
    const model = new SchemaBrowserModel(name => (name === 'local' ? catalog : undefined));
    model.setConnections(['local']);
    await flush();
    expect(model.rows().map(r => r.node.name)).toEqual(['cp.default', 'dfs.radlab']);
    await model.toggle('s:dfs.radlab');
    await model.toggle('t:dfs.radlab\u0000studies.csv');
    expect(model.rows().map(r => [r.node.name, r.depth])).toEqual([
      ['cp.default', 0],
      ['dfs.radlab', 0],
      ['studies.csv', 1],
      ['modality', 2],
      ['body_part', 2]
    ]);
    model.setFilter('BODY');
    expect(model.rows().map(r => r.node.name)).toEqual(['dfs.radlab', 'studies.csv', 'body_part']);
    model.setFilter('');
    await model.refresh();
    expect(s.schemas).toHaveBeenCalledTimes(2);
    expect(s.columns).toHaveBeenCalledTimes(2); // re-expanded after refresh
    expect(model.rows()).toHaveLength(5);
  });

  it('describes the DICOM catalog columns (dfs.catalog), in the row title', async () => {
    const s = {
      schemas: vi.fn(async () => [{ name: 'dfs.catalog', type: 'file', mutable: false }]),
      // a partition's file, as the browser reaches it through the series folder
      tables: vi.fn(async (schema: string) => [
        { schema, name: 'series/MR/2020/0.parquet', type: 'FILE' }
      ]),
      columns: vi.fn(async () => ({
        source: 'probe' as const,
        columns: [
          { name: 'SliceThickness', type: 'FLOAT8', position: 1 },
          { name: 'whatever', type: 'VARCHAR', position: 2 }
        ]
      }))
    };
    const model = new SchemaBrowserModel(() => new DrillCatalog(s));
    const host = document.createElement('div');
    const view = new SchemaBrowserView(host, model);
    model.setConnections(['local']);
    await flush();
    await model.toggle('s:dfs.catalog');
    await model.toggle('t:dfs.catalog\u0000series/MR/2020/0.parquet');
    const [thickness, other] = model
      .rows()
      .slice(2)
      .map(r => r.node);
    expect(thickness?.description).toBe('Slice Thickness, mm');
    expect(other?.description).toBeUndefined();
    await flush();
    const titles = [...host.querySelectorAll<HTMLElement>('.rl-Schema-name')].map(n => n.title);
    expect(titles).toContain('SliceThickness: Slice Thickness, mm');
    view.dispose();
  });

  it('keeps a failure as an inline error (not cached) and renders it as text', async () => {
    const model = new SchemaBrowserModel(() => new DrillCatalog(source(true)));
    const host = document.createElement('div');
    const view = new SchemaBrowserView(host, model);
    model.setConnections(['down']);
    await flush();
    expect(model.error?.code).toBe('unreachable');
    const alert = host.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain('connection refused <b>x</b>');
    expect(alert.textContent).toContain('Start Drill.');
    expect(host.querySelector('b')).toBeNull();
    view.dispose();
  });

  it('renders a tree with actions', async () => {
    const model = new SchemaBrowserModel(() => new DrillCatalog(source()));
    const host = document.createElement('div');
    const onPreview = vi.fn();
    const onInsert = vi.fn();
    const view = new SchemaBrowserView(host, model, { onPreview, onInsert });
    model.setConnections(['local']);
    await flush();
    (host.querySelector('[data-id="s:dfs.radlab"] .rl-Schema-row') as HTMLElement).click();
    await flush();
    const table = host.querySelector('[data-kind="table"]')!;
    expect(table.getAttribute('aria-level')).toBe('2');
    (table.querySelector('[data-action="preview"]') as HTMLElement).click();
    expect(onPreview.mock.calls[0]![0].name).toBe('studies.csv');
    (table.querySelector('[data-action="insert"]') as HTMLElement).click();
    expect(sqlName(onInsert.mock.calls[0]![0])).toBe('`dfs`.`radlab`.`studies.csv`');
    view.dispose();
  });
});
