export { DrillCatalog, type DrillIntrospection } from './catalog.js';
export {
  SchemaBrowserModel,
  sqlName,
  toErrorJSON,
  type SchemaNode,
  type SchemaNodeKind,
  type SchemaRow
} from './model.js';
export { SchemaBrowserView, errorBlock, type SchemaBrowserViewOptions } from './view.js';
