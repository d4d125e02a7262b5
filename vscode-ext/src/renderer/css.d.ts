// esbuild.mjs loads .css as text for the renderer bundle.
declare module '*.css' {
  const text: string;
  export default text;
}
