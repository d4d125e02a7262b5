// The Livy session notebook cells run in, chosen with a quick pick and shown in the status bar with its
// state and time until expiry (kept per workspace). A cell can name another with `-s NAME` or `-s #ID`.
// A session Livy no longer lists (deleted, expired, Livy restarted) is dropped: the next live one is
// followed, or, with none, the next cell starts one (follow.ts).
import * as vscode from 'vscode';
import type { KeepAlive } from '@radlab/core';
import { formatExpiry, stateGroup, stateLabel, type LivySessionInfo } from '@radlab/ui';
import { Disposable } from '../util/dispose.js';
import { followSession, type LivyTarget } from './follow.js';
import type { LivyService } from './service.js';

const t = vscode.l10n.t;
const KEY = 'radlab.livy.session';

export type { LivyTarget };

export class LivySessionPicker extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private unsubscribe: (() => void) | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private keepAlive: KeepAlive | undefined;
  /** The watched connection's list is being loaded (its end is when a gone session is seen). */
  private loading = false;

  constructor(
    private readonly service: LivyService,
    private readonly state: vscode.Memento,
    private readonly log?: (message: string) => void
  ) {
    super();
    this.item = this._register(
      vscode.window.createStatusBarItem('radlab.livy.session', vscode.StatusBarAlignment.Left, 50)
    );
    this.item.name = t('Radlab Livy Session');
    this.item.command = 'radlab.livy.selectSession';
    this._register({ dispose: () => this.unwatch() });
    this._register(vscode.window.onDidChangeActiveNotebookEditor(() => this.update()));
    this.watch();
  }

  get current(): LivyTarget | undefined {
    return this.state.get<LivyTarget>(KEY);
  }

  async choose(target: LivyTarget | undefined): Promise<void> {
    await this.state.update(KEY, target);
    this.watch();
  }

  /**
   * The session for a cell: `-s NAME` / `-s #ID` on the current connection, else the chosen one, else
   * one picked; with no live session at all, a PySpark session is started on the first Livy connection
   * (`onStart` hears it, to say so in the cell while it starts).
   */
  async resolve(
    session: string | undefined,
    onStart?: (connection: string, id: number) => void,
    onFollow?: (gone: LivyTarget, next: LivyTarget) => void
  ): Promise<LivyTarget | undefined> {
    const current = await this.checked(onFollow);
    if (session === undefined) {
      if (current) return current;
      const picked = await this.pick({ quietWhenNone: true });
      if (picked !== null) return picked;
      const connection = (await this.service.connections())[0]?.name;
      if (!connection) return undefined;
      const controller = this.service.controller(connection);
      const started = await controller.start('pyspark', `radlab-vscode-${Date.now()}`);
      if (!started) {
        const error = controller.state.error;
        throw new Error(
          error
            ? [error.message, error.hint].filter(Boolean).join(' ')
            : t('Livy did not start a session.')
        );
      }
      const target = { connection, id: started.id };
      onStart?.(connection, started.id);
      await this.choose(target);
      return target;
    }
    const connection = current?.connection ?? (await this.service.connections())[0]?.name;
    if (!connection) return undefined;
    const controller = this.service.controller(connection);
    await controller.refresh();
    const id = /^#?\d+$/.test(session) ? Number(session.replace('#', '')) : undefined;
    const found = controller.list.find(s => (id !== undefined ? s.id === id : s.name === session));
    if (!found) {
      throw new Error(t('No Livy session "{0}" on {1}.', session, connection));
    }
    return { connection, id: found.id };
  }

  /**
   * A quick pick of the live sessions of every Livy connection. With none: undefined (after saying so),
   * or null when `quietWhenNone` (the caller starts one).
   */
  async pick(options: { quietWhenNone?: boolean } = {}): Promise<LivyTarget | undefined | null> {
    const items: Array<vscode.QuickPickItem & { target?: LivyTarget }> = [];
    for (const c of await this.service.connections()) {
      const controller = this.service.controller(c.name);
      await controller.refresh();
      for (const s of controller.state.sessions) {
        if (stateGroup(s.state) === 'dead') continue;
        items.push({
          label: s.name ? `#${s.id} ${s.name}` : `#${s.id}`,
          description: `${c.name} · ${s.kind} · ${stateLabel(s.state)}`,
          target: { connection: c.name, id: s.id }
        });
      }
    }
    if (items.length === 0) {
      if (options.quietWhenNone) return null;
      void vscode.window.showInformationMessage(
        t('No live Livy session. Start one with "Radlab: Start Livy Session".')
      );
      return undefined;
    }
    const chosen = await vscode.window.showQuickPick(items, {
      title: t('Livy session for notebook cells'),
      placeHolder: t('Session'),
      ignoreFocusOut: true,
      matchOnDescription: true
    });
    if (!chosen?.target) return undefined;
    await this.choose(chosen.target);
    return chosen.target;
  }

  /**
   * The chosen session, after asking Livy whether it still lists it: a gone one is dropped for the
   * next live one (`onFollow` hears it), or for none.
   */
  private async checked(
    onFollow?: (gone: LivyTarget, next: LivyTarget) => void
  ): Promise<LivyTarget | undefined> {
    const current = this.current;
    if (!current) return undefined;
    const lists = new Map<string, readonly LivySessionInfo[]>();
    const controller = this.service.controller(current.connection);
    await controller.refresh();
    if (controller.state.error) return current; // Livy unreachable: the cell says so
    lists.set(current.connection, controller.list);
    if (controller.list.some(s => s.id === current.id)) return current;
    for (const c of await this.service.connections()) {
      if (c.name === current.connection) continue;
      const other = this.service.controller(c.name);
      await other.refresh();
      if (!other.state.error) lists.set(c.name, other.list);
    }
    return this.apply(followSession(current, lists), onFollow);
  }

  private async apply(
    follow: ReturnType<typeof followSession>,
    onFollow?: (gone: LivyTarget, next: LivyTarget) => void
  ): Promise<LivyTarget | undefined> {
    if (follow.action === 'keep') return this.current;
    const { gone } = follow;
    const now = this.current;
    if (now?.connection !== gone.connection || now.id !== gone.id) return now; // chosen meanwhile
    if (follow.action === 'follow') {
      this.log?.(
        `Livy ${gone.connection} #${gone.id} is no longer listed; following ${follow.target.connection} #${follow.target.id}`
      );
      await this.choose(follow.target);
      onFollow?.(gone, follow.target);
      return follow.target;
    }
    this.log?.(
      `Livy ${gone.connection} #${gone.id} is no longer listed; no live session to follow`
    );
    await this.choose(undefined);
    return undefined;
  }

  async refreshAll(): Promise<void> {
    const current = this.current;
    if (current) await this.service.controller(current.connection).refresh();
  }

  private watch(): void {
    this.unwatch();
    const current = this.current;
    if (!current) return this.update();
    const controller = this.service.controller(current.connection);
    this.loading = false;
    this.unsubscribe = controller.subscribe(state => {
      this.update();
      // a load just ended without error and no longer lists the chosen session: drop it
      const ended = this.loading && !state.loading;
      this.loading = Boolean(state.loading);
      if (!ended || state.error) return;
      if (controller.list.some(s => s.id === current.id)) return;
      void this.apply(followSession(current, new Map([[current.connection, controller.list]])));
    });
    // sessions outlive long cells and pauses: the chosen one is kept alive (POST /connect every 5 min,
    // Livy's idle timeout counts from it); it stops when the session dies or another is chosen
    void this.service.client(current.connection).then(
      client => {
        const now = this.current;
        if (now?.connection !== current.connection || now.id !== current.id) return;
        this.keepAlive = client.keepAlive(current.id, { onDead: () => this.update() });
      },
      () => undefined
    );
    // the expiry counts down between polls
    this.timer = setInterval(() => this.update(), 30_000);
    void controller.refresh();
  }

  private unwatch(): void {
    this.keepAlive?.stop();
    this.keepAlive = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private update(): void {
    const current = this.current;
    if (!current) {
      this.item.text = `$(zap) ${t('Livy: no session')}`;
      this.item.tooltip = t('Choose the Livy session %%livy cells run in');
    } else {
      const s = this.service
        .controller(current.connection)
        .state.sessions.find(x => x.id === current.id);
      const expiry = s && stateGroup(s.state) !== 'dead' ? formatExpiry(s.expiresInMs) : undefined;
      const parts = [
        `${current.connection} #${current.id}`,
        s ? stateLabel(s.state) : t('gone'),
        expiry
      ].filter(Boolean);
      this.item.text = `$(zap) Livy ${parts.join(' · ')}`;
      this.item.tooltip = s?.kind
        ? `${s.kind}: ${t('click to choose another session')}`
        : t('click to choose a session');
    }
    // shown with a notebook, or when a session is chosen
    if (vscode.window.activeNotebookEditor || current) this.item.show();
    else this.item.hide();
  }
}
