import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConnectionConfig } from '../connection.js';
import { redact } from '../redact.js';
import { everyRendering } from '../testing/http.js';
import { resolveAuth } from './auth.js';

const conn = (auth: ConnectionConfig['auth']): ConnectionConfig => ({
  name: 'c',
  kind: 'livy',
  url: 'http://livy:8998',
  auth
});

describe('resolveAuth', () => {
  it('none and hdfsUser pass through; missing auth is none', async () => {
    expect(await resolveAuth(conn(undefined))).toEqual({ type: 'none' });
    expect(await resolveAuth(conn({ type: 'hdfsUser', user: 'u' }))).toEqual({
      type: 'hdfsUser',
      user: 'u'
    });
  });

  it('precedence: inline → secrets argument → env var → token file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radlab-auth-'));
    writeFileSync(join(dir, 'token'), 'file-token-1234\n');
    const bearer = { type: 'bearer' as const, tokenEnv: 'TOK', tokenFile: join(dir, 'token') };
    const env = { TOK: 'env-token-1234' };
    expect(
      await resolveAuth(conn({ ...bearer, token: 'inline-token-1234' }), { token: 's' }, env)
    ).toEqual({
      type: 'bearer',
      token: 'inline-token-1234'
    });
    expect(await resolveAuth(conn(bearer), { token: 'secret-store-1234' }, env)).toEqual({
      type: 'bearer',
      token: 'secret-store-1234'
    });
    expect(await resolveAuth(conn(bearer), {}, env)).toEqual({
      type: 'bearer',
      token: 'env-token-1234'
    });
    expect(await resolveAuth(conn(bearer), {}, {})).toEqual({
      type: 'bearer',
      token: 'file-token-1234'
    });
    // every resolved value is now masked
    expect(redact('file-token-1234 env-token-1234')).toBe('*** ***');
  });

  it('~ in tokenFile is expanded against HOME', async () => {
    const home = mkdtempSync(join(tmpdir(), 'radlab-home-'));
    writeFileSync(join(home, '.tok'), 'home-token-5678');
    expect(
      await resolveAuth(conn({ type: 'bearer', tokenFile: '~/.tok' }), {}, { HOME: home })
    ).toEqual({
      type: 'bearer',
      token: 'home-token-5678'
    });
  });

  it('basic: password from env; errors name the variable or file, never a value', async () => {
    expect(
      await resolveAuth(
        conn({ type: 'basic', username: 'u', passwordEnv: 'PW' }),
        {},
        { PW: 'env-pass-999' }
      )
    ).toEqual({ type: 'basic', username: 'u', password: 'env-pass-999' });
    await expect(
      resolveAuth(conn({ type: 'basic', username: 'u', passwordEnv: 'PW' }), {}, {})
    ).rejects.toMatchObject({
      code: 'config',
      message: expect.stringContaining('PW')
    });
    await expect(resolveAuth(conn({ type: 'basic', username: 'u' }), {}, {})).rejects.toMatchObject(
      { code: 'config' }
    );
    const e = await resolveAuth(
      conn({ type: 'bearer', tokenFile: '/nonexistent/tok' }),
      {},
      {}
    ).catch(x => x);
    expect(e.code).toBe('config');
    expect(e.message).toContain('/nonexistent/tok');
    expect(everyRendering(e)).not.toContain('env-pass-999');
  });
});
