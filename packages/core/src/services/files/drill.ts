// "Query with Drill" on a file or folder of a files connection: the query through Drill's file-system
// storage plugin over that file system (the connection's drillPlugin; on MapR usually dfs, whose
// connection is maprfs:///; the local stack's is hdfs).

import type { ConnectionConfig } from '../../connection.js';
import { quoteIdentifier } from '../../drill/sql.js';
import { normalizePath } from './paths.js';

export const DEFAULT_DRILL_PLUGIN = 'hdfs';

/** Files Drill reads as tables (by extension; a folder is read as the table of its files). */
const DRILL_FORMATS = /\.(csv|csvh|tsv|psv|tbl|json|parquet|avro)$/i;

export function drillQueryable(name: string, isFolder: boolean): boolean {
  return isFolder || DRILL_FORMATS.test(name);
}

/** SELECT * FROM `plugin`.`/a/b.csv` LIMIT n: the file (or folder) as Drill's file-system table. */
export function drillQueryFor(
  path: string,
  connection: Pick<ConnectionConfig, 'drillPlugin'>,
  limit = 100
): string {
  const plugin = connection.drillPlugin ?? DEFAULT_DRILL_PLUGIN;
  return `SELECT *\nFROM ${quoteIdentifier(plugin)}.${quoteIdentifier(normalizePath(path))}\nLIMIT ${limit}`;
}
