// A GPU job template (what a user fills in) → a batch/v1 Job. The job's name comes from a request id
// the client makes once per submit, so a retry of the same submit names the same job and the API
// server refuses a second one (409), instead of two trainings running on the same GPUs.

import { RadlabError } from '../../errors.js';
import type { Container, EnvVar, Job, Toleration, Volume } from './types.js';

export const GPU_RESOURCE = 'nvidia.com/gpu';
/** The node label GPU feature discovery sets to the GPU model (e.g. NVIDIA-A100-SXM4-80GB). */
export const GPU_PRODUCT_LABEL = 'nvidia.com/gpu.product';
export const LABEL_OWNER = 'radlab.io/owner';
export const LABEL_SOURCE = 'radlab.io/source';
export const LABEL_REQUEST = 'radlab.io/request-id';
export const LABEL_MANAGED = 'app.kubernetes.io/managed-by';

export interface GpuJobTemplate {
  /** Job name prefix (a DNS label); the request id's start is appended. */
  name: string;
  namespace: string;
  image: string;
  command?: string[];
  args?: string[];
  /** nvidia.com/gpu count, 0 for a CPU job. */
  gpus: number;
  /** nvidia.com/gpu.product of the nodes to run on. */
  gpuProduct?: string;
  runtimeClassName?: string;
  /** e.g. "4", "500m". */
  cpu?: string;
  /** e.g. "16Gi". */
  memory?: string;
  env?: Record<string, string>;
  /** Environment variables from secrets: name → {secret, key}. */
  secretEnv?: Record<string, { secret: string; key: string }>;
  volumes?: Array<{
    name: string;
    mountPath: string;
    pvc?: string;
    hostPath?: string;
    readOnly?: boolean;
  }>;
  /** radlab.io/owner: who submitted it. */
  owner?: string;
  /** radlab.io/source: the notebook or file it came from. */
  source?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  ttlSecondsAfterFinished?: number;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUANTITY = /^\d+(\.\d+)?(m|k|Ki|Mi|Gi|Ti|Pi|M|G|T|P|E|Ei)?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** Room left for "-" + 8 characters of the request id in a 63-character name. */
const MAX_PREFIX = 63 - 9;

function invalid(field: string, message: string, hint: string): RadlabError {
  return new RadlabError({
    code: 'badRequest',
    service: 'kubernetes',
    message: `job template: ${field} ${message}`,
    hint,
    details: { field }
  });
}

/** A fresh request id (hex); the job's name carries its first 8 characters, its label all of it. */
export function newRequestId(): string {
  const bytes = new Uint8Array(10);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

/** The job's name for a template and a request id: the same pair always gives the same name. */
export function jobName(template: Pick<GpuJobTemplate, 'name'>, requestId: string): string {
  return `${template.name}-${requestId.slice(0, 8)}`;
}

/** Throws a `badRequest` RadlabError naming the first wrong field. */
export function validateTemplate(t: GpuJobTemplate): void {
  if (typeof t.name !== 'string' || !DNS_LABEL.test(t.name) || t.name.length > MAX_PREFIX) {
    throw invalid(
      'name',
      `"${String(t.name)}" is not a valid job name`,
      `Use lower-case letters, digits and "-", at most ${MAX_PREFIX} characters, starting and ending with a letter or digit.`
    );
  }
  if (typeof t.namespace !== 'string' || !DNS_LABEL.test(t.namespace)) {
    throw invalid(
      'namespace',
      `"${String(t.namespace)}" is not a namespace name`,
      'Pick a namespace, e.g. mri.'
    );
  }
  if (typeof t.image !== 'string' || t.image.trim() === '' || /\s/.test(t.image)) {
    throw invalid(
      'image',
      'is missing or has spaces',
      'Give a container image, e.g. nvcr.io/nvidia/pytorch:24.05-py3.'
    );
  }
  if (!Number.isInteger(t.gpus) || t.gpus < 0 || t.gpus > 64) {
    throw invalid(
      'gpus',
      `must be a whole number from 0 to 64 (got ${String(t.gpus)})`,
      'Set the number of GPUs the job needs.'
    );
  }
  for (const [field, value] of [
    ['cpu', t.cpu],
    ['memory', t.memory]
  ] as const) {
    if (value !== undefined && !QUANTITY.test(value)) {
      throw invalid(
        field,
        `"${value}" is not a Kubernetes quantity`,
        field === 'cpu' ? 'e.g. "4" or "500m".' : 'e.g. "16Gi" or "512Mi".'
      );
    }
  }
  for (const name of [...Object.keys(t.env ?? {}), ...Object.keys(t.secretEnv ?? {})]) {
    if (!ENV_NAME.test(name)) {
      throw invalid(
        `env.${name}`,
        'is not a valid environment variable name',
        'Use letters, digits and "_", not starting with a digit.'
      );
    }
  }
  for (const [i, v] of (t.volumes ?? []).entries()) {
    if (!DNS_LABEL.test(v.name))
      throw invalid(
        `volumes[${i}].name`,
        `"${v.name}" is not a valid volume name`,
        'Use lower-case letters, digits and "-".'
      );
    if (!v.mountPath?.startsWith('/'))
      throw invalid(`volumes[${i}].mountPath`, 'must be an absolute path', 'e.g. /mapr.');
    if ((v.pvc === undefined) === (v.hostPath === undefined)) {
      throw invalid(
        `volumes[${i}]`,
        'needs exactly one of pvc and hostPath',
        'A MapR volume is a PVC (pvc: "mapr-data") or the node\'s /mapr (hostPath: "/mapr").'
      );
    }
  }
  for (const [field, value] of [
    ['backoffLimit', t.backoffLimit],
    ['activeDeadlineSeconds', t.activeDeadlineSeconds],
    ['ttlSecondsAfterFinished', t.ttlSecondsAfterFinished]
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw invalid(
        field,
        `must be a whole number >= 0 (got ${String(value)})`,
        `Leave ${field} out for the default.`
      );
    }
  }
}

/** The Job to create for a template and a request id (validated first). */
export function jobManifest(t: GpuJobTemplate, requestId: string): Job {
  validateTemplate(t);
  const labels: Record<string, string> = {
    ...t.labels,
    [LABEL_MANAGED]: 'radlab',
    [LABEL_REQUEST]: requestId
  };
  if (t.owner) labels[LABEL_OWNER] = labelValue(t.owner);
  if (t.source) labels[LABEL_SOURCE] = labelValue(t.source);
  const resources: Container['resources'] = {};
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (t.cpu) requests['cpu'] = t.cpu;
  if (t.memory) {
    requests['memory'] = t.memory;
    limits['memory'] = t.memory;
  }
  if (t.gpus > 0) {
    // extended resources: request and limit must be equal
    requests[GPU_RESOURCE] = String(t.gpus);
    limits[GPU_RESOURCE] = String(t.gpus);
  }
  if (Object.keys(requests).length) resources.requests = requests;
  if (Object.keys(limits).length) resources.limits = limits;
  const env: EnvVar[] = [
    ...Object.entries(t.env ?? {}).map(([name, value]) => ({ name, value })),
    ...Object.entries(t.secretEnv ?? {}).map(([name, ref]) => ({
      name,
      valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key } }
    }))
  ];
  const volumes: Volume[] = (t.volumes ?? []).map(v =>
    v.pvc !== undefined
      ? { name: v.name, persistentVolumeClaim: { claimName: v.pvc, readOnly: v.readOnly } }
      : { name: v.name, hostPath: { path: v.hostPath ?? '', type: 'Directory' } }
  );
  const container: Container = { name: 'main', image: t.image.trim() };
  if (t.command?.length) container.command = t.command;
  if (t.args?.length) container.args = t.args;
  if (env.length) container.env = env;
  if (resources.requests || resources.limits) container.resources = resources;
  if (volumes.length) {
    container.volumeMounts = (t.volumes ?? []).map(v => ({
      name: v.name,
      mountPath: v.mountPath,
      readOnly: v.readOnly
    }));
  }
  // GPU nodes are usually tainted so that only GPU work lands on them.
  const tolerations: Toleration[] =
    t.gpus > 0 ? [{ key: GPU_RESOURCE, operator: 'Exists', effect: 'NoSchedule' }] : [];
  const job: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(t, requestId),
      namespace: t.namespace,
      labels,
      annotations: t.annotations
    },
    spec: {
      backoffLimit: t.backoffLimit ?? 0,
      template: {
        metadata: { labels, annotations: t.annotations },
        spec: {
          restartPolicy: 'Never',
          containers: [container],
          ...(t.gpuProduct ? { nodeSelector: { [GPU_PRODUCT_LABEL]: t.gpuProduct } } : {}),
          ...(tolerations.length ? { tolerations } : {}),
          ...(t.runtimeClassName ? { runtimeClassName: t.runtimeClassName } : {}),
          ...(volumes.length ? { volumes } : {})
        }
      }
    }
  };
  if (t.activeDeadlineSeconds !== undefined)
    job.spec.activeDeadlineSeconds = t.activeDeadlineSeconds;
  if (t.ttlSecondsAfterFinished !== undefined)
    job.spec.ttlSecondsAfterFinished = t.ttlSecondsAfterFinished;
  return job;
}

/** A label value: at most 63 of [A-Za-z0-9._-], starting and ending alphanumeric ("notebooks/a b.ipynb" → "notebooks_a_b.ipynb"). */
export function labelValue(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-63);
  return cleaned.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
}
