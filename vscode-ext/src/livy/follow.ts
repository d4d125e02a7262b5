// What the notebook's Livy session becomes when Livy no longer lists it (deleted, expired, Livy
// restarted): the next live session, newer first on the same connection, else on another; else none
// (the next cell starts one). A session Livy still lists stays, even dead: the cell then says it is
// dead, with its log and the restart action. No `vscode` import.
import { stateGroup, type LivySessionInfo } from '@radlab/ui';

export interface LivyTarget {
  connection: string;
  id: number;
}

export type LivyFollow =
  | { action: 'keep' }
  | { action: 'follow'; gone: LivyTarget; target: LivyTarget }
  | { action: 'none'; gone: LivyTarget };

/**
 * `lists` holds the sessions Livy lists now, per connection that was loaded (a connection missing
 * from it was not loaded, so nothing is decided about its sessions).
 */
export function followSession(
  current: LivyTarget,
  lists: ReadonlyMap<string, readonly LivySessionInfo[]>
): LivyFollow {
  const own = lists.get(current.connection);
  if (!own || own.some(s => s.id === current.id)) return { action: 'keep' };
  const live = (sessions: readonly LivySessionInfo[]) =>
    sessions.filter(s => stateGroup(s.state) !== 'dead');
  const same = live(own);
  // Livy's ids grow: the first one after the gone session, else the newest before it
  const next =
    same.filter(s => s.id > current.id).sort((a, b) => a.id - b.id)[0] ??
    same.sort((a, b) => b.id - a.id)[0];
  if (next) {
    return {
      action: 'follow',
      gone: current,
      target: { connection: current.connection, id: next.id }
    };
  }
  for (const [connection, sessions] of lists) {
    if (connection === current.connection) continue;
    const other = live(sessions).sort((a, b) => b.id - a.id)[0];
    if (other) return { action: 'follow', gone: current, target: { connection, id: other.id } };
  }
  return { action: 'none', gone: current };
}
