// The files connections of the extension: one FilesClient per connection (WebHDFS, HttpFS or a
// /mapr mount through node's fs), built by core's node host with the secret from SecretStorage and
// rebuilt when the configuration or the secret changes. No `vscode` import.
import {
  clientSource,
  ConnectionClientCache,
  type ConnectionConfig,
  type FilesClient
} from '@radlab/core';
import { createNodeFilesClient, type SecretValues } from '@radlab/core/node';
import { connectionOfKind } from '../connections/ofKind.js';

export interface FilesServiceDeps {
  /** Every configured connection (the service keeps those of kind `files`). */
  list(): Promise<ConnectionConfig[]>;
  resolve(name: string): Promise<{ config: ConnectionConfig; secrets: SecretValues } | undefined>;
}

export class FilesService {
  private readonly clients = new ConnectionClientCache<Promise<FilesClient>>();
  private readonly homes = new Map<string, Promise<string>>();

  constructor(private readonly deps: FilesServiceDeps) {}

  async connections(): Promise<ConnectionConfig[]> {
    return (await this.deps.list()).filter(c => c.kind === 'files');
  }

  async config(name: string): Promise<ConnectionConfig> {
    return (await connectionOfKind(this.deps.resolve, name, 'files', 'files')).config;
  }

  /** The client of a connection. Throws RadlabError `config` for a name that is not a files one. */
  async client(name: string): Promise<FilesClient> {
    const { config, secrets } = await connectionOfKind(this.deps.resolve, name, 'files', 'files');
    return this.clients.get(name, await clientSource(config, { ...secrets }), () =>
      createNodeFilesClient(config, { secrets })
    );
  }

  /** The home folder of a connection (asked once). */
  async home(name: string): Promise<string> {
    let home = this.homes.get(name);
    if (!home) {
      home = this.client(name).then(c => c.home());
      home.catch(() => this.homes.delete(name));
      this.homes.set(name, home);
    }
    return home;
  }

  reset(): void {
    this.clients.reset();
    this.homes.clear();
  }
}
