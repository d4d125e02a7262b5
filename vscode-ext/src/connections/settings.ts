// Pure logic behind the connection store: what goes into settings.json (never a secret), where a secret
// is kept, and input validation for the quick inputs. No `vscode` import: unit-tested directly.
import type { AuthConfig, ConnectionConfig, ServiceKind } from '@radlab/core';
import type { SecretValues } from '@radlab/core/node';

/** SecretStorage key of a connection's password or token. */
export function secretKey(name: string): string {
  return `radlab.secret.${name}`;
}

export const SECRET_KEY_PREFIX = 'radlab.secret.';

/** The connection name a SecretStorage key belongs to, or undefined for keys that are not ours. */
export function nameFromSecretKey(key: string): string | undefined {
  return key.startsWith(SECRET_KEY_PREFIX) ? key.slice(SECRET_KEY_PREFIX.length) : undefined;
}

/** Auth types that take a secret (basic: password, bearer: token). */
export function takesSecret(
  auth: AuthConfig | undefined
): auth is Extract<AuthConfig, { type: 'basic' | 'bearer' }> {
  return auth?.type === 'basic' || auth?.type === 'bearer';
}

/** Whether an inline secret (password / token) is present: such a value must not stay in settings. */
export function hasInlineSecret(connection: { auth?: unknown }): boolean {
  const auth = connection.auth as Record<string, unknown> | undefined;
  return !!auth && typeof auth === 'object' && ('password' in auth || 'token' in auth);
}

/** A copy fit for settings.json: password and token removed, everything else kept as is. */
export function toSettingsEntry<T extends { auth?: unknown }>(connection: T): T {
  const copy = structuredClone(connection);
  const auth = copy.auth as Record<string, unknown> | undefined;
  if (auth && typeof auth === 'object') {
    delete auth.password;
    delete auth.token;
  }
  return copy;
}

/** The SecretStorage secret in the form core's resolveAuth takes (inline config values win over it). */
export function secretValues(
  auth: AuthConfig | undefined,
  secret: string | undefined
): SecretValues {
  if (!secret) return {};
  if (auth?.type === 'basic') return { password: secret };
  if (auth?.type === 'bearer') return { token: secret };
  return {};
}

/**
 * For VS Code, the hint of a check that failed because no password/token is available at all: point at
 * the command that stores one (core's hint speaks of env vars and "the host's secret storage").
 */
export function missingSecretHint(auth: AuthConfig | undefined): string | undefined {
  if (auth?.type === 'basic')
    return 'Store the password with "Radlab: Set Secret" (kept in the secret storage), or set auth.passwordEnv.';
  if (auth?.type === 'bearer')
    return 'Store the token with "Radlab: Set Secret" (kept in the secret storage), or set auth.tokenEnv / auth.tokenFile.';
  return undefined;
}

function nameOf(value: unknown): string | undefined {
  return value &&
    typeof value === 'object' &&
    typeof (value as { name?: unknown }).name === 'string'
    ? (value as { name: string }).name
    : undefined;
}

/**
 * The new settings array after adding or replacing `connection`. `previousName` is the name being
 * edited (renames replace in place); entries that are not ours to understand are kept untouched.
 */
export function upsertEntry(
  list: readonly unknown[],
  connection: ConnectionConfig,
  previousName?: string
): unknown[] {
  const entry = toSettingsEntry(connection);
  const target = previousName ?? connection.name;
  const index = list.findIndex(item => nameOf(item) === target);
  const out = list.map(item =>
    hasInlineSecret(item as { auth?: unknown }) ? toSettingsEntry(item as object) : item
  );
  if (index >= 0) {
    out[index] = entry;
    // a rename onto an existing name must not leave two entries with that name
    return out.filter((item, i) => i === index || nameOf(item) !== connection.name);
  }
  return [...out, entry];
}

export function removeEntry(list: readonly unknown[], name: string): unknown[] {
  return list.filter(item => nameOf(item) !== name);
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const URL_RE = /^https?:\/\/[^\s/@]+(:[0-9]+)?(\/[^\s]*)?$/;

/** An error message for the name input, or undefined when valid. Mirrors the schema's pattern. */
export function validateName(value: string, taken: readonly string[]): string | undefined {
  const name = value.trim();
  if (!name) return 'Enter a name.';
  if (!NAME_RE.test(name))
    return 'Use letters, digits, "_", "." or "-" (starting with a letter or digit, at most 63).';
  if (taken.includes(name)) return `A connection named "${name}" already exists.`;
  return undefined;
}

export function validateUrl(value: string): string | undefined {
  const url = value.trim();
  if (!url) return 'Enter the base URL, e.g. http://drill.example.org:8047';
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/\s]*@/i.test(url))
    return 'No credentials in the URL: Radlab asks for them separately.';
  if (!URL_RE.test(url)) return 'Enter an http:// or https:// URL without spaces.';
  return undefined;
}

export const KIND_LABELS: Record<ServiceKind, string> = {
  drill: 'Apache Drill',
  livy: 'Apache Livy (Spark)',
  files: 'Files (WebHDFS, HttpFS, MapR POSIX)',
  kubernetes: 'Kubernetes',
  prometheus: 'Prometheus',
  dicomweb: 'PACS (DICOMweb)'
};

/** A default URL to pre-fill per kind (the usual port of the service). */
export const KIND_URL_PLACEHOLDERS: Record<ServiceKind, string> = {
  drill: 'http://drill.example.org:8047',
  livy: 'http://livy.example.org:8998',
  files: 'http://namenode.example.org:9870',
  kubernetes: 'https://k8s.example.org:6443',
  prometheus: 'http://prometheus.example.org:9090',
  dicomweb: 'http://pacs.example.org:8042/dicom-web'
};
