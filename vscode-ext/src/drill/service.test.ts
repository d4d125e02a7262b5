import { describe, expect, it, vi } from 'vitest';
import type { ConnectionConfig, DrillClient } from '@radlab/core';
import { DrillService } from './service.js';

const drill: ConnectionConfig = { name: 'd', kind: 'drill', url: 'http://127.0.0.1:8047' };
const prom: ConnectionConfig = { name: 'p', kind: 'prometheus', url: 'http://127.0.0.1:9090' };

function fakeClient() {
  return {
    schemas: vi.fn(async () => [{ name: 'dfs.radlab', type: 'file', mutable: true }]),
    tables: vi.fn(async (schema: string) => [{ schema, name: 'studies.csv', type: 'FILE' }]),
    columns: vi.fn(async () => ({
      source: 'probe',
      columns: [{ name: 'a', type: 'VARCHAR', position: 1 }]
    }))
  };
}

describe('DrillService', () => {
  it('keeps Drill connections, caches clients and introspection until reset', async () => {
    const client = fakeClient();
    const createClient = vi.fn(async () => client as unknown as DrillClient);
    const service = new DrillService({
      list: async () => [prom, drill],
      resolve: async name => (name === 'd' ? { config: drill, secrets: {} } : undefined),
      createClient
    });
    expect((await service.connections()).map(c => c.name)).toEqual(['d']);
    await service.schemas('d');
    await service.schemas('d');
    await service.tables('d', 'dfs.radlab');
    await service.tables('d', 'dfs.radlab');
    await service.columns('d', 'dfs.radlab', 'studies.csv');
    await service.columns('d', 'dfs.radlab', 'studies.csv');
    expect(createClient).toHaveBeenCalledTimes(1);
    expect(client.schemas).toHaveBeenCalledTimes(1);
    expect(client.tables).toHaveBeenCalledTimes(1);
    expect(client.columns).toHaveBeenCalledTimes(1);
    const cache = service.known('d');
    expect(cache.schemas).toEqual(['dfs.radlab']);
    expect(cache.tables.get('dfs.radlab')).toHaveLength(1);
    expect(cache.columns.size).toBe(1);
    service.reset();
    await service.schemas('d');
    expect(createClient).toHaveBeenCalledTimes(2);
    expect(client.schemas).toHaveBeenCalledTimes(2);
  });

  it('fails with a config error for an unknown connection and does not cache the failure', async () => {
    let known = false;
    const service = new DrillService({
      list: async () => [drill],
      resolve: async () => (known ? { config: drill, secrets: {} } : undefined),
      createClient: async () => fakeClient() as unknown as DrillClient
    });
    await expect(service.client('d')).rejects.toMatchObject({ code: 'config' });
    known = true;
    await new Promise(r => setTimeout(r, 0));
    await expect(service.client('d')).resolves.toBeDefined();
  });

  it('builds a new client when the secret changes (core client cache)', async () => {
    let password = 'one';
    const createClient = vi.fn(async () => fakeClient() as unknown as DrillClient);
    const service = new DrillService({
      list: async () => [drill],
      resolve: async () => ({ config: drill, secrets: { password } }),
      createClient
    });
    const first = await service.client('d');
    expect(await service.client('d')).toBe(first);
    await service.schemas('d');
    expect(service.known('d').schemas).toEqual(['dfs.radlab']);
    password = 'two';
    expect(await service.client('d')).not.toBe(first);
    expect(createClient).toHaveBeenCalledTimes(2);
    // the new client starts with an empty catalog (it may be another Drill)
    await service.catalog('d');
    expect(service.known('d').schemas).toBeUndefined();
  });
});
