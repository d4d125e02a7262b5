// @radlab/ui: DOM views shared by the JupyterLab and VS Code hosts. No host APIs here.
export { ConnectionsView, formatLatency, formatVersion, rowState } from './connections/view.js';
export type {
  ConnectionHealth,
  ConnectionSummary,
  ConnectionsViewOptions,
  ConnectionsViewState,
  RowState
} from './connections/view.js';
