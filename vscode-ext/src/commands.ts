// The Connections commands (add, edit, remove, test, refresh, secrets); the Drill and imaging features
// register their own. Invoked from the tree a command gets the item (ItemModel); from the command
// palette it gets nothing and asks which connection with a quick pick.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeHealth, SERVICE_KINDS } from '@radlab/core';
import type {
  AuthConfig,
  ConnectionConfig,
  FilesProtocol,
  HealthResult,
  ServiceKind
} from '@radlab/core';
import type { ConnectionEntry, ItemModel } from './connections/model.js';
import {
  KIND_LABELS,
  KIND_URL_PLACEHOLDERS,
  takesSecret,
  validateName,
  validateUrl
} from './connections/settings.js';
import type { Feature, FeatureHost } from './feature.js';

const t = vscode.l10n.t;

interface Picked<T> extends vscode.QuickPickItem {
  value: T;
}

async function pick<T>(
  items: Picked<T>[],
  options: { title: string; placeHolder: string; current?: T }
): Promise<T | undefined> {
  // showQuickPick cannot preselect: the current value goes first, so Enter keeps it
  const ordered =
    options.current === undefined
      ? items
      : [
          ...items.filter(i => i.value === options.current),
          ...items.filter(i => i.value !== options.current)
        ];
  const chosen = await vscode.window.showQuickPick(ordered, {
    title: options.title,
    placeHolder: options.placeHolder,
    ignoreFocusOut: true,
    matchOnDescription: true
  });
  return chosen?.value;
}

function input(options: vscode.InputBoxOptions): Thenable<string | undefined> {
  return vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
}

interface WizardResult {
  config: ConnectionConfig;
  /** string: store it; null: delete the stored one; undefined: keep what is stored. */
  secret: string | null | undefined;
}

const KIND_FIELDS: Record<ServiceKind, (keyof ConnectionConfig)[]> = {
  drill: [],
  livy: [],
  prometheus: [],
  dicomweb: [],
  files: ['protocol', 'root'],
  kubernetes: ['kubeconfig', 'context', 'inCluster']
};
const KIND_SPECIFIC = new Set<keyof ConnectionConfig>([
  'protocol',
  'root',
  'kubeconfig',
  'context',
  'inCluster'
]);

