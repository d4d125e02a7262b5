// The one error type every Radlab client throws. Messages and hints are written for the user;
// anything that could carry a credential goes through redact() before it is stored here.

import { redact } from './redact.js';

export type ErrorCode =
  | 'unreachable'
  | 'timeout'
  | 'auth'
  | 'forbidden'
  | 'notFound'
  | 'conflict'
  | 'badRequest'
  | 'server'
  | 'badResponse'
  | 'cancelled'
  | 'config';

/** The service an error came from; `radlab` for Radlab's own layer (config, proxy). */
export type ErrorService = 'drill' | 'livy' | 'files' | 'kubernetes' | 'prometheus' | 'radlab';

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'unreachable',
  'timeout',
  'auth',
  'forbidden',
  'notFound',
  'conflict',
  'badRequest',
  'server',
  'badResponse',
  'cancelled',
  'config'
]);
const ERROR_SERVICES: ReadonlySet<string> = new Set<ErrorService>([
  'drill',
  'livy',
  'files',
  'kubernetes',
  'prometheus',
  'radlab'
]);

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

const DEFAULT_HINTS: Record<ErrorCode, string> = {
  unreachable: 'Check that the service is running and that the URL and port are right.',
  timeout:
    'The service did not answer in time. Check its load, or raise timeoutMs for this connection.',
  auth: 'Authentication failed. Check the username, password or token for this connection.',
  forbidden:
    'The credentials are valid but not allowed to do this. Ask the service admin for access.',
  notFound: 'The service answered but the resource does not exist. Check the URL path.',
  conflict: 'The request conflicts with the current state. Refresh and try again.',
  badRequest: 'The service rejected the request as invalid.',
  server: 'The service failed. Its own logs say why; try again later.',
  badResponse:
    'The service answered with something that is not what Radlab expects. Is the URL pointing at the right service?',
  cancelled: 'The request was cancelled.',
  config: 'Fix the connection configuration.'
};

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

/** Maps an HTTP status to an error code. */
export function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 409) return 'conflict';
  if (status >= 400 && status < 500) return 'badRequest';
  return 'server';
}
