export * from './view.js';
export { renderDetails } from './details.js';
export { LogView, MAX_LOG_LINES, type LogState, type LogViewOptions } from './logs.js';
export { SubmitJobForm, splitCommand, type SubmitFormOptions } from './submit.js';
export { JobsPanel, type JobsPanelOptions } from './panel.js';
export { JobsFeed, SETTLE_MS, type JobsFeedOptions, type JobsFeedState } from './feed.js';
export { eventAgeText, eventMessageKey, groupEvents, type EventGroup } from './events.js';
