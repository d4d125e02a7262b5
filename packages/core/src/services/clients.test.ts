import { describe, expect, it, vi } from 'vitest';
import { clientSource, ConnectionClientCache, secretFingerprint } from './clients.js';

const conn = { name: 'd', kind: 'drill', url: 'http://127.0.0.1:8047', timeoutMs: 1000 };

describe('ConnectionClientCache', () => {
  it('keeps one client per connection while its config and secret are unchanged', () => {
    const cache = new ConnectionClientCache<{ id: number }>();
    let id = 0;
    const build = vi.fn(() => ({ id: ++id }));
    const first = cache.get('d', { connection: conn }, build);
    // the same config in another key order is the same config
    const reordered = { timeoutMs: 1000, url: conn.url, kind: 'drill', name: 'd' };
    expect(cache.get('d', { connection: reordered }, build)).toBe(first);
    expect(cache.get('e', { connection: { ...conn, name: 'e' } }, build)).not.toBe(first);
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('rebuilds when the config or the secret fingerprint changes', () => {
    const cache = new ConnectionClientCache<object>();
    const build = vi.fn(() => ({}));
    const a = cache.get('d', { connection: conn, secretFingerprint: 'f1' }, build);
    const b = cache.get('d', { connection: conn, secretFingerprint: 'f2' }, build);
    const c = cache.get(
      'd',
      { connection: { ...conn, timeoutMs: 2000 }, secretFingerprint: 'f2' },
      build
    );
    expect(new Set([a, b, c]).size).toBe(3);
    expect(
      cache.get('d', { connection: { ...conn, timeoutMs: 2000 }, secretFingerprint: 'f2' }, build)
    ).toBe(c);
    cache.reset('d');
    expect(
      cache.get('d', { connection: { ...conn, timeoutMs: 2000 }, secretFingerprint: 'f2' }, build)
    ).not.toBe(c);
    cache.reset();
    expect(build).toHaveBeenCalledTimes(4);
  });

  it('does not keep a build that throws, gives nothing or rejects', async () => {
    const cache = new ConnectionClientCache<Promise<string> | string | undefined>();
    expect(() =>
      cache.get('d', { connection: conn }, () => {
        throw new Error('no password');
      })
    ).toThrow('no password');
    expect(cache.get('d', { connection: conn }, () => undefined)).toBeUndefined();
    expect(cache.get('d', { connection: conn }, () => 'built')).toBe('built');

    const failing = cache.get('f', { connection: conn }, () => Promise.reject(new Error('down')));
    await expect(failing).rejects.toThrow('down');
    await expect(cache.get('f', { connection: conn }, () => Promise.resolve('ok'))).resolves.toBe(
      'ok'
    );
    await expect(
      cache.get('f', { connection: conn }, () => Promise.resolve('again'))
    ).resolves.toBe('ok');
  });

  it('a rejection of a replaced build does not forget its successor', async () => {
    const cache = new ConnectionClientCache<Promise<string>>();
    let reject: (e: Error) => void = () => undefined;
    const old = cache.get(
      'd',
      { connection: conn },
      () => new Promise<string>((_, r) => (reject = r))
    );
    const next = cache.get(
      'd',
      { connection: { ...conn, url: 'http://other' } },
      async () => 'new'
    );
    reject(new Error('late'));
    await expect(old).rejects.toThrow('late');
    const build = vi.fn(async () => 'newer');
    expect(cache.get('d', { connection: { ...conn, url: 'http://other' } }, build)).toBe(next);
    expect(build).not.toHaveBeenCalled();
  });
});

describe('secretFingerprint', () => {
  it('is a SHA-256 hex digest that differs per value and does not contain it', async () => {
    const a = await secretFingerprint({ password: 'hunter2' });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toContain('hunter2');
    expect(await secretFingerprint({ password: 'hunter2' })).toBe(a);
    expect(await secretFingerprint({ password: 'hunter3' })).not.toBe(a);
    expect(await secretFingerprint({ token: 'hunter2' })).not.toBe(a);
    expect(await secretFingerprint({})).toBeUndefined();
    expect(await secretFingerprint({ password: undefined })).toBeUndefined();
  });
});

describe('clientSource', () => {
  it('keeps the secret out of the readable part and changes with it', async () => {
    const basic = {
      name: 'd',
      kind: 'drill' as const,
      url: 'http://127.0.0.1:8047',
      auth: { type: 'basic' as const, username: 'alice', password: 'inline-pw' }
    };
    const a = await clientSource(basic, { password: 'stored-pw' });
    expect(JSON.stringify(a.connection)).not.toMatch(/pw|alice/);
    expect(a.connection).toMatchObject({ url: basic.url, auth: 'basic' });
    expect(await clientSource(basic, { password: 'stored-pw' })).toEqual(a);
    const other = await clientSource(basic, { password: 'new-pw' });
    expect(other.secretFingerprint).not.toBe(a.secretFingerprint);
    const renamed = await clientSource(
      { ...basic, auth: { ...basic.auth, username: 'bob' } },
      { password: 'stored-pw' }
    );
    expect(renamed.secretFingerprint).not.toBe(a.secretFingerprint);
    expect(
      (await clientSource({ name: 'p', kind: 'prometheus' })).secretFingerprint
    ).toBeUndefined();
  });
});
