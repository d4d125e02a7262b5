// How a log line is made: message and arguments joined, then masked by core's redact() (patterns that
// look like credentials, plus every secret registered with registerSecret()). No `vscode` import.
import { redact } from '@radlab/core';

export function formatArg(arg: unknown): string {
  if (arg instanceof Error) {
    const code = (arg as { code?: unknown }).code;
    return `${arg.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${arg.message}`;
  }
  if (typeof arg === 'string') return arg;
  try {
    return JSON.stringify(arg) ?? String(arg);
  } catch {
    return String(arg);
  }
}

export function logLine(message: string, args: readonly unknown[] = []): string {
  return redact([message, ...args.map(formatArg)].join(' '));
}
