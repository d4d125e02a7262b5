import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultConnections, connectionsSchema } from './schema.js';
import { mergeConnections, parseConnections, parseConnectionsText } from './validate.js';

interface Vector {
  name: string;
  input?: unknown;
  text?: string;
  valid: string[];
  errors: Array<{ pointer: string; messageIncludes: string }>;
  messageExcludes?: string[];
}

const vectorDir = new URL('../../../../shared/test-vectors/config/', import.meta.url);
const files = readdirSync(vectorDir).filter(f => f.endsWith('.json'));
const SOURCE = { kind: 'file' as const, path: '~/.config/radlab/connections.json' };

describe('shared config test vectors', () => {
  it('exist', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });
  for (const file of files) {
    const vectors = JSON.parse(readFileSync(new URL(file, vectorDir), 'utf8')) as Vector[];
    describe(file, () => {
      for (const vector of vectors) {
        it(vector.name, () => {
          const result =
            vector.text !== undefined
              ? parseConnectionsText(vector.text, SOURCE)
              : parseConnections(vector.input, SOURCE);
          expect(result.connections.map(c => c.name)).toEqual(vector.valid);
          const messages = result.errors.map(e => e.message);
          expect(messages, messages.join('\n')).toHaveLength(vector.errors.length);
          vector.errors.forEach((expected, i) => {
            const error = result.errors[i]!;
            expect(error.code).toBe('config');
            expect(error.service).toBe('radlab');
            expect(error.message.startsWith(`${SOURCE.path}:`)).toBe(true);
            if (expected.pointer) expect(error.message).toContain(`: ${expected.pointer} `);
            expect(error.message).toContain(expected.messageIncludes);
            expect(error.hint.length).toBeGreaterThan(10);
          });
          for (const secret of vector.messageExcludes ?? []) {
            for (const error of result.errors) {
              expect(JSON.stringify(error)).not.toContain(secret);
              expect(error.stack ?? '').not.toContain(secret);
            }
          }
        });
      }
    });
  }
});

describe('parseConnections', () => {
  it('names the env var for env sources and the entry in error.connection', () => {
    const { errors } = parseConnections([{ name: 'x', kind: 'drill', url: 'nope' }], {
      kind: 'env',
      path: 'RADLAB_CONNECTIONS'
    });
    expect(errors[0]!.message).toMatch(/^RADLAB_CONNECTIONS: \/0\/url must match/);
    expect(errors[0]!.connection).toBe('x');
    expect(errors[0]!.hint).toMatch(/http\(s\):\/\//);
  });

  it('labels a source without a path by its kind', () => {
    const { errors } = parseConnections({ connections: [{ name: 'x' }] }, { kind: 'vscode' });
    expect(errors[0]!.message).toMatch(
      /^VS Code setting radlab\.connections: \/connections\/0\/kind is required/
    );
  });

  it('rejects non-objects', () => {
    const { connections, errors } = parseConnections('nope', SOURCE);
    expect(connections).toEqual([]);
    expect(errors[0]!.message).toContain('must be an object');
  });

  it('returns copies, not the input objects', () => {
    const entry = { name: 'p', kind: 'prometheus', url: 'http://h:1' };
    const { connections } = parseConnections([entry], SOURCE);
    expect(connections[0]).toEqual(entry);
    expect(connections[0]).not.toBe(entry);
  });

  it('reports line and column of JSON syntax errors', () => {
    const { errors } = parseConnectionsText('{\n  "connections": [\n    oops\n  ]\n}', SOURCE);
    expect(errors[0]!.message).toMatch(/not valid JSON at line 3, column 5/);
  });

  it('accepts the shipped defaults and its own schema', () => {
    expect(
      parseConnections({ connections: defaultConnections }, { kind: 'defaults' }).errors
    ).toEqual([]);
    expect(connectionsSchema['$schema']).toBe('http://json-schema.org/draft-07/schema#');
  });
});

describe('mergeConnections', () => {
  it('merges by name, later wins', () => {
    const merged = mergeConnections(
      [
        { name: 'a', kind: 'drill', url: 'http://1' },
        { name: 'b', kind: 'drill', url: 'http://2' }
      ],
      [{ name: 'a', kind: 'drill', url: 'http://3' }],
      []
    );
    expect(merged.map(c => [c.name, c.url])).toEqual([
      ['b', 'http://2'],
      ['a', 'http://3']
    ]);
  });
});

describe('drillAuth', () => {
  const basic = { type: 'basic', username: 'analyst', passwordEnv: 'DRILL_PW' };
  it('accepts form and basic on drill connections with basic auth', () => {
    const result = parseConnections(
      {
        connections: [
          { name: 'f', kind: 'drill', url: 'http://d:8047', drillAuth: 'form', auth: basic },
          { name: 'b', kind: 'drill', url: 'http://d:8047', drillAuth: 'basic', auth: basic }
        ]
      },
      SOURCE
    );
    expect(result.errors).toEqual([]);
    expect(result.connections.map(c => c.name)).toEqual(['f', 'b']);
  });
  it('refuses form without basic auth, or on another kind, or an unknown value', () => {
    const result = parseConnections(
      {
        connections: [
          { name: 'noauth', kind: 'drill', url: 'http://d:8047', drillAuth: 'form' },
          { name: 'livy', kind: 'livy', url: 'http://l:8998', drillAuth: 'form', auth: basic },
          { name: 'odd', kind: 'drill', url: 'http://d:8047', drillAuth: 'kerberos' }
        ]
      },
      SOURCE
    );
    expect(result.connections).toEqual([]);
    expect(result.errors).toHaveLength(3);
  });
});
