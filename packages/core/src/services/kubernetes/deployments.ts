// GPU workloads besides Jobs: Deployments (a model served from GPUs, e.g. mri-classifier with
// nvidia.com/gpu: 1 per replica) with their replicas and pods, scale, and restart as `kubectl rollout
// restart` does it (a new pod-template annotation, so the Deployment rolls its pods).

import { RadlabError } from '../../errors.js';
import type { Transport } from '../../transport/transport.js';
import { kubeFailure } from './failure.js';
import { GPU_RESOURCE } from './template.js';
import type { Container, KubeList, ObjectMeta, Pod } from './types.js';

export interface Deployment {
  apiVersion?: 'apps/v1';
  kind?: 'Deployment';
  metadata: ObjectMeta;
  spec: {
    replicas?: number;
    selector: { matchLabels?: Record<string, string> };
    template: {
      metadata?: Partial<ObjectMeta>;
      spec: { containers: Container[]; nodeSelector?: Record<string, string> };
    };
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
  };
}

export interface DeploymentSummary {
  name: string;
  namespace: string;
  /** nvidia.com/gpu per replica. */
  gpus: number;
  gpuProduct?: string;
  replicas: number;
  ready: number;
  available: number;
  updated: number;
  image: string;
  /** Why it is not all available, from its conditions (e.g. "ReplicaSet … has timed out progressing"). */
  reason?: string;
  created?: string;
}

/** The annotation `kubectl rollout restart` sets: a change of the pod template rolls every pod. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

function deploymentsPath(namespace: string): string {
  return `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments`;
}

function podGpus(containers: Container[]): number {
  return containers.reduce(
    (n, c) =>
      n +
      (Number(c.resources?.limits?.[GPU_RESOURCE] ?? c.resources?.requests?.[GPU_RESOURCE]) || 0),
    0
  );
}

export function summarizeDeployment(d: Deployment): DeploymentSummary {
  const s = d.status ?? {};
  const problem = s.conditions?.find(
    c =>
      (c.type === 'Available' && c.status === 'False') ||
      (c.type === 'Progressing' && c.status === 'False') ||
      (c.type === 'ReplicaFailure' && c.status === 'True')
  );
  return {
    name: d.metadata.name,
    namespace: d.metadata.namespace ?? '',
    gpus: podGpus(d.spec.template.spec.containers ?? []),
    gpuProduct: d.spec.template.spec.nodeSelector?.['nvidia.com/gpu.product'],
    replicas: d.spec.replicas ?? 1,
    ready: s.readyReplicas ?? 0,
    available: s.availableReplicas ?? 0,
    updated: s.updatedReplicas ?? 0,
    image: d.spec.template.spec.containers?.[0]?.image ?? '',
    ...(problem ? { reason: problem.message ?? problem.reason } : {}),
    created: d.metadata.creationTimestamp
  };
}

export class DeploymentsClient {
  constructor(private readonly transport: Transport) {}

  /** The namespace's Deployments; with gpuOnly, those whose pods request nvidia.com/gpu. */
  async list(
    namespace: string,
    options: { gpuOnly?: boolean; signal?: AbortSignal } = {}
  ): Promise<DeploymentSummary[]> {
    try {
      const answer = await this.transport.request<KubeList<Deployment>>({
        path: deploymentsPath(namespace),
        signal: options.signal
      });
      return answer.data.items.map(summarizeDeployment).filter(d => !options.gpuOnly || d.gpus > 0);
    } catch (e) {
      throw kubeFailure(e, `list deployments in ${namespace}`);
    }
  }

  async get(namespace: string, name: string, signal?: AbortSignal): Promise<Deployment> {
    try {
      return (
        await this.transport.request<Deployment>({
          path: `${deploymentsPath(namespace)}/${encodeURIComponent(name)}`,
          signal
        })
      ).data;
    } catch (e) {
      throw kubeFailure(e, `get deployment ${namespace}/${name}`);
    }
  }

  /** The Deployment's pods (by its selector), newest first. */
  async pods(namespace: string, name: string, signal?: AbortSignal): Promise<Pod[]> {
    const d = await this.get(namespace, name, signal);
    const labels = d.spec.selector.matchLabels ?? {};
    const selector = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    if (!selector) {
      throw new RadlabError({
        code: 'badResponse',
        service: 'kubernetes',
        connection: this.transport.connection,
        message: `deployment ${namespace}/${name} selects its pods by expressions, not labels`,
        hint: 'List its pods with kubectl get pods -l …'
      });
    }
    try {
      const list = await this.transport.request<KubeList<Pod>>({
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
        params: { labelSelector: selector },
        signal
      });
      return list.data.items.sort((a, b) =>
        (a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? 1 : -1
      );
    } catch (e) {
      throw kubeFailure(e, `list pods of deployment ${namespace}/${name}`);
    }
  }

  /** Sets the replica count (the scale subresource, as kubectl scale). */
  async scale(
    namespace: string,
    name: string,
    replicas: number,
    signal?: AbortSignal
  ): Promise<void> {
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new RadlabError({
        code: 'badRequest',
        service: 'kubernetes',
        message: `replicas must be a whole number >= 0 (got ${String(replicas)})`,
        hint: 'e.g. radlab deployments scale mri-classifier 2',
        details: { field: 'replicas' }
      });
    }
    try {
      await this.transport.request({
        method: 'PATCH',
        path: `${deploymentsPath(namespace)}/${encodeURIComponent(name)}/scale`,
        data: { spec: { replicas } },
        headers: { 'Content-Type': 'application/merge-patch+json' },
        idempotent: true,
        signal
      });
    } catch (e) {
      throw kubeFailure(e, `scale deployment ${namespace}/${name}`);
    }
  }

  /** Rolls every pod, as `kubectl rollout restart`; `at` is the restart's time (default now). */
  async restart(
    namespace: string,
    name: string,
    at = new Date(),
    signal?: AbortSignal
  ): Promise<void> {
    try {
      await this.transport.request({
        method: 'PATCH',
        path: `${deploymentsPath(namespace)}/${encodeURIComponent(name)}`,
        data: {
          spec: { template: { metadata: { annotations: { [RESTARTED_AT]: at.toISOString() } } } }
        },
        headers: { 'Content-Type': 'application/merge-patch+json' },
        idempotent: true,
        signal
      });
    } catch (e) {
      throw kubeFailure(e, `restart deployment ${namespace}/${name}`);
    }
  }
}
