// The schema browser's state: one Drill connection's tree (schemas → tables/files → columns), loaded on
// expand through core's DrillCatalog, filtered by a text. Host-neutral (no DOM): the view renders `rows()`.
import { catalogColumnDescription } from '@radlab/imaging/catalog';
import { quoteIdentifier, quoteSchema, quoteTable, toErrorJSON } from '@radlab/core';
import type { RadlabErrorJSON } from '@radlab/core';
import type { DrillCatalog } from '@radlab/core';

export type SchemaNodeKind = 'schema' | 'table' | 'column';

export interface SchemaNode {
  /** Unique in the tree: `s:<schema>`, `t:<schema>\0<table>`, `c:<schema>\0<table>\0<column>`. */
  id: string;
  kind: SchemaNodeKind;
  name: string;
  schema: string;
  /** Table (and file, folder): its path in the schema (`a/b.json`); `name` is what is shown. */
  table?: string;
  /** Table: TABLE, VIEW, FILE, DIRECTORY, ...; column: its Drill type; schema: the plugin type. */
  type?: string;
  /** Column: what it means, when Radlab knows (the DICOM catalog's tables). */
  description?: string;
  expanded: boolean;
  loading: boolean;
  error?: RadlabErrorJSON;
  /** Undefined until loaded (columns never have children). */
  children?: SchemaNode[];
}

/** A visible row: a node at a depth (0 = schema). */
export interface SchemaRow {
  node: SchemaNode;
  depth: number;
}

/** A failed load of the schema tree as the view shows it. */
function loadError(reason: unknown, connection?: string): RadlabErrorJSON {
  return toErrorJSON(reason, { connection, service: 'drill', hint: 'Try Refresh.' });
}

/** The SQL text naming a node: `dfs`.`radlab`, `dfs`.`radlab`.`studies.csv`, `modality`. */
export function sqlName(node: Pick<SchemaNode, 'kind' | 'name' | 'schema' | 'table'>): string {
  if (node.kind === 'schema') return quoteSchema(node.schema);
  if (node.kind === 'table') return quoteTable(node.schema, node.table ?? node.name);
  return quoteIdentifier(node.name);
}

export class SchemaBrowserModel {
  private _connections: string[] = [];
  private _connection: string | undefined;
  private _filter = '';
  private _roots: SchemaNode[] | undefined;
  private _loading = false;
  private _error: RadlabErrorJSON | undefined;
  private readonly listeners = new Set<() => void>();
  private epoch = 0;

  /** `catalog(name)` gives the catalog of a Drill connection (undefined when it is not known). */
  constructor(private readonly catalog: (connection: string) => DrillCatalog | undefined) {}

