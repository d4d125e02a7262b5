// Every service kind's definition, by kind. A new kind is a folder services/<kind>/ and one entry here.

import type { ServiceKind } from '../connection.js';
import type { ServiceDefinition } from './definition.js';
import { dicomweb } from './dicomweb/index.js';
import { drill } from './drill/index.js';
import { files } from './files/index.js';
import { kubernetes } from './kubernetes/index.js';
import { livy } from './livy/index.js';
import { prometheus } from './prometheus/index.js';

export const SERVICES: Readonly<Record<ServiceKind, ServiceDefinition<unknown, never>>> = {
  drill,
  livy,
  files,
  kubernetes,
  prometheus,
  dicomweb
};

/** The definition of a kind; undefined for a kind Radlab does not know (e.g. a newer config). */
export function serviceDefinition(kind: string): ServiceDefinition<unknown, never> | undefined {
  return Object.prototype.hasOwnProperty.call(SERVICES, kind)
    ? SERVICES[kind as ServiceKind]
    : undefined;
}
