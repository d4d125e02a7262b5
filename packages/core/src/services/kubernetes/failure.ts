// The API server's refusals made plain: RBAC says which verb on which resource in which namespace it
// refused and for whom, an expired token says how to renew it (Rancher), a Status message is kept.

import { RadlabError } from '../../errors.js';

/** The API server's Status message out of a transport error's text ("…: {"kind":"Status",…}"). */
export function statusMessage(error: RadlabError): string | undefined {
  const i = error.message.indexOf('{');
  if (i < 0) return undefined;
  try {
    const status = JSON.parse(error.message.slice(i)) as { message?: unknown };
    return typeof status.message === 'string' ? status.message : undefined;
  } catch {
    return /"message":"((?:[^"\\]|\\.)*)/.exec(error.message)?.[1]?.replace(/\\"/g, '"');
  }
}

const VERBS: Record<string, string> = {
  POST: 'create',
  DELETE: 'delete',
  PATCH: 'patch',
  PUT: 'update'
};

/** "create jobs.batch in namespace mri" from the refused request's method and path. */
export function refusedAction(
  request: { method: string; url: string } | undefined
): string | undefined {
  if (!request) return undefined;
  const url = new URL(request.url, 'http://x');
  const m =
    /\/(?:api\/v1|apis\/([^/]+)\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(
      url.pathname
    );
  if (!m) return undefined;
  const [, group, namespace, resource, name, sub] = m;
  const verb =
    VERBS[request.method.toUpperCase()] ??
    (url.searchParams.get('watch') ? 'watch' : name ? 'get' : 'list');
  const what = `${resource}${sub ? `/${sub}` : ''}${group ? `.${group}` : ''}`;
  return `${verb} ${what}${namespace ? ` in namespace "${decodeURIComponent(namespace)}"` : ''}`;
}

/** Sharper messages for the API server's refusals: RBAC says verb, resource and namespace itself. */
export function kubeFailure(e: unknown, what: string): unknown {
  if (!RadlabError.isRadlabError(e)) return e;
  const said = statusMessage(e);
  if (e.code === 'forbidden') {
    const user = /User \\?"([^"\\]+)\\?"/.exec(e.message)?.[1];
    return new RadlabError({
      code: 'forbidden',
      service: 'kubernetes',
      connection: e.connection,
      status: e.status,
      message: `${what}: RBAC does not allow ${user ? `user "${user}" to ` : 'you to '}${refusedAction(e.request) ?? 'do this'}`,
      hint: 'Your Kubernetes user lacks this permission (RBAC). Ask the cluster admin for a RoleBinding, or pick a namespace you may use.',
      request: e.request
    });
  }
  if (e.code === 'auth') {
    return new RadlabError({
      code: 'auth',
      service: 'kubernetes',
      connection: e.connection,
      status: e.status,
      message: `${what}: the API server did not accept the token (HTTP 401)`,
      hint: 'The token is wrong or expired. Rancher tokens expire: download a new kubeconfig from Rancher (Cluster → Download KubeConfig) or create a new API key.',
      request: e.request
    });
  }
  if (said && (e.code === 'badRequest' || e.code === 'notFound' || e.code === 'conflict')) {
    return new RadlabError({
      code: e.code,
      service: 'kubernetes',
      connection: e.connection,
      status: e.status,
      message: `${what}: ${said}`,
      hint: e.hint,
      request: e.request
    });
  }
  return e;
}
