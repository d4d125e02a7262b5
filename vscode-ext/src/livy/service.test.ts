// LivyService against the real local Livy (http://127.0.0.1:8998): clients through core's service
// definition, the sessions controller per connection, and a Livy nobody listens for.
import { describe, expect, it } from 'vitest';
import type { ConnectionConfig } from '@radlab/core';
import { LIVY_URL, livyUnavailable } from '@radlab/core/testing/livy';
import { LivyService } from './service.js';

const livy: ConnectionConfig = {
  name: 'local-livy',
  kind: 'livy',
  url: LIVY_URL
};
const down: ConnectionConfig = {
  name: 'down-livy',
  kind: 'livy',
  url: 'http://127.0.0.1:1',
  timeoutMs: 3000
};
const drill: ConnectionConfig = { name: 'd', kind: 'drill', url: 'http://127.0.0.1:8047' };

function service(): LivyService {
  const all = [drill, livy, down];
  return new LivyService({
    list: async () => all,
    resolve: async name => {
      const config = all.find(c => c.name === name);
      return config ? { config, secrets: {} } : undefined;
    }
  });
}

describe('LivyService', () => {
  it('keeps Livy connections and refuses a name that is not one', async () => {
    const s = service();
    expect((await s.connections()).map(c => c.name)).toEqual(['local-livy', 'down-livy']);
    await expect(s.client('d')).rejects.toMatchObject({ code: 'config' });
    await expect(s.client('nope')).rejects.toThrow(/no Livy connection named "nope"/);
    s.dispose();
  });

  // without Livy's source release there is no Livy (core's testing/livy says why)
  it.skipIf(livyUnavailable !== undefined)(
    'lists the real Livy sessions through the controller',
    async () => {
      const s = service();
      const client = await s.client('local-livy');
      expect(await s.client('local-livy')).toBe(client);
      const controller = s.controller('local-livy');
      await controller.refresh();
      expect(controller.state.error).toBeUndefined();
      expect(controller.state.connection).toBe('local-livy');
      expect(Array.isArray(controller.state.sessions)).toBe(true);
      s.dispose();
    }
  );

  it('says Livy is unreachable, with a hint, when nothing listens', async () => {
    const s = service();
    const controller = s.controller('down-livy');
    await controller.refresh();
    expect(controller.state.error).toMatchObject({ code: 'unreachable', service: 'livy' });
    expect(controller.state.error?.hint).toBeTruthy();
    s.dispose();
  });
});
