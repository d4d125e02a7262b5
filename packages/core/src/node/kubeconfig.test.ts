// shared/test-vectors/kubeconfig: the Python package resolves the same kubeconfigs the same way
// (jupyterlab-ext/radlab/tests/test_shared_vectors.py).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RadlabError } from '../errors.js';
import { resolveKubeconfig } from './kubeconfig.js';

interface Vector {
  name: string;
  kubeconfig: unknown;
  context?: string;
  expected?: Record<string, unknown>;
  error?: string;
}

const vectors = JSON.parse(
  readFileSync(
    join(
      dirname(fileURLToPath(import.meta.url)),
      '../../../../shared/test-vectors/kubeconfig/cases.json'
    ),
    'utf8'
  )
) as Vector[];
const dir = mkdtempSync(join(tmpdir(), 'radlab-kube-vectors-'));

describe('shared/test-vectors/kubeconfig (run by the Python tests too)', () => {
  it.each(vectors.map((v, i) => [v.name, v, i] as const))('%s', async (_name, v, i) => {
    const path = join(dir, `config-${i}`);
    writeFileSync(path, JSON.stringify(v.kubeconfig), { mode: 0o600 });
    const run = resolveKubeconfig(path, v.context, { env: { HOME: dir } });
    if (v.error !== undefined) {
      const e = await run.then(
        () => undefined,
        (err: unknown) => err
      );
      expect(RadlabError.isRadlabError(e) && e.code).toBe('config');
      expect((e as RadlabError).message).toContain(v.error);
      return;
    }
    const target = await run;
    const got: Record<string, unknown> = {
      server: target.server,
      context: target.context,
      insecureSkipVerify: target.insecureSkipVerify
    };
    for (const key of ['token', 'username', 'password'] as const) {
      if (target[key] !== undefined) got[key] = target[key];
    }
    expect(got).toEqual(v.expected);
  });
});
