// Test support (not shipped: package.json "files" excludes lib/testing): real HTTP servers on
// 127.0.0.1, random ports.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';

export interface TestServer {
  url: string;
  port: number;
  /** Requests seen, in order. */
  requests: Array<{ method: string; url: string; headers: IncomingMessage['headers'] }>;
  close(): Promise<void>;
}

export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse, index: number) => unknown
): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const index = requests.length;
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    Promise.resolve(handler(req, res, index)).catch(e => {
      res.statusCode = 599;
      res.end(String(e));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

/** Every way an error could be shown or logged, as one string. */
export function everyRendering(error: unknown): string {
  const e = error as Error & { hint?: string; toJSON?: () => unknown };
  return [
    String(e),
    e.message,
    e.hint ?? '',
    e.stack ?? '',
    JSON.stringify(e),
    e.toJSON ? JSON.stringify(e.toJSON()) : '',
    inspect(e, { depth: 20, showHidden: true }),
    e.cause ? inspect(e.cause, { depth: 20, showHidden: true }) : ''
  ].join('\n');
}
