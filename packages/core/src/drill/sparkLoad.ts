// "Open in Spark": the PySpark code that loads what a Drill query reads as a Spark DataFrame. Spark
// reads the files the query names in a file-system storage plugin (dfs): each becomes a temporary view
// named after the file, and the query's own SQL, with its table references replaced by those views,
// runs in Spark SQL. The rows are the Spark engine's answer over the same files, not Drill's (Drill-only
// syntax such as `columns[0]` or FLATTEN does not run there; Spark's error then says so). A query
// that reads no dfs file (cp, sys, INFORMATION_SCHEMA: Drill's own) cannot be opened this way.

import { RadlabError } from '../errors.js';
import { splitStatements } from './statements.js';
import type { DrillStoragePlugin } from './introspection.js';

/** One file (or folder of files) the query reads, as Spark reads it. */
export interface SparkSource {
  /** The reference as the SQL wrote it, e.g. dfs.radlab.`studies_parquet`. */
  reference: string;
  /** Where Spark reads it: the plugin's connection + the workspace's location + the path. */
  path: string;
  /** Spark's reader: parquet, csv, json, avro, orc. */
  format: string;
  /** Reader options from Drill's format config (header, sep). */
  options: Record<string, string>;
  /** The temporary view the SQL reads in Spark. */
  view: string;
}

export interface SparkLoad {
  sources: SparkSource[];
  /** The query's SQL over the views (Spark SQL). */
  sql: string;
  /** PySpark code that makes the views and binds the DataFrame `variable`. */
  code: string;
  variable: string;
}

