// `radlab jobs list|get|submit|logs|delete|quota`: GPU jobs on Kubernetes from the terminal, as kubectl
// would show them but with the pending reason in plain words. Exit codes: 0 ok, 1 the API server
// refused or failed, 2 configuration or usage error, 130 interrupted.

import { readFile } from 'node:fs/promises';
import {
  ageText,
  parseJobFile,
  KubernetesClient,
  type JobSpecFile,
  RadlabError,
  summarize,
  type GpuJobTemplate,
  type JobSummary
} from '@radlab/core';
import { createNodeTransport } from '@radlab/core/node';
import { EXIT_OK, pickConnection, type Io, type LoadFlags } from './connections.js';
import { configError, onSigint, printError, type OnInterrupt } from './failure.js';
import { renderTable, stylerFor, type Cell } from './table.js';

export interface JobsFlags extends LoadFlags {
  connection?: string;
  namespace?: string;
  json?: boolean;
  follow?: boolean;
  container?: string;
  previous?: boolean;
  image?: string;
  gpus?: number;
  gpuType?: string;
  name?: string;
  cpu?: string;
  memory?: string;
  requestId?: string;
  owner?: string;
}

export async function withClient(
  flags: JobsFlags,
  io: Io,
  onInterrupt: OnInterrupt,
  body: (client: KubernetesClient, namespace: string, signal: AbortSignal) => Promise<number>
): Promise<number> {
  const controller = new AbortController();
  const release = onInterrupt(() => controller.abort());
  try {
    const conn = await pickConnection('kubernetes', flags, io);
    const client = new KubernetesClient(await createNodeTransport(conn, { env: io.env }));
    return await body(client, flags.namespace ?? 'default', controller.signal);
  } catch (e) {
    if (controller.signal.aborted && !RadlabError.isRadlabError(e)) return 130;
    return printError(e, io);
  } finally {
    release();
  }
}

function jobRows(jobs: JobSummary[]): Cell[][] {
  return jobs.map(j => [
    { text: j.name },
    { text: j.phase },
    { text: String(j.gpus) },
    { text: j.nodes.join(',') },
    { text: ageText(j.created) },
    { text: j.owner ?? '' },
    { text: j.reason ?? '' }
  ]);
}

export async function jobsList(
  flags: JobsFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  return withClient(flags, io, onInterrupt, async (client, namespace, signal) => {
    const selector = flags.owner ? `radlab.io/owner=${flags.owner}` : undefined;
    const jobs = await client.listJobs(namespace, { labelSelector: selector, signal });
    const summaries = await Promise.all(
      jobs.map(async job => {
        const pods = await client.jobPods(namespace, job.metadata.name, signal);
        const pending = summarize(job, pods);
        // the events say why a pod-less job waits (e.g. a quota refused its pod)
        return pending.phase === 'pending' && pods.length === 0
          ? summarize(job, pods, await client.jobEvents(namespace, job.metadata.name, pods, signal))
          : pending;
      })
    );
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(summaries)}\n`);
      return EXIT_OK;
    }
    const styler = stylerFor(io.stdout.isTTY, io.env);
    io.stdout.write(
      renderTable(
        ['name', 'state', 'gpus', 'node', 'age', 'owner', 'reason'],
        jobRows(summaries),
        styler
      )
    );
    io.stdout.write(
      `${styler.dim(`${summaries.length} job${summaries.length === 1 ? '' : 's'} in ${namespace}`)}\n`
    );
    return EXIT_OK;
  });
}

export async function jobsGet(
  name: string,
  flags: JobsFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  return withClient(flags, io, onInterrupt, async (client, namespace, signal) => {
    const d = await client.describe(namespace, name, signal);
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(d)}\n`);
      return EXIT_OK;
    }
    const s = d.summary;
    const lines = [
      `job        ${namespace}/${s.name}`,
      `state      ${s.phase}${s.reason ? ` (${s.reason})` : ''}`,
      `gpus       ${s.gpus}${s.gpuProduct ? ` × ${s.gpuProduct}` : ''}`,
      `pods       ${d.pods.map(p => `${p.metadata.name} ${p.status?.phase ?? ''}${p.spec.nodeName ? ` on ${p.spec.nodeName}` : ''}`).join('; ') || '(none)'}`,
      `owner      ${s.owner ?? ''}`,
      `source     ${s.source ?? ''}`,
      `request    ${s.requestId ?? ''}`,
      'events:'
    ];
    for (const e of d.events) lines.push(`  ${e.type ?? ''} ${e.reason ?? ''}: ${e.message ?? ''}`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_OK;
  });
}

