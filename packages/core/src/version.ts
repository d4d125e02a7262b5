// The Radlab version sent as User-Agent `radlab/<version>` by node hosts. Kept equal to
// packages/core/package.json "version" (checked by version.test.ts).
export const RADLAB_VERSION = '0.1.0';
