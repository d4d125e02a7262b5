// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { firePointer } from './testing/pointer.js';
import { CanvasInput, dragModeOf, keyIntent, WheelSteps, type Intent } from './intents.js';

const mods = { ctrlKey: false, metaKey: false, shiftKey: false, altKey: false };

describe('dragModeOf', () => {
  it('maps buttons and modifiers as Cornerstone does', () => {
    expect(dragModeOf({ ...mods, button: 0 })).toBe('window');
    expect(dragModeOf({ ...mods, button: 2 })).toBe('zoom');
    expect(dragModeOf({ ...mods, button: 0, ctrlKey: true })).toBe('zoom');
    expect(dragModeOf({ ...mods, button: 1 })).toBe('pan');
    expect(dragModeOf({ ...mods, button: 0, shiftKey: true })).toBe('pan');
    expect(dragModeOf({ ...mods, button: 3 })).toBeUndefined();
  });
});

describe('keyIntent', () => {
  it('steps by one, by a tenth, to the ends; R resets unless modified', () => {
    expect(keyIntent({ ...mods, key: 'ArrowDown' }, 40)).toEqual({ kind: 'step', delta: 1 });
    expect(keyIntent({ ...mods, key: 'PageUp' }, 40)).toEqual({ kind: 'step', delta: -4 });
    expect(keyIntent({ ...mods, key: 'Home' }, 40)).toEqual({ kind: 'step', delta: -40 });
    expect(keyIntent({ ...mods, key: 'r' }, 40)).toEqual({ kind: 'reset' });
    expect(keyIntent({ ...mods, key: 'r', ctrlKey: true }, 40)).toBeUndefined();
    expect(keyIntent({ ...mods, key: 'x' }, 40)).toBeUndefined();
  });
});

describe('WheelSteps', () => {
  it('steps one slice per notch and adds up small trackpad deltas', () => {
    const w = new WheelSteps();
    expect(w.add(120, 0)).toBe(1);
    expect(w.add(-3, 1)).toBe(-1);
    expect([10, 10, 10].map(d => w.add(d, 0))).toEqual([0, 0, 0]);
    expect(w.add(10, 0)).toBe(1);
  });
});

describe('CanvasInput', () => {
  const ctrl = new AbortController();
  afterEach(() => document.body.replaceChildren());

  function setup(state = { ready: true, rgb: false, count: 10 }) {
    const node = document.createElement('div');
    node.tabIndex = 0;
    const canvas = document.createElement('canvas');
    node.append(canvas);
    document.body.append(node);
    const seen: Intent[] = [];
    new CanvasInput({ canvas, node, state: () => state }, i => seen.push(i), ctrl.signal);
    const fire = (type: string, x: number, y: number, init: MouseEventInit = {}): void =>
      firePointer(canvas, type, x, y, init);
    return { node, canvas, seen, fire };
  }

  it('tells a click (the point of interest) from a drag (window/level)', () => {
    const { seen, fire } = setup();
    fire('pointerdown', 10, 10, { button: 0 });
    fire('pointerup', 11, 10, { button: 0 });
    expect(seen.map(i => i.kind)).toEqual(['dragStart', 'dragEnd', 'point']);
    seen.length = 0;
    fire('pointerdown', 10, 10, { button: 0 });
    fire('pointermove', 30, 10);
    fire('pointerup', 30, 10, { button: 0 });
    expect(seen).toContainEqual({ kind: 'drag', mode: 'window', dx: 20, dy: 0 });
    expect(seen.map(i => i.kind)).not.toContain('point');
  });

  it('never drags a window over RGB, ignores input without an image and keys in inputs', () => {
    const rgb = setup({ ready: true, rgb: true, count: 1 });
    rgb.fire('pointerdown', 10, 10, { button: 0 });
    rgb.fire('pointermove', 40, 10);
    expect(rgb.seen.map(i => i.kind)).toEqual(['hover']);
    const empty = setup({ ready: false, rgb: false, count: 0 });
    empty.fire('pointerdown', 10, 10, { button: 0 });
    empty.node.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    expect(empty.seen).toEqual([]);
    const keys = setup();
    const input = document.createElement('input');
    keys.node.append(input);
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    expect(keys.seen).toEqual([]);
    keys.node.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    expect(keys.seen).toEqual([{ kind: 'step', delta: 10 }]);
  });
});
