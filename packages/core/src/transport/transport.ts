// The one HTTP layer under every Radlab client, in every host (browser via the Jupyter proxy, node in
// VS Code and the CLI). Built on axios; every failure leaves as a RadlabError with a redacted request
// and a sanitised cause, so no axios error (whose config carries the Authorization header) escapes.

import axios, { type AxiosInstance, type AxiosResponse, type Method } from 'axios';
import {
  codeForStatus,
  isErrorCode,
  isErrorService,
  RadlabError,
  type ErrorCode,
  type ErrorService
} from '../errors.js';
import { Deadline, stopError, wait, type StopReason } from '../deadline.js';
import { redact, redactUrl, registerSecret } from '../redact.js';
import { RADLAB_VERSION } from '../version.js';

/** Credentials already resolved to values (node hosts resolve env vars and files first). */
export type ResolvedAuth =
  | { type: 'none' }
  | { type: 'basic'; username: string; password: string }
  | { type: 'bearer'; token: string }
  | { type: 'hdfsUser'; user: string };

export type ResponseType = 'json' | 'text' | 'arraybuffer' | 'stream';

export interface TransportOptions {
  service: ErrorService;
  /** Connection name, carried into errors. */
  connection?: string;
  /** Base URL; may be relative in a browser (e.g. the Jupyter proxy `/radlab/proxy/<name>`). */
  baseURL: string;
  /** Per-request timeout: the whole request, body included (for streams: until the headers). Default 10000. */
  timeoutMs?: number;
  auth?: ResolvedAuth;
  headers?: Record<string, string>;
  /** Opaque node agents (http.Agent / https.Agent), injected by node hosts. */
  httpAgent?: unknown;
  httpsAgent?: unknown;
  /** Largest accepted response body. Default 64 MiB. */
  maxResponseBytes?: number;
  /** Retries of idempotent requests on network errors, 429, 502, 503, 504. Default 2. */
  retries?: number;
  /** First backoff delay; doubles per retry, with jitter. Default 250. */
  retryBaseDelayMs?: number;
  /** Longest Retry-After honoured; a longer one is not retried. Default 30000. */
  maxRetryDelayMs?: number;
  /** Sets `User-Agent` outside browsers. Default `radlab/<version>`; `false` to leave it out. */
  userAgent?: string | false;
  /** Jupyter's XSRF cookie and header (`_xsrf` / `X-XSRFToken`), used by browsers for same-origin requests. */
  xsrfCookieName?: string;
  xsrfHeaderName?: string;
  withCredentials?: boolean;
}

export interface RequestOptions {
  method?: string;
  /** Path below the base URL, e.g. `/api/v1/query`. */
  path: string;
  /**
   * An absolute URL to request instead of base URL + path: a redirect target the caller has checked
   * against the connection's allowed hosts (WebHDFS DataNodes). The target carries its own query
   * (user.name, delegation); the transport's auth parameters are not added, its auth headers are.
   */
  url?: string;
  params?: Record<string, string | number | boolean | undefined>;
  data?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Default `json`: the body must parse as JSON (an empty body gives `undefined`). */
  responseType?: ResponseType;
  timeoutMs?: number;
  /** Allows retries of a non-GET/HEAD/OPTIONS request that is safe to repeat. */
  idempotent?: boolean;
  /**
   * Default true. false (node only; browsers always follow): a 3xx answer is returned as the response,
   * with its headers (Location, Set-Cookie), instead of being followed; e.g. for a FORM login.
   */
  followRedirects?: boolean;
  /**
   * Default false. true: an HTTP error answer (other than the retried 429/502/503/504 while retries
   * remain) is returned with its body as text instead of thrown, for clients that read a service's
   * own error body (WebHDFS's RemoteException). Network failures and timeouts still throw.
   */
  returnErrors?: boolean;
}

