// WebHDFS/HttpFS failures answer {"RemoteException": {exception, javaClassName, message}}; the Java
// exception says more than the status (HttpFS answers 500 for a permission error).

import { codeForStatus, RadlabError, type ErrorCode } from '../../errors.js';

interface RemoteException {
  exception?: string;
  javaClassName?: string;
  message?: string;
}

/** The Java exceptions of HDFS with their code and hint (a posix mount maps errno onto these). */
export const BY_EXCEPTION: Readonly<Record<string, { code: ErrorCode; hint: string }>> = {
  FileNotFoundException: {
    code: 'notFound',
    hint: 'The path does not exist (any more). Refresh the folder.'
  },
  AccessControlException: {
    code: 'forbidden',
    hint: 'This user may not do that here: check the owner and permissions, or ask for access.'
  },
  FileAlreadyExistsException: {
    code: 'conflict',
    hint: 'Something of that name exists. Choose another name, or overwrite it.'
  },
  PathIsNotEmptyDirectoryException: {
    code: 'conflict',
    hint: 'The folder is not empty: delete it recursively.'
  },
  ParentNotDirectoryException: { code: 'badRequest', hint: 'A parent of the path is a file.' },
  DSQuotaExceededException: {
    code: 'forbidden',
    hint: 'The folder is over its space quota: free space, or ask for a larger quota.'
  },
  NSQuotaExceededException: {
    code: 'forbidden',
    hint: 'The folder is over its quota of names: remove files, or ask for a larger quota.'
  },
  QuotaExceededException: { code: 'forbidden', hint: 'A quota of the folder is exceeded.' },
  SafeModeException: {
    code: 'server',
    hint: 'The NameNode is in safe mode (starting up or under maintenance): try again in a minute.'
  },
  RetriableException: { code: 'server', hint: 'The NameNode is busy: try again.' },
  StandbyException: {
    code: 'server',
    hint: 'This NameNode is the standby: use the active one (or the HttpFS address).'
  },
  IllegalArgumentException: { code: 'badRequest', hint: 'The server refused the request.' },
  UnsupportedOperationException: {
    code: 'badRequest',
    hint: 'This server does not support that operation.'
  },
  SecurityException: { code: 'auth', hint: 'Check the user or credentials of this connection.' }
};

function remoteException(body: unknown): RemoteException | undefined {
  let json = body;
  if (typeof body === 'string') {
    try {
      json = JSON.parse(body) as unknown;
    } catch {
      return undefined;
    }
  }
  const inner = (json as { RemoteException?: unknown } | undefined)?.RemoteException;
  return inner && typeof inner === 'object' ? (inner as RemoteException) : undefined;
}

/** The RadlabError of a WebHDFS/HttpFS error answer (`body` as text or parsed). */
export function webhdfsError(
  status: number,
  body: unknown,
  context: {
    op: string;
    path: string;
    connection?: string;
    request?: { method: string; url: string };
  }
): RadlabError {
  const remote = remoteException(body);
  const name = remote?.exception ?? remote?.javaClassName?.split('.').pop();
  const known = name ? BY_EXCEPTION[name] : undefined;
  const code: ErrorCode = known?.code ?? (status === 401 ? 'auth' : codeForStatus(status));
  const what = remote?.message ? remote.message.split('\n')[0] : `HTTP ${status}`;
  return new RadlabError({
    code,
    service: 'files',
    connection: context.connection,
    status,
    message: `${context.op} ${context.path}: ${what}${name ? ` (${name})` : ''}`,
    hint: known?.hint,
    request: context.request,
    details: name ? { exception: name } : undefined
  });
}
