// Streamed response bodies as text, whichever form the transport gives them in (node Readable, web
// ReadableStream, or a whole string in browsers), for the Drill row stream, Kubernetes watches and logs.

/** A whole answer (browsers) is fed to the parser in slices this long, so rows come in batches. */
const TEXT_SLICE = 1 << 20;

/** Text chunks of a node Readable, a web ReadableStream, or a whole string / buffer. */
export async function* textChunks(body: unknown): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  if (typeof body === 'string') {
    // one slice at a time: the parsed-but-not-yet-stored rows of a big answer never all exist at once
    for (let i = 0; i < body.length; i += TEXT_SLICE) yield body.slice(i, i + TEXT_SLICE);
    return;
  }
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    yield decoder.decode(body);
    return;
  }
  if (body && typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    for await (const chunk of body as AsyncIterable<unknown>) {
      yield typeof chunk === 'string'
        ? chunk
        : decoder.decode(chunk as Uint8Array, { stream: true });
    }
  } else if (body && typeof (body as { getReader?: unknown }).getReader === 'function') {
    const reader = (
      body as {
        getReader(): {
          read(): Promise<{ done: boolean; value?: Uint8Array }>;
          releaseLock(): void;
        };
      }
    ).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value) yield decoder.decode(value, { stream: true });
      }
    } finally {
      reader.releaseLock();
    }
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** Stops reading a streamed body (node Readable or web ReadableStream). */
export function destroyBody(body: unknown): void {
  (body as { destroy?: () => void } | undefined)?.destroy?.();
  const cancel = (body as { cancel?: () => Promise<void> } | undefined)?.cancel;
  if (typeof cancel === 'function') cancel.call(body).catch(() => undefined);
}

/** The lines (without their "\n") of a streamed body, as they arrive; a last line without "\n" too. */
export async function* textLines(body: unknown): AsyncGenerator<string> {
  let buffer = '';
  for await (const chunk of textChunks(body)) {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      yield buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
    }
  }
  if (buffer) yield buffer;
}
