import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from './index.js';
import * as node from './node/index.js';

/** Relative imports of a source file, followed transitively; bare specifiers collected. */
function importGraph(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.includes(file)) return;
    files.push(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)) {
      const spec = m[1]!;
      if (/^import\s+type\s/.test(m[0]) || /^export\s+type\s/.test(m[0])) continue;
      if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files, packages };
}

const here = dirname(fileURLToPath(import.meta.url));

describe('entry points', () => {
  it('the main entry is browser-safe: no node built-ins, no src/node, no DOM globals', () => {
    const { files, packages } = importGraph(join(here, 'index.ts'));
    expect(files.some(f => f.includes(`${join(here, 'node')}/`))).toBe(false);
    // yaml: pure JS (the job YAML preview and job files)
    expect([...packages].sort()).toEqual(['ajv', 'axios', 'yaml']);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/\b(document|window|localStorage)\./);
      expect(text, file).not.toMatch(/\bBuffer\.|\bprocess\./);
    }
  });

  it('exports the documented surface', () => {
    for (const name of [
      'Transport',
      'checkHealth',
      'describeHealth',
      'parseConnections',
      'parseConnectionsText',
      'mergeConnections',
      'connectionsSchema',
      'defaultConnections',
      'RadlabError',
      'redact',
      'registerSecret',
      'SERVICES',
      'serviceDefinition',
      'ConnectionClientCache',
      'secretFingerprint'
    ]) {
      expect(core, name).toHaveProperty(name);
    }
    for (const name of [
      'loadConnections',
      'createNodeTransport',
      'resolveAuth',
      'resolveKubeconfig',
      'resolveInCluster',
      'checkConnection',
      'nodePosixProbe'
    ]) {
      expect(node, name).toHaveProperty(name);
    }
  });
});
