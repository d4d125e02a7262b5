// What a Drill connection holds: storage plugins, schemas, their tables and files, and columns.

import type { DrillQueryOptions, DrillResult } from './query.js';
import { isObject, str } from './fields.js';
import { quoteLiteral, quoteTable } from './sql.js';
import type { DrillSession } from './session.js';

export interface DrillStoragePlugin {
  name: string;
  type?: string;
  enabled: boolean;
  config: Record<string, unknown>;
}

export interface DrillSchema {
  name: string;
  /** file, ischema, system-tables, jdbc, ... */
  type: string;
  mutable: boolean;
}

export interface DrillTable {
  schema: string;
  name: string;
  /** TABLE, VIEW, SYSTEM_TABLE (INFORMATION_SCHEMA.TABLES) or FILE, DIRECTORY (file workspaces). */
  type: string;
}

export interface DrillColumnInfo {
  name: string;
  type: string;
  nullable?: boolean;
  position: number;
}

export interface DrillColumns {
  columns: DrillColumnInfo[];
  /** `information_schema` (declared) or `probe` (from `SELECT * ... LIMIT 0`, for files without a schema). */
  source: 'information_schema' | 'probe';
}

/** Runs a query and collects its rows (DrillClient.query). */
export type DrillRunner = (sql: string, options: DrillQueryOptions) => Promise<DrillResult>;

/** Storage plugins and their configs (`/storage.json`). */
export async function storagePlugins(
  session: DrillSession,
  options: { signal?: AbortSignal } = {}
): Promise<DrillStoragePlugin[]> {
  const response = await session.send<unknown>({
    path: '/storage.json',
    headers: session.headers,
    ...options
  });
  const list = Array.isArray(response.data) ? response.data : [];
  return list.filter(isObject).map(p => {
    const config = isObject(p['config']) ? p['config'] : {};
    return {
      name: str(p['name']) ?? '',
      type: str(config['type']),
      enabled: config['enabled'] === true,
      config
    };
  });
}

/** Schemas (`INFORMATION_SCHEMA.SCHEMATA`). */
export async function schemas(
  query: DrillRunner,
  options: { signal?: AbortSignal } = {}
): Promise<DrillSchema[]> {
  const result = await query(
    'SELECT SCHEMA_NAME, TYPE, IS_MUTABLE FROM INFORMATION_SCHEMA.SCHEMATA ORDER BY SCHEMA_NAME',
    options
  );
  return result.rows.map(([name, type, mutable]) => ({
    name: String(name),
    type: String(type ?? ''),
    mutable: mutable === 'YES'
  }));
}

/** Tables and views of a schema; for file workspaces also the files and directories in it. */
export async function tables(
  query: DrillRunner,
  schema: string,
  options: { signal?: AbortSignal } = {}
): Promise<DrillTable[]> {
  const literal = quoteLiteral(schema);
  const [tables, files] = await Promise.all([
    query(
      `SELECT TABLE_NAME, TABLE_TYPE FROM INFORMATION_SCHEMA.\`TABLES\` WHERE TABLE_SCHEMA = ${literal} ORDER BY TABLE_NAME`,
      options
    ),
    query(
      `SELECT FILE_NAME, IS_DIRECTORY FROM INFORMATION_SCHEMA.\`FILES\` WHERE SCHEMA_NAME = ${literal} AND RELATIVE_PATH = FILE_NAME ORDER BY FILE_NAME`,
      options
    )
  ]);
  const out: DrillTable[] = tables.rows.map(([name, type]) => ({
    schema,
    name: String(name),
    type: String(type ?? 'TABLE')
  }));
  const seen = new Set(out.map(t => t.name));
  for (const [name, isDirectory] of files.rows) {
    if (seen.has(String(name))) continue;
    out.push({ schema, name: String(name), type: isDirectory === true ? 'DIRECTORY' : 'FILE' });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Columns of a table with their types: from INFORMATION_SCHEMA.COLUMNS, or, for files Drill has no
 * schema of (CSV, JSON), from the metadata of `SELECT * FROM schema.table LIMIT 0`.
 */
export async function columns(
  query: DrillRunner,
  schema: string,
  table: string,
  options: { signal?: AbortSignal } = {}
): Promise<DrillColumns> {
  const declared = await query(
    `SELECT COLUMN_NAME, DATA_TYPE, IS_NULLABLE, ORDINAL_POSITION FROM INFORMATION_SCHEMA.\`COLUMNS\` WHERE TABLE_SCHEMA = ${quoteLiteral(schema)} AND TABLE_NAME = ${quoteLiteral(table)} ORDER BY ORDINAL_POSITION`,
    options
  );
  if (declared.rows.length > 0) {
    return {
      source: 'information_schema',
      columns: declared.rows.map(([name, type, nullable, position], i) => ({
        name: String(name),
        type: String(type ?? ''),
        nullable: nullable === 'YES' ? true : nullable === 'NO' ? false : undefined,
        position: typeof position === 'number' ? position : i + 1
      }))
    };
  }
  const probe = await query(`SELECT * FROM ${quoteTable(schema, table)} LIMIT 0`, options);
  return {
    source: 'probe',
    columns: probe.columns.map((c, i) => ({ name: c.name, type: c.type, position: i + 1 }))
  };
}
