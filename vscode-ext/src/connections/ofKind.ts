// A configured connection of one kind, by name, for the features' services (Drill, Livy): the config
// and its secrets, or one RadlabError `config` that says what to do. No `vscode` import.
import { RadlabError, type ConnectionConfig, type ServiceKind } from '@radlab/core';
import type { SecretValues } from '@radlab/core/node';

export type ResolveConnection = (
  name: string
) => Promise<{ config: ConnectionConfig; secrets: SecretValues } | undefined>;

/** The connection `name` if it is of `kind` (`label` names the kind in the error, e.g. Drill). */
export async function connectionOfKind(
  resolve: ResolveConnection,
  name: string,
  kind: ServiceKind,
  label: string
): Promise<{ config: ConnectionConfig; secrets: SecretValues }> {
  const resolved = await resolve(name);
  if (!resolved || resolved.config.kind !== kind) {
    throw new RadlabError({
      code: 'config',
      service: 'radlab',
      message: `no ${label} connection named "${name}"`,
      hint: 'Add it in the Radlab Connections view or pick another one.',
      connection: name
    });
  }
  return resolved;
}
