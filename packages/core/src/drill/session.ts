// Every request of a DrillClient: over the core Transport, without following redirects (Drill sends an
// unauthenticated request to its login page, which must fail as `auth`, not parse as HTML), and with
// Drill's FORM login session when configured (node only; in a browser the Jupyter proxy authenticates).

import { RadlabError, type RedactedRequest } from '../errors.js';
import { registerSecret } from '../redact.js';
import { DRILL_HINTS } from '../services/drill/hints.js';
import {
  isBrowser,
  type RequestOptions,
  type Transport,
  type TransportResponse
} from '../transport/transport.js';

export interface DrillSessionOptions {
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Drill's FORM login: see DrillClientOptions.formLogin. */
  formLogin?: { username: string; password: string };
}

/** Drill's session cookie (Jetty's JSESSIONID renamed by Drill) from Set-Cookie headers. */
const SESSION_COOKIE = /(?:^|[\s,])(Drill-Session-Id|JSESSIONID)=([^;,\s]+)/i;

/** A redirect to Drill's login page (/mainLogin, /login) or a login error: not authenticated. */
function isLoginRedirect(location: string | undefined): boolean {
  return (
    location !== undefined && /\/(mainLogin|login|j_security_check)\b|[?&]error\b/i.test(location)
  );
}

export class DrillSession {
  /** `name=value` of the FORM session; undefined before the login and after a failed one. */
  private cookie?: string;
  private loggingIn?: Promise<string>;

  constructor(
    readonly transport: Transport,
    private readonly options: DrillSessionOptions = {}
  ) {
    if (options.formLogin) registerSecret(options.formLogin.password);
  }

  get headers(): Record<string, string> | undefined {
    return this.options.headers;
  }

  private authError(message: string, request: RedactedRequest, status?: number): RadlabError {
    return new RadlabError({
      code: 'auth',
      service: 'drill',
      connection: this.transport.connection,
      status,
      message,
      hint: `Check the username and password of ${this.transport.connection ? `connection "${this.transport.connection}"` : 'this connection'} (Drill user authentication is on).`,
      request
    });
  }

  /** FORM login: POST /j_security_check, no redirects followed; the session cookie, or an auth error. */
  /** FORM login: POST /j_security_check, no redirects followed; the session cookie, or an auth error. */
  private login(): Promise<string> {
    this.loggingIn ??= (async () => {
      const form = this.options.formLogin!;
      const request = { method: 'POST', url: '/j_security_check' };
      const response = await this.transport.request<string>({
        method: 'POST',
        path: '/j_security_check',
        data: new URLSearchParams({
          j_username: form.username,
          j_password: form.password
        }).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...this.headers },
        responseType: 'text',
        followRedirects: false
      });
      const location = response.headers['location'];
      const cookie = SESSION_COOKIE.exec(response.headers['set-cookie'] ?? '');
      // success is a redirect to the page asked for; a wrong password answers 200 with the login form
      if (response.status < 300 || response.status >= 400 || isLoginRedirect(location) || !cookie) {
        throw this.authError(
          `authentication failed: Drill's FORM login did not accept the username and password (HTTP ${response.status})`,
          request,
          response.status
        );
      }
      registerSecret(cookie[2]!);
      return `${cookie[1]}=${cookie[2]}`;
    })();
    return this.loggingIn.finally(() => {
      this.loggingIn = undefined;
    });
  }

  /**
   * Every request to Drill: without following redirects (Drill redirects an unauthenticated request to
   * its login page, which must fail as `auth`, not parse as HTML), with the FORM session when configured
   * (logging in first, and once more when the session has expired).
   */
  async send<T>(options: RequestOptions): Promise<TransportResponse<T>> {
    const browser = isBrowser();
    const form = this.options.formLogin && !browser;
    for (let attempt = 0; ; attempt++) {
      let session: string | undefined;
      if (form) {
        this.cookie ??= await this.login();
        session = this.cookie;
      }
      let response: TransportResponse<T>;
      try {
        response = await this.transport.request<T>({
          ...options,
          headers: { ...this.headers, ...options.headers, ...(session ? { Cookie: session } : {}) },
          ...(browser ? {} : { followRedirects: false })
        });
      } catch (e) {
        if (!(RadlabError.isRadlabError(e) && e.status === 401)) throw e;
        if (form && attempt === 0) {
          if (this.cookie === session) this.cookie = undefined;
          continue;
        }
        throw e;
      }
      if (response.status < 300 || response.status >= 400) return response;
      const location = response.headers['location'];
      const request = { method: (options.method ?? 'GET').toUpperCase(), url: options.path };
      if (isLoginRedirect(location)) {
        if (form && attempt === 0) {
          // the session expired (or Drill restarted): log in again, once
          if (this.cookie === session) this.cookie = undefined;
          continue;
        }
        throw this.authError(
          `authentication failed: Drill redirected ${request.method} ${request.url} to its login page`,
          request,
          response.status
        );
      }
      throw new RadlabError({
        code: 'badResponse',
        service: 'drill',
        connection: this.transport.connection,
        status: response.status,
        message: `unexpected redirect (HTTP ${response.status}, ${request.method} ${request.url})`,
        hint: DRILL_HINTS.badResponse,
        request
      });
    }
  }
}
