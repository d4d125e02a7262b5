import { defineConfig } from 'vitest/config';

// Unit and service tests of every TS package; ui-tests (Playwright) run separately.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'vscode-ext/src/**/*.test.ts',
      'jupyterlab-ext/src/**/*.test.ts'
    ],
    setupFiles: ['./vitest.setup.ts'],
    // Service tests hit real servers on a loaded 2-core machine: CI retries a failed test once.
    retry: process.env.CI ? 1 : 0,
    testTimeout: 30000,
    hookTimeout: 60000
  }
});
