// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatExpiry, formatProgress, stateGroup } from './format.js';
import { LivySessionsView, type LivySessionRow, type LivySessionsState } from './sessions.js';

const idle: LivySessionRow = {
  id: 3,
  name: 'etl',
  kind: 'pyspark',
  state: 'idle',
  appId: 'local-1700000000000',
  appInfo: { sparkUiUrl: 'http://127.0.0.1:4040' },
  log: [],
  expiresInMs: 59 * 60_000 + 30_000
};
const busy: LivySessionRow = { id: 4, kind: 'spark', state: 'busy', log: [], progress: 0.42 };
const dead: LivySessionRow = {
  id: 5,
  kind: 'pyspark',
  state: 'dead',
  log: ['stdout: ', '<script>alert(1)</script>', 'YARN Diagnostics: driver killed'],
  expiresInMs: 1000
};

function state(extra: Partial<LivySessionsState> = {}): LivySessionsState {
  return {
    connections: ['local-livy'],
    connection: 'local-livy',
    sessions: [idle, busy, dead],
    ...extra
  };
}

describe('Livy formats', () => {
  it('says the time until expiry, rounding down', () => {
    expect(formatExpiry(undefined)).toBeUndefined();
    expect(formatExpiry(0)).toBe('expired');
    expect(formatExpiry(45_900)).toBe('expires in 45 s');
    expect(formatExpiry(59 * 60_000 + 59_000)).toBe('expires in 59 min');
    expect(formatExpiry(3 * 3600_000 + 5 * 60_000)).toBe('expires in 3 h 5 min');
  });
  it('groups every Livy state', () => {
    for (const s of ['not_started', 'starting', 'recovering'])
      expect(stateGroup(s)).toBe('starting');
    for (const s of ['error', 'dead', 'killed', 'success']) expect(stateGroup(s)).toBe('dead');
    expect(stateGroup('busy')).toBe('busy');
    expect(stateGroup('shutting_down')).toBe('ending');
    expect(stateGroup('weird')).toBe('unknown');
  });
  it('shows progress only in 0..1', () => {
    expect(formatProgress(0.426)).toBe('42 %');
    expect(formatProgress(1.5)).toBeUndefined();
    expect(formatProgress(Number.NaN)).toBeUndefined();
  });
});

describe('LivySessionsView', () => {
  let host: HTMLElement;
  beforeEach(() => {
    host = document.createElement('div');
    document.body.append(host);
  });
  afterEach(() => host.remove());

  it('lists sessions with kind, state, expiry and progress', () => {
    const view = new LivySessionsView(host);
    view.update(state());
    const rows = host.querySelectorAll<HTMLElement>('.rl-LivySession');
    expect([...rows].map(r => r.dataset.state)).toEqual(['idle', 'busy', 'dead']);
    expect(rows[0].getAttribute('aria-label')).toBe('#3 etl, pyspark, idle, expires in 59 min');
    expect(rows[0].querySelector('.rl-LivySession-ui')?.getAttribute('href')).toBe(
      'http://127.0.0.1:4040'
    );
    expect(rows[1].querySelector('progress')?.value).toBeCloseTo(0.42);
    expect(rows[1].textContent).toContain('42 %');
    // a dead session has no expiry, but its last log lines, as text, and a Restart
    expect(rows[2].querySelector('.rl-LivySession-expiry')).toBeNull();
    const log = rows[2].querySelector('pre.rl-LivySession-log');
    expect(log?.textContent).toContain('<script>alert(1)</script>');
    expect(log?.querySelector('script')).toBeNull();
    expect(rows[2].querySelector('[data-action="restart"]')).not.toBeNull();
    expect(rows[2].querySelector('[data-action="kill"]')).toBeNull();
    view.dispose();
  });

  it('calls back for start, kill, restart, log, refresh and connection', () => {
    const calls: unknown[][] = [];
    const view = new LivySessionsView(host, {
      onStart: (...a) => calls.push(['start', ...a]),
      onKill: id => calls.push(['kill', id]),
      onRestart: id => calls.push(['restart', id]),
      onLog: id => calls.push(['log', id]),
      onRefresh: () => calls.push(['refresh']),
      onConnection: name => calls.push(['connection', name])
    });
    view.update(state({ connections: ['a', 'local-livy'] }));
    const kind = host.querySelector<HTMLSelectElement>('.rl-Livy-kind')!;
    kind.value = 'sql';
    host.querySelector<HTMLInputElement>('.rl-Livy-name')!.value = '  q1 ';
    host.querySelector<HTMLButtonElement>('.rl-Livy-startButton')!.click();
    host.querySelector<HTMLButtonElement>('[data-action="kill"][data-session="3"]')!.click();
    host.querySelector<HTMLButtonElement>('[data-action="restart"][data-session="5"]')!.click();
    host.querySelector<HTMLButtonElement>('[data-action="log"][data-session="4"]')!.click();
    host.querySelector<HTMLButtonElement>('[data-action="refresh"]')!.click();
    const select = host.querySelector<HTMLSelectElement>('.rl-Livy-connection')!;
    select.value = 'a';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    expect(calls).toEqual([
      ['start', 'sql', 'q1'],
      ['kill', 3],
      ['restart', 5],
      ['log', 4],
      ['refresh'],
      ['connection', 'a']
    ]);
    view.dispose();
  });

  it('says what sparkr needs on the Livy host when it is chosen, before it starts', () => {
    const view = new LivySessionsView(host, {});
    view.update(state({}));
    const kind = host.querySelector<HTMLSelectElement>('.rl-Livy-kind')!;
    const hint = host.querySelector<HTMLElement>('.rl-Livy-kindHint')!;
    expect(hint.hidden).toBe(true);
    kind.value = 'sparkr';
    kind.dispatchEvent(new Event('change', { bubbles: true }));
    expect(hint.hidden).toBe(false);
    expect(hint.textContent).toMatch(/^sparkr: needs R on the Livy host \(Debian: r-base-core\)/);
    view.dispose();
  });

  it('disables an unavailable kind with its reason, and Start while one starts', () => {
    const onStart = vi.fn();
    const view = new LivySessionsView(host, { onStart });
    view.update(state({ unavailableKinds: { sparkr: 'R is not installed on the Livy host' } }));
    const kind = host.querySelector<HTMLSelectElement>('.rl-Livy-kind')!;
    const sparkr = [...kind.options].find(o => o.value === 'sparkr')!;
    expect(sparkr.disabled).toBe(true);
    expect(host.querySelector('.rl-Livy-kindHint')?.textContent).toBe(
      'sparkr: R is not installed on the Livy host'
    );
    view.update(state({ starting: 'pyspark' }));
    const start = host.querySelector<HTMLButtonElement>('.rl-Livy-startButton')!;
    expect(start.disabled).toBe(true);
    expect(start.textContent).toBe('Starting pyspark…');
    view.dispose();
    expect(host.childElementCount).toBe(0);
  });

  it('shows an error with its hint, and says when no Livy connection exists', () => {
    const view = new LivySessionsView(host);
    view.update(
      state({
        sessions: [],
        error: { code: 'unreachable', service: 'livy', message: 'refused', hint: 'Start Livy.' }
      })
    );
    expect(host.querySelector('[role="alert"]')?.textContent).toBe('refusedStart Livy.');
    expect(host.querySelector<HTMLElement>('.rl-Livy-empty')!.hidden).toBe(false);
    view.update({ connections: [], sessions: [] });
    expect(host.querySelector('.rl-Livy-note')?.textContent).toContain('No Livy connection');
    view.dispose();
  });
});
