// A small axial volume for tests of the viewer's parts: 3 × 4 × 5, values 0..59 (i fastest).
import type { Volume } from '@radlab/imaging';

export function smallVolume(overrides: Partial<Volume> = {}): Volume {
  return {
    dims: [3, 4, 5],
    frames: 1,
    data: new Int16Array(60).map((_, n) => n),
    spacing: [0.5, 0.75, 2],
    origin: [0, 0, 0],
    direction: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1]
    ],
    rescale: { slope: 1, intercept: 0 },
    windows: [],
    warnings: [],
    ...overrides
  };
}
