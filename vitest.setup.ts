// jsdom has no matchMedia, and uPlot (the GPU charts in @radlab/ui) calls it as its module loads, so
// every jsdom test that imports @radlab/ui would fail before it starts. Browsers and webviews have it.
if (typeof window !== 'undefined' && typeof window.matchMedia !== 'function') {
  window.matchMedia = (media: string): MediaQueryList =>
    ({
      matches: false,
      media,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false
    }) as MediaQueryList;
}
