/* global window, document, location */
// bench/viewer's anchor page (bundled by run.mjs with esbuild into the lab root's page/cs.js):
// Cornerstone3D's StackViewport with its DICOM image loader (wadouri, 2 decode workers), handed
// the series in slice order as OHIF gets it from DICOMweb metadata. window.benchCornerstone(urls,
// index) shows slice `index`, then loads the rest as a stack prefetch does; it resolves with the
// times (ms from the call) of the first image rendered and of every slice decoded.
import { cache, Enums, imageLoader, init as initCore, RenderingEngine } from '@cornerstonejs/core';
import dicomImageLoader from '@cornerstonejs/dicom-image-loader';

const WORKERS = Number(new URLSearchParams(location.search).get('workers') ?? 2);
let viewport;

async function setup() {
  await initCore();
  dicomImageLoader.init({
    maxWebWorkers: WORKERS,
    wasmBasePath: new URL('./', location.href).href
  });
  const element = document.getElementById('view');
  const engine = new RenderingEngine('bench');
  engine.enableElement({ viewportId: 'ct', type: Enums.ViewportType.STACK, element });
  viewport = engine.getViewport('ct');
  return element;
}

const ready = setup();

window.benchCornerstone = async (urls, index) => {
  const element = await ready;
  cache.purgeCache();
  dicomImageLoader.wadouri.dataSetCacheManager.purge();
  const ids = urls.map(u => `wadouri:${u}`);
  const t0 = performance.now();
  const rendered = new Promise(resolve =>
    element.addEventListener(Enums.Events.IMAGE_RENDERED, () => resolve(performance.now()), {
      once: true
    })
  );
  await viewport.setStack(ids, index);
  const first = (await rendered) - t0;
  // the rest as cornerstoneTools' stack prefetch does: every image loaded and cached
  await Promise.all(ids.map(id => imageLoader.loadAndCacheImage(id)));
  const all = performance.now() - t0;
  return { first, all };
};
window.benchCornerstoneReady = ready.then(() => true);
