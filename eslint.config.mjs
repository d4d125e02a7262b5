// One flat config for every TypeScript package in the repo.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '**/lib/**',
      '**/dist/**',
      '**/node_modules/**',
      'jupyterlab-ext/radlab/**',
      '.radlab/**',
      '.venv/**',
      'ui-tests/test-results/**'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  },
  {
    // Node scripts (benchmarks, build and generator scripts) run in node, not the browser.
    files: ['**/*.mjs', '**/*.cjs', 'bench/**/*.js'],
    languageOptions: { globals: { ...globals.node } }
  }
);
