// esbuild.mjs bundles imported .css into dist/webview/grid.css.
declare module '*.css';
