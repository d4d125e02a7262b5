// Validation of connection lists from any source (file, env var, host settings) against the shared
// schema. Every problem becomes a `config` RadlabError that names the source and the field as a
// JSON pointer; invalid entries are dropped one by one so the valid ones still load.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ConnectionConfig, ConnectionSource } from '../connection.js';
import { RadlabError } from '../errors.js';
import { jsonErrorOffset, lineColumn } from './json-position.js';
import { connectionsSchema } from './schema.js';

export interface ConfigSourceRef {
  kind: ConnectionSource;
  /** File path, or the env var / setting name. Shown in messages. */
  path?: string;
}

export interface ParsedConnections {
  connections: ConnectionConfig[];
  errors: RadlabError[];
}

const SCHEMA_ID = 'https://radlab.dev/schema/connections.schema.json';

const SOURCE_LABELS: Record<ConnectionSource, string> = {
  defaults: 'shared/defaults.json',
  file: 'connections file',
  env: 'RADLAB_CONNECTIONS',
  jupyter: 'Jupyter config c.Radlab.connections',
  vscode: 'VS Code setting radlab.connections'
};

/** How a source is named in messages: its path, else a label for its kind. */
export function describeSource(source: ConfigSourceRef): string {
  return source.path ?? SOURCE_LABELS[source.kind];
}

let entryValidator: ValidateFunction | undefined;

function validateEntry(entry: unknown): ErrorObject[] {
  if (!entryValidator) {
    // strict: false because the schema carries the annotation keyword `x-secret`.
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addSchema(connectionsSchema as Record<string, unknown>, SCHEMA_ID);
    const fn = ajv.getSchema(`${SCHEMA_ID}#/definitions/connection`);
    if (!fn) throw new Error('connection schema has no #/definitions/connection');
    entryValidator = fn;
  }
  return entryValidator(entry) ? [] : [...(entryValidator.errors ?? [])];
}

function configError(
  source: ConfigSourceRef,
  pointer: string,
  message: string,
  hint: string,
  connection?: string
): RadlabError {
  const where = pointer === '' ? '' : ` ${pointer}`;
  return new RadlabError({
    code: 'config',
    service: 'radlab',
    message: `${describeSource(source)}:${where} ${message}`,
    hint,
    connection
  });
}

function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Per-field hints of config errors: `x-fieldHints` of the schema (Python reads the same). */
const FIELD_HINTS = connectionsSchema['x-fieldHints'] as Readonly<Record<string, string>>;

function hintFor(pointer: string, fallback: string): string {
  const segments = pointer.split('/').filter(s => s !== '' && !/^\d+$/.test(s));
  // The most specific known field wins: /connections/0/auth/username → auth.
  for (let i = segments.length - 1; i >= 0; i--) {
    const hint = FIELD_HINTS[segments[i]!];
    if (hint && segments[i] !== 'connections') return hint;
  }
  return fallback;
}

interface Issue {
  pointer: string;
  message: string;
  hint: string;
}

const AUTH_BRANCH = /^#\/definitions\/auth\/oneOf\/(\d+)\//;

function authBranches(): Array<string | undefined> {
  const definitions = connectionsSchema['definitions'] as Record<string, { oneOf?: unknown[] }>;
  return (definitions['auth']?.oneOf ?? []).map(branch => {
    const type = (branch as { properties?: { type?: { const?: string } } }).properties?.type?.const;
    return type;
  });
}