export interface TransportResponse<T> {
  status: number;
  data: T;
  /** Lower-case header names. */
  headers: Record<string, string>;
  latencyMs: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const DEFAULT_TIMEOUT = 10_000;
const EXCERPT_CHARS = 160;
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True in a browser page or worker, where User-Agent must not be set. */
export function isBrowser(): boolean {
  const g = globalThis as { document?: unknown; importScripts?: unknown; window?: unknown };
  return (
    (typeof g.window !== 'undefined' && typeof g.document !== 'undefined') ||
    typeof g.importScripts === 'function'
  );
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

function joinUrl(base: string, path: string): string {
  if (path === '') return base;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function withParams(url: string, params: RequestOptions['params']): string {
  if (!params) return url;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) search.append(key, String(value));
  }
  const query = search.toString();
  if (!query) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

/** `host:port` of a URL for hints; the URL itself when it has no host (relative). */
export function hostPort(url: string): string {
  try {
    const u = new URL(url);
    const port = u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');
    return port ? `${u.hostname}:${port}` : u.hostname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

/** A short, single-line, redacted excerpt of a body for messages. */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  const flat = text
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const cut = flat.length > max ? `${flat.slice(0, max)}…` : flat;
  return redact(cut);
}

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function decode(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(new Uint8Array(data));
  if (ArrayBuffer.isView(data)) {
    return new TextDecoder().decode(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  if (data === undefined || data === null) return '';
  try {
    return JSON.stringify(data);
  } catch {
    return String(data);
  }
}

function byteLength(data: unknown): number {
  if (typeof data === 'string') return new TextEncoder().encode(data).length;
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/** Reads at most `limit` bytes of a node Readable or web ReadableStream, for error bodies. */
async function readSome(stream: unknown, limit = 64 * 1024): Promise<string> {
  if (isWebStream(stream)) {
    const text = await new Response(stream).text().catch(() => '');
    return text.slice(0, limit);
  }
  if (!stream || typeof (stream as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') {
    return '';
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<unknown>) {
      const bytes =
        typeof chunk === 'string'
          ? new TextEncoder().encode(chunk)
          : chunk instanceof Uint8Array
            ? chunk
            : new Uint8Array(0);
      chunks.push(bytes);
      total += bytes.length;
      if (total >= limit) break;
    }
  } catch {
    // a broken error body is not worth another error
  }
  const all = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.length;
  }
  (stream as { destroy?: () => void }).destroy?.();
  return new TextDecoder().decode(all);
}

function isWebStream(body: unknown): body is ReadableStream<Uint8Array> {
  return typeof ReadableStream !== 'undefined' && body instanceof ReadableStream;
}

/**
 * A browser's streamed body, passed through so that `done` runs when it ends, fails or is cancelled
 * (the attempt's deadline must stay tied to the caller's signal until then, as for node streams).
 */
function untilDone(
  stream: ReadableStream<Uint8Array>,
  done: () => void
): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: end, value } = await reader.read();
        if (end) {
          done();
          controller.close();
        } else controller.enqueue(value);
      } catch (e) {
        done();
        controller.error(e);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    }
  });
}

