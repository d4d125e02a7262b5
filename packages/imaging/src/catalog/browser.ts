// @radlab/imaging/catalog: the catalog's browser-safe part (no Node): column descriptions for the
// schema browsers, a harvest's progress and summary as text for the hosts' notifications.
export { catalogColumnDescription, CATALOG_SCHEMA } from './columns.js';
export {
  harvestProgressText,
  harvestSummaryText,
  type HarvestProgressLike,
  type HarvestSummaryLike
} from './summary.js';
