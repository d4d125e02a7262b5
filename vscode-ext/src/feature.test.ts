// The one command wrapper, with a stand-in `vscode` module (the wrapper's only host calls are
// registerCommand and showErrorMessage).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { RadlabError } from '@radlab/core';

const registered = new Map<string, (arg?: unknown) => Promise<void>>();
const shown: string[] = [];
vi.mock('vscode', () => ({
  commands: {
    registerCommand: (id: string, fn: (arg?: unknown) => Promise<void>) => {
      registered.set(id, fn);
      return { dispose: () => registered.delete(id) };
    }
  },
  window: { showErrorMessage: (text: string) => shown.push(text) },
  l10n: {
    t: (text: string, ...args: unknown[]) =>
      text.replace(/\{(\d+)\}/g, (_m, i: string) => String(args[Number(i)]))
  },
  CancellationError: class CancellationError extends Error {}
}));

const { registerCommand, registerFeature } = await import('./feature.js');

function log() {
  return { info: vi.fn(), error: vi.fn(), debug: vi.fn() };
}

describe('registerCommand', () => {
  beforeEach(() => {
    registered.clear();
    shown.length = 0;
  });

  it('passes the argument on, and shows and logs a failure', async () => {
    const l = log();
    const run = vi.fn(() => Promise.reject(new Error('no such connection')));
    registerCommand('radlab.drill.refresh', run, l as never);
    await registered.get('radlab.drill.refresh')!('item');
    expect(run).toHaveBeenCalledWith('item');
    expect(shown).toEqual(['Radlab: no such connection']);
    expect(l.error).toHaveBeenCalledWith('radlab.drill.refresh failed', expect.any(Error));
  });

  it('only logs a cancellation', async () => {
    const l = log();
    const cancelled = new RadlabError({
      code: 'cancelled',
      service: 'drill',
      message: 'cancelled'
    });
    registerCommand('radlab.drill.runQuery', () => Promise.reject(cancelled), l as never);
    await registered.get('radlab.drill.runQuery')!();
    expect(shown).toEqual([]);
    expect(l.error).not.toHaveBeenCalled();
    expect(l.info).toHaveBeenCalledWith('radlab.drill.runQuery cancelled');
  });

  it('a feature’s disposables go into context.subscriptions, its commands through the wrapper', () => {
    const subscriptions: Array<{ dispose(): void }> = [];
    const l = log();
    registerFeature(
      {
        id: 'test',
        activate: host => [host.registerCommand('radlab.drill.refresh', () => undefined)]
      },
      {
        context: { subscriptions } as never,
        store: {} as never,
        tree: {} as never,
        log: l as never
      }
    );
    expect(subscriptions).toHaveLength(1);
    expect(registered.has('radlab.drill.refresh')).toBe(true);
    subscriptions[0]!.dispose();
    expect(registered.has('radlab.drill.refresh')).toBe(false);
  });
});
