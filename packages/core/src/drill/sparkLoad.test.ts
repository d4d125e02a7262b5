// The Spark load of a Drill query over the dfs plugin's config as the local Drill answers it.
import { describe, expect, it } from 'vitest';
import { RadlabError } from '../errors.js';
import type { DrillStoragePlugin } from './introspection.js';
import { sparkLoad } from './sparkLoad.js';

const DFS: DrillStoragePlugin = {
  name: 'dfs',
  type: 'file',
  enabled: true,
  config: {
    type: 'file',
    connection: 'file:///',
    workspaces: {
      radlab: { location: '/data/sample', writable: true, defaultInputFormat: null },
      root: { location: '/', writable: false, defaultInputFormat: null }
    },
    formats: {
      csv: { type: 'text', extensions: ['csv'], fieldDelimiter: ',', extractHeader: true },
      tsv: { type: 'text', extensions: ['tsv'], fieldDelimiter: '\t' },
      parquet: { type: 'parquet' },
      json: { type: 'json', extensions: ['json'] },
      sequencefile: { type: 'sequencefile', extensions: ['seq'] }
    }
  }
};
const CP: DrillStoragePlugin = {
  name: 'cp',
  type: 'file',
  enabled: true,
  config: { type: 'file', connection: 'classpath:///' }
};

describe('sparkLoad', () => {
  it('reads a dfs folder as Parquet and runs the SQL over its view', () => {
    const load = sparkLoad(
      'SELECT modality, count(*) AS n FROM dfs.radlab.`studies_parquet` GROUP BY modality;',
      [DFS, CP]
    );
    expect(load.sources).toEqual([
      {
        reference: 'dfs.radlab.`studies_parquet`',
        path: 'file:///data/sample/studies_parquet',
        format: 'parquet',
        options: {},
        view: 'studies_parquet'
      }
    ]);
    expect(load.sql).toBe(
      'SELECT modality, count(*) AS n FROM `studies_parquet` GROUP BY modality'
    );
    expect(load.code).toContain(
      'spark.read.format("parquet").load("file:///data/sample/studies_parquet").createOrReplaceTempView("studies_parquet")'
    );
    expect(load.code).toContain(
      'df = spark.sql("SELECT modality, count(*) AS n FROM `studies_parquet` GROUP BY modality")'
    );
  });

  it("takes CSV options from Drill's format config; one view per file, names kept apart", () => {
    const load = sparkLoad(
      'SELECT * FROM dfs.radlab.`studies.csv` a JOIN dfs.`/x/studies.tsv` b ON a.id = b.id ' +
        "JOIN dfs.radlab.`studies.csv` c ON c.id = a.id WHERE a.note <> 'dfs.radlab.`x.csv`'",
      [DFS]
    );
    expect(load.sources.map(s => [s.path, s.format, s.options, s.view])).toEqual([
      [
        'file:///data/sample/studies.csv',
        'csv',
        { header: 'true', inferSchema: 'true' },
        'studies'
      ],
      [
        'file:///x/studies.tsv',
        'csv',
        { header: 'false', inferSchema: 'true', sep: '\t' },
        'studies_2'
      ]
    ]);
    expect(load.sql).toBe(
      'SELECT * FROM `studies` a JOIN `studies_2` b ON a.id = b.id JOIN `studies` c ON c.id = a.id ' +
        "WHERE a.note <> 'dfs.radlab.`x.csv`'"
    );
  });

  it('says so when the query reads no dfs file, or a format Spark cannot read', () => {
    const none = (): unknown => sparkLoad('SELECT * FROM cp.`employee.json`', [DFS, CP]);
    expect(none).toThrow(RadlabError);
    expect(none).toThrow(/reads no file of a dfs/);
    expect(() => sparkLoad('SELECT * FROM sys.version', [DFS])).toThrow(/reads no file/);
    expect(() => sparkLoad('SELECT * FROM dfs.radlab.`a.seq`', [DFS])).toThrow(
      /no reader for Drill's "sequencefile" format/
    );
  });
});
