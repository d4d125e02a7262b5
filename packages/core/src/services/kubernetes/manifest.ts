// Job YAML in and out: the preview a user reads before submit (exactly what will be POSTed), and a YAML
// or JSON file turned into something to submit: a Radlab job template (image, gpus, …) or a whole
// batch/v1 Job manifest, which keeps every field and only gains Radlab's labels and a request-id name.

import { parse, stringify } from 'yaml';
import { RadlabError } from '../../errors.js';
import {
  jobManifest,
  labelValue,
  LABEL_MANAGED,
  LABEL_OWNER,
  LABEL_REQUEST,
  LABEL_SOURCE,
  type GpuJobTemplate
} from './template.js';
import type { Job } from './types.js';

/** What a file asks to submit. */
export type JobSpecFile = { template: GpuJobTemplate } | { job: Job };

/** The YAML of a Job manifest, as kubectl would print it (field order kept). */
export function toYaml(job: Job): string {
  // no anchors: labels shared by the job and its pods are written out twice, as kubectl shows them
  return stringify(job, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** The YAML the submit of a template with this request id will POST (validated first). */
export function jobYaml(template: GpuJobTemplate, requestId: string): string {
  return toYaml(jobManifest(template, requestId));
}

function fileError(source: string, message: string, hint: string, field?: string): RadlabError {
  return new RadlabError({
    code: 'badRequest',
    service: 'kubernetes',
    message: `${source}: ${message}`,
    hint,
    ...(field ? { details: { field } } : {})
  });
}

/**
 * Reads a job file (YAML or JSON): `kind: Job` is a manifest, anything with `image` a Radlab template.
 * Throws a `badRequest` RadlabError that names the file, and the line of a YAML error.
 */
export function parseJobFile(text: string, source = 'job file'): JobSpecFile {
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: true });
  } catch (e) {
    const line = (e as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    throw fileError(
      source,
      `is not valid YAML${line ? ` (line ${line})` : ''}`,
      'Fix the YAML; a job file is a batch/v1 Job or a Radlab template (name, namespace, image, gpus, …).'
    );
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw fileError(
      source,
      'is not a mapping',
      'A job file is one batch/v1 Job or one Radlab template.'
    );
  }
  const o = doc as Record<string, unknown>;
  if (o['kind'] !== undefined) {
    if (o['kind'] !== 'Job' || (o['apiVersion'] !== undefined && o['apiVersion'] !== 'batch/v1')) {
      throw fileError(
        source,
        `is a ${String(o['apiVersion'] ?? '')} ${String(o['kind'])}, not a batch/v1 Job`,
        'Radlab submits Jobs; apply other kinds with kubectl.',
        'kind'
      );
    }
    const job = o as unknown as Job;
    if (
      !job.metadata?.name &&
      !(job.metadata as { generateName?: string } | undefined)?.generateName
    )
      throw fileError(source, 'has no metadata.name', 'Give the job a name.', 'metadata.name');
    if (!job.spec?.template?.spec?.containers?.length)
      throw fileError(
        source,
        'has no spec.template.spec.containers',
        'A Job needs at least one container.',
        'spec.template.spec.containers'
      );
    return { job };
  }
  if (typeof o['image'] !== 'string') {
    throw fileError(
      source,
      'is neither a batch/v1 Job (kind: Job) nor a Radlab template (it has no image)',
      'Add kind: Job and apiVersion: batch/v1, or write a template with name, namespace, image and gpus.',
      'image'
    );
  }
  return { template: { gpus: 0, ...(o as Partial<GpuJobTemplate>) } as GpuJobTemplate };
}

/**
 * A user's Job manifest made a Radlab job: named from the request id (so a retry cannot start a
 * second one), labelled managed-by/request-id/owner/source on the job and its pods; all else kept.
 */
export function manifestWithRequest(
  job: Job,
  requestId: string,
  extra: { namespace?: string; owner?: string; source?: string } = {}
): Job {
  const copy = structuredClone(job);
  const meta = copy.metadata as Job['metadata'] & { generateName?: string };
  const prefix = (meta.name || meta.generateName || 'job').replace(/-+$/, '').slice(0, 54);
  delete meta.generateName;
  meta.name = `${prefix}-${requestId.slice(0, 8)}`;
  if (extra.namespace) meta.namespace = extra.namespace;
  if (!meta.namespace) {
    throw fileError(
      `job ${meta.name}`,
      'has no namespace',
      'Set metadata.namespace or pick a namespace.',
      'metadata.namespace'
    );
  }
  const labels: Record<string, string> = { [LABEL_MANAGED]: 'radlab', [LABEL_REQUEST]: requestId };
  if (extra.owner) labels[LABEL_OWNER] = labelValue(extra.owner);
  if (extra.source) labels[LABEL_SOURCE] = labelValue(extra.source);
  meta.labels = { ...meta.labels, ...labels };
  copy.apiVersion = 'batch/v1';
  copy.kind = 'Job';
  const pod = (copy.spec.template.metadata ??= {});
  pod.labels = { ...pod.labels, ...labels };
  return copy;
}
