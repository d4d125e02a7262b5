import { describe, expect, it } from 'vitest';
import { ImagingError } from '../../errors.js';
import { wasmFrameDecoder } from './codecOutput.js';

describe('wasmFrameDecoder', () => {
  it("says the codec did not load (not that the file is malformed) when its WASM can't be had", async () => {
    const decode = wasmFrameDecoder(
      'HTJ2K',
      () => Promise.reject(new Error('CompileError: expected magic word 00 61 73 6d')),
      () => {
        throw new Error('never created');
      }
    );
    const e = await decode(new Uint8Array(4)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ImagingError);
    expect((e as ImagingError).code).toBe('codecFailed');
    expect((e as ImagingError).message).toMatch(
      /^The HTJ2K codec could not be loaded: CompileError/
    );
    expect((e as ImagingError).hint).toMatch(/not the file's fault/);
  });
});
