// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { DrawQueue, type Drawable } from './drawQueue.js';

const item = (name: string, log: string[]): Drawable => {
  const node = document.createElement('div');
  return { node, draw: () => log.push(name) };
};

describe('DrawQueue', () => {
  it('draws each marked chart once per frame, however often it was marked', async () => {
    const log: string[] = [];
    const queue = new DrawQueue(window);
    const a = item('a', log);
    const b = item('b', log);
    queue.add(a);
    queue.add(b);
    queue.mark(a);
    queue.mark(a);
    queue.mark(b);
    expect(log).toEqual([]); // nothing until the frame
    await new Promise(r => window.requestAnimationFrame(() => r(undefined)));
    await new Promise(r => setTimeout(r, 0));
    expect(log.sort()).toEqual(['a', 'b']);
    expect(queue.draws).toBe(2);
    expect(queue.pending).toBe(0);
    queue.dispose();
  });

  it('keeps an unseen chart marked until it is seen, and forgets removed ones', () => {
    const log: string[] = [];
    const queue = new DrawQueue(window);
    const a = item('a', log);
    queue.add(a);
    queue.mark(a);
    queue.delete(a);
    queue.flush();
    expect(log).toEqual([]);
    const b = item('b', log);
    queue.add(b);
    queue.mark(b);
    queue.flushAll();
    expect(log).toEqual(['b']);
    queue.dispose();
    queue.mark(b); // after dispose: ignored
    queue.flush();
    expect(log).toEqual(['b']);
  });
});
