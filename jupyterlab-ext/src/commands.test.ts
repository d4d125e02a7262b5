// The lab's command ids come from the command table (shared/commands.json), as VS Code's do.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS_PATH, OUTPUT_PATH, labCommandsSource } from '../scripts/gen-commands.mjs';
import { LAB_COMMANDS } from './commands.generated.js';

const table = JSON.parse(readFileSync(COMMANDS_PATH, 'utf8')) as {
  features: Record<string, { lab?: Record<string, string> }>;
};

describe('the lab command ids', () => {
  it('src/commands.generated.ts is up to date with shared/commands.json', () => {
    expect(readFileSync(OUTPUT_PATH, 'utf8')).toBe(labCommandsSource(table));
  });

  it('are unique and follow the radlab: prefix', () => {
    const ids = Object.values(LAB_COMMANDS).flatMap(f => Object.values(f) as string[]);
    expect(ids.length).toBeGreaterThan(5);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^radlab:[a-z-]+$/);
  });
});
