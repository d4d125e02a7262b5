// Tests of scripts/gen-contributes.mjs (the settings contribution generated from the connection schema).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildConfiguration,
  findSecretProperties,
  PACKAGE_JSON_PATH,
  rewritePackageJson,
  SCHEMA_PATH,
  stripSecrets,
  type JsonValue
} from '../scripts/gen-contributes.mjs';

const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as JsonValue;

describe('gen-contributes', () => {
  it('the source schema does mark secrets (or this test proves nothing)', () => {
    expect(findSecretProperties(schema).length).toBeGreaterThanOrEqual(2);
  });

  it('removes every x-secret property and inlines every $ref', () => {
    const configuration = buildConfiguration(schema);
    const items = configuration.properties['radlab.connections'].items;
    const text = JSON.stringify(items);
    expect(findSecretProperties(items)).toEqual([]);
    expect(text).not.toContain('"password"');
    expect(text).not.toContain('"token"');
    expect(text).not.toContain('$ref');
    expect(text).toContain('passwordEnv');
    expect(text).toContain('tokenFile');
    expect(text).toContain('"username"');
    expect(configuration.properties['radlab.connections'].scope).toBe('application');
  });

  it('drops secret names from `required` too', () => {
    const out = stripSecrets({
      type: 'object',
      properties: { a: { type: 'string' }, s: { type: 'string', 'x-secret': true } },
      required: ['a', 's']
    }) as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(out.properties)).toEqual(['a']);
    expect(out.required).toEqual(['a']);
  });

  it('refuses recursive and non-local refs', () => {
    expect(() =>
      stripSecrets({ definitions: { a: { $ref: '#/definitions/a' } }, $ref: '#/definitions/a' })
    ).toThrow(/recursive/);
    expect(() => stripSecrets({ $ref: 'http://x/y.json' })).toThrow(/local/);
  });

  it('the committed package.json is up to date with the schema', () => {
    const text = readFileSync(PACKAGE_JSON_PATH, 'utf8');
    expect(rewritePackageJson(text, schema)).toBe(text);
  });
});
