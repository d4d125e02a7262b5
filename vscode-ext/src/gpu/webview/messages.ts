// The messages of the GPU panel, between the extension host (gpu/panel.ts) and its webview
// (gpu/webview/main.ts; this folder, so both sides compile it), which runs @radlab/ui's GpuDashboard on a PrometheusClient whose calls are
// messages: the host makes them with the connection's credentials (or on the local nvidia-smi
// samples) and answers with the result or the error's JSON. Types only, and the method list.
//
//   host → webview: init (what to show) | answer | failure | warnings (the thresholds changed)
//   webview → host: ready | call | cancel | save (a PNG or CSV export) | log
import type { GpuFilter, RadlabErrorJSON } from '@radlab/core';
import type { GpuWarningSettings } from '@radlab/ui';

/** The read-only client methods a webview may call. */
export const GPU_METHODS = [
  'query',
  'queryRange',
  'labelValues',
  'series',
  'alerts',
  'rules',
  'planRange'
] as const;

export type GpuMethod = (typeof GPU_METHODS)[number];

export interface GpuViewInit {
  title: string;
  /** "Prometheus" or "nvidia-smi": the status line names it. */
  sourceName: string;
  filter?: GpuFilter;
  rangeSeconds?: number;
  rangeLabel?: string;
  warnings: GpuWarningSettings;
  /** Shown above the dashboard (e.g. "No Prometheus connection: this machine's GPUs"). */
  notice?: string;
}

export type GpuHostMessage =
  | { type: 'init'; view: GpuViewInit }
  | { type: 'answer'; id: number; value: unknown }
  | { type: 'failure'; id: number; error: RadlabErrorJSON }
  | { type: 'warnings'; warnings: GpuWarningSettings };

export type GpuWebviewMessage =
  | { type: 'ready' }
  | { type: 'call'; id: number; method: GpuMethod; args: unknown[] }
  | { type: 'cancel'; id: number }
  | { type: 'save'; name: string; text?: string; bytes?: Uint8Array }
  | { type: 'log'; level: 'warn' | 'error'; message: string };
