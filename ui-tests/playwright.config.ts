// End-to-end tests in real hosts: JupyterLab (Galata) and VS Code (code-server with the built .vsix),
// both in Debian's chromium (Playwright's own browser download cannot work on these machines).
import { defineConfig } from '@playwright/test';
import galata from '@jupyterlab/galata/lib/playwright-config.js';

const chromium = {
  executablePath: process.env.RADLAB_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync'
  ]
};

const LAB_PORT = Number(process.env.RADLAB_UI_LAB_PORT ?? 8899);
const CODE_PORT = Number(process.env.RADLAB_UI_CODE_PORT ?? 8898);
const only = process.env.RADLAB_UI_ONLY; // 'jupyterlab' | 'vscode' | undefined (both)

export default defineConfig({
  ...galata,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  // CI retries a failed test once (a serial spec retries its group): a flake then shows as 'flaky' in
  // the report instead of failing the whole run; the list reporter names it, and the notes track it.
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  outputDir: 'test-results',
  reporter: [['list'], ['junit', { outputFile: '../.radlab/test-results/ui-tests.xml' }]],
  use: {
    ...galata.use,
    launchOptions: chromium,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure'
  },
  projects: [
    {
      name: 'jupyterlab',
      testDir: './jupyterlab',
      use: { ...galata.use, baseURL: `http://127.0.0.1:${LAB_PORT}`, launchOptions: chromium }
    },
    {
      name: 'vscode',
      testDir: './vscode',
      use: { baseURL: `http://127.0.0.1:${CODE_PORT}`, launchOptions: chromium }
    }
  ],
  webServer: [
    ...(only !== 'vscode'
      ? [
          {
            command: `bash scripts/start-jupyterlab.sh ${LAB_PORT}`,
            url: `http://127.0.0.1:${LAB_PORT}/lab`,
            timeout: 120_000,
            reuseExistingServer: false,
            stdout: 'pipe' as const
          }
        ]
      : []),
    ...(only !== 'jupyterlab'
      ? [
          {
            command: `bash scripts/start-code-server.sh ${CODE_PORT}`,
            url: `http://127.0.0.1:${CODE_PORT}/healthz`,
            timeout: 180_000,
            reuseExistingServer: false,
            stdout: 'pipe' as const
          }
        ]
      : [])
  ]
});
