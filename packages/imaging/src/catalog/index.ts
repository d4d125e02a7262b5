// The DICOM catalog (Node: reads files, writes Parquet): exported from @radlab/imaging/node.
export {
  harvest,
  folderSource,
  type HarvestOptions,
  type HarvestProgress,
  type HarvestSource,
  type HarvestSummary,
  type SourceFile
} from './harvest.js';
export {
  createDeidentifier,
  deidProfile,
  cleanDescriptor,
  catalogPath,
  identifyingWords,
  words,
  type DeidProfile,
  type Deidentifier,
  type ProfileName
} from './deid.js';
export {
  instanceRecord,
  type InstanceRecord,
  type QualityRecord,
  type QualityCode
} from './record.js';
export {
  buildTables,
  seriesGeometry,
  TABLE_COLUMNS,
  type CatalogTables,
  type SeriesRow,
  type StudyRow
} from './tables.js';
export {
  pacsSource,
  jsonInstanceRecord,
  type DicomJsonLike,
  type DicomWebCatalogClient,
  type PacsSourceOptions,
  type RecordSource
} from './pacs.js';
export type { ColumnSpec, ColumnType } from './parquet.js';
/** The Parquet codec (apache-arrow + parquet-wasm), loaded on first use. */
export const loadParquet = (): Promise<typeof import('./parquet.js')> => import('./parquet.js');
export { catalogKey, catalogDir } from './key.js';
export { setParquetWasm } from './parquetWasm.js';
