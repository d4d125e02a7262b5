// Connections as the extension sees them: the user setting `radlab.connections` (non-secret fields,
// written to the global/user target) merged with the file and env sources of @radlab/core/node, plus
// passwords/tokens kept ONLY in SecretStorage under `radlab.secret.<name>`.
import * as vscode from 'vscode';
import { registerSecret } from '@radlab/core';
import type { ConnectionConfig, RadlabErrorJSON } from '@radlab/core';
import type { SecretValues } from '@radlab/core/node';
import { loadAll } from '../core.js';
import type { Log } from '../log.js';
import { Disposable } from '../util/dispose.js';
import type { ConnectionEntry } from './model.js';
import {
  hasInlineSecret,
  nameFromSecretKey,
  removeEntry,
  secretKey,
  takesSecret,
  toSettingsEntry,
  secretValues,
  upsertEntry
} from './settings.js';

export interface Snapshot {
  entries: ConnectionEntry[];
  errors: RadlabErrorJSON[];
}

const SECTION = 'radlab';
const KEY = 'connections';

export class ConnectionStore extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  /** Fires when the setting or one of our secrets changes (also for our own writes). */
  readonly onDidChange = this._onDidChange.event;
  private warnedInline = new Set<string>();
  /** The last loaded configs as the sources gave them (file sources may carry secrets): never shown. */
  private full = new Map<string, ConnectionConfig>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Log
  ) {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration(e => {
        if (e.affectsConfiguration(`${SECTION}.${KEY}`)) this._onDidChange.fire();
      })
    );
    this._register(
      secrets.onDidChange(e => {
        if (nameFromSecretKey(e.key) !== undefined) this._onDidChange.fire();
      })
    );
  }

  /** The raw array in the user settings (never the merged default/workspace value). */
  private settingsList(): unknown[] {
    const value = vscode.workspace.getConfiguration(SECTION).inspect<unknown[]>(KEY)?.globalValue;
    return Array.isArray(value) ? value : [];
  }

  /** Names defined in the user settings: the connections the commands may edit or remove. */
  settingsNames(): string[] {
    return this.settingsList()
      .map(item => (item as { name?: unknown })?.name)
      .filter((name): name is string => typeof name === 'string');
  }

  async load(): Promise<Snapshot> {
    const fromSettings = this.settingsList().map(item => {
      if (item && typeof item === 'object' && hasInlineSecret(item)) {
        const name = String((item as { name?: unknown }).name);
        if (!this.warnedInline.has(name)) {
          this.warnedInline.add(name);
          this.log.warn(
            `settings.json has a password/token for connection "${name}"; it is ignored. Use "Radlab: Set Secret" to keep it in the secret storage, and remove it from settings.json.`
          );
        }
        return toSettingsEntry(item);
      }
      return item;
    });
    const loaded = await loadAll(fromSettings);
    this.full = new Map(loaded.connections.map(({ config }) => [config.name, config]));
    const entries = await Promise.all(
      loaded.connections.map(async ({ config, source }) => ({
        config: toSettingsEntry(config),
        source,
        hasSecret: await this.hasSecret(config)
      }))
    );
    for (const error of loaded.errors)
      this.log.error(`configuration: ${error.message} (${error.hint})`);
    for (const warning of loaded.warnings)
      this.log.warn(`configuration: ${warning.message} (${warning.hint})`);
    return { entries, errors: loaded.errors };
  }

  private async hasSecret(config: ConnectionConfig): Promise<boolean> {
    const auth = config.auth;
    if (!takesSecret(auth)) return true;
    if (auth.type === 'basic' && (auth.password || auth.passwordEnv)) return true;
    if (auth.type === 'bearer' && (auth.token || auth.tokenEnv || auth.tokenFile)) return true;
    return (await this.secrets.get(secretKey(config.name))) !== undefined;
  }

  /**
   * What a check needs: the full config from the sources (a server-side file may carry an inline
   * secret, which wins) and the secret from SecretStorage, if any (registered with redact()).
   */
  async resolve(
    name: string
  ): Promise<{ config: ConnectionConfig; secrets: SecretValues; stored: boolean } | undefined> {
    const config = this.full.get(name);
    if (!config) return undefined;
    if (!takesSecret(config.auth)) return { config, secrets: {}, stored: false };
    const secret = await this.secrets.get(secretKey(name));
    registerSecret(secret);
    return { config, secrets: secretValues(config.auth, secret), stored: secret !== undefined };
  }

  /**
   * Adds or replaces a connection in the user settings. `secret`: a string stores it, `null` deletes
   * it, undefined keeps what is stored. A rename moves the stored secret.
   */
  async save(
    connection: ConnectionConfig,
    options: { previousName?: string; secret?: string | null } = {}
  ): Promise<void> {
    const { previousName } = options;
    const renamed = previousName !== undefined && previousName !== connection.name;
    if (renamed) {
      const old = await this.secrets.get(secretKey(previousName));
      if (old !== undefined && options.secret === undefined && takesSecret(connection.auth)) {
        await this.secrets.store(secretKey(connection.name), old);
      }
      await this.secrets.delete(secretKey(previousName));
    }
    if (typeof options.secret === 'string' && options.secret.length > 0) {
      registerSecret(options.secret);
      await this.secrets.store(secretKey(connection.name), options.secret);
    } else if (options.secret === null || !takesSecret(connection.auth)) {
      await this.secrets.delete(secretKey(connection.name));
    }
    const list = upsertEntry(this.settingsList(), toSettingsEntry(connection), previousName);
    await vscode.workspace
      .getConfiguration(SECTION)
      .update(KEY, list, vscode.ConfigurationTarget.Global);
    this.log.info(
      `saved connection "${connection.name}" to the user settings${renamed ? ` (renamed from "${previousName}")` : ''}`
    );
  }

  async remove(name: string): Promise<void> {
    await vscode.workspace
      .getConfiguration(SECTION)
      .update(KEY, removeEntry(this.settingsList(), name), vscode.ConfigurationTarget.Global);
    await this.secrets.delete(secretKey(name));
    this.log.info(`removed connection "${name}" and its stored secret`);
  }

  async setSecret(name: string, secret: string | null): Promise<void> {
    if (secret) {
      registerSecret(secret);
      await this.secrets.store(secretKey(name), secret);
      this.log.info(`stored the secret of "${name}" in the secret storage`);
    } else {
      await this.secrets.delete(secretKey(name));
      this.log.info(`deleted the stored secret of "${name}"`);
    }
  }
}
