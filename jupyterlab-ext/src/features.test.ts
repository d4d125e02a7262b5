import { describe, expect, it } from 'vitest';
import { FeatureRegistry } from './features.js';

const drill = { id: 'drill', label: 'Drill SQL', kinds: ['drill' as const], commands: {} };

describe('FeatureRegistry', () => {
  it('adds a feature once, and removes it when the returned disposable is disposed', () => {
    const registry = new FeatureRegistry();
    let changes = 0;
    registry.changed.connect(() => changes++);
    const added = registry.add(drill);
    expect(registry.get('drill')).toBe(drill);
    expect(() => registry.add({ ...drill })).toThrow(/already added/);
    added.dispose();
    expect(registry.features).toEqual([]);
    added.dispose();
    expect(changes).toBe(2);
  });
});
