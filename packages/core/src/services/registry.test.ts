import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SERVICE_KINDS } from '../connection.js';
import { DrillClient } from '../drill/client.js';
import { Transport } from '../transport/transport.js';
import { SERVICES, serviceDefinition } from './registry.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('service registry', () => {
  it('has one folder per kind, each exporting its definition, and nothing else', async () => {
    const folders = readdirSync(here).filter(f => statSync(join(here, f)).isDirectory());
    expect(folders.sort()).toEqual([...SERVICE_KINDS].sort());
    for (const kind of SERVICE_KINDS) {
      const mod = (await import(pathToFileURL(join(here, kind, 'index.ts')).href)) as Record<
        string,
        unknown
      >;
      expect(Object.keys(mod), kind).toEqual([kind]);
      expect(mod[kind], kind).toBe(SERVICES[kind]);
      expect(SERVICES[kind].kind).toBe(kind);
      expect(typeof SERVICES[kind].probe).toBe('function');
    }
  });

  it('looks kinds up, and knows no others', () => {
    expect(serviceDefinition('drill')?.title).toBe('Apache Drill');
    expect(serviceDefinition('bogus')).toBeUndefined();
    expect(serviceDefinition('toString')).toBeUndefined();
  });

  it('builds a Drill client from a transport and a connection', () => {
    const transport = new Transport({ service: 'drill', baseURL: 'http://127.0.0.1:8047' });
    const client = SERVICES.drill.createClient?.(transport, {
      name: 'd',
      kind: 'drill',
      url: 'http://127.0.0.1:8047'
    });
    expect(client).toBeInstanceOf(DrillClient);
  });
});