  get connections(): readonly string[] {
    return this._connections;
  }
  get connection(): string | undefined {
    return this._connection;
  }
  get filter(): string {
    return this._filter;
  }
  get loading(): boolean {
    return this._loading;
  }
  get error(): RadlabErrorJSON | undefined {
    return this._error;
  }
  get roots(): readonly SchemaNode[] | undefined {
    return this._roots;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const l of [...this.listeners]) l();
  }

  /** The Drill connections to choose from; keeps the current one if still there, else the first. */
  setConnections(names: readonly string[]): void {
    const same =
      names.length === this._connections.length &&
      names.every((n, i) => n === this._connections[i]);
    this._connections = [...names];
    if (this._connection === undefined || !names.includes(this._connection)) {
      void this.setConnection(names[0]);
    } else if (!same) this.emit();
  }

  setConnection(name: string | undefined): Promise<void> {
    if (name === this._connection && this._roots) return Promise.resolve();
    this._connection = name;
    this._roots = undefined;
    this._error = undefined;
    return this.load();
  }

  setFilter(text: string): void {
    if (text === this._filter) return;
    this._filter = text;
    this.emit();
  }

  /** Forgets the cached names and reloads the schemas (expanded nodes are loaded again). */
  async refresh(): Promise<void> {
    const name = this._connection;
    if (!name) return;
    this.catalog(name)?.clear();
    const expanded = new Set<string>();
    const walk = (nodes: readonly SchemaNode[] | undefined): void =>
      nodes?.forEach(n => {
        if (n.expanded) expanded.add(n.id);
        walk(n.children);
      });
    walk(this._roots);
    await this.load();
    // re-expand what was open, outermost first
    const reopen = async (nodes: readonly SchemaNode[] | undefined): Promise<void> => {
      for (const n of nodes ?? []) {
        if (expanded.has(n.id)) {
          await this.expand(n);
          await reopen(n.children);
        }
      }
    };
    await reopen(this._roots);
  }

  private async load(): Promise<void> {
    const epoch = ++this.epoch;
    const name = this._connection;
    const catalog = name ? this.catalog(name) : undefined;
    if (!name || !catalog) {
      this._roots = undefined;
      this._loading = false;
      this.emit();
      return;
    }
    this._loading = true;
    this._error = undefined;
    this.emit();
    try {
      const schemas = await catalog.schemas();
      if (epoch !== this.epoch) return;
      this._roots = schemas.map(s => ({
        id: `s:${s.name}`,
        kind: 'schema' as const,
        name: s.name,
        schema: s.name,
        type: s.type,
        expanded: false,
        loading: false
      }));
    } catch (e) {
      if (epoch !== this.epoch) return;
      this._roots = undefined;
      this._error = loadError(e, name);
    }
    this._loading = false;
    this.emit();
  }

  find(id: string): SchemaNode | undefined {
    const walk = (nodes: readonly SchemaNode[] | undefined): SchemaNode | undefined => {
      for (const n of nodes ?? []) {
        if (n.id === id) return n;
        const hit = walk(n.children);
        if (hit) return hit;
      }
      return undefined;
    };
    return walk(this._roots);
  }

  toggle(id: string): Promise<void> {
    const node = this.find(id);
    if (!node || node.kind === 'column') return Promise.resolve();
    if (node.expanded) {
      node.expanded = false;
      this.emit();
      return Promise.resolve();
    }
    return this.expand(node);
  }

  /** Expands a schema or table, loading its children the first time (or after an error). */
  async expand(node: SchemaNode): Promise<void> {
    if (node.kind === 'column') return;
    node.expanded = true;
    if (node.children && !node.error) {
      this.emit();
      return;
    }
    const name = this._connection;
    const catalog = name ? this.catalog(name) : undefined;
    if (!catalog) return;
    const epoch = this.epoch;
    node.loading = true;
    node.error = undefined;
    this.emit();
    try {
      if (node.kind === 'schema') {
        const tables = await catalog.tables(node.schema);
        node.children = tables.map(t => ({
          id: `t:${node.schema}\u0000${t.name}`,
          kind: 'table' as const,
          name: t.name,
          schema: node.schema,
          table: t.name,
          type: t.type,
          expanded: false,
          loading: false
        }));
      } else if (node.type === 'DIRECTORY') {
        // a folder opens to its folders and files (Drill may not read it as one table)
        const entries = await catalog.folder(node.schema, node.table ?? node.name);
        node.children = entries.map(e => ({
          id: `t:${node.schema}\u0000${e.name}`,
          kind: 'table' as const,
          name: e.label,
          schema: node.schema,
          table: e.name,
          type: e.type,
          expanded: false,
          loading: false
        }));
      } else {
        const path = node.table ?? node.name;
        const columns = await catalog.columns(node.schema, path);
        node.children = columns.map(c => {
          const description = catalogColumnDescription(node.schema, path, c.name);
          return {
            id: `c:${node.schema}\u0000${path}\u0000${c.name}`,
            kind: 'column' as const,
            name: c.name,
            schema: node.schema,
            table: path,
            type: c.type,
            ...(description ? { description } : {}),
            expanded: false,
            loading: false
          };
        });
      }
    } catch (e) {
      node.error = loadError(e, name);
    }
    if (epoch !== this.epoch) return;
    node.loading = false;
    this.emit();
  }

  /** The rows to show, in order: expanded nodes' children follow them; the filter keeps matches and their ancestors. */
  rows(): SchemaRow[] {
    const out: SchemaRow[] = [];
    const needle = this._filter.trim().toLowerCase();
    const matches = (n: SchemaNode): boolean =>
      !needle || n.name.toLowerCase().includes(needle) || (n.children ?? []).some(c => matches(c));
    const walk = (nodes: readonly SchemaNode[], depth: number, parentMatched: boolean): void => {
      for (const n of nodes) {
        const self = !needle || n.name.toLowerCase().includes(needle);
        if (!parentMatched && !matches(n)) continue;
        out.push({ node: n, depth });
        if (n.expanded && n.children) walk(n.children, depth + 1, parentMatched || self);
      }
    };
    walk(this._roots ?? [], 0, false);
    return out;
  }
}
