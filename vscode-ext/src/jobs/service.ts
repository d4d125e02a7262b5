// The Kubernetes connections of the extension: one KubernetesClient per connection (core's service
// definition of the kind over a node transport with the kubeconfig's credentials, rebuilt when the
// configuration or secret changes), the namespaces of each, and one @radlab/ui JobsFeed per watched
// namespace (live by watch, no polling). No `vscode` import.
import {
  clientSource,
  ConnectionClientCache,
  KubernetesClient,
  type ConnectionConfig,
  type JobSummary
} from '@radlab/core';
import { createNodeTransport } from '@radlab/core/node';
import { filterJobs, JobsFeed, type JobsFeedState, type JobsFilter } from '@radlab/ui';
import { connectionOfKind, type ResolveConnection } from '../connections/ofKind.js';

export interface JobsServiceDeps {
  /** Every configured connection (the service keeps those of kind `kubernetes`). */
  list(): Promise<ConnectionConfig[]>;
  resolve: ResolveConnection;
  /** A feed's state changed (the tree redraws that namespace). */
  onChange(connection: string, namespace: string): void;
}

export class JobsService {
  private readonly clients = new ConnectionClientCache<Promise<KubernetesClient>>();
  private readonly feeds = new Map<string, JobsFeed>();
  private readonly users = new Map<string, Promise<string | undefined>>();
  /** The owner and state the tree shows (the view's title says which). */
  filter: JobsFilter = {};

  constructor(private readonly deps: JobsServiceDeps) {}

  async connections(): Promise<ConnectionConfig[]> {
    return (await this.deps.list()).filter(c => c.kind === 'kubernetes');
  }

  /** The client of a connection. Throws RadlabError `config` for a name that is not a Kubernetes one. */
  async client(name: string): Promise<KubernetesClient> {
    const { config, secrets } = await connectionOfKind(
      this.deps.resolve,
      name,
      'kubernetes',
      'Kubernetes'
    );
    return this.clients.get(
      name,
      await clientSource(config, { ...secrets }),
      async () => new KubernetesClient(await createNodeTransport(config, { secrets }))
    );
  }

  /** The namespaces to show: those the user may list (without kube-*), else "default". */
  async namespaces(name: string): Promise<string[]> {
    const found = await (await this.client(name)).listNamespaces();
    return found.length ? found : ['default'];
  }

  /** The Kubernetes user of a connection (radlab.io/owner of what it submits). */
  user(name: string): Promise<string | undefined> {
    let user = this.users.get(name);
    if (!user) {
      user = this.client(name).then(c => c.whoAmI().catch(() => undefined));
      this.users.set(name, user);
    }
    return user;
  }

  /** The namespace's feed, started on first use. */
  async feed(connection: string, namespace: string): Promise<JobsFeed> {
    const key = `${connection}\n${namespace}`;
    let feed = this.feeds.get(key);
    if (!feed) {
      const made = new JobsFeed(await this.client(connection), namespace, {
        onChange: () => this.deps.onChange(connection, namespace)
      });
      feed = this.feeds.get(key) ?? made;
      if (feed === made) {
        this.feeds.set(key, made);
        void made.run();
      }
    }
    return feed;
  }

  /** The state of a namespace's feed, if it was started. */
  state(connection: string, namespace: string): JobsFeedState | undefined {
    return this.feeds.get(`${connection}\n${namespace}`)?.state;
  }

  /** The jobs the filter keeps. */
  visible(state: JobsFeedState): JobSummary[] {
    return filterJobs(state.jobs, this.filter);
  }

  /** Ends the watches of namespaces no longer shown (a collapsed connection, a hidden view). */
  stop(connection?: string): void {
    for (const [key, feed] of this.feeds) {
      if (connection === undefined || key.startsWith(`${connection}\n`)) {
        feed.dispose();
        this.feeds.delete(key);
      }
    }
  }

  /** Forgets clients (configuration or secret change); the watches end with them. */
  reset(): void {
    this.stop();
    this.clients.reset();
    this.users.clear();
  }

  dispose(): void {
    this.stop();
  }
}
