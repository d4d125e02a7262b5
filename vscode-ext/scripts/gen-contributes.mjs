#!/usr/bin/env node
// Generates from the shared sources what package.json contributes:
// - the `radlab.connections` settings from the one connection schema
//   (shared/schema/connections.schema.json), with every `x-secret` property (password, token) removed:
//   secrets live in SecretStorage only, never in settings.json;
// - contributes.commands, contributes.menus and activationEvents from the command table
//   (shared/commands.json), and src/commands.generated.ts (the command ids as a type).
//
//   node scripts/gen-contributes.mjs          rewrites package.json and src/commands.generated.ts
//   node scripts/gen-contributes.mjs --check  exits 1 if either is out of date (CI)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const SCHEMA_PATH = resolve(here, '../../shared/schema/connections.schema.json');
export const PACKAGE_JSON_PATH = resolve(here, '../package.json');
export const COMMANDS_PATH = resolve(here, '../../shared/commands.json');
export const COMMAND_IDS_PATH = resolve(here, '../src/commands.generated.ts');
export const GPU_SETTINGS_PATH = resolve(here, '../../shared/schema/gpu-settings.schema.json');

/**
 * The GPU settings: the thresholds from the shared schema (the lab's settings have the same), and
 * VS Code's own: which Prometheus connection and which job the status bar follows.
 */
export function gpuSettings(gpuSchema) {
  const out = {
    'radlab.gpu.connection': {
      type: 'string',
      default: '',
      markdownDescription:
        'The Prometheus connection of the GPU views and the status bar (empty: the first of kind `prometheus`). With no Prometheus connection, Radlab samples this machine’s GPUs with `nvidia-smi`.'
    },
    'radlab.gpu.job': {
      type: 'string',
      default: '',
      markdownDescription:
        'The job whose GPU utilization the status bar shows, as `namespace/pod` (empty: the job last picked with `Radlab: Open Job GPUs…`).'
    },
    'radlab.gpu.nvidiaSmiPath': {
      type: 'string',
      default: '',
      // application: user settings only, a workspace must not choose an executable to run (and, unlike
      // machine, code-server's remote extension host reads it from the user's settings.json)
      scope: 'application',
      markdownDescription:
        'The `nvidia-smi` executable of the local fallback (empty: `nvidia-smi` on PATH; e.g. `/usr/lib/wsl/lib/nvidia-smi` under WSL).'
    }
  };
  for (const [name, schema] of Object.entries(gpuSchema.properties)) {
    const rest = { ...schema };
    delete rest.title;
    out[`radlab.gpu.${name}`] = rest;
  }
  return out;
}

/** Keywords VS Code's settings schema does not need (or would misread without the root document). */
const DROPPED_KEYS = new Set(['$schema', '$id', 'definitions', '$defs']);

/** Resolves a local JSON pointer (`#/definitions/auth`) inside `root`. */
function resolvePointer(root, ref) {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node, part) => {
      if (node === undefined || node === null || !(part in node))
        throw new Error(`unresolvable $ref ${ref}`);
      return node[part];
    }, root);
}

/**
 * Returns a copy of `node` with local $refs inlined (the settings contribution is not a root
 * document, so `#/definitions/...` would point nowhere) and every property marked `x-secret`
 * removed, from `properties` and from `required` alike.
 */
export function stripSecrets(node, root = node, seen = []) {
  if (Array.isArray(node)) return node.map(item => stripSecrets(item, root, seen));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    if (seen.includes(node.$ref)) throw new Error(`recursive $ref ${node.$ref} cannot be inlined`);
    const { $ref, ...siblings } = node;
    return stripSecrets({ ...resolvePointer(root, $ref), ...siblings }, root, [...seen, $ref]);
  }
  const out = {};
  const secretNames = new Set();
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED_KEYS.has(key) || key === 'x-secret') continue;
    if (key === 'properties' && value && typeof value === 'object') {
      const props = {};
      for (const [name, schema] of Object.entries(value)) {
        if (schema && typeof schema === 'object' && schema['x-secret'] === true) {
          secretNames.add(name);
          continue;
        }
        props[name] = stripSecrets(schema, root, seen);
      }
      out.properties = props;
      continue;
    }
    out[key] = stripSecrets(value, root, seen);
  }
  if (Array.isArray(out.required) && secretNames.size > 0) {
    out.required = out.required.filter(name => !secretNames.has(name));
  }
  return out;
}

