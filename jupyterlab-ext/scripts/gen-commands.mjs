#!/usr/bin/env node
// Writes the lab's command ids (src/commands.generated.ts) from the command table, shared/commands.json
// (each feature's `lab` ids; VS Code's contributions come from the same table, see
// vscode-ext/scripts/gen-contributes.mjs).
//
//   node scripts/gen-commands.mjs          rewrites src/commands.generated.ts
//   node scripts/gen-commands.mjs --check  exits 1 if it is out of date (CI)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const COMMANDS_PATH = resolve(here, '../../shared/commands.json');
export const OUTPUT_PATH = resolve(here, '../src/commands.generated.ts');

/** The TS module: one `as const` object of ids per feature that has lab commands. */
export function labCommandsSource(table) {
  const lines = [
    '// Generated from shared/commands.json by scripts/gen-commands.mjs: do not edit.',
    '',
    'export const LAB_COMMANDS = {'
  ];
  const features = Object.entries(table.features).filter(([, f]) => f.lab);
  features.forEach(([feature, f], i) => {
    lines.push(`  ${feature}: {`);
    const ids = Object.entries(f.lab);
    ids.forEach(([key, id], j) =>
      lines.push(`    ${key}: '${id}'${j < ids.length - 1 ? ',' : ''}`)
    );
    lines.push(`  }${i < features.length - 1 ? ',' : ''}`);
  });
  lines.push('} as const;', '');
  return lines.join('\n');
}

function main(argv) {
  const after = labCommandsSource(JSON.parse(readFileSync(COMMANDS_PATH, 'utf8')));
  const before = existsSync(OUTPUT_PATH) ? readFileSync(OUTPUT_PATH, 'utf8') : '';
  if (before === after) return;
  if (argv.includes('--check')) {
    console.error(
      `${OUTPUT_PATH} is out of date: run \`node jupyterlab-ext/scripts/gen-commands.mjs\``
    );
    process.exit(1);
  }
  writeFileSync(OUTPUT_PATH, after);
  console.log(`gen-commands: updated ${OUTPUT_PATH}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2));
}
