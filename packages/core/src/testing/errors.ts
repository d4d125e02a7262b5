// Test support: the RadlabError a promise rejects with (and that it is one).

import { expect } from 'vitest';
import { RadlabError } from '../errors.js';

export async function failure(promise: Promise<unknown>): Promise<RadlabError> {
  try {
    await promise;
  } catch (e) {
    expect(RadlabError.isRadlabError(e)).toBe(true);
    return e as RadlabError;
  }
  throw new Error('expected a failure');
}
