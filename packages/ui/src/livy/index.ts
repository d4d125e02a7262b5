export {
  LIVY_KINDS,
  LIVY_KIND_LABELS,
  formatExpiry,
  formatProgress,
  stateGroup,
  stateLabel,
  type LivyKind,
  type LivyStateGroup
} from './format.js';
export {
  DEAD_LOG_LINES,
  LivySessionsView,
  type LivySessionInfo,
  type LivySessionRow,
  type LivySessionsState,
  type LivySessionsViewOptions
} from './sessions.js';
export {
  LIVY_TABLE_MIME,
  MAX_TABLE_ROWS,
  livyCellText,
  livyTable,
  livyTableText,
  renderLivyOutput,
  renderLivyProgress,
  renderLivyTable,
  type LivyOutputInfo,
  type LivyTable
} from './output.js';
export {
  LivySessionsController,
  lastStatementActivity,
  restartConf,
  type LivySessionsApi,
  type LivySessionsControllerOptions,
  type LivyStartConf
} from './controller.js';
