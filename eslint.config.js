import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'migrations/', 'coverage/', 'eslint.config.js', 'bench/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', '../app/*', '../store/*', '../providers/*', '../notify/*', '../jobs/*', '../cli/*', '../config/*', '../http/*'], message: 'src/domain is pure: no I/O, no outer layers.' },
      ] }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Time comes in as data.' }, { object: 'Math', property: 'random' }],
    },
  },
  {
    files: ['src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        {
          group: ['../store/*', '../providers/*', '!../providers/provider.js', '../notify/*', '!../notify/channel.js', '../jobs/*', '../cli/*', '../http/*'],
          message: 'app/ depends on ports (providers/provider.ts, notify/channel.ts), not adapters.',
        },
      ] }],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
);
