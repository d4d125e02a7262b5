// What @radlab/core exports of the Prometheus capability.

export * from './client.js';
export * from './promql.js';
export * from './gpu.js';
export * from './step.js';
export * from './live.js';
export * from './discovery.js';
export * from './nvidiaSmi.js';
export * from './local.js';
export * from './jobs.js';
