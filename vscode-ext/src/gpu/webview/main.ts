// The GPU panel's script (bundled by esbuild.mjs as dist/webview/gpu.js, its CSS as gpu.css):
// @radlab/ui's GpuDashboard on a PrometheusClient whose every call is a message to the extension host,
// which holds the connection and its credentials (or the local nvidia-smi samples). Exports are saved
// by the host too (a webview cannot download).
import {
  PrometheusClient,
  RadlabError,
  type Expr,
  type InstantSample,
  type PrometheusAlert,
  type PrometheusRuleGroup,
  type QueryOptions,
  type RangeQuery,
  type RangeResult,
  type SeriesLabels,
  type Transport
} from '@radlab/core';
import { GpuDashboard } from '@radlab/ui';
import '@radlab/ui/style/gpu.css';
import './gpu.css';
import type { GpuHostMessage, GpuMethod, GpuViewInit } from './messages.js';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const waiting = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
let nextCall = 1;
let dashboard: GpuDashboard | undefined;

function aborted(): Error {
  return new RadlabError({ code: 'cancelled', service: 'radlab', message: 'request cancelled' });
}

/** A call of the host's client; an abort cancels it there too. */
function call<T>(method: GpuMethod, args: unknown[], signal?: AbortSignal): Promise<T> {
  const id = nextCall++;
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) return reject(aborted());
    const onAbort = (): void => {
      waiting.delete(id);
      vscode.postMessage({ type: 'cancel', id });
      reject(aborted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    waiting.set(id, {
      resolve: v => {
        signal?.removeEventListener('abort', onAbort);
        resolve(v as T);
      },
      reject: e => {
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      }
    });
    vscode.postMessage({ type: 'call', id, method, args });
  });
}

/** Options without their signal (a signal cannot cross to the host; the abort goes as `cancel`). */
function bare<T extends QueryOptions>(
  options: T | undefined
): [Omit<T, 'signal'>, AbortSignal | undefined] {
  const { signal, ...rest } = options ?? ({} as T);
  return [rest, signal];
}

const NO_TRANSPORT = {
  request: () => Promise.reject(new Error('the GPU panel asks the extension host'))
} as unknown as Transport;

/** PrometheusClient's reads, answered by the extension host. */
class HostPrometheus extends PrometheusClient {
  constructor() {
    super(NO_TRANSPORT);
  }

  override query(
    query: string | Expr,
    options?: QueryOptions & { time?: number }
  ): Promise<InstantSample[]> {
    const [o, signal] = bare(options);
    return call('query', [query, o], signal);
  }

  override queryRange(
    query: string | Expr,
    range: RangeQuery,
    options?: QueryOptions
  ): Promise<RangeResult> {
    const [o, signal] = bare(options);
    return call('queryRange', [query, range, o], signal);
  }

  override labelValues(
    label: string,
    options?: QueryOptions & { match?: Array<string | Expr>; start?: number; end?: number }
  ): Promise<string[]> {
    const [o, signal] = bare(options);
    return call('labelValues', [label, o], signal);
  }

  override series(
    match: Array<string | Expr>,
    options?: QueryOptions & { start?: number; end?: number }
  ): Promise<SeriesLabels[]> {
    const [o, signal] = bare(options);
    return call('series', [match, o], signal);
  }

  override alerts(options?: QueryOptions): Promise<PrometheusAlert[]> {
    const [o, signal] = bare(options);
    return call('alerts', [o], signal);
  }

  override rules(
    options?: QueryOptions & { type?: 'alert' | 'record' }
  ): Promise<PrometheusRuleGroup[]> {
    const [o, signal] = bare(options);
    return call('rules', [o], signal);
  }

  override planRange(
    query: string | Expr,
    range: RangeQuery,
    guard?: unknown,
    signal?: AbortSignal
  ): Promise<{ step: number; series: number }> {
    return call('planRange', [query, range, guard], signal);
  }
}

function save(name: string, data: string | Blob): void {
  if (typeof data === 'string') {
    vscode.postMessage({ type: 'save', name, text: data });
    return;
  }
  void data
    .arrayBuffer()
    .then(buffer => vscode.postMessage({ type: 'save', name, bytes: new Uint8Array(buffer) }));
}

function open(view: GpuViewInit): void {
  dashboard?.dispose();
  document.body.replaceChildren();
  const notice = document.createElement('p');
  notice.className = 'rl-GpuWebview-notice';
  notice.textContent = view.notice ?? '';
  document.body.append(notice);
  dashboard = new GpuDashboard(document, {
    client: new HostPrometheus(),
    title: view.title,
    filter: view.filter,
    rangeSeconds: view.rangeSeconds,
    rangeLabel: view.rangeLabel,
    warnings: view.warnings,
    sourceName: view.sourceName,
    saveFile: save
  });
  document.body.append(dashboard.node);
  dashboard.start();
}

window.addEventListener('message', (event: MessageEvent<GpuHostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      open(message.view);
      return;
    case 'answer':
      waiting.get(message.id)?.resolve(message.value);
      waiting.delete(message.id);
      return;
    case 'failure':
      waiting.get(message.id)?.reject(RadlabError.fromJSON(message.error));
      waiting.delete(message.id);
      return;
    case 'warnings':
      dashboard?.setWarnings(message.warnings);
      return;
  }
});

window.addEventListener('unload', () => dashboard?.dispose());
vscode.postMessage({ type: 'ready' });
