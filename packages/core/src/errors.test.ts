import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { codeForStatus, RadlabError, toErrorJSON, type ErrorCode } from './errors.js';
import { clearRegisteredSecrets, redact, redactUrl, registerSecret } from './redact.js';
import { everyRendering } from './testing/http.js';

const CODES: ErrorCode[] = [
  'unreachable',
  'timeout',
  'auth',
  'forbidden',
  'notFound',
  'conflict',
  'badRequest',
  'server',
  'badResponse',
  'cancelled',
  'config'
];

beforeEach(() => clearRegisteredSecrets());

describe('redaction', () => {
  it('masks credential patterns', () => {
    expect(redactUrl('https://alice:pw@host:8443/x')).toBe('https://***@host:8443/x');
    expect(redact('Authorization: Bearer abc.def.ghi-long')).not.toContain('abc.def.ghi-long');
    expect(redact('GET /webhdfs/v1/x?op=OPEN&delegation=XYZ123&user.name=bob')).toBe(
      'GET /webhdfs/v1/x?op=OPEN&delegation=***&user.name=bob'
    );
    expect(redact('{"password": "hunter22"}')).not.toContain('hunter22');
  });

  it('masks registered secrets anywhere, but not values too short to be secrets', () => {
    registerSecret('Zq9-very-secret');
    registerSecret('ab');
    expect(redact('x Zq9-very-secret y ab')).toBe('x *** y ab');
  });

  it.each(CODES)('no secret in message, hint, stack or JSON of a %s error', code => {
    const secret = 'S3cr3t-V4lue-for-test';
    registerSecret(secret);
    const error = new RadlabError({
      code,
      service: 'livy',
      connection: 'c',
      message: `failed with ${secret} at https://u:${secret}@h/x?token=${secret}`,
      hint: `try Authorization: Bearer ${secret}`,
      request: { method: 'GET', url: redactUrl(`https://h/x?token=${secret}`) },
      cause: new Error('low level')
    });
    expect(everyRendering(error)).not.toContain(secret);
    const json = error.toJSON();
    expect(json.code).toBe(code);
    expect(RadlabError.fromJSON(json).message).toBe(error.message);
    expect(error.hint.length).toBeGreaterThan(0);
  });
});

describe('codeForStatus', () => {
  it('maps statuses', () => {
    expect([401, 403, 404, 408, 409, 422, 500, 502, 504].map(codeForStatus)).toEqual([
      'auth',
      'forbidden',
      'notFound',
      'timeout',
      'conflict',
      'badRequest',
      'server',
      'server',
      'timeout'
    ]);
  });
});

describe('shared/test-vectors (run by the Python tests too)', () => {
  const vectors = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/test-vectors');
  const read = <T>(rel: string): T => JSON.parse(readFileSync(join(vectors, rel), 'utf8')) as T;

  it('redaction/cases.json: each input redacts to its output', () => {
    for (const v of read<{ name: string; input: string; output: string }[]>(
      'redaction/cases.json'
    )) {
      expect(redact(v.input), v.name).toBe(v.output);
    }
  });

  it('errors/status.json: each HTTP status maps to its code', () => {
    for (const v of read<{ status: number; code: ErrorCode }[]>('errors/status.json')) {
      expect(codeForStatus(v.status), String(v.status)).toBe(v.code);
    }
  });
});

describe('toErrorJSON', () => {
  it('keeps a RadlabError, adds the connection it lacks, and redacts', () => {
    const error = new RadlabError({ code: 'auth', service: 'drill', message: 'no', status: 401 });
    expect(toErrorJSON(error, 'local-drill')).toMatchObject({
      code: 'auth',
      service: 'drill',
      status: 401,
      connection: 'local-drill'
    });
    const named = new RadlabError({
      code: 'auth',
      service: 'drill',
      message: 'x',
      connection: 'a'
    });
    expect(toErrorJSON(named, 'b').connection).toBe('a');
    // a secret registered after the error was made is masked too
    const late = new RadlabError({ code: 'server', service: 'livy', message: 'echo s3cret-value' });
    registerSecret('s3cret-value');
    expect(toErrorJSON(late).message).toBe('echo ***');
  });

  it('anything else: the fallback code, service and hint, the message redacted', () => {
    expect(toErrorJSON(new Error('GET https://u:pw@h/x failed'))).toEqual({
      code: 'server',
      service: 'radlab',
      message: 'GET https://***@h/x failed',
      hint: RadlabError.defaultHint('server')
    });
    expect(
      toErrorJSON('boom', {
        connection: 'c',
        code: 'config',
        service: 'drill',
        hint: 'Try Refresh.'
      })
    ).toMatchObject({ code: 'config', service: 'drill', hint: 'Try Refresh.', connection: 'c' });
    expect(toErrorJSON('boom', { code: 'config' }).hint).toBe(RadlabError.defaultHint('config'));
  });
});
