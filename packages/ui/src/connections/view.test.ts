// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HealthResult, RadlabErrorJSON } from '@radlab/core';
import { ConnectionsView, formatLatency, formatVersion } from './view.js';
import type { ConnectionHealth, ConnectionsViewState } from './view.js';

const healthy: HealthResult = {
  connection: 'prom',
  kind: 'prometheus',
  state: 'healthy',
  latencyMs: 12.4,
  version: '2.45.0',
  checkedAt: '2025-01-01T10:00:00.000Z'
};

const down: HealthResult = {
  connection: 'drill',
  kind: 'drill',
  state: 'down',
  latencyMs: 3001,
  checkedAt: '2025-01-01T10:00:00.000Z',
  error: {
    code: 'unreachable',
    service: 'drill',
    message: 'connection refused: 127.0.0.1:1',
    hint: 'Check that the service is running and that the URL and port are right.'
  }
};

function state(
  health: Array<[string, ConnectionHealth]>,
  errors: RadlabErrorJSON[] = []
): ConnectionsViewState {
  return {
    connections: [
      { name: 'prom', kind: 'prometheus', description: 'Prometheus', url: 'http://127.0.0.1:9090' },
      { name: 'drill', kind: 'drill' }
    ],
    health: new Map(health),
    errors
  };
}

