// Where parquet-wasm's .wasm is, for a bundle that moved it (VS Code's extension.cjs has it in dist/);
// by default parquet.ts resolves it from the parquet-wasm package. Apart from parquet.ts so that
// setting it does not load arrow and parquet-wasm.
let path: string | undefined;

export function setParquetWasm(location: string): void {
  path = location;
}

export function parquetWasmPath(): string | undefined {
  return path;
}
