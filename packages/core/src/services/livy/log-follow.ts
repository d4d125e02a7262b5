// Following a Livy log by polling. Livy keeps only the last livy.cache-log.size (200) lines of each of
// the driver's streams and answers a batch's log as ["stdout: ", ...stdout, "\nstderr: ", ...stderr], so
// line offsets shift and stdout grows in the middle: new lines are found by overlap, per stream.

export type LogStream = 'stdout' | 'stderr' | 'log';

export interface LogLine {
  stream: LogStream;
  line: string;
}

/** Splits Livy's combined log into its streams (a session's log has no markers: all `log`). */
export function splitStreams(lines: readonly string[]): Record<LogStream, string[]> {
  const out: Record<LogStream, string[]> = { stdout: [], stderr: [], log: [] };
  let current: LogStream = 'log';
  for (const line of lines) {
    if (line === 'stdout: ') current = 'stdout';
    else if (line === '\nstderr: ' || line === 'stderr: ') current = 'stderr';
    else out[current].push(line);
  }
  return out;
}

/** The lines of `current` after those already seen in `previous` (a window of the same stream). */
export function newLines(previous: readonly string[], current: readonly string[]): string[] {
  for (let shift = 0; shift <= previous.length; shift++) {
    const kept = previous.length - shift;
    if (kept > current.length) continue;
    let match = true;
    for (let i = 0; i < kept; i++) {
      if (previous[shift + i] !== current[i]) {
        match = false;
        break;
      }
    }
    if (match) return current.slice(kept);
  }
  return [...current];
}

/** Remembers what was seen of each stream; `update` returns only what is new. */
export class LogFollower {
  private seen: Record<LogStream, string[]> = { stdout: [], stderr: [], log: [] };

  update(lines: readonly string[]): LogLine[] {
    const streams = splitStreams(lines);
    const out: LogLine[] = [];
    for (const stream of ['log', 'stdout', 'stderr'] as const) {
      for (const line of newLines(this.seen[stream], streams[stream])) out.push({ stream, line });
      this.seen[stream] = streams[stream];
    }
    return out;
  }
}