/** The quick-input steps shared by Add and Edit. Returns undefined if the user cancels any step. */
async function connectionWizard(
  existing: ConnectionConfig | undefined,
  taken: string[],
  hasStoredSecret: boolean
): Promise<WizardResult | undefined> {
  const title = existing
    ? t('Edit Radlab Connection {0}', existing.name)
    : t('Add Radlab Connection');
  const others = taken.filter(n => n !== existing?.name);

  const nameInput = await input({
    title,
    prompt: t('Name of the connection (letters, digits, "_", "." or "-")'),
    placeHolder: 'prod-drill',
    value: existing?.name,
    validateInput: v => (validateName(v, others) ? t(validateName(v, others)!) : undefined)
  });
  if (nameInput === undefined) return undefined;
  const name = nameInput.trim();

  const kind = await pick<ServiceKind>(
    SERVICE_KINDS.map(k => ({ label: k, description: KIND_LABELS[k], value: k })),
    { title, placeHolder: t('Kind of service'), current: existing?.kind }
  );
  if (!kind) return undefined;

  const config: ConnectionConfig = { ...(existing ?? {}), name, kind } as ConnectionConfig;
  for (const field of KIND_SPECIFIC) if (!KIND_FIELDS[kind].includes(field)) delete config[field];

  let needsUrl = true;
  if (kind === 'files') {
    const protocol = await pick<FilesProtocol>(
      [
        {
          label: 'webhdfs',
          description: t('WebHDFS REST API of the NameNode (MapR: the HttpFS-compatible gateway)'),
          value: 'webhdfs'
        },
        { label: 'httpfs', description: t('HttpFS gateway'), value: 'httpfs' },
        {
          label: 'posix',
          description: t('A mounted file system, e.g. /mapr/my.cluster.com'),
          value: 'posix'
        }
      ],
      { title, placeHolder: t('How the file system is reached'), current: existing?.protocol }
    );
    if (!protocol) return undefined;
    config.protocol = protocol;
    if (protocol === 'posix') {
      const root = await input({
        title,
        prompt: t('Mounted root of the file system'),
        placeHolder: '/mapr/my.cluster.com',
        value: existing?.root,
        validateInput: v => (v.trim().startsWith('/') ? undefined : t('Enter an absolute path.'))
      });
      if (root === undefined) return undefined;
      config.root = root.trim();
      delete config.url;
      needsUrl = false;
    } else {
      delete config.root;
    }
  } else if (kind === 'kubernetes') {
    const how = await pick<'url' | 'kubeconfig' | 'inCluster'>(
      [
        { label: t('API server URL'), value: 'url' },
        {
          label: t('kubeconfig'),
          description: t('the current context of a kubeconfig file'),
          value: 'kubeconfig'
        },
        { label: t('In-cluster'), description: t("the pod's service account"), value: 'inCluster' }
      ],
      {
        title,
        placeHolder: t('How to reach the cluster'),
        current: existing?.inCluster
          ? 'inCluster'
          : existing?.kubeconfig || existing?.context
            ? 'kubeconfig'
            : undefined
      }
    );
    if (!how) return undefined;
    delete config.kubeconfig;
    delete config.inCluster;
    if (how === 'kubeconfig') {
      const file = await input({
        title,
        prompt: t('Path of the kubeconfig'),
        value: existing?.kubeconfig ?? path.join(os.homedir(), '.kube', 'config')
      });
      if (file === undefined) return undefined;
      config.kubeconfig = file.trim();
      delete config.url;
      needsUrl = false;
    } else if (how === 'inCluster') {
      config.inCluster = true;
      delete config.url;
      needsUrl = false;
    }
  }

  if (needsUrl) {
    const url = await input({
      title,
      prompt: t('Base URL of the {0} HTTP API', KIND_LABELS[kind]),
      placeHolder: KIND_URL_PLACEHOLDERS[kind],
      value: existing?.url,
      validateInput: v => (validateUrl(v) ? t(validateUrl(v)!) : undefined)
    });
    if (url === undefined) return undefined;
    config.url = url.trim().replace(/\/+$/, '');
  }

  type AuthType = AuthConfig['type'];
  const authItems: Picked<AuthType>[] = [
    { label: 'none', description: t('No authentication'), value: 'none' },
    { label: 'basic', description: t('Username and password'), value: 'basic' },
    { label: 'bearer', description: t('Bearer token'), value: 'bearer' }
  ];
  if (kind === 'files')
    authItems.push({
      label: 'hdfsUser',
      description: t('WebHDFS user.name (simple auth)'),
      value: 'hdfsUser'
    });
  const authType = await pick<AuthType>(authItems, {
    title,
    placeHolder: t('Authentication'),
    current: existing?.auth?.type
  });
  if (!authType) return undefined;

  const previous = existing?.auth;
  const sameType = previous?.type === authType;
  let secret: string | null | undefined = sameType ? undefined : null;
  const secretPrompt = (what: string) =>
    sameType && hasStoredSecret
      ? t(
          '{0} (kept in the secret storage, never in settings.json). Leave empty to keep the stored one.',
          what
        )
      : t(
          '{0} (kept in the secret storage, never in settings.json). Leave empty to set it later.',
          what
        );

  switch (authType) {
    case 'none':
      config.auth = { type: 'none' };
      break;
    case 'basic': {
      const username = await input({
        title,
        prompt: t('Username'),
        value: previous?.type === 'basic' ? previous.username : undefined,
        validateInput: v => (v.trim() ? undefined : t('Enter a username.'))
      });
      if (username === undefined) return undefined;
      const password = await input({ title, prompt: secretPrompt(t('Password')), password: true });
      if (password === undefined) return undefined;
      config.auth = {
        type: 'basic',
        username: username.trim(),
        ...(previous?.type === 'basic' && previous.passwordEnv
          ? { passwordEnv: previous.passwordEnv }
          : {})
      };
      if (password) secret = password;
      break;
    }
    case 'bearer': {
      const token = await input({ title, prompt: secretPrompt(t('Token')), password: true });
      if (token === undefined) return undefined;
      const rest: AuthConfig = previous?.type === 'bearer' ? { ...previous } : { type: 'bearer' };
      if (rest.type === 'bearer') delete rest.token;
      config.auth = rest;
      if (token) secret = token.trim();
      break;
    }
    case 'hdfsUser': {
      const user = await input({
        title,
        prompt: t('WebHDFS user name'),
        value: previous?.type === 'hdfsUser' ? previous.user : os.userInfo().username,
        validateInput: v => (v.trim() ? undefined : t('Enter a user name.'))
      });
      if (user === undefined) return undefined;
      config.auth = { type: 'hdfsUser', user: user.trim() };
      break;
    }
  }
  if (!takesSecret(config.auth)) secret = null;
  return { config, secret };
}

function nameOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && typeof (arg as ItemModel).connection === 'string')
    return (arg as ItemModel).connection;
  return undefined;
}

