// Resolves a connection's auth config to values: inline → secrets argument (e.g. VS Code
// SecretStorage) → environment variable → token file. Every value is registered for redaction.

import { readFile } from 'node:fs/promises';
import type { ConnectionConfig } from '../connection.js';
import { RadlabError } from '../errors.js';
import { registerSecret } from '../redact.js';
import type { ResolvedAuth } from '../transport/transport.js';
import { expandHome, type Env } from './paths.js';

export interface SecretValues {
  password?: string;
  token?: string;
}

function configError(conn: ConnectionConfig, message: string, hint: string): RadlabError {
  return new RadlabError({
    code: 'config',
    service: 'radlab',
    connection: conn.name,
    message: `connection "${conn.name}": ${message}`,
    hint
  });
}

/** Reads a token file (trimmed). Errors name the file, never its content. */
export async function readTokenFile(
  path: string,
  conn: ConnectionConfig,
  env: Env = process.env
): Promise<string> {
  const file = expandHome(path, env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'error';
    throw configError(
      conn,
      `cannot read token file ${file} (${code})`,
      'Check auth.tokenFile: the file must exist and be readable by the user running Radlab.'
    );
  }
  const token = text.trim();
  if (!token)
    throw configError(
      conn,
      `token file ${file} is empty`,
      'Put the token in the file, or use auth.token / auth.tokenEnv.'
    );
  registerSecret(token);
  return token;
}

export async function resolveAuth(
  conn: ConnectionConfig,
  secrets: SecretValues = {},
  env: Env = process.env
): Promise<ResolvedAuth> {
  const auth = conn.auth ?? { type: 'none' };
  switch (auth.type) {
    case 'none':
      return { type: 'none' };
    case 'hdfsUser':
      return { type: 'hdfsUser', user: auth.user };
    case 'basic': {
      let password = auth.password ?? secrets.password;
      if (password === undefined && auth.passwordEnv) {
        password = env[auth.passwordEnv];
        if (password === undefined) {
          throw configError(
            conn,
            `environment variable ${auth.passwordEnv} (auth.passwordEnv) is not set`,
            `Export ${auth.passwordEnv} with the password before starting Radlab.`
          );
        }
      }
      if (password === undefined) {
        throw configError(
          conn,
          'no password for basic auth',
          "Set auth.passwordEnv to the name of an environment variable holding it (or store it in the host's secret storage)."
        );
      }
      registerSecret(password);
      return { type: 'basic', username: auth.username, password };
    }
    case 'bearer': {
      let token = auth.token ?? secrets.token;
      if (token === undefined && auth.tokenEnv) {
        token = env[auth.tokenEnv];
        if (token === undefined && !auth.tokenFile) {
          throw configError(
            conn,
            `environment variable ${auth.tokenEnv} (auth.tokenEnv) is not set`,
            `Export ${auth.tokenEnv} with the token before starting Radlab.`
          );
        }
      }
      if (token === undefined && auth.tokenFile)
        token = await readTokenFile(auth.tokenFile, conn, env);
      if (token === undefined) {
        throw configError(
          conn,
          'no token for bearer auth',
          "Set auth.tokenEnv or auth.tokenFile (or store the token in the host's secret storage)."
        );
      }
      registerSecret(token);
      return { type: 'bearer', token };
    }
  }
}
