// The Livy connections of the extension: one client per connection through core's service definition
// of the kind and its client cache (rebuilt when the configuration or the secret changes), and one
// @radlab/ui LivySessionsController per connection for the tree and the status bar. No `vscode` import.
import {
  clientSource,
  ConnectionClientCache,
  parseLivyDuration,
  R_MISSING_HINT,
  RadlabError,
  saysRMissing,
  SERVICES,
  type ConnectionConfig,
  type LivyClient,
  type Transport
} from '@radlab/core';
import { createNodeTransport, type SecretValues } from '@radlab/core/node';
import { connectionOfKind } from '../connections/ofKind.js';
import { LivySessionsController, lastStatementActivity, type LivySessionsApi } from '@radlab/ui';

/** The extension's Livy client: core's, built through the kind's service definition. */
export type LivyApi = LivyClient;

export interface LivyServiceDeps {
  /** Every configured connection (the service keeps those of kind `livy`). */
  list(): Promise<ConnectionConfig[]>;
  resolve(name: string): Promise<{ config: ConnectionConfig; secrets: SecretValues } | undefined>;
}

export class LivyService {
  private readonly clients = new ConnectionClientCache<Promise<LivyApi>>();
  private readonly transports = new Map<string, Promise<Transport>>();
  private readonly controllers = new Map<string, LivySessionsController>();
  /** Clients already built, for the synchronous expiry lookups of the controllers. */
  private readonly built = new Map<string, LivyApi>();

  constructor(private readonly deps: LivyServiceDeps) {}

  async connections(): Promise<ConnectionConfig[]> {
    return (await this.deps.list()).filter(c => c.kind === 'livy');
  }

  /** The client of a connection. Throws RadlabError `config` for a name that is not a Livy one. */
  async client(name: string): Promise<LivyApi> {
    const { config, secrets } = await connectionOfKind(this.deps.resolve, name, 'livy', 'Livy');
    return this.clients.get(name, await clientSource(config, { ...secrets }), async () => {
      const transport = createNodeTransport(config, { secrets });
      this.transports.set(name, transport);
      const client = SERVICES.livy.createClient?.(await transport, config) as
        LivyClient | undefined;
      if (!client) {
        throw new RadlabError({
          code: 'config',
          service: 'livy',
          message: 'this Radlab build has no Livy client',
          connection: name
        });
      }
      this.built.set(name, client);
      return client;
    });
  }

  /** The sessions controller of a connection (made on first use). */
  controller(name: string): LivySessionsController {
    let controller = this.controllers.get(name);
    if (!controller) {
      controller = new LivySessionsController({
        client: () => this.lazyApi(name),
        rMissing: saysRMissing,
        rMissingHint: R_MISSING_HINT,
        parseDuration: parseLivyDuration,
        lastActivity: async (connection, id) => {
          await this.client(connection);
          const transport = await this.transports.get(connection);
          return transport ? lastStatementActivity(transport, id) : undefined;
        }
      });
      controller.setConnections([name]);
      this.controllers.set(name, controller);
    }
    return controller;
  }

  /** Forgets clients (configuration or secret change). */
  reset(): void {
    this.clients.reset();
    this.built.clear();
    this.transports.clear();
  }

  dispose(): void {
    for (const c of this.controllers.values()) c.dispose();
    this.controllers.clear();
  }

  /** The controller's client: each call waits for the (async, cached) real one. */
  private lazyApi(name: string): LivySessionsApi {
    return {
      sessions: async o => (await this.client(name)).sessions(o),
      createSession: async (conf, o) => (await this.client(name)).createSession(conf, o),
      deleteSession: async (id, o) => (await this.client(name)).deleteSession(id, o),
      sessionLog: async (id, o) => (await this.client(name)).sessionLog(id, o),
      expiresInMs: id => this.built.get(name)?.expiresInMs?.(id)
    };
  }
}
