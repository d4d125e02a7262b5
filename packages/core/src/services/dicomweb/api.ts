// What @radlab/core exports of the DICOMweb capability.

export * from './client.js';
export * from './types.js';
export * from './multipart.js';
