// Generated from shared/commands.json by scripts/gen-commands.mjs: do not edit.

export const LAB_COMMANDS = {
  connections: {
    refreshConnections: 'radlab:refresh-connections',
    openConnections: 'radlab:open-connections'
  },
  drill: {
    run: 'radlab:drill-run',
    cancel: 'radlab:drill-cancel',
    newSqlFile: 'radlab:new-sql-file',
    openSchemaBrowser: 'radlab:open-drill-schemas',
    refreshSchemas: 'radlab:refresh-drill-schemas'
  },
  imaging: {
    openSeries: 'radlab:open-dicom-series',
    harvest: 'radlab:catalog-harvest',
    openPacsSeries: 'radlab:open-pacs-series'
  },
  livy: {
    openSessions: 'radlab:livy-open-sessions',
    refreshSessions: 'radlab:livy-refresh-sessions',
    startSession: 'radlab:livy-start-session',
    killSession: 'radlab:livy-kill-session',
    restartSession: 'radlab:livy-restart-session',
    showLog: 'radlab:livy-session-log',
    openInSpark: 'radlab:livy-open-in-spark',
    submitBatch: 'radlab:livy-submit-batch'
  },
  gpu: {
    openGpuMetrics: 'radlab:open-gpu-metrics',
    openJobGpus: 'radlab:open-job-gpus'
  },
  files: {
    openBrowser: 'radlab:files-open-browser',
    refresh: 'radlab:files-refresh',
    copyPath: 'radlab:files-copy-path',
    queryWithDrill: 'radlab:files-query-drill',
    openInPanel: 'radlab:files-open-in-panel',
    openDrive: 'radlab:files-open-drive'
  },
  jobs: {
    openJobs: 'radlab:open-jobs',
    submitJob: 'radlab:submit-job'
  }
} as const;
