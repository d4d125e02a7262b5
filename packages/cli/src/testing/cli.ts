// The CLI's tests run the built CLI (bin/radlab.js) as a user would. One build step and one spawner, so
// each test file says only what it runs and against which service.
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const CLI_BIN = join(REPO_ROOT, 'packages/cli/bin/radlab.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** HOME of the child (its ~/.radlab and default config); a temp folder per test file. */
  home: string;
  /** Added to a minimal environment (PATH and HOME only, so the developer's own settings stay out). */
  env?: Record<string, string>;
  /** Written to stdin, which is closed either way (a prompt must not wait forever). */
  input?: string;
  /** Milliseconds before the child is killed; a killed child reports code -1. */
  timeout?: number;
  /** The child's working folder (default: this process's). */
  cwd?: string;
}

/** Builds core, imaging and the CLI (incremental: fast when up to date); call it in `beforeAll`. */
export function buildCli(): void {
  execFileSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'packages/cli'],
    {
      cwd: REPO_ROOT,
      stdio: 'pipe'
    }
  );
}

/** Runs `radlab ARGS…` and resolves with its exit code and output; never rejects. */
export function runCli(args: string[], options: CliOptions): Promise<CliRun> {
  return new Promise(resolve => {
    const child = execFile(
      process.execPath,
      [CLI_BIN, ...args],
      {
        env: { PATH: process.env['PATH'] ?? '', HOME: options.home, ...options.env },
        timeout: options.timeout ?? 60_000,
        cwd: options.cwd,
        // `radlab files ls` of 100,000 names prints 1.7 MB
        maxBuffer: 64 << 20
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      }
    );
    child.stdin?.end(options.input);
  });
}
