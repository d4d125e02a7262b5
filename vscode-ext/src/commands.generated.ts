// Generated from shared/commands.json by scripts/gen-contributes.mjs: do not edit.
export const COMMAND_IDS = [
  'radlab.addConnection',
  'radlab.editConnection',
  'radlab.removeConnection',
  'radlab.testConnection',
  'radlab.refreshConnections',
  'radlab.setSecret',
  'radlab.drill.runQuery',
  'radlab.drill.runAll',
  'radlab.drill.openInSpark',
  'radlab.drill.selectConnection',
  'radlab.drill.refresh',
  'radlab.drill.preview',
  'radlab.drill.copyName',
  'radlab.drill.insertName',
  'radlab.openDicomFolder',
  'radlab.livy.refresh',
  'radlab.livy.startSession',
  'radlab.livy.killSession',
  'radlab.livy.restartSession',
  'radlab.livy.showLog',
  'radlab.livy.selectSession',
  'radlab.livy.submitBatch',
  'radlab.livy.followBatch',
  'radlab.livy.killBatch'
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