describe('ConnectionsView', () => {
  let host: HTMLElement;

  beforeEach(() => {
    host = document.createElement('div');
    document.body.appendChild(host);
  });

  afterEach(() => {
    host.remove();
  });

  it('renders a list with one row per connection, with state, kind, latency and version', () => {
    const view = new ConnectionsView(host);
    view.update(
      state([
        ['prom', healthy],
        ['drill', down]
      ])
    );
    const list = host.querySelector('[role="list"]');
    expect(list?.getAttribute('aria-label')).toBe('Radlab connections');
    const rows = host.querySelectorAll<HTMLElement>('[role="listitem"]');
    expect(rows).toHaveLength(2);
    const [prom, drill] = rows;
    expect(prom.dataset.connection).toBe('prom');
    expect(prom.dataset.state).toBe('healthy');
    expect(prom.querySelector('.rl-StateDot')?.classList.contains('rl-mod-healthy')).toBe(true);
    expect(prom.querySelector('.rl-Connection-name')?.textContent).toBe('prom');
    expect(prom.querySelector('.rl-Connection-kind')?.textContent).toBe('prometheus');
    expect(prom.querySelector('.rl-Connection-latency')?.textContent).toBe('12 ms');
    expect(prom.querySelector('.rl-Connection-version')?.textContent).toBe('v2.45.0');
    expect(prom.querySelector('.rl-Connection-description')?.textContent).toBe('Prometheus');
    expect(prom.querySelector('.rl-Connection-problem')).toBeNull();
    expect(prom.getAttribute('aria-label')).toBe('prom, prometheus, healthy, 12 ms, v2.45.0');

    expect(drill.dataset.state).toBe('down');
    expect(drill.querySelector('.rl-StateDot')?.classList.contains('rl-mod-down')).toBe(true);
    expect(drill.querySelector('.rl-Connection-error')?.textContent).toBe(
      'connection refused: 127.0.0.1:1'
    );
    expect(drill.querySelector('.rl-Connection-hint')?.textContent).toBe(
      'Check that the service is running and that the URL and port are right.'
    );
    expect(drill.querySelector('[role="alert"]')).not.toBeNull();
    // the time a down service took to fail is not a latency worth showing
    expect(drill.querySelector('.rl-Connection-latency')).toBeNull();
    expect(drill.querySelector('.rl-Connection-meta')).toBeNull();
    view.dispose();
  });

  it('puts service details and the check time in the meta line tooltip', () => {
    const view = new ConnectionsView(host);
    view.update(state([['prom', { ...healthy, details: { drillbits: '3', empty: '' } }]]));
    const meta = host.querySelector<HTMLElement>('[data-connection="prom"] .rl-Connection-meta')!;
    expect(meta.title).toMatch(/^drillbits: 3\nchecked /);
    expect(meta.title).not.toContain('empty');
    view.dispose();
  });

  it('shows checking and not-yet-checked states', () => {
    const view = new ConnectionsView(host);
    view.update(state([['prom', 'checking']]));
    const [prom, drill] = host.querySelectorAll<HTMLElement>('[role="listitem"]');
    expect(prom.dataset.state).toBe('checking');
    expect(prom.querySelector('.rl-StateDot')?.classList.contains('rl-mod-checking')).toBe(true);
    expect(prom.querySelector('.rl-Connection-checking')?.textContent).toBe('checking…');
    expect(drill.dataset.state).toBe('unknown');
    expect(host.querySelector('.rl-Connections')?.getAttribute('aria-busy')).toBe('true');
    view.dispose();
  });

  it('shows a degraded row in amber with its problem', () => {
    const view = new ConnectionsView(host);
    const degraded: HealthResult = {
      ...healthy,
      state: 'degraded',
      error: { ...down.error!, message: 'slow' }
    };
    view.update(state([['prom', degraded]]));
    const prom = host.querySelector<HTMLElement>('[data-connection="prom"]')!;
    expect(prom.dataset.state).toBe('degraded');
    expect(prom.querySelector('.rl-StateDot')?.classList.contains('rl-mod-degraded')).toBe(true);
    expect(prom.querySelector('.rl-Connection-error')?.textContent).toBe('slow');
    view.dispose();
  });

  it('shows config errors on top with their hints', () => {
    const view = new ConnectionsView(host);
    const error: RadlabErrorJSON = {
      code: 'config',
      service: 'radlab',
      message: '/etc/radlab.json: /connections/2/url must be a URL',
      hint: 'Fix the connection configuration.'
    };
    view.update(state([], [error]));
    const errors = host.querySelector<HTMLElement>('.rl-Connections-errors')!;
    expect(errors.hidden).toBe(false);
    expect(errors.getAttribute('role')).toBe('alert');
    expect(errors.textContent).toContain('/connections/2/url must be a URL');
    expect(errors.querySelector('.rl-ConfigError-hint')?.textContent).toBe(
      'Fix the connection configuration.'
    );
    // errors come before the list
    const children = [...host.querySelector('.rl-Connections')!.children];
    expect(children.indexOf(errors)).toBeLessThan(
      children.indexOf(host.querySelector('[role="list"]')!)
    );

    view.update(state([]));
    expect(errors.hidden).toBe(true);
    expect(errors.children).toHaveLength(0);
    view.dispose();
  });

  it('renders markup in service text as text, never as HTML', () => {
    const onerror = vi.fn();
    (window as unknown as Record<string, unknown>).__radlabXss = onerror;
    const evil = '<img src=x onerror="window.__radlabXss()">';
    const view = new ConnectionsView(host);
    view.update({
      connections: [{ name: `n${evil}`, kind: 'drill', description: evil, url: evil }],
      health: new Map([
        [
          `n${evil}`,
          {
            ...down,
            connection: `n${evil}`,
            version: evil,
            details: { [evil]: evil },
            error: { ...down.error!, message: evil, hint: evil }
          }
        ]
      ]),
      errors: [{ code: 'config', service: 'radlab', message: evil, hint: evil }]
    });
    expect(host.querySelector('img')).toBeNull();
    expect(host.querySelector('.rl-Connection-error')?.textContent).toBe(evil);
    expect(host.querySelector('.rl-Connection-hint')?.textContent).toBe(evil);
    expect(host.querySelector('.rl-Connection-description')?.textContent).toBe(evil);
    expect(host.querySelector('.rl-ConfigError-hint')?.textContent).toBe(evil);
    expect(host.querySelector('[role="listitem"]')?.getAttribute('data-connection')).toBe(
      `n${evil}`
    );
    expect(host.innerHTML).toContain('&lt;img');
    expect(onerror).not.toHaveBeenCalled();
    delete (window as unknown as Record<string, unknown>).__radlabXss;
    view.dispose();
  });

  it('calls onRefresh and onCheck, and keeps rows (and focus) across updates', () => {
    const onRefresh = vi.fn();
    const onCheck = vi.fn();
    const view = new ConnectionsView(host, { onRefresh, onCheck });
    view.update(state([['prom', healthy]]));
    const refresh = host.querySelector<HTMLButtonElement>(
      'button[aria-label="Refresh connections"]'
    )!;
    refresh.click();
    expect(onRefresh).toHaveBeenCalledTimes(1);

    const row = host.querySelector('[data-connection="prom"]');
    const check = host.querySelector<HTMLButtonElement>('button[aria-label="Check prom"]')!;
    check.focus();
    check.click();
    expect(onCheck).toHaveBeenCalledWith('prom');

    view.update(state([['prom', healthy]]));
    expect(host.querySelector('[data-connection="prom"]')).toBe(row);
    expect((document.activeElement as HTMLElement).getAttribute('aria-label')).toBe('Check prom');

    // a checking row's check button is disabled
    view.update(state([['prom', 'checking']]));
    const disabled = host.querySelector<HTMLButtonElement>('button[aria-label="Check prom"]')!;
    expect(disabled.disabled).toBe(true);
    view.dispose();
  });

  it('removes rows of connections that went away and shows an empty message', () => {
    const view = new ConnectionsView(host);
    view.update(state([]));
    expect(host.querySelectorAll('[role="listitem"]')).toHaveLength(2);
    view.update({ connections: [{ name: 'drill', kind: 'drill' }], health: new Map(), errors: [] });
    expect(host.querySelectorAll('[role="listitem"]')).toHaveLength(1);
    expect(host.querySelector<HTMLElement>('.rl-Connections-empty')!.hidden).toBe(true);
    view.update({ connections: [], health: new Map(), errors: [] });
    expect(host.querySelectorAll('[role="listitem"]')).toHaveLength(0);
    expect(host.querySelector<HTMLElement>('.rl-Connections-empty')!.hidden).toBe(false);
    view.dispose();
  });

  it('dispose removes its DOM and every listener', () => {
    const onRefresh = vi.fn();
    const view = new ConnectionsView(host, { onRefresh, onCheck: vi.fn() });
    view.update(state([['prom', healthy]]));
    const root = host.querySelector<HTMLElement>('.rl-Connections')!;
    const refresh = root.querySelector<HTMLButtonElement>('button[data-action="refresh"]')!;
    const removed = vi.spyOn(root, 'removeEventListener');
    view.dispose();
    expect(view.isDisposed).toBe(true);
    expect(host.children).toHaveLength(0);
    expect(removed).toHaveBeenCalledWith('click', expect.any(Function));
    refresh.click(); // detached node: the listener is gone
    expect(onRefresh).not.toHaveBeenCalled();
    view.update(state([])); // no-op after dispose
    expect(host.children).toHaveLength(0);
    view.dispose(); // idempotent
  });
});

describe('formatting', () => {
  it('formats latency', () => {
    expect(formatLatency(undefined)).toBeUndefined();
    expect(formatLatency(0.4)).toBe('0 ms');
    expect(formatLatency(999)).toBe('999 ms');
    expect(formatLatency(1234)).toBe('1.2 s');
    expect(formatLatency(12_345)).toBe('12 s');
    expect(formatLatency(Number.NaN)).toBeUndefined();
  });

  it('formats versions', () => {
    expect(formatVersion('2.45.0')).toBe('v2.45.0');
    expect(formatVersion('v1.29.1')).toBe('v1.29.1');
    expect(formatVersion('  ')).toBeUndefined();
    expect(formatVersion(undefined)).toBeUndefined();
  });
});