/** The subschema at an ajv schemaPath (relative to the connection definition unless it says otherwise). */
function schemaAt(path: string[]): unknown {
  const definitions = connectionsSchema['definitions'] as Record<string, unknown>;
  let node: unknown = path[0] === 'definitions' ? connectionsSchema : definitions['connection'];
  for (const token of path) {
    if (!isRecord(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/**
 * An if/then/else applies vacuously when the property its `if` tests is missing or itself invalid
 * (no kind → "then" of kind=files applies). Errors from such branches only add noise: drop them.
 */
function conditionHolds(entry: unknown, schemaPath: string, errors: ErrorObject[]): boolean {
  const segments = schemaPath.replace(/^#\//, '').split('/');
  for (let k = 0; k < segments.length; k++) {
    if (segments[k] !== 'then' && segments[k] !== 'else') continue;
    const condition = schemaAt([...segments.slice(0, k), 'if']);
    const properties = isRecord(condition) ? condition['properties'] : undefined;
    if (!isRecord(properties)) continue;
    for (const property of Object.keys(properties)) {
      if (!isRecord(entry) || entry[property] === undefined) return false;
      const pointer = `/${escapePointerToken(property)}`;
      const invalid = errors.some(
        e => e.instancePath === pointer && !/\/(then|else)\//.test(e.schemaPath)
      );
      if (invalid) return false;
    }
  }
  return true;
}

/** Turns ajv's raw errors for one entry into a short list of messages a user can act on. */
function issuesFor(entry: unknown, prefix: string, errors: ErrorObject[]): Issue[] {
  const issues: Issue[] = [];
  const branches = authBranches();
  const authOf = (instancePath: string): unknown => {
    let value: unknown = entry;
    for (const token of instancePath.split('/').slice(1)) {
      if (!isRecord(value)) return undefined;
      value = value[token.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    return value;
  };
  // Errors nested under an anyOf are summarised by the anyOf itself.
  const anyOfPaths = errors.filter(e => e.keyword === 'anyOf').map(e => e.schemaPath);

  for (const error of errors) {
    if (error.keyword === 'if') continue;
    if (!conditionHolds(entry, error.schemaPath, errors)) continue;
    if (anyOfPaths.some(p => error.schemaPath.startsWith(`${p}/`))) continue;

    // auth: keep only the errors of the branch the entry's "type" selects.
    const branchMatch = AUTH_BRANCH.exec(error.schemaPath);
    if (
      branchMatch ||
      (error.keyword === 'oneOf' && error.schemaPath.startsWith('#/definitions/auth'))
    ) {
      const authValue = authOf(error.instancePath.replace(/\/auth(\/.*)?$/, '/auth'));
      const type = isRecord(authValue) ? authValue['type'] : undefined;
      const selected = typeof type === 'string' ? branches.indexOf(type) : -1;
      if (error.keyword === 'oneOf') {
        if (selected === -1) {
          const authPointer = error.instancePath;
          issues.push({
            pointer: `${prefix}${authPointer}/type`,
            message: `must be one of ${branches.filter(Boolean).join(', ')}`,
            hint: FIELD_HINTS['auth']!
          });
        }
        continue;
      }
      if (Number(branchMatch![1]) !== selected) continue;
    }

    let pointer = `${prefix}${error.instancePath}`;
    let message = error.message ?? 'is invalid';
    switch (error.keyword) {
      case 'required': {
        const missing = (error.params as { missingProperty: string }).missingProperty;
        pointer = `${pointer}/${escapePointerToken(missing)}`;
        message = 'is required';
        break;
      }
      case 'additionalProperties': {
        const extra = (error.params as { additionalProperty: string }).additionalProperty;
        pointer = `${pointer}/${escapePointerToken(extra)}`;
        message = 'is not a known field';
        break;
      }
      case 'enum': {
        const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
        message = `must be one of ${allowed.map(v => String(v)).join(', ')}`;
        break;
      }
      case 'anyOf': {
        const options = errors
          .filter(e => e.keyword === 'required' && e.schemaPath.startsWith(`${error.schemaPath}/`))
          .map(e => (e.params as { missingProperty: string }).missingProperty);
        if (options.length > 0) message = `needs one of ${options.join(', ')}`;
        break;
      }
    }
    const fallback =
      error.keyword === 'additionalProperties'
        ? 'Remove the field or fix its spelling (see shared/schema/connections.schema.json).'
        : 'See shared/schema/connections.schema.json for the allowed fields and values.';
    const hint =
      error.keyword === 'additionalProperties'
        ? fallback
        : error.keyword === 'anyOf' && isRecord(entry) && entry['kind'] === 'kubernetes'
          ? FIELD_HINTS['kubernetes']!
          : hintFor(pointer, fallback);
    if (!issues.some(i => i.pointer === pointer && i.message === message)) {
      issues.push({ pointer, message, hint });
    }
  }
  return issues;
}

/**
 * Validates a parsed connections document (`{connections: [...]}` or a bare array) from one source.
 * Never throws: problems are returned as `config` errors and the offending entries are dropped.
 */
export function parseConnections(input: unknown, source: ConfigSourceRef): ParsedConnections {
  const errors: RadlabError[] = [];
  let list: unknown[];
  let prefix: string;
  if (Array.isArray(input)) {
    list = input;
    prefix = '';
  } else if (isRecord(input)) {
    for (const key of Object.keys(input)) {
      if (key !== 'connections' && key !== '$schema' && key !== '$comment') {
        errors.push(
          configError(
            source,
            `/${escapePointerToken(key)}`,
            'is not a known field',
            'The top level has only "connections" (and optionally "$schema").'
          )
        );
      }
    }
    const connections = input['connections'];
    if (connections === undefined) {
      errors.push(
        configError(source, '/connections', 'is required', 'Write {"connections": [ ... ]}.')
      );
      return { connections: [], errors };
    }
    if (!Array.isArray(connections)) {
      errors.push(
        configError(source, '/connections', 'must be array', 'Write {"connections": [ ... ]}.')
      );
      return { connections: [], errors };
    }
    list = connections;
    prefix = '/connections';
  } else {
    errors.push(
      configError(
        source,
        '',
        `must be an object {"connections": [...]} or an array, not ${input === null ? 'null' : typeof input}`,
        'Write {"connections": [ ... ]}.'
      )
    );
    return { connections: [], errors };
  }

  const valid: ConnectionConfig[] = [];
  const seen = new Map<string, number>();
  list.forEach((entry, index) => {
    const entryPrefix = `${prefix}/${index}`;
    const name = isRecord(entry) && typeof entry['name'] === 'string' ? entry['name'] : undefined;
    const issues = issuesFor(entry, entryPrefix, validateEntry(entry));
    if (issues.length > 0) {
      for (const issue of issues) {
        errors.push(configError(source, issue.pointer, issue.message, issue.hint, name));
      }
      return;
    }
    const connection = JSON.parse(JSON.stringify(entry)) as ConnectionConfig;
    const first = seen.get(connection.name);
    if (first !== undefined) {
      errors.push(
        configError(
          source,
          `${entryPrefix}/name`,
          `duplicates the name "${connection.name}" of ${prefix}/${first}`,
          'Connection names must be unique; rename or remove one of them.',
          connection.name
        )
      );
      return;
    }
    seen.set(connection.name, index);
    valid.push(connection);
  });
  return { connections: valid, errors };
}

/**
 * Parses JSON text from a file or env var, then validates it. Syntax errors become one `config`
 * error with the line and column; the parser's own message is not echoed (it quotes the input,
 * which may hold a secret).
 */
export function parseConnectionsText(text: string, source: ConfigSourceRef): ParsedConnections {
  if (text.trim() === '') {
    return {
      connections: [],
      errors: [
        configError(source, '', 'is empty', 'Write {"connections": [ ... ]} or remove the file.')
      ]
    };
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    void e; // its message quotes the input; the position comes from our own scanner
    const offset = jsonErrorOffset(text);
    const where = offset === undefined ? undefined : lineColumn(text, offset);
    const at = where ? ` at line ${where.line}, column ${where.column}` : '';
    return {
      connections: [],
      errors: [
        configError(
          source,
          '',
          `is not valid JSON${at}`,
          `Fix the JSON syntax${at ? ` near line ${where!.line}, column ${where!.column}` : ''}: usually a missing comma or quote, a trailing comma, or a comment.`
        )
      ]
    };
  }
  return parseConnections(input, source);
}

/** Merges lists by connection name; a later list's entry replaces an earlier one of the same name. */
export function mergeConnections(
  ...lists: ReadonlyArray<readonly ConnectionConfig[]>
): ConnectionConfig[] {
  const byName = new Map<string, ConnectionConfig>();
  for (const list of lists) {
    for (const connection of list) {
      byName.delete(connection.name);
      byName.set(connection.name, connection);
    }
  }
  return [...byName.values()];
}
