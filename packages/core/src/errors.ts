// The one error type every Radlab client throws. Messages and hints are written for the user;
// anything that could carry a credential goes through redact() before it is stored here.

import { redact } from './redact.js';
import { errorsJSON } from './shared.generated.js';

/** The codes of RadlabError (shared/errors.json, which the Python package reads too). */
export type ErrorCode = (typeof errorsJSON.codes)[number];

/** The service an error came from; `radlab` for Radlab's own layer (config, proxy). */
export type ErrorService = (typeof errorsJSON.services)[number];

const ERROR_CODES: ReadonlySet<string> = new Set<string>(errorsJSON.codes);
const ERROR_SERVICES: ReadonlySet<string> = new Set<string>(errorsJSON.services);

/** True for the codes of RadlabError, e.g. when reading an error body from the Jupyter server. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && ERROR_CODES.has(value);
}

export function isErrorService(value: unknown): value is ErrorService {
  return typeof value === 'string' && ERROR_SERVICES.has(value);
}

export interface RedactedRequest {
  method: string;
  /** The URL with credentials (userinfo, token-like query parameters) removed. */
  url: string;
}

export interface RadlabErrorOptions {
  code: ErrorCode;
  service: ErrorService;
  message: string;
  hint?: string;
  status?: number;
  connection?: string;
  request?: RedactedRequest;
  cause?: unknown;
  /** Structured, service-specific facts (e.g. Drill's SQL `position`); JSON-safe, no secrets. */
  details?: Record<string, unknown>;
}

/** Serialised form, shared with the Python server extension: `{code, message, hint, ...}`. */
export interface RadlabErrorJSON {
  code: ErrorCode;
  service: ErrorService;
  message: string;
  hint: string;
  status?: number;
  connection?: string;
  request?: RedactedRequest;
  /** Service-specific facts, e.g. Drill: `{queryId, position: {line, column}, errorType}`. */
  details?: Record<string, unknown>;
}

const DEFAULT_HINTS: Readonly<Record<ErrorCode, string>> = errorsJSON.hints;

export class RadlabError extends Error {
  readonly code: ErrorCode;
  readonly service: ErrorService;
  readonly hint: string;
  readonly status?: number;
  readonly connection?: string;
  readonly request?: RedactedRequest;
  readonly details?: Record<string, unknown>;

  constructor(options: RadlabErrorOptions) {
    super(
      redact(options.message),
      options.cause === undefined ? undefined : { cause: options.cause }
    );
    this.name = 'RadlabError';
    this.code = options.code;
    this.service = options.service;
    this.hint = redact(options.hint ?? DEFAULT_HINTS[options.code]);
    this.status = options.status;
    this.connection = options.connection;
    this.request = options.request;
    if (options.details !== undefined) this.details = options.details;
    if (this.stack) {
      this.stack = redact(this.stack);
    }
  }

  static defaultHint(code: ErrorCode): string {
    return DEFAULT_HINTS[code];
  }

  static isRadlabError(value: unknown): value is RadlabError {
    return value instanceof RadlabError || (value instanceof Error && value.name === 'RadlabError');
  }

  toJSON(): RadlabErrorJSON {
    const json: RadlabErrorJSON = {
      code: this.code,
      service: this.service,
      message: this.message,
      hint: this.hint,
      status: this.status,
      connection: this.connection,
      request: this.request
    };
    if (this.details !== undefined) json.details = this.details;
    return json;
  }

  static fromJSON(json: RadlabErrorJSON): RadlabError {
    return new RadlabError(json);
  }
}

/** What toErrorJSON says of a failure that is not a RadlabError (a bug, a library's own error). */
export interface ErrorJSONFallback {
  connection?: string;
  code?: ErrorCode;
  service?: ErrorService;
  hint?: string;
}

/**
 * Any failure as the JSON form views show and servers send, always redacted: a RadlabError as it is
 * (given `connection` if it has none), anything else as `fallback` says (default: `server` from
 * `radlab`). Both go through RadlabError.fromJSON, so secrets registered since are masked too.
 */
export function toErrorJSON(
  reason: unknown,
  fallback: ErrorJSONFallback | string = {}
): RadlabErrorJSON {
  const f = typeof fallback === 'string' ? { connection: fallback } : fallback;
  const json: RadlabErrorJSON = RadlabError.isRadlabError(reason)
    ? reason.toJSON()
    : {
        code: f.code ?? 'server',
        service: f.service ?? 'radlab',
        message: reason instanceof Error ? reason.message : String(reason),
        hint: f.hint ?? RadlabError.defaultHint(f.code ?? 'server'),
        connection: f.connection
      };
  if (f.connection && !json.connection) json.connection = f.connection;
  return RadlabError.fromJSON(json).toJSON();
}

const STATUS_CODES: Readonly<Record<string, ErrorCode>> = errorsJSON.status;

/** Maps an HTTP status to an error code (the table in shared/errors.json). */
export function codeForStatus(status: number): ErrorCode {
  const exact = STATUS_CODES[String(status)];
  if (exact) return exact;
  const range = errorsJSON.statusRanges.find(r => status >= r.from && status <= r.to);
  return range ? range.code : errorsJSON.statusDefault;
}
