// The connection model. The JSON schema in shared/schema/connections.schema.json is the source;
// these types mirror it.

export type ServiceKind = 'drill' | 'livy' | 'files' | 'kubernetes' | 'prometheus' | 'dicomweb';
export const SERVICE_KINDS: readonly ServiceKind[] = [
  'drill',
  'livy',
  'files',
  'kubernetes',
  'prometheus',
  'dicomweb'
];

export type FilesProtocol = 'webhdfs' | 'httpfs' | 'posix';

export type AuthConfig =
  | { type: 'none' }
  | { type: 'basic'; username: string; password?: string; passwordEnv?: string }
  | { type: 'bearer'; token?: string; tokenEnv?: string; tokenFile?: string }
  | { type: 'hdfsUser'; user: string };

export interface TlsConfig {
  /** Path of a PEM file with extra CA certificates. */
  ca?: string;
  insecureSkipVerify?: boolean;
}

export interface ConnectionConfig {
  name: string;
  kind: ServiceKind;
  description?: string;
  url?: string;
  auth?: AuthConfig;
  tls?: TlsConfig;
  timeoutMs?: number;
  protocol?: FilesProtocol;
  root?: string;
  /** files/webhdfs only: DataNode origins the NameNode may redirect data to (nothing else is followed). */
  dataNodes?: string[];
  /** files only: the file system's URI (hdfs://host:port) for hdfs:// paths; default: url's host, port 8020. */
  nameNode?: string;
  /** files only: the MapR cluster name, for /mapr/<cluster>/… paths. */
  cluster?: string;
  /** files only: Drill's file-system storage plugin over this file system (default hdfs). */
  drillPlugin?: string;
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
  /** drill only: how the basic credentials are presented — each request (basic) or a FORM login session. */
  drillAuth?: 'basic' | 'form';
}

export interface ConnectionsFile {
  connections: ConnectionConfig[];
}

/** Where a connection came from, for error messages ("fix field X in file Y"). */
export type ConnectionSource = 'defaults' | 'file' | 'env' | 'jupyter' | 'vscode';

export const DEFAULT_TIMEOUT_MS = 10_000;
