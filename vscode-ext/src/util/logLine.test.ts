import { afterEach, describe, expect, it } from 'vitest';
import { clearRegisteredSecrets, RadlabError, registerSecret } from '@radlab/core';
import { formatArg, logLine } from './logLine.js';

afterEach(() => clearRegisteredSecrets());

describe('logLine', () => {
  it('masks registered secrets wherever they appear', () => {
    registerSecret('hunter22-secret');
    const line = logLine('check failed', [
      new Error('login with hunter22-secret refused'),
      { pw: 'hunter22-secret' }
    ]);
    expect(line).not.toContain('hunter22-secret');
    expect(line).toContain('check failed Error: login with *** refused');
  });

  it('masks credential-looking text even when not registered', () => {
    const line = logLine('GET http://analyst:pa55@drill:8047/status', [
      'Authorization: Basic YW5hbHlzdDpwYTU1'
    ]);
    expect(line).not.toContain('pa55');
    expect(line).not.toContain('YW5hbHlzdDpwYTU1');
  });

  it('formats errors with their code, and any value', () => {
    const err = new RadlabError({
      code: 'unreachable',
      service: 'drill',
      message: 'connection refused'
    });
    expect(formatArg(err)).toBe('RadlabError [unreachable]: connection refused');
    expect(formatArg(42)).toBe('42');
    expect(formatArg(undefined)).toBe('undefined');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(formatArg(cyclic)).toBe('[object Object]');
  });
});
