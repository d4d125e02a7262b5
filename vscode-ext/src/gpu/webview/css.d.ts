// esbuild.mjs bundles imported .css into dist/webview/gpu.css.
declare module '*.css';
