// Maps a connection and its last health check to what the tree shows. Pure (no `vscode` import):
// tree.ts turns an ItemModel into a vscode.TreeItem, and this mapping is unit-tested on its own.
import { describeHealth } from '@radlab/core';
import type {
  ConnectionConfig,
  ConnectionSource,
  HealthResult,
  RadlabErrorJSON
} from '@radlab/core';

/** A connection as the view knows it: the config without secrets, where it came from. */
export interface ConnectionEntry {
  config: ConnectionConfig;
  source: ConnectionSource;
  /** Whether a password/token is available (SecretStorage, env, inline in a server-side file). */
  hasSecret: boolean;
}

export interface IconModel {
  /** A codicon id, e.g. `pass-filled`, `loading~spin`. */
  id: string;
  /** A theme colour id, e.g. `testing.iconPassed`. */
  color?: string;
}

export interface ItemModel {
  id: string;
  label: string;
  description?: string;
  /** Markdown, every untrusted part already escaped. Render with supportHtml false, isTrusted false. */
  tooltip: string;
  icon: IconModel;
  contextValue: string;
  /** Children are shown expanded (a down connection's hint). */
  children: ItemModel[];
  /** The connection this item belongs to (for commands invoked on it). */
  connection?: string;
}

/** Escapes text for Markdown: every ASCII punctuation that could start syntax, and line breaks. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&:=$]/g, '\\$&').replace(/\r?\n/g, '  \n');
}

/** An inline code span that holds any text literally (fence longer than any backtick run in it). */
export function codeSpan(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map(run => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

export const SOURCE_LABELS: Record<ConnectionSource, string> = {
  defaults: 'local-stack defaults',
  file: 'connections file',
  env: '$RADLAB_CONNECTIONS',
  jupyter: 'Jupyter config',
  vscode: 'user settings'
};

/** contextValue: `radlab.connection` plus `;editable` (lives in settings) and `;secret` (takes a secret). */
export function contextValueOf(entry: ConnectionEntry): string {
  let value = 'radlab.connection';
  if (entry.source === 'vscode') value += ';editable';
  const auth = entry.config.auth?.type;
  if (auth === 'basic' || auth === 'bearer') value += ';secret';
  return value;
}

function stateIcon(result: HealthResult | undefined, checking: boolean): IconModel {
  if (checking) return { id: 'loading~spin' };
  switch (result?.state) {
    case 'healthy':
      return { id: 'pass-filled', color: 'testing.iconPassed' };
    case 'degraded':
      return { id: 'warning', color: 'problemsWarningIcon.foreground' };
    case 'down':
      return { id: 'error', color: 'testing.iconFailed' };
    default:
      return { id: 'circle-large-outline' };
  }
}

function where(config: ConnectionConfig): string | undefined {
  if (config.url) return config.url;
  if (config.root) return config.root;
  if (config.inCluster) return 'in-cluster service account';
  if (config.kubeconfig || config.context)
    return `kubeconfig ${config.kubeconfig ?? '~/.kube/config'}${config.context ? ` (${config.context})` : ''}`;
  return undefined;
}

export function tooltipOf(
  entry: ConnectionEntry,
  result: HealthResult | undefined,
  checking: boolean
): string {
  const { config } = entry;
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(config.name)}** · ${escapeMarkdown(config.kind)}`);
  if (config.description) lines.push(`*${escapeMarkdown(config.description)}*`);
  lines.push('');
  const target = where(config);
  if (target) lines.push(`URL: ${codeSpan(target)}`);
  lines.push(
    `Kind: ${escapeMarkdown(config.kind)}${config.protocol ? ` (${escapeMarkdown(config.protocol)})` : ''}`
  );
  lines.push(
    `Auth: ${escapeMarkdown(config.auth?.type ?? 'none')}${entry.hasSecret ? '' : takesSecretNote(config)}`
  );
  lines.push(`From: ${escapeMarkdown(SOURCE_LABELS[entry.source] ?? entry.source)}`);
  if (checking) lines.push('', 'Checking…');
  if (result) {
    // the error has its own section below: the state line does not repeat it
    lines.push(
      '',
      `State: ${escapeMarkdown(result.error ? result.state : describeHealth(result))}`
    );
    if (result.version) lines.push(`Version: ${codeSpan(result.version)}`);
    for (const [key, value] of Object.entries(result.details ?? {})) {
      lines.push(`${escapeMarkdown(key)}: ${escapeMarkdown(String(value))}`);
    }
    lines.push(`Checked: ${escapeMarkdown(formatTime(result.checkedAt))}`);
    if (result.error) {
      lines.push(
        '',
        '---',
        '',
        `$(error) **${escapeMarkdown(result.error.code)}**: ${escapeMarkdown(result.error.message)}`
      );
      if (result.error.hint) lines.push('', `$(lightbulb) ${escapeMarkdown(result.error.hint)}`);
    }
  }
  // two trailing spaces: a hard line break between the lines of one paragraph
  return lines.map(line => (line && line !== '---' ? `${line}  ` : line)).join('\n');
}

/** `14:04:51` for today's checks, else the date and time; the raw text if it is not a date. */
export function formatTime(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = date.toLocaleTimeString(undefined, { hourCycle: 'h23' });
  return date.toDateString() === now.toDateString() ? time : `${date.toLocaleDateString()} ${time}`;
}

function takesSecretNote(config: ConnectionConfig): string {
  return config.auth?.type === 'basic' || config.auth?.type === 'bearer'
    ? ' (no secret stored)'
    : '';
}

/** The item of one connection. While `checking`, the previous result's hint stays shown. */
export function connectionItem(
  entry: ConnectionEntry,
  result: HealthResult | undefined,
  checking: boolean
): ItemModel {
  const name = entry.config.name;
  const children =
    result?.state !== 'healthy' && result?.error ? [hintItem(name, result.error)] : [];
  let description: string | undefined;
  if (result) description = describeHealth(result);
  if (checking) description = description ? `${description} · checking…` : 'checking…';
  return {
    // collapsible and plain items get distinct ids, so VS Code applies the new collapsible state
    id: `radlab.connection/${name}${children.length ? '/problem' : ''}`,
    label: name,
    description,
    tooltip: tooltipOf(entry, result, checking),
    icon: stateIcon(result, checking),
    contextValue: contextValueOf(entry),
    children,
    connection: name
  };
}

/** The child of a connection that is down: the hint, with the error message in its tooltip. */
export function hintItem(connection: string, error: RadlabErrorJSON): ItemModel {
  return {
    id: `radlab.connection/${connection}/problem/hint`,
    label: error.hint || error.message,
    tooltip: `$(error) **${escapeMarkdown(error.code)}**: ${escapeMarkdown(error.message)}  \n\n$(lightbulb) ${escapeMarkdown(error.hint)}`,
    icon: { id: 'lightbulb', color: 'problemsWarningIcon.foreground' },
    contextValue: 'radlab.hint',
    children: [],
    connection
  };
}

/** A configuration error (malformed file, env var or setting): shown above the connections. */
export function configErrorItem(error: RadlabErrorJSON, index: number): ItemModel {
  return {
    id: `radlab.configError/${index}`,
    label: error.message,
    tooltip: `$(error) **${escapeMarkdown(error.code)}**: ${escapeMarkdown(error.message)}  \n\n$(lightbulb) ${escapeMarkdown(error.hint)}`,
    icon: { id: 'warning', color: 'problemsWarningIcon.foreground' },
    contextValue: 'radlab.configError',
    children: [],
    description: error.hint
  };
}
