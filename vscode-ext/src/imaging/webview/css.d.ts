// esbuild.mjs bundles imported .css into dist/webview/imaging.css.
declare module '*.css';
