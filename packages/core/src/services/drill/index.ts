// Apache Drill: SQL over the REST API (the client is in ../../drill/).

import { DrillClient, type DrillClientOptions } from '../../drill/client.js';
import type { ServiceDefinition } from '../definition.js';
import { checkDrill } from './health.js';
import { DRILL_HINTS } from './hints.js';

export const drill: ServiceDefinition<DrillClient, DrillClientOptions> = {
  kind: 'drill',
  title: 'Apache Drill',
  probe: checkDrill,
  createClient: (transport, _connection, options) => new DrillClient(transport, options),
  hints: DRILL_HINTS
};
