// One measured operation of bench/files in its own node process (so its peak RSS is its own):
//   node worker.mjs list  <protocol> <url> <path>          first page of a folder
//   node worker.mjs put   <protocol> <url> <local> <path>  upload (core resumableUpload, streamed)
//   node worker.mjs get   <protocol> <url> <path> <local>  download (core read, streamed)
// Prints one JSON line: {ms, entries?, bytes?, rssBeforeMB, peakRssMB}.

import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { resumableUpload } from '../../packages/core/lib/index.js';
import { createNodeFilesClient } from '../../packages/core/lib/node/index.js';

const [op, protocol, url, a, b] = process.argv.slice(2);
const MB = 1024 * 1024;
const user = process.env.RADLAB_HDFS_USER ?? 'radlab';
const dataNode = `http://127.0.0.1:${process.env.RADLAB_HDFS_DN_HTTP_PORT ?? '9864'}`;

const client = await createNodeFilesClient(
  {
    name: `bench-${protocol}`,
    kind: 'files',
    protocol,
    url,
    auth: { type: 'hdfsUser', user },
    dataNodes: [dataNode]
  },
  { transport: { timeoutMs: 120_000 } }
);
// warm: module loading, the first connection
await client.stat('/');

globalThis.gc?.();
const rssBefore = process.memoryUsage().rss;
let peak = rssBefore;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
const t0 = performance.now();
const out = {};
if (op === 'list') {
  const page = await client.list(a);
  out.entries = page.entries.length;
  out.remaining = page.remaining;
} else if (op === 'put') {
  const size = statSync(a).size;
  await client.delete(b).catch(() => undefined);
  await resumableUpload(client, b, {
    size,
    fingerprint: `${a}:${size}:${Date.now()}`,
    open: offset => createReadStream(a, { start: offset, highWaterMark: 1 << 20 })
  });
  out.bytes = size;
} else if (op === 'get') {
  await pipeline(Readable.from(client.read(a)), createWriteStream(b));
  out.bytes = statSync(b).size;
} else {
  throw new Error(`unknown op ${op}`);
}
out.ms = performance.now() - t0;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
out.rssBeforeMB = rssBefore / MB;
out.peakRssMB = peak / MB;
process.stdout.write(`${JSON.stringify(out)}\n`);