/** Lists the JSON paths of every property still marked x-secret (for the tests: must be empty). */
export function findSecretProperties(node, path = '') {
  if (Array.isArray(node))
    return node.flatMap((item, i) => findSecretProperties(item, `${path}/${i}`));
  if (node === null || typeof node !== 'object') return [];
  const found = node['x-secret'] === true ? [path] : [];
  return found.concat(
    Object.entries(node).flatMap(([key, value]) => findSecretProperties(value, `${path}/${key}`))
  );
}

/** The whole `contributes.configuration` object for package.json. */
export function buildConfiguration(schema, gpuSchema) {
  const connection = stripSecrets(resolvePointer(schema, '#/definitions/connection'), schema);
  return {
    title: 'Radlab',
    properties: {
      'radlab.connections': {
        type: 'array',
        // application: user settings only. A workspace must not be able to point a connection (and the
        // secret stored for its name) elsewhere; and unlike `machine`, a Global write lands in the user's
        // settings.json even in a remote window (code-server), not in the remote machine's settings.
        scope: 'application',
        default: [],
        markdownDescription:
          'The services Radlab connects to (Drill, Livy, WebHDFS/HttpFS/MapR, Kubernetes, Prometheus). ' +
          'Merged by `name` over `$RADLAB_CONFIG` (else `~/.config/radlab/connections.json`) and ' +
          '`$RADLAB_CONNECTIONS`. Passwords and tokens are **not** settings: use the command ' +
          "`Radlab: Set Secret`, which keeps them in VS Code's secret storage, or `passwordEnv` / " +
          '`tokenEnv` / `tokenFile`.',
        items: connection
      },
      ...(gpuSchema ? gpuSettings(gpuSchema) : {})
    }
  };
}

/**
 * What the command table contributes: every feature's commands (category from the table), the menus
 * they name (by menu, in table order) and the activation events (a feature's own, then onCommand for
 * each of its commands).
 */
export function buildCommandContributions(table) {
  const commands = [];
  const menus = {};
  const activationEvents = [];
  for (const feature of Object.values(table.features)) {
    activationEvents.push(...(feature.activationEvents ?? []));
    for (const { command, title, icon, menus: where } of feature.vscode ?? []) {
      commands.push({ command, title, category: table.category, icon });
      activationEvents.push(`onCommand:${command}`);
      for (const [menu, items] of Object.entries(where ?? {}))
        for (const item of items) (menus[menu] ??= []).push({ command, ...item });
    }
  }
  return { commands, menus, activationEvents };
}

/** src/commands.generated.ts: the ids the extension may register (registerFeature checks them). */
export function commandIdsSource(table) {
  const ids = Object.values(table.features).flatMap(f => (f.vscode ?? []).map(c => c.command));
  return [
    '// Generated from shared/commands.json by scripts/gen-contributes.mjs: do not edit.',
    'export const COMMAND_IDS = [',
    ...ids.map((id, i) => `  '${id}'${i < ids.length - 1 ? ',' : ''}`),
    '] as const;',
    '',
    'export type CommandId = (typeof COMMAND_IDS)[number];',
    ''
  ].join('\n');
}

/**
 * package.json text with `contributes.configuration`, `contributes.commands`, `contributes.menus` and
 * `activationEvents` replaced (2-space JSON, trailing newline).
 */
export function rewritePackageJson(packageJsonText, schema, table, gpuSchema) {
  const pkg = JSON.parse(packageJsonText);
  const { commands, menus, activationEvents } = buildCommandContributions(table);
  pkg.activationEvents = activationEvents;
  pkg.contributes = {
    ...(pkg.contributes ?? {}),
    commands,
    menus,
    configuration: buildConfiguration(schema, gpuSchema)
  };
  return JSON.stringify(pkg, null, 2) + '\n';
}

function main(argv) {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
  const table = JSON.parse(readFileSync(COMMANDS_PATH, 'utf8'));
  const gpuSchema = JSON.parse(readFileSync(GPU_SETTINGS_PATH, 'utf8'));
  const outputs = [
    [PACKAGE_JSON_PATH, text => rewritePackageJson(text, schema, table, gpuSchema)],
    [COMMAND_IDS_PATH, () => commandIdsSource(table)]
  ];
  for (const [path, generate] of outputs) {
    const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const after = generate(before);
    if (before === after) continue;
    if (argv.includes('--check')) {
      console.error(
        `${path} is out of date with shared/: run \`node vscode-ext/scripts/gen-contributes.mjs\``
      );
      process.exit(1);
    }
    writeFileSync(path, after);
    console.log(`gen-contributes: updated ${path}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2));
}
