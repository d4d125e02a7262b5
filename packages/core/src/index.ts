// @radlab/core: the browser-safe surface (no DOM, no node built-ins). Node-only pieces are in
// @radlab/core/node.

export * from './connection.js';
export * from './errors.js';
export { redact, redactUrl, registerSecret, clearRegisteredSecrets } from './redact.js';
export { RADLAB_VERSION } from './version.js';
export { connectionsSchema, defaultConnections } from './config/schema.js';
export {
  parseConnections,
  parseConnectionsText,
  mergeConnections,
  describeSource,
  type ConfigSourceRef,
  type ParsedConnections
} from './config/validate.js';
export {
  Transport,
  DEFAULT_MAX_RESPONSE_BYTES,
  isBrowser,
  hostPort,
  type ResolvedAuth,
  type ResponseType,
  type TransportOptions,
  type RequestOptions,
  type TransportResponse
} from './transport/transport.js';
export type { HealthResult, HealthState } from './health/types.js';
export { checkHealth, type CheckHealthOptions } from './health/check.js';
export { describeHealth, formatVersion } from './health/describe.js';
export { webhdfsPath } from './services/files/health.js';
export type { ServiceDefinition } from './services/definition.js';
export { SERVICES, serviceDefinition } from './services/registry.js';
export {
  ConnectionClientCache,
  clientSource,
  secretFingerprint,
  type ClientSource
} from './services/clients.js';
export * from './drill/index.js';
export * from './services/livy/api.js';
export * from './services/prometheus/api.js';
export * from './services/files/api.js';
export * from './services/kubernetes/api.js';
export * from './services/dicomweb/api.js';
