// What a service kind is to Radlab: one object per kind (services/<kind>/index.ts), looked up by
// kind wherever a layer needs it (the health check, the hosts' client caches).

import type { ConnectionConfig, ServiceKind } from '../connection.js';
import type { ErrorCode } from '../errors.js';
import type { Probe } from '../health/probe.js';
import type { Transport } from '../transport/transport.js';

export interface ServiceDefinition<Client = unknown, Options = undefined> {
  readonly kind: ServiceKind;
  /** The service's name in messages, e.g. "Apache Drill". */
  readonly title: string;
  /** The health check (checkHealth runs it and turns what it throws into a `down` result). */
  readonly probe: Probe;
  /**
   * The kind's client over a transport the host built for the connection (node transport, Jupyter
   * proxy). Absent for kinds that have only a health check so far.
   */
  readonly createClient?: (
    transport: Transport,
    connection: ConnectionConfig,
    options?: Options
  ) => Client;
  /** Hints that say more for this kind than the generic ones of RadlabError. */
  readonly hints: Readonly<Partial<Record<ErrorCode, string>>>;
}
