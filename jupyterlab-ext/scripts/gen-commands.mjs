#!/usr/bin/env node
// Writes the lab's command ids (src/commands.generated.ts) from the command table, shared/commands.json
// (each feature's `lab` ids; VS Code's contributions come from the same table, see
// vscode-ext/scripts/gen-contributes.mjs), and the GPU plugin's settings schema (schema/gpu.json) from
// shared/schema/gpu-settings.schema.json (VS Code's radlab.gpu.* settings come from it too).
//
//   node scripts/gen-commands.mjs          rewrites src/commands.generated.ts and schema/gpu.json
//   node scripts/gen-commands.mjs --check  exits 1 if either is out of date (CI)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const COMMANDS_PATH = resolve(here, '../../shared/commands.json');
export const OUTPUT_PATH = resolve(here, '../src/commands.generated.ts');
export const GPU_SETTINGS_PATH = resolve(here, '../../shared/schema/gpu-settings.schema.json');
export const GPU_SCHEMA_PATH = resolve(here, '../schema/gpu.json');

/** The lab's settings schema of the GPU plugin (JupyterLab's schemaDir/gpu.json). */
export function gpuSchemaSource(shared) {
  const schema = { ...shared };
  delete schema.$comment;
  return (
    JSON.stringify({ 'jupyter.lab.setting-icon-label': 'Radlab GPU', ...schema }, null, 2) + '\n'
  );
}

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
  const outputs = [
    [OUTPUT_PATH, () => labCommandsSource(JSON.parse(readFileSync(COMMANDS_PATH, 'utf8')))],
    [GPU_SCHEMA_PATH, () => gpuSchemaSource(JSON.parse(readFileSync(GPU_SETTINGS_PATH, 'utf8')))]
  ];
  for (const [path, generate] of outputs) {
    const after = generate();
    const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (before === after) continue;
    if (argv.includes('--check')) {
      console.error(`${path} is out of date: run \`node jupyterlab-ext/scripts/gen-commands.mjs\``);
      process.exit(1);
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, after);
    console.log(`gen-commands: updated ${path}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2));
}
