// The rendermime entry (package.json `jupyterlab.mimeExtension`): JupyterLab loads it apart from the
// plugins in ../index.ts, as it does for its own mime extensions.
import drillResult from './drill.js';

export { DrillResultRenderer, MIME_TYPE, rendererFactory } from './drill.js';
export default [drillResult];
