export { JobsView, quotaText, type JobsState, type JobsViewOptions } from './view.js';
