// The real Livy of the local stack, for the Livy specs of both hosts: run a statement, kill a session's
// Spark driver from inside it, and delete what a spec started. Straight to Livy's REST API (the test
// side, not the host's proxy).
export const LIVY_URL = process.env.RADLAB_LIVY_URL ?? 'http://127.0.0.1:8998';

interface Session {
  id: number;
  name?: string | null;
  state: string;
}

async function livy<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${LIVY_URL}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-Requested-By': 'radlab-ui-tests' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function sessions(): Promise<Session[]> {
  return (await livy<{ sessions: Session[] }>('GET', '/sessions')).sessions;
}

/** Submits code to a session and waits for its output (polling; statement ids are Livy's). */
export async function runStatement(id: number, code: string): Promise<unknown> {
  const st = await livy<{ id: number }>('POST', `/sessions/${id}/statements`, { code });
  for (;;) {
    const s = await livy<{ state: string; output?: unknown }>(
      'GET',
      `/sessions/${id}/statements/${st.id}`
    );
    if (['available', 'error', 'cancelled'].includes(s.state)) return s.output;
    await new Promise(r => setTimeout(r, 500));
  }
}

/**
 * Kills the session's Spark driver (the JVM that runs the Python REPL) with SIGKILL, as an OOM killer
 * or a lost node would: Livy then reports the session dead. The statement never answers. The kill waits
 * a second so that Livy's submit gets its answer first: a driver killed mid-reply made the POST a 500
 * (CancellationException) in a clean-clone run.
 */
export async function killDriver(id: number): Promise<void> {
  await livy('POST', `/sessions/${id}/statements`, {
    code: [
      'import os, signal, threading',
      'threading.Timer(1.0, lambda: os.kill(os.getppid(), signal.SIGKILL)).start()'
    ].join('\n')
  });
}

/** Deletes every session whose name starts with `prefix` (a spec's own). */
export async function deleteSessions(prefix: string): Promise<void> {
  for (const s of await sessions().catch(() => [])) {
    if (s.name?.startsWith(prefix)) {
      await fetch(`${LIVY_URL}/sessions/${s.id}`, {
        method: 'DELETE',
        headers: { 'X-Requested-By': 'radlab-ui-tests' }
      }).catch(() => undefined);
    }
  }
}
