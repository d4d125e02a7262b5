// Emscripten codecs are loaded on first use and initialised once (the cornerstone pattern); a
// failed load is not cached so a later call can retry.

export type WasmLocator = (file: string) => string;
export type EmscriptenFactory<T> = (options?: {
  locateFile?: WasmLocator;
  print?: (text: string) => void;
}) => Promise<T>;

let locator: WasmLocator | undefined;

/**
 * Where bundled hosts serve the codecs' .wasm files (the webview / labextension static URL).
 * Node finds them beside the package's JS and needs nothing. Set before the first decode.
 */
export function setWasmLocator(locate: WasmLocator | undefined): void {
  locator = locate;
}

function factoryOf<T>(mod: unknown): EmscriptenFactory<T> {
  const m = mod as { default?: unknown };
  const f = typeof m === 'function' ? m : m.default;
  return (
    typeof f === 'function' ? f : (f as { default: unknown }).default
  ) as EmscriptenFactory<T>;
}

export function lazyWasm<T>(load: () => Promise<unknown>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load()
      .then(mod =>
        // print: OpenJPEG logs [INFO] lines per frame; errors still reach printErr.
        factoryOf<T>(mod)({ print: () => undefined, ...(locator ? { locateFile: locator } : {}) })
      )
      .catch((err: unknown) => {
        pending = undefined;
        throw err;
      });
    return pending;
  };
}
