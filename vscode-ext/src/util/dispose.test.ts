import { describe, expect, it } from 'vitest';
import { Disposable, disposeAll, toDisposable } from './dispose.js';

class Owner extends Disposable {
  add(fn: () => void) {
    return this._register(toDisposable(fn));
  }
}

describe('Disposable', () => {
  it('disposes what it registered, in reverse order, once', () => {
    const calls: string[] = [];
    const owner = new Owner();
    owner.add(() => calls.push('a'));
    owner.add(() => calls.push('b'));
    owner.dispose();
    owner.dispose();
    expect(calls).toEqual(['b', 'a']);
  });

  it('disposes at once what is registered after disposal', () => {
    const owner = new Owner();
    owner.dispose();
    let disposed = false;
    owner.add(() => (disposed = true));
    expect(disposed).toBe(true);
  });

  it('disposeAll runs every dispose even if one throws', () => {
    let ran = false;
    expect(() =>
      disposeAll([
        toDisposable(() => {
          throw new Error('boom');
        }),
        toDisposable(() => (ran = true))
      ])
    ).toThrow('boom');
    expect(ran).toBe(true);
  });
});
