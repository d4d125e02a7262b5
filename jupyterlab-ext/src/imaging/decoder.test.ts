import { describe, expect, it } from 'vitest';
import { imagingDecoder, poolSize } from './decoder.js';

describe('the lab decoder pool', () => {
  it('uses two workers, leaving a core to the page, and at least one', () => {
    expect(poolSize(8)).toBe(2);
    expect(poolSize(3)).toBe(2);
    expect(poolSize(2)).toBe(1);
    expect(poolSize(1)).toBe(1);
    expect(poolSize(undefined)).toBe(1);
  });

  it('is one pool for every viewer, a worker pool until a worker fails to start', () => {
    expect(imagingDecoder()).toBe(imagingDecoder());
    expect(imagingDecoder().kind).toBe('worker');
  });
});
