// Requests to Radlab's own server API (`{base_url}radlab/api/...`). Errors leave as RadlabError: the
// server answers failures with `{code, service, message, hint}` (header X-Radlab-Error).
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import {
  codeForStatus,
  isErrorCode,
  isErrorService,
  RadlabError,
  redact,
  toErrorJSON as coreToErrorJSON
} from '@radlab/core';
import type { ErrorCode, ErrorService, RadlabErrorJSON } from '@radlab/core';

/** The URL of a Radlab server endpoint, e.g. `apiUrl(settings, 'api/connections')`. */
export function radlabUrl(settings: ServerConnection.ISettings, ...parts: string[]): string {
  return URLExt.join(settings.baseUrl, 'radlab', ...parts);
}

/** Maps an error answer (status + body text) to a RadlabError. */
export function errorFromResponse(
  status: number,
  statusText: string,
  body: string,
  path: string
): RadlabError {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    if (json && typeof json === 'object' && isErrorCode(json['code'])) {
      const service = isErrorService(json['service']) ? json['service'] : 'radlab';
      return new RadlabError({
        code: json['code'] as ErrorCode,
        service: service as ErrorService,
        message: typeof json['message'] === 'string' ? json['message'] : `HTTP ${status}`,
        hint: typeof json['hint'] === 'string' && json['hint'] ? json['hint'] : undefined,
        status: typeof json['status'] === 'number' ? json['status'] : status,
        connection: typeof json['connection'] === 'string' ? json['connection'] : undefined
      });
    }
  } catch {
    // not Radlab's JSON (e.g. Jupyter's HTML error page): fall through
  }
  const code = codeForStatus(status);
  const hint =
    status === 404
      ? 'Is the Radlab server extension installed and enabled? Check `jupyter server extension list`.'
      : status === 403
        ? 'Jupyter refused the request: reload the page (the session or XSRF cookie may have expired).'
        : undefined;
  return new RadlabError({
    code,
    service: 'radlab',
    status,
    message: `${path}: HTTP ${status}${statusText ? ` ${statusText}` : ''}`,
    hint
  });
}

/**
 * Calls a Radlab server endpoint through Jupyter's ServerConnection (which adds the token header and
 * the XSRF header). `endPoint` is relative to `{base_url}radlab/`, e.g. `api/connections`.
 */
export async function requestAPI<T>(
  endPoint = '',
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = radlabUrl(settings, endPoint);
  const path = `radlab/${endPoint}`;
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (e) {
    if (init.signal?.aborted) {
      throw new RadlabError({
        code: 'cancelled',
        service: 'radlab',
        message: `request cancelled (${path})`
      });
    }
    throw new RadlabError({
      code: 'unreachable',
      service: 'radlab',
      message: `cannot reach the Jupyter server (${path})`,
      hint: 'Is the Jupyter server still running? Check the network and reload the page.',
      cause: e instanceof Error ? new Error(redact(e.message)) : undefined
    });
  }
  const text = await response.text();
  if (!response.ok) {
    throw errorFromResponse(response.status, response.statusText, text, path);
  }
  if (text.length === 0) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new RadlabError({
      code: 'badResponse',
      service: 'radlab',
      status: response.status,
      message: `${path} did not answer with JSON`,
      hint: 'A proxy in front of Jupyter may be rewriting the answer; check the Jupyter server log.'
    });
  }
}

/** Any failure as the JSON form the views show (core's toErrorJSON with the lab's hint). */
export function toErrorJSON(e: unknown, connection?: string): RadlabErrorJSON {
  return coreToErrorJSON(e, {
    connection,
    hint: 'An unexpected error in the Radlab lab extension; see the browser console.'
  });
}
