/* global process, console */
// Bundles the extension into one CommonJS file: dist/extension.cjs. `vscode` is provided by the host;
// @radlab/core and axios are bundled. axios is resolved to its node build (http adapter): without
// `conditions: ['node']` esbuild would pick the browser entry with the fetch/xhr adapters.
import { build } from 'esbuild';

const production = process.argv.includes('--production') || process.env.NODE_ENV === 'production';

await build({
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  mainFields: ['module', 'main'],
  conditions: ['node'],
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: false
});
console.log('esbuild: wrote vscode-ext/dist/extension.cjs');
