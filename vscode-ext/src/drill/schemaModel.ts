// The Drill view's items: connection -> schema -> table (incl. files and directories) -> column, plus
// error/hint items. Pure (no `vscode` import): schemaTree.ts turns a DrillNode into a vscode.TreeItem.
import { catalogColumnDescription } from '@radlab/imaging/catalog';
import { emptySchemaHint, quoteIdentifier, quoteSchema, quoteTable } from '@radlab/core';
import type {
  DrillColumns,
  DrillFileEntry,
  DrillSchema,
  DrillTable,
  RadlabErrorJSON
} from '@radlab/core';

export type DrillNodeKind =
  'connection' | 'schema' | 'table' | 'column' | 'error' | 'hint' | 'empty';

export interface DrillNode {
  kind: DrillNodeKind;
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** codicon id */
  icon: string;
  /** a theme colour id for the icon */
  iconColor?: string;
  /** Has (lazily loaded) children. */
  collapsible: boolean;
  contextValue: string;
  connection: string;
  schema?: string;
  /** A table's path in its schema (`a/b.json` for a file in a folder). */
  table?: string;
  /** TABLE, VIEW, FILE, DIRECTORY, ...: a DIRECTORY opens to its folders and files. */
  tableType?: string;
  column?: string;
}

const SEP = '\u0000';

export function nodeId(...parts: string[]): string {
  return ['drill', ...parts].join(SEP);
}

export function connectionNodes(
  connections: ReadonlyArray<{ name: string; url?: string; description?: string }>
): DrillNode[] {
  return connections.map(c => ({
    kind: 'connection',
    id: nodeId(c.name),
    label: c.name,
    description: c.url,
    tooltip: [c.name, c.description, c.url].filter(Boolean).join('\n'),
    icon: 'database',
    collapsible: true,
    contextValue: 'radlab.drill.connection',
    connection: c.name
  }));
}

/** Schemas, the workspaces with data first in the list order Drill gives (already sorted by name). */
export function schemaNodes(connection: string, schemas: readonly DrillSchema[]): DrillNode[] {
  if (schemas.length === 0) return [emptyNode(nodeId(connection), connection, 'No schemas')];
  return schemas.map(s => ({
    kind: 'schema',
    id: nodeId(connection, s.name),
    label: s.name,
    description: s.type || undefined,
    tooltip: `${s.name} (${s.type}${s.mutable ? ', writable' : ''})`,
    icon: 'symbol-namespace',
    collapsible: true,
    contextValue: 'radlab.drill.schema',
    connection,
    schema: s.name
  }));
}

const TABLE_ICONS: Record<string, string> = {
  FILE: 'file',
  DIRECTORY: 'folder',
  VIEW: 'eye',
  SYSTEM_TABLE: 'gear'
};

/** The tables, files and folders of a schema (`schemaType`: its plugin type, e.g. `file`). */
export function tableNodes(
  connection: string,
  schema: string,
  tables: readonly DrillTable[],
  schemaType?: string
): DrillNode[] {
  if (tables.length === 0)
    return [
      emptyNode(
        nodeId(connection, schema),
        connection,
        emptySchemaHint(schema, schemaType) ?? 'No tables or files'
      )
    ];
  return tables.map(t => tableNode(connection, schema, t.name, t.name, t.type));
}

/** The folders and files of a folder of a file workspace. */
export function folderNodes(
  connection: string,
  schema: string,
  folder: string,
  entries: readonly DrillFileEntry[]
): DrillNode[] {
  if (entries.length === 0)
    return [emptyNode(nodeId(connection, schema, folder), connection, 'Empty folder')];
  return entries.map(e => tableNode(connection, schema, e.name, e.label, e.type));
}

function tableNode(
  connection: string,
  schema: string,
  path: string,
  label: string,
  type: string
): DrillNode {
  return {
    kind: 'table',
    id: nodeId(connection, schema, path),
    label,
    description: type.toLowerCase().replace(/_/g, ' '),
    tooltip: `${quoteTable(schema, path)} (${type})`,
    icon: TABLE_ICONS[type] ?? 'table',
    collapsible: true,
    contextValue: 'radlab.drill.table',
    connection,
    schema,
    table: path,
    tableType: type
  };
}

export function columnNodes(
  connection: string,
  schema: string,
  table: string,
  columns: DrillColumns
): DrillNode[] {
  if (columns.columns.length === 0)
    return [emptyNode(nodeId(connection, schema, table), connection, 'No columns')];
  return columns.columns.map(c => ({
    kind: 'column',
    id: nodeId(connection, schema, table, c.name),
    label: c.name,
    description: c.nullable === false ? `${c.type} NOT NULL` : c.type,
    tooltip:
      (columns.source === 'probe'
        ? `${c.name}: ${c.type} (read from the data: the file has no declared schema)`
        : `${c.name}: ${c.type}`) +
      (catalogColumnDescription(schema, table, c.name)
        ? `\n${catalogColumnDescription(schema, table, c.name)}`
        : ''),
    icon: 'symbol-field',
    collapsible: false,
    contextValue: 'radlab.drill.column',
    connection,
    schema,
    table,
    column: c.name
  }));
}

function emptyNode(parentId: string, connection: string, label: string): DrillNode {
  return {
    kind: 'empty',
    id: `${parentId}${SEP}empty`,
    label,
    icon: 'circle-slash',
    collapsible: false,
    contextValue: 'radlab.drill.empty',
    connection
  };
}

/** A failed load: the error as one item, its hint (what to do) as a second. */
export function errorNodes(
  parentId: string,
  connection: string,
  error: Pick<RadlabErrorJSON, 'code' | 'message' | 'hint'>
): DrillNode[] {
  const nodes: DrillNode[] = [
    {
      kind: 'error',
      id: `${parentId}${SEP}error`,
      label: error.message,
      description: error.code,
      tooltip: error.hint ? `${error.message}\n${error.hint}` : error.message,
      icon: 'error',
      iconColor: 'testing.iconFailed',
      collapsible: false,
      contextValue: 'radlab.drill.error',
      connection
    }
  ];
  if (error.hint)
    nodes.push({
      kind: 'hint',
      id: `${parentId}${SEP}hint`,
      label: error.hint,
      icon: 'lightbulb',
      iconColor: 'problemsWarningIcon.foreground',
      collapsible: false,
      contextValue: 'radlab.drill.hint',
      connection
    });
  return nodes;
}

/** The name as it goes into SQL: schema `dfs`.`radlab`, table `dfs`.`radlab`.`studies.csv`, column `x`. */
export function sqlName(
  node: Pick<DrillNode, 'kind' | 'schema' | 'table' | 'column' | 'label'>
): string {
  if (node.kind === 'schema' && node.schema) return quoteSchema(node.schema);
  if (node.kind === 'table' && node.schema && node.table)
    return quoteTable(node.schema, node.table);
  if (node.kind === 'column' && node.column) return quoteIdentifier(node.column);
  return node.label;
}
