import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { capabilityBoundaries } from './eslint/capability-boundaries.js';

export default tseslint.config(
  { ignores: ['node_modules/', '.chorus/', 'coverage/', 'public/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Capabilities reach each other only through index.ts; see docs/architecture.md.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    plugins: { chorus: { rules: { 'capability-boundaries': capabilityBoundaries } } },
    rules: { 'chorus/capability-boundaries': 'error' },
  },
);