// plugin.workspace.`path`, plugin.`path` (the default workspace), with back-ticked path
const REFERENCE = /(?<![\w`.])([A-Za-z_][\w]*)\s*\.\s*(?:([A-Za-z_][\w]*)\s*\.\s*)?`([^`]+)`/g;

interface FormatConfig {
  type?: string;
  extensions?: string[];
  extractHeader?: boolean;
  fieldDelimiter?: string;
}

const SPARK_FORMATS: Record<string, string> = {
  parquet: 'parquet',
  json: 'json',
  avro: 'avro',
  orc: 'orc'
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Blanks comments and string literals (same length), so references are found in code only. */
function codeOnly(sql: string): string {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'/g, m => ' '.repeat(m.length));
}

function formatOf(path: string, plugin: Record<string, unknown>, workspace: unknown) {
  const formats = isObject(plugin['formats']) ? plugin['formats'] : {};
  const name = path.split('/').pop() ?? path;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : undefined;
  let config: FormatConfig | undefined;
  let formatName: string | undefined;
  for (const [key, value] of Object.entries(formats)) {
    if (!isObject(value)) continue;
    const extensions = Array.isArray(value['extensions']) ? value['extensions'] : [key];
    if (ext && extensions.map(String).includes(ext)) {
      config = value as FormatConfig;
      formatName = key;
      break;
    }
  }
  if (!config) {
    // a folder (or a file without a known extension): the workspace's default format, else parquet
    const fallback =
      (isObject(workspace) && typeof workspace['defaultInputFormat'] === 'string'
        ? workspace['defaultInputFormat']
        : undefined) ?? 'parquet';
    formatName = fallback;
    config = (isObject(formats[fallback]) ? formats[fallback] : { type: fallback }) as FormatConfig;
  }
  if (config.type === 'text') {
    const options: Record<string, string> = {
      header: config.extractHeader ? 'true' : 'false',
      inferSchema: 'true'
    };
    if (config.fieldDelimiter && config.fieldDelimiter !== ',') options.sep = config.fieldDelimiter;
    return { format: 'csv', options };
  }
  const format = SPARK_FORMATS[config.type ?? formatName ?? ''] ?? SPARK_FORMATS[formatName ?? ''];
  if (!format)
    throw new RadlabError({
      code: 'badRequest',
      service: 'radlab',
      message: `Spark has no reader for Drill's "${formatName}" format (${path})`,
      hint: 'Open in Spark reads Parquet, CSV/TSV/PSV, JSON, Avro and ORC files.'
    });
  return { format, options: {} };
}

function joinPath(base: string, path: string): string {
  if (path.startsWith('/')) return path;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** A view name Spark accepts: the file's name without its extension, in word characters. */
function viewName(path: string, taken: Set<string>): string {
  const name = (path.split('/').filter(Boolean).pop() ?? 'data').replace(/\.[^.]*$/, '');
  let base = name.replace(/\W+/g, '_').replace(/^(\d)/, '_$1') || 'data';
  if (base.length > 60) base = base.slice(0, 60);
  let view = base;
  for (let i = 2; taken.has(view.toLowerCase()); i++) view = `${base}_${i}`;
  taken.add(view.toLowerCase());
  return view;
}

function py(s: string): string {
  return JSON.stringify(s);
}

/**
 * The Spark load of a Drill query (its first statement). Throws RadlabError `badRequest` when the
 * query reads no file of a file-system plugin, or a format Spark cannot read.
 */
export function sparkLoad(
  sql: string,
  plugins: readonly DrillStoragePlugin[],
  variable = 'df'
): SparkLoad {
  const first = splitStatements(sql)[0];
  const statement = (first ? sql.slice(first.from, first.to) : sql).trim();
  const code = codeOnly(statement);
  const byName = new Map(plugins.map(p => [p.name.toLowerCase(), p]));
  const sources: SparkSource[] = [];
  const taken = new Set<string>();
  const views = new Map<string, string>();
  let rewritten = '';
  let last = 0;
  for (const m of code.matchAll(REFERENCE)) {
    const [whole, pluginName, workspaceName, path] = m;
    const plugin = byName.get(pluginName.toLowerCase());
    if (!plugin || plugin.type !== 'file') continue;
    const config = plugin.config;
    const workspaces = isObject(config['workspaces']) ? config['workspaces'] : {};
    const workspace = workspaces[workspaceName ?? 'root'];
    if (workspaceName !== undefined && !isObject(workspace)) continue;
    const location =
      isObject(workspace) && typeof workspace['location'] === 'string'
        ? workspace['location']
        : '/';
    const connection = typeof config['connection'] === 'string' ? config['connection'] : '';
    // cp reads Drill's own jars: nothing Spark can read
    if (connection === '' || connection.startsWith('classpath:')) continue;
    const full = joinPath(location, path);
    // file:/// + /abs → file:///abs; hdfs://nn:8020/ + /abs → hdfs://nn:8020/abs
    const root = connection.replace(/\/+$/, '');
    const uri = /^[a-z][\w+.-]*:$/i.test(root) ? `${root}//${full}` : root + full;
    const reference = statement.slice(m.index, m.index + whole.length);
    let view = views.get(uri);
    if (!view) {
      view = viewName(path, taken);
      views.set(uri, view);
      sources.push({ reference, path: uri, view, ...formatOf(path, config, workspace) });
    }
    rewritten += statement.slice(last, m.index) + `\`${view}\``;
    last = m.index + whole.length;
  }
  rewritten += statement.slice(last);
  if (sources.length === 0)
    throw new RadlabError({
      code: 'badRequest',
      service: 'radlab',
      message: 'this query reads no file of a dfs (file system) storage plugin',
      hint:
        'Open in Spark reads the files a query names (e.g. FROM dfs.radlab.`studies.csv`); ' +
        "cp, sys and INFORMATION_SCHEMA are Drill's own. Export the result as CSV instead."
    });
  const lines = [
    '# Open in Spark: the files the Drill query reads, as views; its SQL runs in Spark SQL',
    ...sources.map(s => {
      const options = Object.entries(s.options)
        .map(([k, v]) => `.option(${py(k)}, ${py(v)})`)
        .join('');
      return `spark.read.format(${py(s.format)})${options}.load(${py(s.path)}).createOrReplaceTempView(${py(s.view)})`;
    }),
    `${variable} = spark.sql(${py(rewritten)})`,
    `print(f"${variable}: {${variable}.count():,} rows; " + ", ".join(f"{n}: {t}" for n, t in ${variable}.dtypes))`
  ];
  return { sources, sql: rewritten, code: lines.join('\n'), variable };
}
