import { describe, expect, it } from 'vitest';
import { followSession } from './follow.js';

const s = (id: number, state = 'idle') => ({ id, kind: 'pyspark', state, log: [] });

describe("the notebook's Livy session when Livy no longer lists it", () => {
  it('stays while Livy lists it, dead or not, or while its connection was not loaded', () => {
    const current = { connection: 'a', id: 3 };
    expect(followSession(current, new Map([['a', [s(3)]]]))).toEqual({ action: 'keep' });
    expect(followSession(current, new Map([['a', [s(3, 'dead'), s(4)]]]))).toEqual({
      action: 'keep'
    });
    expect(followSession(current, new Map([['b', [s(1)]]]))).toEqual({ action: 'keep' });
  });

  it('follows the next live one: newer on the same connection, else the newest, else another', () => {
    const current = { connection: 'a', id: 3 };
    const gone = current;
    expect(followSession(current, new Map([['a', [s(9), s(5), s(2)]]]))).toEqual({
      action: 'follow',
      gone,
      target: { connection: 'a', id: 5 }
    });
    expect(followSession(current, new Map([['a', [s(1), s(2), s(7, 'dead')]]]))).toEqual({
      action: 'follow',
      gone,
      target: { connection: 'a', id: 2 }
    });
    expect(
      followSession(
        current,
        new Map([
          ['a', [s(4, 'killed')]],
          ['b', [s(1), s(6)]]
        ])
      )
    ).toEqual({ action: 'follow', gone, target: { connection: 'b', id: 6 } });
    expect(followSession(current, new Map([['a', []]]))).toEqual({ action: 'none', gone });
  });
});
