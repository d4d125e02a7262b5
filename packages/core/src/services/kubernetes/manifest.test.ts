import { describe, expect, it } from 'vitest';
import { RadlabError } from '../../errors.js';
import { jobYaml, manifestWithRequest, parseJobFile } from './manifest.js';
import type { Job } from './types.js';

const rid = '0123456789abcdef0123';

function fails(f: () => unknown): RadlabError {
  try {
    f();
  } catch (e) {
    if (RadlabError.isRadlabError(e)) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('job YAML', () => {
  it('previews what submit will POST', () => {
    const yaml = jobYaml({ name: 'train', namespace: 'mri', image: 'img:1', gpus: 2 }, rid);
    expect(yaml).toMatch(
      /^apiVersion: batch\/v1\nkind: Job\nmetadata:\n {2}name: train-01234567\n/
    );
    expect(yaml).toContain('radlab.io/request-id: 0123456789abcdef0123');
    // the job's labels again on its pods, written out (no YAML anchors)
    expect(yaml.match(/radlab\.io\/request-id: /g)).toHaveLength(2);
    expect(yaml).not.toMatch(/[&*]a\d/);
  });

  it('reads a Radlab template or a batch/v1 Job; says what else a file is', () => {
    expect(parseJobFile('name: t\nnamespace: ct\nimage: img:1\ngpus: 1\n')).toEqual({
      template: { name: 't', namespace: 'ct', image: 'img:1', gpus: 1 }
    });
    const job = parseJobFile(
      'apiVersion: batch/v1\nkind: Job\nmetadata: {name: my-job}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: i}]\n'
    );
    expect('job' in job && job.job.metadata.name).toBe('my-job');
    expect(
      fails(() => parseJobFile('kind: Deployment\napiVersion: apps/v1\n', 'd.yaml')).message
    ).toBe('d.yaml: is a apps/v1 Deployment, not a batch/v1 Job');
    expect(fails(() => parseJobFile('a: [1,\n', 'bad.yaml')).message).toMatch(
      /^bad\.yaml: is not valid YAML \(line \d\)$/
    );
    expect(fails(() => parseJobFile('name: x\n')).details?.['field']).toBe('image');
  });

  it('names and labels a user manifest from the request id, keeping its fields', () => {
    const job: Job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'my-job', namespace: 'ct', labels: { team: 'neuro' } },
      spec: {
        parallelism: 2,
        template: { spec: { containers: [{ name: 'c', image: 'i' }] } }
      } as Job['spec']
    };
    const made = manifestWithRequest(job, rid, { owner: 'u-radlab', source: 'jobs/a b.yaml' });
    expect(made.metadata.name).toBe('my-job-01234567');
    expect(made.metadata.labels).toEqual({
      team: 'neuro',
      'app.kubernetes.io/managed-by': 'radlab',
      'radlab.io/request-id': rid,
      'radlab.io/owner': 'u-radlab',
      'radlab.io/source': 'jobs_a_b.yaml'
    });
    expect(made.spec.template.metadata?.labels?.['radlab.io/request-id']).toBe(rid);
    expect((made.spec as { parallelism?: number }).parallelism).toBe(2);
    expect(job.metadata.name).toBe('my-job');
    expect(
      fails(() => manifestWithRequest({ ...job, metadata: { name: 'x' } }, rid)).details?.['field']
    ).toBe('metadata.namespace');
  });
});
