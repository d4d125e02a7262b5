// The connection schema and the local-stack defaults, as data. Both come from shared/ (the only
// source) via the generated module; see scripts/gen-schema.mjs.

import type { ConnectionConfig } from '../connection.js';
import { connectionsSchemaJSON, defaultConnectionsJSON } from './schema.generated.js';

/** shared/schema/connections.schema.json (draft-07). Treat as read-only. */
export const connectionsSchema: Readonly<Record<string, unknown>> = connectionsSchemaJSON;

/** shared/defaults.json `connections`: the local stack, used only when nothing else is configured. */
export const defaultConnections: readonly ConnectionConfig[] = defaultConnectionsJSON.connections;
