import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultConfigPath, loadConnections } from './load.js';
import { defaultConnections } from '../config/schema.js';

let home = '';
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'radlab-home-'));
});

function writeConfig(path: string, body: unknown, mode = 0o600): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  chmodSync(path, mode);
  return path;
}

const prom = (name: string, port = 9090) => ({
  name,
  kind: 'prometheus',
  url: `http://127.0.0.1:${port}`
});

// The local stack grows (shared/defaults.json); these tests follow it.
const DEFAULT_NAMES = defaultConnections.map(c => c.name);

describe('loadConnections', () => {
  it('falls back to the shared defaults when nothing is configured', async () => {
    const r = await loadConnections({ env: { HOME: home } });
    expect(r.connections.map(c => c.name)).toEqual(DEFAULT_NAMES);
    expect(r.errors).toEqual([]);
    expect(r.sources).toEqual([{ kind: 'defaults', names: DEFAULT_NAMES }]);
    expect(r.origins['local-prometheus']).toEqual({ kind: 'defaults' });
  });

  it('reads ~/.config/radlab/connections.json; defaults are then not used', async () => {
    const path = writeConfig(defaultConfigPath({ HOME: home }), { connections: [prom('mine')] });
    expect(path).toBe(join(home, '.config', 'radlab', 'connections.json'));
    const r = await loadConnections({ env: { HOME: home } });
    expect(r.connections.map(c => c.name)).toEqual(['mine']);
    expect(r.sources).toEqual([{ kind: 'file', path, names: ['mine'] }]);
  });

  it('$RADLAB_CONFIG (with ~) replaces the default file; a missing one is a config error', async () => {
    writeConfig(defaultConfigPath({ HOME: home }), { connections: [prom('default-file')] });
    writeConfig(join(home, 'alt.json'), [prom('alt')]);
    const r = await loadConnections({ env: { HOME: home, RADLAB_CONFIG: '~/alt.json' } });
    expect(r.connections.map(c => c.name)).toEqual(['alt']);

    const missing = await loadConnections({
      env: { HOME: home, RADLAB_CONFIG: join(home, 'nope.json') }
    });
    expect(missing.errors).toHaveLength(1);
    expect(missing.errors[0]!.code).toBe('config');
    expect(missing.errors[0]!.message).toContain(join(home, 'nope.json'));
    expect(missing.errors[0]!.message).toContain('RADLAB_CONFIG');
    expect(missing.connections.map(c => c.name)).toEqual(DEFAULT_NAMES);
  });

  it('precedence: file < RADLAB_CONNECTIONS < host config, merged by name', async () => {
    writeConfig(defaultConfigPath({ HOME: home }), {
      connections: [prom('a', 1), prom('b', 1), prom('c', 1)]
    });
    const r = await loadConnections({
      env: { HOME: home, RADLAB_CONNECTIONS: JSON.stringify([prom('b', 2), prom('c', 2)]) },
      extra: { connections: [prom('c', 3)] },
      extraSource: 'jupyter'
    });
    expect(r.connections.map(c => [c.name, c.url])).toEqual([
      ['a', 'http://127.0.0.1:1'],
      ['b', 'http://127.0.0.1:2'],
      ['c', 'http://127.0.0.1:3']
    ]);
    expect(r.origins['c']).toEqual({ kind: 'jupyter' });
    expect(r.origins['b']).toEqual({ kind: 'env', path: 'RADLAB_CONNECTIONS' });
    expect(r.sources.map(s => s.kind)).toEqual(['file', 'env', 'jupyter']);
  });

  it('an invalid entry is reported with file and pointer; the rest still load', async () => {
    const path = writeConfig(join(home, 'c.json'), {
      connections: [prom('ok'), { name: 'bad', kind: 'prometheus', url: 'nope' }]
    });
    const r = await loadConnections({ file: path, env: { HOME: home } });
    expect(r.connections.map(c => c.name)).toEqual(['ok']);
    expect(r.errors.map(e => e.message)).toEqual([
      expect.stringMatching(new RegExp(`^${path}: /connections/1/url must match`))
    ]);
  });

  it('JSON syntax errors in the file and in RADLAB_CONNECTIONS name the source and line', async () => {
    const path = writeConfig(join(home, 'c.json'), '{\n  "connections": [\n  ,]\n}');
    const r = await loadConnections({
      file: path,
      env: { HOME: home, RADLAB_CONNECTIONS: '[{"name": }]' }
    });
    expect(r.errors.map(e => e.message)).toEqual([
      `${path}: is not valid JSON at line 3, column 3`,
      'RADLAB_CONNECTIONS: is not valid JSON at line 1, column 11'
    ]);
  });

  it('warns when a file with inline secrets is readable by others', async () => {
    const secretful = {
      connections: [
        {
          name: 'livy',
          kind: 'livy',
          url: 'http://livy:8998',
          auth: { type: 'basic', username: 'u', password: 'inline-pass-123' }
        }
      ]
    };
    const open = writeConfig(join(home, 'open.json'), secretful, 0o644);
    const r = await loadConnections({ file: open, env: { HOME: home } });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]!.message).toContain('mode 644');
    expect(r.warnings[0]!.hint).toContain(`chmod 600 ${open}`);
    expect(JSON.stringify(r.warnings[0])).not.toContain('inline-pass-123');

    const closed = writeConfig(join(home, 'closed.json'), secretful, 0o600);
    expect((await loadConnections({ file: closed, env: { HOME: home } })).warnings).toEqual([]);
    const noSecrets = writeConfig(join(home, 'plain.json'), [prom('p')], 0o644);
    expect((await loadConnections({ file: noSecrets, env: { HOME: home } })).warnings).toEqual([]);
  });
});
