export {
  ResultGrid,
  formatCount,
  formatElapsed,
  HEADER_HEIGHT,
  ROW_HEIGHT,
  MAX_SCROLL_HEIGHT
} from './grid.js';
export type { ResultGridOptions } from './grid.js';
export {
  baseType,
  cellText,
  ColumnarRows,
  columnKind,
  compareDecimalStrings,
  csvField,
  estimateWidth,
  rowComparator,
  sortKeys,
  toCsv,
  toTsv
} from './model.js';
export type {
  ColumnKind,
  DrillResultColumn,
  DrillResultInfo,
  DrillResultPayload,
  GridRows,
  SortDirection,
  SortKeys
} from './model.js';
export { sortIndices, filterIndices, CHUNK_THRESHOLD } from './ops.js';
export { RowArrays, type RowStore } from './rows.js';
export {
  QuickChart,
  drawChart,
  chartPositions,
  quickChart,
  type ChartKind,
  type QuickChartSpec
} from './chart.js';
export { DRILL_RESULT_MIME } from '@radlab/core/drill/result';
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
} from './imageTarget.js';
