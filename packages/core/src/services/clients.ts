// One client per connection name for a host (the JupyterLab proxy, VS Code, the CLI): a client is
// reused while the connection's configuration and the secret's fingerprint stay the same, and
// rebuilt when either changes. A build that fails (throws, rejects, or gives nothing) is not kept, so
// the next call tries again (e.g. after the user set the password).

import type { ConnectionConfig } from '../connection.js';

/** What a cached client was built from. */
export interface ClientSource {
  /** The connection as the host sees it, without secret values (a config or a public view of it). */
  connection: unknown;
  /** Changes when the credential changes, never the credential itself: see secretFingerprint(). */
  secretFingerprint?: string;
}

interface Entry<T> {
  key: string;
  value: T;
}

/** JSON with object keys sorted, so that two equal configs give the same key. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v
  );
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    !!value &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

export class ConnectionClientCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  /**
   * The client of connection `name` built from `source`: the cached one while `source` is unchanged,
   * else `build()`'s (which may return a promise; a rejected one is forgotten).
   */
  get(name: string, source: ClientSource, build: () => T): T {
    const key = stableJson([source.connection, source.secretFingerprint ?? null]);
    const cached = this.entries.get(name);
    if (cached && cached.key === key) return cached.value;
    this.entries.delete(name);
    const value = build();
    if (value === undefined || value === null) return value;
    const entry: Entry<T> = { key, value };
    this.entries.set(name, entry);
    if (isThenable(value)) {
      value.then(undefined, () => {
        if (this.entries.get(name) === entry) this.entries.delete(name);
      });
    }
    return value;
  }

  /** Forgets one connection's client, or every client (e.g. on Refresh). */
  reset(name?: string): void {
    if (name === undefined) this.entries.clear();
    else this.entries.delete(name);
  }
}

/**
 * A fingerprint of secret values for ClientSource: SHA-256 (Web Crypto, in browsers and node), so the
 * cache holds no secret. Undefined when there is none.
 */
export async function secretFingerprint(
  values: Readonly<Record<string, string | undefined>>
): Promise<string | undefined> {
  const present = Object.entries(values).filter(([, v]) => v !== undefined);
  if (present.length === 0) return undefined;
  const bytes = new TextEncoder().encode(stableJson(Object.fromEntries(present)));
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), b => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The ClientSource of a full connection config and its secrets (node hosts). The config's `auth` can
 * carry an inline secret, so it counts in the fingerprint and only its type stays readable.
 */
export async function clientSource(
  connection: ConnectionConfig,
  secrets: Readonly<Record<string, string | undefined>> = {}
): Promise<ClientSource> {
  const { auth, ...rest } = connection;
  return {
    connection: { ...rest, auth: auth?.type },
    secretFingerprint: await secretFingerprint({
      ...secrets,
      auth: auth === undefined ? undefined : stableJson(auth)
    })
  };
}
