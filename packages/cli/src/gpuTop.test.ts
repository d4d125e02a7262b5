// `radlab gpu top`: spawns the built CLI (bin/radlab.js) against the local stack's real Prometheus
// scraping the stack's DCGM-format exporter; on a real terminal through script(1)'s pseudo-terminal;
// and against a connection to a closed port for Prometheus down.

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '@radlab/core/testing/http';
import { startGpuMetrics } from '@radlab/core/testing/prometheus';
import { fitFrame, terminalText } from './gpuTop.js';
import { buildCli, CLI_BIN, type CliRun, runCli } from './testing/cli.js';

const env = { PATH: process.env['PATH'] ?? '', HOME: tmpdir() };
let config = '';

function radlab(args: string[]): Promise<CliRun> {
  return runCli(['-c', config, ...args], { home: tmpdir() });
}

/** Runs `args` until `until` holds of its stdout or stderr, then sends SIGINT; resolves with the end. */
function interrupted(
  args: string[],
  until: (out: { stdout: string; stderr: string }) => boolean
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [CLI_BIN, '-c', config, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    });
    const out = { stdout: '', stderr: '' };
    let sent = false;
    const check = (): void => {
      if (!sent && until(out)) {
        sent = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', (d: Buffer) => ((out.stdout += d.toString()), check()));
    child.stderr.on('data', (d: Buffer) => ((out.stderr += d.toString()), check()));
    child.on('exit', code => resolve({ code, ...out }));
  });
}

beforeAll(async () => {
  buildCli();
  const url = await startGpuMetrics();
  const down = `http://127.0.0.1:${await closedPort()}`;
  config = join(mkdtempSync(join(tmpdir(), 'radlab-gpu-top-')), 'connections.json');
  writeFileSync(
    config,
    JSON.stringify({
      connections: [
        { name: 'prom', kind: 'prometheus', url },
        { name: 'down', kind: 'prometheus', url: down }
      ]
    })
  );
}, 240_000);

const ROW =
  /^gpu-node-1\s+(\d)\s+(NVIDIA \S+(?: \S+)*?)\s+[█░]{10}\s+\d+ %\s+[\d,]+ \/ [\d,]+ MiB\s+[\d.]+ W\s+\d+ °C\s+(\S+)$/;

describe('radlab gpu top', { timeout: 90_000 }, () => {
  it('--once prints one table of a node, sorted by GPU, and exits', async () => {
    const r = await radlab(['gpu', 'top', '--once', '--node', 'gpu-node-1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^node\s+gpu\s+model\s+util\s+memory\s+power\s+temp\s+pod$/);
    expect(lines).toHaveLength(9);
    const rows = lines.slice(1).map(l => ROW.exec(l));
    expect(rows.every(Boolean), lines.join('\n')).toBe(true);
    expect(rows.map(m => m![1])).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    expect(rows[0]![3]).toBe('radiology/train-unet-0');
    expect(lines.at(-1)).toMatch(/free$/);
    expect(r.stdout).not.toContain('\u001b'); // not a terminal: no colour, no cursor moves
  });

  it('--sort util puts the busiest GPUs first', async () => {
    const r = await radlab(['gpu', 'top', '--once', '--sort', 'util']);
    expect(r.code).toBe(0);
    const utils = r.stdout
      .trimEnd()
      .split('\n')
      .slice(1)
      .map(l => Number(/[█░]{10}\s+(\d+) %/.exec(l)?.[1]));
    expect(utils.length).toBe(24);
    expect(utils).toEqual([...utils].sort((a, b) => b - a));
  });

  it('without a terminal prints a table per refresh under its time, and Ctrl-C ends it cleanly', async () => {
    const tables = (s: string): number => (s.match(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/gm) ?? []).length;
    const r = await interrupted(['gpu', 'top', '--node', 'gpu-node-2'], o => tables(o.stdout) >= 2);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const first = r.stdout.split('\n\n')[0]!.split('\n');
    expect(first[1]).toMatch(/^node\s+gpu\s+model/);
    expect(first.slice(2).every(l => l.startsWith('gpu-node-2 '))).toBe(true);
    expect(r.stdout).not.toContain('\u001b');
  });

  it('on a terminal draws in the alternate screen, sorts on a key, and q restores the terminal', async () => {
    const command = [process.execPath, CLI_BIN, '-c', config, 'gpu', 'top', '--node', 'gpu-node-1']
      .map(a => `'${a}'`)
      .join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...env, TERM: 'xterm-256color', COLUMNS: '160', LINES: '40' },
      stdio: ['pipe', 'pipe', 'pipe']
    });
    let out = '';
    const seen = (text: string): Promise<void> =>
      new Promise(resolve => {
        const check = (): void => {
          if (out.includes(text)) resolve();
          else setTimeout(check, 50);
        };
        check();
      });
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exit = new Promise<number | null>(r => child.on('exit', code => r(code)));
    await seen('sorted by node');
    child.stdin.write('u');
    await seen('sorted by util');
    child.stdin.write('q');
    expect(await exit).toBe(0);
    expect(out).toContain('\u001b[?1049h'); // the alternate screen …
    expect(out.lastIndexOf('\u001b[?1049l')).toBeGreaterThan(out.lastIndexOf('sorted by util')); // … left at the end
    expect(out).toContain('\u001b[?25h'); // the cursor shown again
    expect(out).toMatch(/radlab gpu top · prom · node gpu-node-1 · 8 GPUs on 1 node /);
    expect(out).toContain('radiology/train-unet-0');
  });

  it('Prometheus down: --once fails naming it; live, it says so and keeps trying', async () => {
    const once = await radlab(['gpu', 'top', '--once', '-c', 'down']);
    expect(once.code).toBe(1);
    expect(once.stderr).toMatch(/radlab: unreachable:/);
    expect(once.stdout).toBe('');
    const tries = (s: string): number => (s.match(/ Prometheus: /g) ?? []).length;
    const live = await interrupted(
      ['gpu', 'top', '-c', 'down', '--interval', '0.5'],
      o => tries(o.stderr) >= 2
    );
    expect(live.code).toBe(0);
    expect(live.stderr).toMatch(/^\d{4}-[\d-]+T[\d:.]+Z Prometheus: .*127\.0\.0\.1/m);
  });

  it('names a bad sort key or interval', async () => {
    const sort = await radlab(['gpu', 'top', '--once', '--sort', 'colour']);
    expect(sort.code).toBe(2);
    expect(sort.stderr).toContain('--sort colour is not a sort key');
    const interval = await radlab(['gpu', 'top', '--interval', 'soon']);
    expect(interval.code).toBe(2);
    expect(interval.stderr).toContain('--interval soon is not a number of seconds');
  });
});

describe('gpu top text', () => {
  it('escapes control characters of label values, so a pod name cannot drive the terminal', () => {
    expect(terminalText('train\u001b[2Jx\u0007')).toBe('train\\x1b[2Jx\\x07');
    expect(terminalText('radiology/train-unet-0')).toBe('radiology/train-unet-0');
  });

  it('fits a frame to the terminal, keeping escape codes whole', () => {
    expect(fitFrame(['\u001b[1mabcdef\u001b[22m', 'xy'], 3)).toEqual([
      '\u001b[1mabc\u001b[22m',
      'xy'
    ]);
    expect(fitFrame(['a', 'b', 'c', 'd'], undefined, 3)).toEqual([
      'a',
      'b',
      '… 2 more rows (make the terminal taller, or --node)'
    ]);
  });
});