function normaliseHeaders(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const source =
    raw && typeof (raw as { toJSON?: unknown }).toJSON === 'function'
      ? (raw as { toJSON: () => Record<string, unknown> }).toJSON()
      : (raw as Record<string, unknown> | undefined);
  for (const [key, value] of Object.entries(source ?? {})) {
    if (value === undefined || value === null) continue;
    out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

function retryAfterMs(headers: Record<string, string>): number | undefined {
  const value = headers['retry-after'];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** A plain Error standing in for a low-level failure: its code and a redacted message, nothing else. */
function sanitisedCause(message: string, code?: string): Error {
  const e = new Error(redact(code ? `${code}: ${message}` : message));
  e.name = 'TransportError';
  e.stack = `${e.name}: ${e.message}`;
  return e;
}

/** The errno-style code of a low-level failure (axios wraps it; Node may wrap it in an AggregateError). */
function lowLevelCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('ERR_') && code !== 'ECONNABORTED')
      return code;
    const errors = (current as { errors?: unknown[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const inner = lowLevelCode(errors[0]);
      if (inner) return inner;
    }
    current = (current as { cause?: unknown }).cause;
  }
  const top = (error as { code?: unknown } | undefined)?.code;
  return typeof top === 'string' ? top : undefined;
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|DEPTH_ZERO/;

class AttemptFailure {
  constructor(
    readonly error: RadlabError,
    readonly retryable: boolean,
    readonly retryAfterMs?: number
  ) {}
}

export class Transport {
  readonly service: ErrorService;
  readonly connection?: string;
  readonly baseURL: string;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly retries: number;
  private readonly client: AxiosInstance;
  private readonly options: TransportOptions;
  private readonly authHeaders: Record<string, string> = {};
  private readonly authParams: Record<string, string> = {};

  constructor(options: TransportOptions) {
    this.options = options;
    this.service = options.service;
    this.connection = options.connection;
    this.baseURL = options.baseURL;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.retries = Math.max(0, options.retries ?? 2);

    const auth = options.auth ?? { type: 'none' };
    switch (auth.type) {
      case 'basic': {
        registerSecret(auth.password);
        const encoded = toBase64(`${auth.username}:${auth.password}`);
        registerSecret(encoded);
        this.authHeaders['Authorization'] = `Basic ${encoded}`;
        break;
      }
      case 'bearer':
        registerSecret(auth.token);
        this.authHeaders['Authorization'] = `Bearer ${auth.token}`;
        break;
      case 'hdfsUser':
        this.authParams['user.name'] = auth.user;
        break;
      case 'none':
        break;
    }
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (/^(authorization|proxy-authorization|cookie|x-api-key)$/i.test(name))
        registerSecret(value);
    }

    this.client = axios.create({
      validateStatus: () => true,
      transformResponse: [(data: unknown) => data],
      maxContentLength: this.maxResponseBytes,
      maxBodyLength: Infinity,
      maxRedirects: 5,
      httpAgent: options.httpAgent,
      httpsAgent: options.httpsAgent,
      xsrfCookieName: options.xsrfCookieName,
      xsrfHeaderName: options.xsrfHeaderName,
      withCredentials: options.withCredentials ?? false
    });
  }

  /** The full, unredacted URL of a request (for hosts that must hand a URL to something else). */
  url(path: string, params?: RequestOptions['params']): string {
    return withParams(joinUrl(this.baseURL, path), { ...params, ...this.authParams });
  }

  async request<T = unknown>(options: RequestOptions): Promise<TransportResponse<T>> {
    const method = (options.method ?? 'GET').toUpperCase();
    const url =
      options.url !== undefined
        ? withParams(options.url, options.params)
        : this.url(options.path, options.params);
    const request = { method, url: redactUrl(url) };
    const idempotent = options.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const started = now();
    for (let attempt = 0; ; attempt++) {
      if (options.signal?.aborted) throw this.cancelled(request);
      try {
        const response = await this.attempt<T>(method, url, request, options);
        return { ...response, latencyMs: Math.round(now() - started) };
      } catch (e) {
        if (!(e instanceof AttemptFailure)) {
          // A bug or an unforeseen failure: still a RadlabError, still nothing unredacted.
          throw new RadlabError({
            code: 'badResponse',
            service: this.service,
            connection: this.connection,
            message: `request failed (${method} ${pathOf(request.url)}): ${e instanceof Error ? e.message : String(e)}`,
            request,
            cause: sanitisedCause(e instanceof Error ? e.message : String(e))
          });
        }
        const canRetry = e.retryable && idempotent && attempt < this.retries;
        if (!canRetry) throw e.error;
        const maxDelay = this.options.maxRetryDelayMs ?? 30_000;
        let delay: number;
        if (e.retryAfterMs !== undefined) {
          if (e.retryAfterMs > maxDelay) throw e.error;
          delay = e.retryAfterMs;
        } else {
          const base = (this.options.retryBaseDelayMs ?? 250) * 2 ** attempt;
          delay = Math.min(maxDelay, base / 2 + Math.random() * (base / 2));
        }
        if (!(await wait(delay, options.signal))) throw this.cancelled(request);
      }
    }
  }

  private cancelled(request: { method: string; url: string }): RadlabError {
    return new RadlabError({
      code: 'cancelled',
      service: this.service,
      connection: this.connection,
      message: `request cancelled (${request.method} ${pathOf(request.url)})`,
      request
    });
  }

  private async attempt<T>(
    method: string,
    url: string,
    request: { method: string; url: string },
    options: RequestOptions
  ): Promise<Omit<TransportResponse<T>, 'latencyMs'>> {
    const responseType = options.responseType ?? 'json';
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const deadline = new Deadline({ signal: options.signal, timeoutMs });

    const headers: Record<string, string> = {
      Accept: responseType === 'json' ? 'application/json' : '*/*',
      ...this.options.headers,
      ...this.authHeaders,
      ...options.headers
    };
    const userAgent = this.options.userAgent ?? `radlab/${RADLAB_VERSION}`;
    if (userAgent !== false && !isBrowser()) headers['User-Agent'] = userAgent;

    let response: AxiosResponse<unknown>;
    let body: unknown;
    try {
      response = await this.client.request<unknown>({
        method: method as Method,
        url,
        data: options.data,
        headers,
        signal: deadline.signal,
        responseType: responseType === 'json' || responseType === 'text' ? 'text' : responseType,
        responseEncoding: 'utf8',
        // A stream is consumed piecewise by its reader (e.g. the Drill row parser), which bounds what it
        // keeps; axios would otherwise abort it at maxResponseBytes as if it were buffered.
        ...(responseType === 'stream' ? { maxContentLength: -1 } : {}),
        // In browsers only axios's fetch adapter streams (XHR hands over the whole body at the end),
        // so a Kubernetes watch or a followed log arrives line by line there too.
        ...(responseType === 'stream' && isBrowser() ? { adapter: 'fetch' as const } : {}),
        ...(options.followRedirects === false ? { maxRedirects: 0 } : {})
      });
      body = response.data;
      // Error bodies of streamed requests are read (a little) for the message.
      if (responseType === 'stream' && (response.status < 200 || response.status >= 300)) {
        body = await readSome(body);
      }
    } catch (e) {
      throw this.lowLevelFailure(e, deadline.reason, request, timeoutMs);
    } finally {
      deadline.stopTimer();
      // A successful stream stays cancellable by the caller's signal until it closes.
      const streaming =
        responseType === 'stream' &&
        body !== undefined &&
        typeof (body as { once?: unknown }).once === 'function';
      if (streaming) {
        (body as { once(event: string, listener: () => void): void }).once('close', () =>
          deadline.dispose()
        );
      } else if (responseType === 'stream' && isWebStream(body)) {
        body = untilDone(body, () => deadline.dispose());
      } else {
        deadline.dispose();
      }
    }

    const responseHeaders = normaliseHeaders(response.headers);
    const status = response.status;

    const redirect = options.followRedirects === false && status >= 300 && status < 400;
    if ((status < 200 || status >= 300) && !redirect) {
      const failure = this.httpFailure(status, response.statusText, responseHeaders, body, request);
      if (options.returnErrors && !failure.retryable && !responseHeaders['x-radlab-error']) {
        return { status, data: decode(body) as T, headers: responseHeaders };
      }
      throw failure;
    }
    if (responseType !== 'stream' && byteLength(body) > this.maxResponseBytes) {
      throw new AttemptFailure(this.tooLarge(request), false);
    }

    let data: unknown = body;
    if (redirect) {
      if (responseType === 'stream') (body as { destroy?: () => void } | undefined)?.destroy?.();
      return { status, data: undefined as T, headers: responseHeaders };
    }
    if (responseType === 'json') {
      const text = decode(body);
      if (status === 204 || text.trim() === '') {
        data = undefined;
      } else {
        try {
          data = JSON.parse(text);
        } catch {
          const type = responseHeaders['content-type']?.split(';')[0];
          throw new AttemptFailure(
            new RadlabError({
              code: 'badResponse',
              service: this.service,
              connection: this.connection,
              status,
              message: `expected JSON from ${method} ${pathOf(request.url)} but got ${type ?? 'something else'}: ${excerpt(text, 80)}`,
              hint: `Is ${hostPort(url)} the ${this.service} API? Check the connection URL (a login page or proxy in between also answers like this).`,
              request
            }),
            false
          );
        }
      }
    } else if (responseType === 'text') {
      data = decode(body);
    } else if (responseType === 'arraybuffer' && ArrayBuffer.isView(body)) {
      data = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
    }
    return { status, data: data as T, headers: responseHeaders };
  }

  private tooLarge(request: { method: string; url: string }): RadlabError {
    return new RadlabError({
      code: 'badResponse',
      service: this.service,
      connection: this.connection,
      message: `response to ${request.method} ${pathOf(request.url)} is larger than ${this.maxResponseBytes} bytes`,
      hint: 'Ask for less (a narrower query or a page of results), or raise maxResponseBytes.',
      request
    });
  }

  private lowLevelFailure(
    e: unknown,
    reason: StopReason | undefined,
    request: { method: string; url: string },
    timeoutMs: number
  ): AttemptFailure {
    const where = hostPort(request.url);
    const base = {
      service: this.service,
      connection: this.connection,
      request
    };
    const rawMessage = e instanceof Error ? e.message : String(e);
    const code = lowLevelCode(e);
    const cause = sanitisedCause(rawMessage, code);

    const stop =
      reason ?? (code === 'ETIMEDOUT' || code === 'ECONNABORTED' ? 'timeout' : undefined);
    if (stop) {
      return new AttemptFailure(
        stopError(stop, {
          ...base,
          cause,
          timeout: {
            message: `no answer from ${where} within ${timeoutMs} ms (${request.method} ${pathOf(request.url)})`,
            hint: `The timeout is ${timeoutMs} ms. Check the service's load, or raise timeoutMs for this connection.`
          },
          cancelled: { message: `request cancelled (${request.method} ${pathOf(request.url)})` }
        }),
        // a stopped attempt is not retried: a timed-out one has used the caller's time budget
        false
      );
    }
    if (/maxContentLength/.test(rawMessage)) {
      return new AttemptFailure(this.tooLarge(request), false);
    }
    if (code && TLS_CODES.test(code)) {
      return new AttemptFailure(
        new RadlabError({
          ...base,
          code: 'unreachable',
          message: `TLS certificate of ${where} not accepted (${code})`,
          hint: 'Set tls.ca to the PEM file of the CA that signed the server certificate (or, for test clusters only, tls.insecureSkipVerify).',
          cause
        }),
        false
      );
    }
    const messages: Record<string, string> = {
      ECONNREFUSED: `connection refused to ${where}`,
      ENOTFOUND: `host not found: ${where}`,
      EAI_AGAIN: `host name lookup failed for ${where}`,
      EHOSTUNREACH: `host unreachable: ${where}`,
      ENETUNREACH: `network unreachable to ${where}`,
      ECONNRESET: `connection reset by ${where}`,
      EPIPE: `connection closed by ${where}`
    };
    const message =
      (code && messages[code]) ??
      (/socket hang up/i.test(rawMessage)
        ? `connection closed by ${where}`
        : `network error reaching ${where}${code && code !== 'ERR_NETWORK' ? ` (${code})` : ''}`);
    const hint =
      code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `Check the host name in the connection URL (${where}) and your DNS / VPN.`
        : `Check that the service is running and listening on ${where}, and that the URL is right.`;
    return new AttemptFailure(
      new RadlabError({ ...base, code: 'unreachable', message, hint, cause }),
      code !== 'ENOTFOUND'
    );
  }

  private httpFailure(
    status: number,
    statusText: string | undefined,
    headers: Record<string, string>,
    body: unknown,
    request: { method: string; url: string }
  ): AttemptFailure {
    const text = decode(body);
    const retryable = RETRY_STATUSES.has(status);
    const after = status === 429 || status === 503 ? retryAfterMs(headers) : undefined;

    // The Radlab Jupyter proxy explains its own failures (upstream unreachable, timeout, config).
    if (headers['x-radlab-error']) {
      try {
        const json = JSON.parse(text) as Record<string, unknown>;
        const code = json['code'];
        if (isErrorCode(code)) {
          const service = json['service'];
          return new AttemptFailure(
            new RadlabError({
              code: code as ErrorCode,
              service: isErrorService(service) ? (service as ErrorService) : this.service,
              connection:
                typeof json['connection'] === 'string' ? json['connection'] : this.connection,
              status: typeof json['status'] === 'number' ? json['status'] : status,
              message: typeof json['message'] === 'string' ? json['message'] : `HTTP ${status}`,
              hint: typeof json['hint'] === 'string' ? json['hint'] : undefined,
              request
            }),
            // the proxy already waited for a timeout; its config errors won't fix themselves
            retryable && (code === 'unreachable' || code === 'server'),
            after
          );
        }
      } catch {
        // not the proxy's JSON after all; fall through to the plain status mapping
      }
    }

    const code = codeForStatus(status);
    const at = `${request.method} ${pathOf(request.url)}`;
    const detail = excerpt(text);
    let message: string;
    let hint: string | undefined;
    if (status === 401) {
      // Never echo the body: some services reflect the credentials they were sent.
      message = `authentication failed (HTTP 401, ${at})`;
      hint = `Check the username, password or token of ${this.connection ? `connection "${this.connection}"` : 'this connection'}.`;
    } else if (status === 403) {
      message = `forbidden (HTTP 403, ${at})${detail ? `: ${detail}` : ''}`;
    } else if (status === 404) {
      message = `not found (HTTP 404, ${at})`;
      hint = `The service at ${hostPort(request.url)} has no ${pathOf(request.url)}. Is the connection URL (and its path prefix) right, and is it a ${this.service} service?`;
    } else if (status >= 300 && status < 400) {
      message = `unexpected redirect (HTTP ${status}, ${at}) to ${redactUrl(headers['location'] ?? '?')}`;
      hint =
        'Point the connection URL at the final address (a login page redirect means the service needs other credentials).';
      return new AttemptFailure(
        new RadlabError({
          code: 'badResponse',
          service: this.service,
          connection: this.connection,
          status,
          message,
          hint,
          request
        }),
        false
      );
    } else {
      const label = statusText ? `HTTP ${status} ${statusText}` : `HTTP ${status}`;
      message = `${label} (${at})${detail ? `: ${detail}` : ''}`;
    }
    return new AttemptFailure(
      new RadlabError({
        code,
        service: this.service,
        connection: this.connection,
        status,
        message,
        hint,
        request
      }),
      retryable,
      after
    );
  }
}
