// @radlab/ui: DOM views shared by the JupyterLab and VS Code hosts. No host APIs here.
export { ConnectionsView, formatLatency, formatVersion, rowState } from './connections/view.js';
export type {
  ConnectionHealth,
  ConnectionSummary,
  ConnectionsViewOptions,
  ConnectionsViewState,
  RowState
} from './connections/view.js';
export {
  DRILL_RESULT_MIME,
  ResultGrid,
  cellText,
  columnKind,
  csvField,
  formatCount,
  formatElapsed,
  toCsv,
  toTsv
} from './grid/index.js';
export type {
  ColumnKind,
  DrillResultColumn,
  DrillResultPayload,
  ResultGridOptions,
  SortDirection
} from './grid/index.js';
export { ColumnarRows } from './grid/index.js';
export {
  imageTarget,
  targetFolder,
  catalogLocation,
  locateImages,
  pacsLocation,
  CATALOG_WORKSPACE,
  type CatalogQuery,
  type ImageLocation,
  type ImageTarget
} from './grid/index.js';
export type { DrillResultInfo } from './grid/index.js';
export { SchemaBrowserModel, SchemaBrowserView, errorBlock, sqlName } from './schema/index.js';
export type {
  SchemaBrowserViewOptions,
  SchemaNode,
  SchemaNodeKind,
  SchemaRow
} from './schema/index.js';
export {
  CT_PRESETS,
  ImageViewer,
  autoWindow,
  dragWindow,
  formatWindow,
  planSource,
  renderRgba,
  dicomWebSeriesSource
} from './viewer/index.js';
export type {
  DicomWebSeriesClient,
  GreyMapping,
  ImageFile,
  ImageSource,
  ImageViewerOptions,
  WindowPreset
} from './viewer/index.js';
export * from './livy/index.js';
export {
  FileBrowserView,
  FILE_ROW_HEIGHT,
  FolderListing,
  formatSize,
  formatTime,
  filesDocumentSource,
  filesFolderSource,
  filesImageFile,
  IMAGE_FOLDER_LIMIT
} from './files/index.js';
export type { FileBrowserViewOptions, FolderState } from './files/index.js';
export * from './gpu/index.js';
export * from './jobs/index.js';
