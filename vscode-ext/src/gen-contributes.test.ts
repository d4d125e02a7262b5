// Tests of scripts/gen-contributes.mjs (the settings contribution generated from the connection schema,
// the commands, menus and activation events from the command table).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildCommandContributions,
  buildConfiguration,
  COMMAND_IDS_PATH,
  COMMANDS_PATH,
  commandIdsSource,
  findSecretProperties,
  GPU_SETTINGS_PATH,
  PACKAGE_JSON_PATH,
  rewritePackageJson,
  SCHEMA_PATH,
  stripSecrets,
  type CommandTable,
  type JsonValue
} from '../scripts/gen-contributes.mjs';

const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as JsonValue;
const table = JSON.parse(readFileSync(COMMANDS_PATH, 'utf8')) as CommandTable;
const gpuSchema = JSON.parse(readFileSync(GPU_SETTINGS_PATH, 'utf8')) as JsonValue;

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

  it('the GPU thresholds are settings, with the shared schema’s defaults', () => {
    const props = buildConfiguration(schema, gpuSchema).properties;
    expect(props['radlab.gpu.idleUtilizationPercent']).toMatchObject({ default: 5, maximum: 100 });
    expect(props['radlab.gpu.idleMinutes']).toMatchObject({ type: 'integer', default: 10 });
    expect(props['radlab.gpu.memoryNearLimitPercent']).toMatchObject({ default: 95 });
    expect(props['radlab.gpu.job']).toMatchObject({ type: 'string', default: '' });
  });

  it('refuses recursive and non-local refs', () => {
    expect(() =>
      stripSecrets({ definitions: { a: { $ref: '#/definitions/a' } }, $ref: '#/definitions/a' })
    ).toThrow(/recursive/);
    expect(() => stripSecrets({ $ref: 'http://x/y.json' })).toThrow(/local/);
  });

  it('the committed package.json is up to date with the schema and the command table', () => {
    const text = readFileSync(PACKAGE_JSON_PATH, 'utf8');
    expect(rewritePackageJson(text, schema, table, gpuSchema)).toBe(text);
    expect(readFileSync(COMMAND_IDS_PATH, 'utf8')).toBe(commandIdsSource(table));
  });

  it('writes the events of a feature, then onCommand for each of its commands, and their menus', () => {
    const out = buildCommandContributions({
      category: 'Radlab',
      features: {
        a: {
          activationEvents: ['onView:a'],
          vscode: [
            {
              command: 'x.one',
              title: 'One',
              icon: '$(add)',
              menus: { 'view/title': [{ when: 'w' }] }
            },
            { command: 'x.two', title: 'Two', icon: '$(edit)' }
          ]
        },
        b: { vscode: [{ command: 'y.three', title: 'Three', icon: '$(play)' }] }
      }
    });
    expect(out.activationEvents).toEqual([
      'onView:a',
      'onCommand:x.one',
      'onCommand:x.two',
      'onCommand:y.three'
    ]);
    expect(out.commands[0]).toEqual({
      command: 'x.one',
      title: 'One',
      category: 'Radlab',
      icon: '$(add)'
    });
    expect(out.menus).toEqual({ 'view/title': [{ command: 'x.one', when: 'w' }] });
  });
});
