// @radlab/core/node: the node-only surface (files, env vars, https agents, kubeconfig).

export {
  loadConnections,
  defaultConfigPath,
  type LoadOptions,
  type LoadResult,
  type LoadedSource
} from './load.js';
export { resolveAuth, readTokenFile, type SecretValues } from './auth.js';
export { createNodeTransport, type NodeTransportOptions } from './transport.js';
export {
  resolveKubeconfig,
  resolveInCluster,
  defaultKubeconfigPath,
  SERVICE_ACCOUNT_DIR,
  type KubeTarget
} from './kubeconfig.js';
export { nodePosixProbe } from './posix.js';
export { checkConnection } from './check.js';
export { expandHome, homeDir, type Env } from './paths.js';
export { createNodeDrillClient } from './drill.js';
export { createNodeLivyClient } from './livy.js';
export { createNodeDicomWebClient } from './dicomweb.js';
export { createNodeFilesClient } from './files.js';
export { PosixFilesClient, type PosixFilesClientOptions } from './posixFiles.js';
export {
  runNvidiaSmi,
  NvidiaSmiSampler,
  type NvidiaSmiOptions,
  type NvidiaSmiSamplerOptions
} from './nvidiaSmi.js';
