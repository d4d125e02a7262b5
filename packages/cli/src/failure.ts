// How the service commands (`radlab drill`, `radlab livy`) fail and stop: a RadlabError printed as
// `radlab: code: message`, the service's own detail lines, the hint, and an exit code; SIGINT is
// the interrupt source unless a test or an embedder passes its own.
import { RadlabError } from '@radlab/core';
import { EXIT_CONFIG, EXIT_DOWN, type Io } from './connections.js';
import { stylerFor, type Styler } from './table.js';

export const EXIT_INTERRUPTED = 130;

/** An interrupt source: SIGINT by default; tests and embedders may pass their own. */
export type OnInterrupt = (handler: () => void) => () => void;

export const onSigint: OnInterrupt = handler => {
  process.on('SIGINT', handler);
  return () => process.off('SIGINT', handler);
};

/** A usage or configuration error of the command line itself (exit 2). */
export function configError(message: string, hint: string): RadlabError {
  return new RadlabError({ code: 'config', service: 'radlab', message, hint });
}

/** Prints `error` to stderr and returns its exit code; `details` adds lines between message and hint. */
export function printError(
  error: unknown,
  io: Io,
  details?: (e: RadlabError, styler: Styler) => string[]
): number {
  const styler = stylerFor(io.stderr.isTTY, io.env);
  if (!RadlabError.isRadlabError(error)) {
    io.stderr.write(
      `${styler.red('radlab:')} ${error instanceof Error ? error.message : String(error)}\n`
    );
    return EXIT_DOWN;
  }
  const e = error as RadlabError;
  io.stderr.write(`${styler.red(`radlab: ${e.code}:`)} ${e.message}\n`);
  for (const line of details?.(e, styler) ?? []) io.stderr.write(`${line}\n`);
  io.stderr.write(`  ${styler.dim(`hint: ${e.hint}`)}\n`);
  if (e.code === 'config') return EXIT_CONFIG;
  if (e.code === 'cancelled') return EXIT_INTERRUPTED;
  return EXIT_DOWN;
}
