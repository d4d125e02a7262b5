// Bundles the extension into one CommonJS file: dist/extension.cjs. `vscode` is provided by the host;
// @radlab/core and axios are bundled. axios is resolved to its node build (http adapter): without
// `conditions: ['node']` esbuild would pick the browser entry with the fetch/xhr adapters.
// The notebook renderer (src/renderer/drill.ts) is a second bundle, dist/renderer.js: browser ESM, as
// VS Code loads renderers into the output webview; its CSS is imported as text and injected at runtime.
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const production = process.argv.includes('--production') || process.env.NODE_ENV === 'production';
// Browser bundles reach @radlab/imaging (through @radlab/ui): its Emscripten codecs guard their Node
// branches (`require('fs')`…) behind a runtime check, so those modules are left unresolved.
const NODE_ONLY = ['fs', 'path', 'crypto', 'module', 'url', 'worker_threads', 'node:*'];

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

// What every browser bundle shares: ESM for a webview (or the notebook output webview).
const browser = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome120'],
  external: NODE_ONLY,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: false
};

await build({
  ...browser,
  entryPoints: ['src/renderer/drill.ts'],
  outfile: 'dist/renderer.js',
  loader: { '.css': 'text' }
});

// The Drill Result panel's script (src/webview/grid.ts): a WebviewPanel whose CSP allows only this
// nonce'd script and stylesheets from dist/, so the CSS is emitted as a file next to it
// (dist/webview/grid.css), not injected as a <style>.
await build({ ...browser, entryPoints: { grid: 'src/webview/grid.ts' }, outdir: 'dist/webview' });

// The imaging webviews' script (src/imaging/webview/main.ts): @radlab/ui's ImageViewer with
// @radlab/imaging, CSS as dist/webview/imaging.css. The codecs' .wasm files are copied beside the
// script: the webview's CSP lets it fetch only from the extension.
await build({
  ...browser,
  entryPoints: { imaging: 'src/imaging/webview/main.ts' },
  outdir: 'dist/webview'
});

// The imaging webview's decoder worker (src/imaging/webview/worker.ts): ESM, as @radlab/imaging's
// worker entry uses top-level await; the webview starts it as a module worker from a blob: URL.
await build({
  ...browser,
  entryPoints: { 'imaging-worker': 'src/imaging/webview/worker.ts' },
  outdir: 'dist/webview',
  sourcemap: false
});

// The GPU panel's script (src/gpu/webview/main.ts): @radlab/ui's GpuDashboard (uPlot), CSS as
// dist/webview/gpu.css.
await build({
  ...browser,
  entryPoints: { gpu: 'src/gpu/webview/main.ts' },
  outdir: 'dist/webview'
});

const require = createRequire(import.meta.url);
// every codec @radlab/imaging loads (src/dicom/decode/*.ts), by its package's .wasm export
for (const codec of [
  'codec-openjpeg/decodewasm',
  'codec-charls/decodewasm',
  'codec-libjpeg-turbo-8bit/decodewasm',
  'codec-openjph/wasm'
]) {
  const wasm = require.resolve(`@cornerstonejs/${codec}`, {
    paths: [path.dirname(require.resolve('@radlab/imaging'))]
  });
  copyFileSync(wasm, path.join('dist/webview', path.basename(wasm)));
}

// the catalog's Parquet writer (Harvest into Catalog…, in the extension host): parquet-wasm's .wasm
// beside extension.cjs (imaging/harvest.ts points the writer at it)
copyFileSync(
  require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm', {
    paths: [path.dirname(require.resolve('@radlab/imaging'))]
  }),
  'dist/parquet_wasm_bg.wasm'
);

console.log(
  'esbuild: wrote vscode-ext/dist/extension.cjs, dist/renderer.js, dist/webview/grid.{js,css} and dist/webview/imaging.{js,css,*.wasm}, imaging-worker.js, dist/webview/gpu.{js,css}'
);