/** A job file (YAML or JSON): a Radlab template or a whole batch/v1 Job manifest. */
async function readJobFile(file: string): Promise<JobSpecFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw configError(
      `cannot read the template ${file} (${(e as { code?: string }).code ?? 'error'})`,
      'Give the path of a job template or Job manifest (YAML or JSON).'
    );
  }
  return parseJobFile(text, file);
}

/** The template of `radlab jobs submit`: a template file (YAML or JSON), else the flags and the command. */
export async function templateOf(
  file: string | undefined,
  command: string[],
  flags: JobsFlags,
  spec?: JobSpecFile
): Promise<GpuJobTemplate> {
  let t: Partial<GpuJobTemplate> = {};
  if (file) {
    const read = spec ?? (await readJobFile(file));
    if ('job' in read)
      throw configError(
        `${file} is a Job manifest, not a template`,
        'Submit it without template flags: radlab jobs submit -t FILE'
      );
    t = read.template;
  }
  const merged: GpuJobTemplate = {
    name: flags.name ?? t.name ?? 'job',
    namespace: flags.namespace ?? t.namespace ?? 'default',
    image: flags.image ?? t.image ?? '',
    gpus: flags.gpus ?? t.gpus ?? 1,
    ...t,
    ...(flags.gpuType ? { gpuProduct: flags.gpuType } : {}),
    ...(flags.cpu ? { cpu: flags.cpu } : {}),
    ...(flags.memory ? { memory: flags.memory } : {}),
    ...(command.length ? { command } : {})
  };
  if (flags.name) merged.name = flags.name;
  if (flags.namespace) merged.namespace = flags.namespace;
  if (flags.image) merged.image = flags.image;
  if (flags.gpus !== undefined) merged.gpus = flags.gpus;
  merged.owner ??= flags.owner ?? process.env['USER'];
  merged.source ??= file ?? 'radlab-cli';
  return merged;
}

export async function jobsSubmit(
  file: string | undefined,
  command: string[],
  flags: JobsFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  return withClient(flags, io, onInterrupt, async (client, _namespace, signal) => {
    const spec = file ? await readJobFile(file) : undefined;
    if (spec && 'job' in spec) {
      // a whole manifest: every field kept, only the name, labels and (with -n) namespace are Radlab's
      const r = await client.submitManifest(spec.job, {
        requestId: flags.requestId,
        ...(flags.namespace ? { namespace: flags.namespace } : {}),
        owner: flags.owner ?? process.env['USER'],
        source: file,
        signal
      });
      const ns = r.job.metadata.namespace ?? '';
      io.stdout.write(
        flags.json
          ? `${JSON.stringify({ name: r.job.metadata.name, namespace: ns, requestId: r.requestId, created: r.created })}\n`
          : `${r.created ? 'submitted' : 'already submitted (same request id)'}: ${ns}/${r.job.metadata.name}\n`
      );
      return EXIT_OK;
    }
    const template = await templateOf(file, command, flags, spec);
    const r = await client.submit(template, { requestId: flags.requestId, signal });
    if (flags.json) {
      io.stdout.write(
        `${JSON.stringify({ name: r.job.metadata.name, namespace: template.namespace, requestId: r.requestId, created: r.created })}\n`
      );
      return EXIT_OK;
    }
    io.stdout.write(
      `${r.created ? 'submitted' : 'already submitted (same request id)'}: ${template.namespace}/${r.job.metadata.name}\n`
    );
    io.stdout.write(
      `request id ${r.requestId} (radlab jobs submit … --request-id ${r.requestId} repeats it safely)\n`
    );
    return EXIT_OK;
  });
}

export async function jobsLogs(
  name: string,
  flags: JobsFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  return withClient(flags, io, onInterrupt, async (client, namespace, signal) => {
    for await (const line of client.jobLogs(namespace, name, {
      follow: flags.follow,
      container: flags.container,
      previous: flags.previous,
      signal
    })) {
      io.stdout.write(`${line}\n`);
    }
    return EXIT_OK;
  });
}

export async function jobsDelete(
  name: string,
  flags: JobsFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  return withClient(flags, io, onInterrupt, async (client, namespace, signal) => {
    await client.deleteJob(namespace, name, signal);
    io.stdout.write(`deleted ${namespace}/${name} (its pods go with it)\n`);
    return EXIT_OK;
  });
}

export async function jobsQuota(
  flags: JobsFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  return withClient(flags, io, onInterrupt, async (client, namespace, signal) => {
    const q = await client.gpuQuota(namespace, signal);
    if (flags.json) io.stdout.write(`${JSON.stringify(q)}\n`);
    else
      io.stdout.write(
        `${namespace}: ${q.used} of ${q.allowed ?? 'unlimited'} nvidia.com/gpu in use\n`
      );
    return EXIT_OK;
  });
}
