// Spawns the built CLI (bin/radlab.js) against the local stack's real Kubernetes API server (kwok GPU
// nodes): submit (and its safe repeat), list, get, quota, delete, and RBAC's refusal.

import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KUBECONFIG, kubernetesUnavailable } from '@radlab/core/testing/kubernetes';
import { templateOf } from './jobs.js';
import { buildCli, type CliRun, runCli } from './testing/cli.js';

let home = '';
let config = '';

function radlab(args: string[]): Promise<CliRun> {
  return runCli(['-c', config, ...args], { home, timeout: 120_000 });
}

describe('radlab jobs submit: the template', () => {
  it('takes the flags and the command after --', async () => {
    const t = await templateOf(undefined, ['python', 'train.py'], {
      image: 'pytorch:24',
      gpus: 2,
      namespace: 'mri',
      name: 'unet',
      gpuType: 'Tesla-T4',
      owner: 'ana'
    });
    expect(t).toMatchObject({
      name: 'unet',
      namespace: 'mri',
      image: 'pytorch:24',
      gpus: 2,
      gpuProduct: 'Tesla-T4',
      command: ['python', 'train.py'],
      owner: 'ana',
      source: 'radlab-cli'
    });
  });
});

describe.skipIf(kubernetesUnavailable !== undefined)(
  'radlab jobs against a real API server',
  { timeout: 180_000 },
  () => {
    beforeAll(() => {
      buildCli();
      home = mkdtempSync(join(tmpdir(), 'radlab-cli-jobs-'));
      config = join(home, 'connections.json');
      writeFileSync(
        config,
        JSON.stringify({
          connections: [
            {
              name: 'rancher-local',
              kind: 'kubernetes',
              kubeconfig: KUBECONFIG,
              context: 'radlab-local'
            },
            {
              name: 'rancher-viewer',
              kind: 'kubernetes',
              kubeconfig: KUBECONFIG,
              context: 'radlab-local-viewer'
            }
          ]
        })
      );
      chmodSync(config, 0o600);
    }, 170_000);

    it('submits once per request id, lists, gets and deletes', async () => {
      const args = [
        'jobs',
        'submit',
        '-n',
        'ct',
        '--image',
        'pytorch:24',
        '--gpus',
        '1',
        '--name',
        `cli${process.pid}`,
        '--request-id',
        `0000${process.pid}abcdef`,
        '--owner',
        'cli-test',
        '--json',
        '--',
        'python',
        'train.py'
      ];
      const first = await radlab(args);
      expect(first.stderr).toBe('');
      const made = JSON.parse(first.stdout) as { name: string; created: boolean };
      expect(made.created).toBe(true);
      const again = JSON.parse((await radlab(args)).stdout) as { name: string; created: boolean };
      expect(again).toMatchObject({ name: made.name, created: false });

      const list = await radlab(['jobs', 'list', '-n', 'ct', '--owner', 'cli-test']);
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(
        new RegExp(`^${made.name}\\s+(pending|running|succeeded)\\s+1 `, 'm')
      );
      const get = await radlab(['jobs', 'get', made.name, '-n', 'ct']);
      expect(get.stdout).toContain(`job        ct/${made.name}`);
      const quota = await radlab(['jobs', 'quota', '-n', 'ct']);
      expect(quota.stdout).toMatch(/^ct: \d of 4 nvidia.com\/gpu in use/);
      const del = await radlab(['jobs', 'delete', made.name, '-n', 'ct']);
      expect(del).toMatchObject({
        code: 0,
        stdout: `deleted ct/${made.name} (its pods go with it)\n`
      });
    });

    it('RBAC: says which verb on which resource in which namespace is forbidden', async () => {
      const r = await radlab([
        'jobs',
        'submit',
        '-c',
        'rancher-viewer',
        '-n',
        'mri',
        '--image',
        'x',
        '--gpus',
        '1'
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('radlab: forbidden:');
      expect(r.stderr).toContain(
        'RBAC does not allow user "u-viewer" to create jobs.batch in namespace "mri"'
      );
      expect(r.stderr).not.toContain('kubeconfig-u-');
    });

    it('a template with a bad field names it', async () => {
      const file = join(home, 'bad.json');
      writeFileSync(
        file,
        JSON.stringify({ name: 'x', namespace: 'mri', image: 'pytorch', gpus: 1, memory: '16 GB' })
      );
      const r = await radlab(['jobs', 'submit', '--template', file]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('job template: memory "16 GB" is not a Kubernetes quantity');
    });
  }
);
