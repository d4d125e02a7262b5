// Bundles the extension into one CommonJS file: dist/extension.cjs. `vscode` is provided by the host;
// @radlab/core and axios are bundled. axios is resolved to its node build (http adapter): without
// `conditions: ['node']` esbuild would pick the browser entry with the fetch/xhr adapters.
// The notebook renderer (src/renderer/drill.ts) is a second bundle, dist/renderer.js: browser ESM, as
// VS Code loads renderers into the output webview; its CSS is imported as text and injected at runtime.
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

await build({
  entryPoints: ['src/renderer/drill.ts'],
  outfile: 'dist/renderer.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome120'],
  loader: { '.css': 'text' },
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: false
});

// The Drill Result panel's script (src/webview/grid.ts): browser ESM for a WebviewPanel whose CSP allows
// only this nonce'd script and stylesheets from dist/, so the CSS is emitted as a file next to it
// (dist/webview/grid.css), not injected as a <style>.
await build({
  entryPoints: { grid: 'src/webview/grid.ts' },
  outdir: 'dist/webview',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome120'],
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: false
});
console.log(
  'esbuild: wrote vscode-ext/dist/extension.cjs, dist/renderer.js and dist/webview/grid.{js,css}'
);
