export {
  DASHBOARD_METRICS,
  DEFAULT_GPU_WARNINGS,
  GpuDashboard,
  TIME_RANGES,
  type GpuDashboardOptions,
  type GpuWarningSettings
} from './dashboard.js';
export { SparkChart, type SparkChartOptions } from './chart.js';
export {
  columnsCsv,
  formatMetric,
  gpuColumns,
  gpuLabel,
  heatColour,
  latest,
  type GpuColumn
} from './data.js';
export { gpuWarningsFromSettings, type GpuThresholdSettings } from './settings.js';
