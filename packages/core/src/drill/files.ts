// The folders of a file workspace (dfs.x), listed with Drill's SHOW FILES as Hue's file browser does:
// a folder Drill cannot read as one table (DICOM files, mixed formats, an empty folder) is still a
// folder a user opens, and each data file in it is queried by its path.

import type { DrillClient } from './client.js';
import type { DrillTable } from './introspection.js';
import { quoteTable } from './sql.js';

/** A file or folder of a workspace: `name` is its path from the workspace root (`a/b.json`). */
export interface DrillFileEntry extends DrillTable {
  type: 'FILE' | 'DIRECTORY';
  /** The last part of the path, to show. */
  label: string;
  length?: number;
  modificationTime?: number;
}

/** The entries of folder `path` (relative to the workspace) of `schema`: folders first, then by name. */
export async function folderEntries(
  client: Pick<DrillClient, 'query'>,
  schema: string,
  path: string,
  options: { signal?: AbortSignal } = {}
): Promise<DrillFileEntry[]> {
  const result = await client.query(`SHOW FILES IN ${quoteTable(schema, path)}`, options);
  const at = (name: string) => result.columns.findIndex(c => c.name === name);
  const [name, isDirectory, length, modified] = [
    at('name'),
    at('isDirectory'),
    at('length'),
    at('modificationTime')
  ];
  const entries = result.rows.map(row => {
    const label = String(row[name]);
    const entry: DrillFileEntry = {
      schema,
      name: `${path.replace(/\/+$/, '')}/${label}`,
      label,
      type: row[isDirectory] === true ? 'DIRECTORY' : 'FILE'
    };
    if (typeof row[length] === 'number') entry.length = row[length] as number;
    if (typeof row[modified] === 'number') entry.modificationTime = row[modified] as number;
    return entry;
  });
  return entries.sort((a, b) =>
    a.type !== b.type ? (a.type === 'DIRECTORY' ? -1 : 1) : a.label < b.label ? -1 : 1
  );
}

/** What an empty listing of a schema means: file schemas (cp, dfs) are read by file name. */
export function emptySchemaHint(schema: string, type: string | undefined): string | undefined {
  if (type !== 'file') return undefined;
  const example = schema.startsWith('cp.') ? 'cp.`employee.json`' : `${schema}.\`file.json\``;
  return `Drill lists no files here; files are queried by name, e.g. SELECT * FROM ${example}`;
}
