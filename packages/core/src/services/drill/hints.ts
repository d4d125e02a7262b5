// Drill's own hints, used by its client and error mapping and listed in its definition.

export const DRILL_HINTS = {
  cancelled: 'Someone (or a timeout) cancelled it; run it again.',
  badResponse: 'Point the connection URL at the Drill REST API itself.'
} as const;