function activate({ store, tree, registerCommand: register }: FeatureHost): vscode.Disposable[] {
  /** The connection the command is about: from the tree item, else a quick pick. */
  async function target(
    arg: unknown,
    placeHolder: string,
    filter: (e: ConnectionEntry) => boolean = () => true
  ) {
    const entries = await tree.entries();
    const given = nameOf(arg);
    if (given) return entries.find(e => e.config.name === given);
    const candidates = entries.filter(filter);
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage(t('No Radlab connection to choose from.'));
      return undefined;
    }
    return pick(
      candidates.map(e => ({
        label: e.config.name,
        description: e.config.kind,
        detail: e.config.url ?? e.config.root,
        value: e
      })),
      { title: placeHolder, placeHolder }
    );
  }

  function editable(entry: ConnectionEntry): boolean {
    if (entry.source === 'vscode' && store.settingsNames().includes(entry.config.name)) return true;
    void vscode.window.showInformationMessage(
      t(
        '"{0}" comes from the {1}, not from the settings: change it there.',
        entry.config.name,
        entry.source === 'env' ? '$RADLAB_CONNECTIONS' : t('connections file')
      )
    );
    return false;
  }

  function report(result: HealthResult): void {
    // describeHealth already carries the error code and message; the hint says what to do
    const line = `${result.connection}: ${describeHealth(result)}`;
    if (result.state === 'healthy') void vscode.window.showInformationMessage(line);
    else
      void vscode.window.showWarningMessage(
        result.error?.hint ? `${line}. ${result.error.hint}` : line
      );
  }

  return [
    register('radlab.addConnection', async () => {
      const entries = await tree.entries();
      const result = await connectionWizard(
        undefined,
        entries.map(e => e.config.name),
        false
      );
      if (!result) return;
      await store.save(result.config, { secret: result.secret ?? undefined });
      void vscode.window.showInformationMessage(
        t('Added Radlab connection "{0}".', result.config.name)
      );
    }),

    register('radlab.editConnection', async arg => {
      const entry = await target(arg, t('Connection to edit'), e => e.source === 'vscode');
      if (!entry || !editable(entry)) return;
      const entries = await tree.entries();
      const result = await connectionWizard(
        entry.config,
        entries.map(e => e.config.name),
        entry.hasSecret
      );
      if (!result) return;
      await store.save(result.config, { previousName: entry.config.name, secret: result.secret });
      void vscode.window.showInformationMessage(
        t('Saved Radlab connection "{0}".', result.config.name)
      );
    }),

    register('radlab.removeConnection', async arg => {
      const entry = await target(arg, t('Connection to remove'), e => e.source === 'vscode');
      if (!entry || !editable(entry)) return;
      const remove = t('Remove');
      const answer = await vscode.window.showWarningMessage(
        t('Remove the Radlab connection "{0}" and its stored secret?', entry.config.name),
        { modal: true },
        remove
      );
      if (answer !== remove) return;
      await store.remove(entry.config.name);
    }),

    register('radlab.testConnection', async arg => {
      if (nameOf(arg)) {
        // from the tree: the item shows the result
        await tree.check(nameOf(arg)!);
        return;
      }
      const entries = await tree.entries();
      if (entries.length === 0) {
        void vscode.window.showInformationMessage(t('No Radlab connection to test.'));
        return;
      }
      const all = Symbol('all');
      const chosen = await pick<ConnectionEntry | typeof all>(
        [
          { label: `$(check-all) ${t('All connections')}`, value: all },
          ...entries.map(e => ({
            label: e.config.name,
            description: e.config.kind,
            detail: e.config.url ?? e.config.root,
            value: e
          }))
        ],
        { title: t('Test Radlab Connection'), placeHolder: t('Connection to test') }
      );
      if (!chosen) return;
      await vscode.window.withProgress({ location: { viewId: 'radlab.connections' } }, async () => {
        if (chosen === all) {
          const results = await tree.checkAll({ spinner: true });
          const down = results.filter(r => r.state !== 'healthy');
          const summary = t(
            '{0} connections checked: {1} healthy',
            results.length,
            results.length - down.length
          );
          if (down.length === 0) void vscode.window.showInformationMessage(summary);
          else
            void vscode.window.showWarningMessage(
              `${summary}; ${down.map(r => `${r.connection}: ${describeHealth(r)}`).join('; ')}`
            );
        } else {
          const result = await tree.check(chosen.config.name);
          if (result) report(result);
        }
      });
    }),

    register('radlab.refreshConnections', async () => {
      await vscode.window.withProgress({ location: { viewId: 'radlab.connections' } }, () =>
        tree.refresh()
      );
    }),

    register('radlab.setSecret', async arg => {
      const entry = await target(arg, t('Connection whose password or token to set'), e =>
        takesSecret(e.config.auth)
      );
      if (!entry) return;
      if (!takesSecret(entry.config.auth)) {
        void vscode.window.showInformationMessage(
          t(
            '"{0}" uses {1} authentication, which takes no secret.',
            entry.config.name,
            entry.config.auth?.type ?? 'none'
          )
        );
        return;
      }
      const what = entry.config.auth.type === 'basic' ? t('Password') : t('Token');
      const value = await input({
        title: t('Set Secret of {0}', entry.config.name),
        prompt: t(
          '{0} for "{1}" (kept in the secret storage, never in settings.json). Leave empty to delete the stored one.',
          what,
          entry.config.name
        ),
        password: true
      });
      if (value === undefined) return;
      await store.setSecret(entry.config.name, value || null);
      void vscode.window.showInformationMessage(
        value
          ? t('Stored the secret of "{0}".', entry.config.name)
          : t('Deleted the stored secret of "{0}".', entry.config.name)
      );
    })
  ];
}

/** The connections feature: its commands (the view itself is the extension's, see extension.ts). */
export const connectionsFeature: Feature = { id: 'connections', activate };
