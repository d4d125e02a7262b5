// Extra webpack settings merged by `jupyter labextension build` (package.json jupyterlab.webpackConfig).
// @radlab/imaging's Emscripten codecs guard their Node branches (`require('fs')`…) behind a runtime
// check: in the browser those modules are never loaded, so they resolve to nothing.
module.exports = {
  resolve: {
    fallback: { fs: false, path: false, crypto: false, module: false, url: false, worker_threads: false }
  },
  // nifti-reader-js and jpeg-lossless-decoder-js ship source maps pointing at sources they don't ship
  ignoreWarnings: [/Failed to parse source map/]
};
