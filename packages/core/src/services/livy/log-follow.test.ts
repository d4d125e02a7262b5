import { describe, expect, it } from 'vitest';
import { LogFollower, newLines, splitStreams } from './log-follow.js';

describe('Livy log following', () => {
  it('splits a batch log into its streams', () => {
    expect(splitStreams(['stdout: ', 'a', 'b', '\nstderr: ', 'x'])).toEqual({
      stdout: ['a', 'b'],
      stderr: ['x'],
      log: []
    });
    expect(splitStreams(['l1', 'l2']).log).toEqual(['l1', 'l2']);
  });

  it('finds new lines when the window shifts (Livy keeps the last 200)', () => {
    expect(newLines([], ['a'])).toEqual(['a']);
    expect(newLines(['a', 'b'], ['a', 'b', 'c'])).toEqual(['c']);
    expect(newLines(['a', 'b', 'c'], ['b', 'c', 'd', 'e'])).toEqual(['d', 'e']);
    expect(newLines(['a', 'b'], ['a', 'b'])).toEqual([]);
    expect(newLines(['a', 'b'], ['x', 'y'])).toEqual(['x', 'y']);
  });

  it('reports stdout lines that appear before stderr in the combined log', () => {
    const follower = new LogFollower();
    expect(follower.update(['stdout: ', 'o1', '\nstderr: ', 'e1'])).toEqual([
      { stream: 'stdout', line: 'o1' },
      { stream: 'stderr', line: 'e1' }
    ]);
    expect(follower.update(['stdout: ', 'o1', 'o2', '\nstderr: ', 'e1'])).toEqual([
      { stream: 'stdout', line: 'o2' }
    ]);
  });
});
