// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'apps/portal/dist/**', '.data/**', 'coverage/**', 'bench/.out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', fetch: 'readonly', AbortController: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', setImmediate: 'readonly', structuredClone: 'readonly', performance: 'readonly', document: 'readonly', window: 'readonly', localStorage: 'readonly', navigator: 'readonly', FormData: 'readonly', File: 'readonly', Blob: 'readonly', XMLHttpRequest: 'readonly', Headers: 'readonly', Response: 'readonly', Request: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-namespace': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
      // One reader of process.env: the config schema (scripts and tests' launchers are tooling).
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read settings through AppConfig (libs/config).' }],
    },
  },
  {
    files: ['libs/config/**', 'libs/testing/**', 'scripts/**', 'bench/**', 'jest.config.js', '**/*.spec.ts', '**/*-spec.ts', 'apps/portal/**', 'test/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off', '@typescript-eslint/no-unused-vars': 'warn' },
  },
  {
    // Domain rules and money import nothing from Nest or TypeORM.
    files: ['libs/money/**', 'libs/domain/**', 'libs/*/src/rules/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@nestjs/*', 'typeorm', 'bullmq', 'stripe'] }],
    },
  },
);
