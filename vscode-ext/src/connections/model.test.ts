import { describe, expect, it } from 'vitest';
import { describeHealth } from '@radlab/core';
import type { HealthResult } from '@radlab/core';
import {
  codeSpan,
  configErrorItem,
  connectionItem,
  contextValueOf,
  escapeMarkdown,
  formatTime,
  type ConnectionEntry
} from './model.js';

const prom: ConnectionEntry = {
  config: {
    name: 'local-prometheus',
    kind: 'prometheus',
    url: 'http://127.0.0.1:9090',
    auth: { type: 'none' }
  },
  source: 'vscode',
  hasSecret: true
};
const drill: ConnectionEntry = {
  config: {
    name: 'broken-drill',
    kind: 'drill',
    url: 'http://127.0.0.1:1',
    auth: { type: 'basic', username: 'analyst' }
  },
  source: 'file',
  hasSecret: false
};

const healthy: HealthResult = {
  connection: 'local-prometheus',
  kind: 'prometheus',
  state: 'healthy',
  latencyMs: 12,
  version: '2.42.0',
  checkedAt: '2025-01-01T00:00:00.000Z'
};
const down: HealthResult = {
  connection: 'broken-drill',
  kind: 'drill',
  state: 'down',
  checkedAt: '2025-01-01T00:00:00.000Z',
  error: {
    code: 'unreachable',
    service: 'drill',
    message: 'connect ECONNREFUSED 127.0.0.1:1 <img src=x onerror=alert(1)> [click](command:evil)',
    hint: 'Check that the service is running and that the URL and port are right.'
  }
};

describe('connectionItem', () => {
  it('shows a healthy connection with the pass icon and the one-line description', () => {
    const item = connectionItem(prom, healthy, false);
    expect(item.label).toBe('local-prometheus');
    expect(item.description).toBe(describeHealth(healthy));
    expect(item.icon).toEqual({ id: 'pass-filled', color: 'testing.iconPassed' });
    expect(item.children).toEqual([]);
    expect(item.contextValue).toBe('radlab.connection;editable');
    expect(item.tooltip).toContain('`http://127.0.0.1:9090`');
    expect(item.tooltip).toContain('`2.42.0`');
  });

  it('shows a down connection with the error icon and its hint as a child', () => {
    const item = connectionItem(drill, down, false);
    expect(item.icon).toEqual({ id: 'error', color: 'testing.iconFailed' });
    expect(item.children).toHaveLength(1);
    expect(item.children[0].label).toBe(down.error!.hint);
    expect(item.children[0].icon.id).toBe('lightbulb');
    expect(item.id).not.toBe(
      connectionItem(drill, { ...down, state: 'healthy', error: undefined }, false).id
    );
    expect(item.contextValue).toBe('radlab.connection;secret');
    expect(item.tooltip).toContain('(no secret stored)');
  });

  it('spins while checking and keeps the previous hint', () => {
    const first = connectionItem(prom, undefined, true);
    expect(first.icon).toEqual({ id: 'loading~spin' });
    expect(first.description).toBe('checking…');
    const again = connectionItem(drill, down, true);
    expect(again.icon.id).toBe('loading~spin');
    expect(again.children).toHaveLength(1);
    expect(again.description).toContain('checking…');
  });

  it('marks never-checked connections neutrally', () => {
    expect(connectionItem(prom, undefined, false).icon.id).toBe('circle-large-outline');
  });

  it('escapes untrusted text in the tooltip (no HTML, no links, no theme icons)', () => {
    const tooltip = connectionItem(drill, down, false).tooltip;
    expect(tooltip).not.toMatch(/(^|[^\\])<img/); // only the escaped \<img
    expect(tooltip).not.toContain('[click](command:evil)');
    expect(tooltip).toContain('\\<img');
    const evil = connectionItem(
      { ...prom, config: { ...prom.config, description: '$(zap) *bold* `code`' } },
      undefined,
      false
    ).tooltip;
    expect(evil).toContain('\\$\\(zap\\)');
    expect(evil).toContain('\\*bold\\*');
  });
});

describe('markdown helpers', () => {
  it('formats check times for people', () => {
    const now = new Date(2025, 0, 1, 12, 0, 0);
    expect(formatTime(new Date(2025, 0, 1, 0, 5, 9).toISOString(), now)).toMatch(/^0?0:05:09/);
    expect(formatTime(new Date(2024, 11, 31, 23, 0, 0).toISOString(), now)).toContain('23:00:00');
    expect(formatTime('not a date', now)).toBe('not a date');
  });

  it('escapeMarkdown escapes syntax and keeps line breaks', () => {
    expect(escapeMarkdown('a_b*c')).toBe('a\\_b\\*c');
    expect(escapeMarkdown('x\ny')).toBe('x  \ny');
  });

  it('codeSpan fences longer than any backtick run', () => {
    expect(codeSpan('plain')).toBe('`plain`');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x`')).toBe('`` `x` ``');
  });

  it('contextValue encodes editable and secret', () => {
    expect(contextValueOf({ ...drill, source: 'vscode' })).toBe(
      'radlab.connection;editable;secret'
    );
    expect(contextValueOf({ ...prom, source: 'env' })).toBe('radlab.connection');
  });

  it('config errors become warning items', () => {
    const item = configErrorItem(
      {
        code: 'config',
        service: 'radlab',
        message: 'bad /connections/2/url in x.json',
        hint: 'Fix it.'
      },
      0
    );
    expect(item.contextValue).toBe('radlab.configError');
    expect(item.icon.id).toBe('warning');
  });
});
