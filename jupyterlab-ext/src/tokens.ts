// The service other Radlab lab plugins use to find connections, their health and a transport through
// the Jupyter proxy. Nothing here ever holds a secret: the server strips them before answering.
import { Token } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import type {
  ConnectionSource,
  DrillClient,
  LivyClient,
  WebHdfsClient,
  FilesProtocol,
  KubernetesClient,
  HealthResult,
  RadlabErrorJSON,
  ServiceKind,
  Transport
} from '@radlab/core';

/** A connection as `GET radlab/api/connections` returns it: the config without any secret. */
export interface PublicConnection {
  name: string;
  kind: ServiceKind;
  description?: string;
  url?: string;
  protocol?: FilesProtocol;
  root?: string;
  /** files only: hdfs://host:port, the MapR cluster name and Drill's plugin over it (names.ts). */
  nameNode?: string;
  cluster?: string;
  drillPlugin?: string;
  context?: string;
  timeoutMs?: number;
  auth: {
    type: 'none' | 'basic' | 'bearer' | 'hdfsUser';
    username?: string;
    user?: string;
    /** Whether the server has a password/token for it (never the value). */
    hasSecret: boolean;
  };
  source: ConnectionSource;
}

/** The body of `GET radlab/api/connections`. */
export interface ConnectionsReply {
  connections: PublicConnection[];
  errors: RadlabErrorJSON[];
}

export type HealthEntry = HealthResult | 'checking';

export interface IRadlabConnections {
  /** The connections the server knows, in its order. */
  readonly connections: ReadonlyArray<PublicConnection>;
  /** Config errors (and a failure to load the list itself). */
  readonly errors: ReadonlyArray<RadlabErrorJSON>;
  /** The last health check of each connection, or `checking` while one runs. */
  readonly health: ReadonlyMap<string, HealthEntry>;
  /** True while the list itself is being (re)loaded. */
  readonly loading: boolean;
  /** Emitted whenever connections, errors, health or loading change. */
  readonly changed: ISignal<IRadlabConnections, void>;
  /** Reloads the list from the server and checks every connection again. Never rejects. */
  refresh(): Promise<void>;
  /** Checks one connection again; undefined if there is no such connection (or it was superseded). */
  check(name: string): Promise<HealthResult | undefined>;
  /** A core transport to the connection through the Jupyter proxy (credentials are added server-side). */
  transport(name: string): Transport | undefined;
  /**
   * The client of a connection of that kind (core's service definition builds it over the proxy
   * transport): one per connection, rebuilt when its configuration changes. Undefined when there is
   * no such connection of that kind, or the kind has no client yet.
   */
  client(kind: 'drill', name: string): DrillClient | undefined;
  client(kind: 'livy', name: string): LivyClient | undefined;
  client(kind: 'files', name: string): WebHdfsClient | undefined;
  client(kind: 'kubernetes', name: string): KubernetesClient | undefined;
  client(kind: ServiceKind, name: string): unknown;
}

export const IRadlabConnections = new Token<IRadlabConnections>(
  '@radlab/jupyterlab-ext:IRadlabConnections',
  'Radlab connections: the list from the Jupyter server, their health, and transports through its proxy.'
);

/** A Radlab capability in the lab (Drill SQL, imaging; Livy next), as its plugin registers it. */
export interface IRadlabFeature {
  /** Unique, e.g. `drill`. */
  readonly id: string;
  /** Shown to users, e.g. `Drill SQL`. */
  readonly label: string;
  /** The connection kinds it works with (none for imaging, which reads Jupyter's files). */
  readonly kinds: ReadonlyArray<ServiceKind>;
  /** Its command ids (shared/commands.json). */
  readonly commands: Readonly<Record<string, string>>;
}

/**
 * The features of this lab, each added by its plugin, as JupyterLab's own registries take their
 * entries (the table of contents' ITableOfContentsRegistry): `add` returns what removes it again.
 */
export interface IRadlabFeatures {
  /** The features added so far, in the order they were added. */
  readonly features: ReadonlyArray<IRadlabFeature>;
  /** Emitted when a feature is added or removed. */
  readonly changed: ISignal<IRadlabFeatures, void>;
  get(id: string): IRadlabFeature | undefined;
  /** Adds a feature; throws if one with its id is there. Disposing the result removes it. */
  add(feature: IRadlabFeature): IDisposable;
}

export const IRadlabFeatures = new Token<IRadlabFeatures>(
  '@radlab/jupyterlab-ext:IRadlabFeatures',
  'Radlab features: the capabilities (Drill SQL, imaging, …) the lab extension has, each added by its plugin.'
);
