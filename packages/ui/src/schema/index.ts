export {
  SchemaBrowserModel,
  sqlName,
  type SchemaNode,
  type SchemaNodeKind,
  type SchemaRow
} from './model.js';
export { SchemaBrowserView, errorBlock, type SchemaBrowserViewOptions } from './view.js';
