import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// Driven adapters (provider clients, the store, delivery channels) never import one another, nor the
// drivers (jobs, cli, http) or config: they get what they need through ports and the composition root.
// Ports are the exception every layer may name.
const DRIVEN = ['providers', 'store', 'notify'];
const PORTS = ['./src/providers/provider.ts', './src/notify/channel.ts'];
const adapterZones = DRIVEN.map((adapter) => ({
  target: `./src/${adapter}`,
  from: [...DRIVEN.filter((other) => other !== adapter), 'jobs', 'cli', 'http', 'config'].map((other) => `./src/${other}`),
  except: PORTS.filter((port) => !port.startsWith(`./src/${adapter}/`)).map((port) => port.replace(/^\.\/src\/[a-z]+\//, './')),
  message: `src/${adapter} is an adapter: it must not import another adapter, a driver or config (ports excepted).`,
}));

export default tseslint.config(
  { ignores: ['dist/', 'dist-bench/', 'node_modules/', 'migrations/', 'coverage/', 'eslint.config.js', 'bench/'] },
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
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones: [
        { target: './src/domain', from: './src', except: ['./domain'], message: 'src/domain imports nothing but itself and zod.' },
        { target: './src/calendar', from: './src', except: ['./calendar', './domain'], message: 'src/calendar imports nothing but src/domain and chinese-days.' },
        ...adapterZones,
      ] }],
      'no-restricted-properties': ['error',
        { object: 'process', property: 'env', message: 'Only src/config/ reads the environment.' },
        { object: 'process', property: 'exit', message: 'Only src/cli/ exits; elsewhere set process.exitCode or throw.' },
      ],
    },
  },
  {
    files: ['src/config/**/*.ts'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'exit', message: 'Only src/cli/ exits.' }] },
  },
  {
    files: ['src/cli/**/*.ts', 'src/cli.ts'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Only src/config/ reads the environment.' }] },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { regex: '^(?!zod$|\\./)', message: 'src/domain is pure: it imports nothing but itself and zod.' },
      ] }],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'Time comes in as data.' },
        { object: 'Math', property: 'random' },
        { object: 'process', property: 'env', message: 'Only src/config/ reads the environment.' },
        { object: 'process', property: 'exit', message: 'Only src/cli/ exits.' },
      ],
    },
  },
  {
    // The working-day calendar adapter: the domain's port over the chinese-days data, nothing else.
    files: ['src/calendar/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { regex: '^(?!chinese-days(/|$)|\\.\\.?/)', message: 'src/calendar imports nothing but src/domain and chinese-days.' },
      ] }],
    },
  },
  {
    files: ['src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        {
          group: ['../store/*', '../providers/*', '!../providers/provider.js', '../notify/*', '!../notify/channel.js', '../calendar/*', '../jobs/*', '../cli/*', '../http/*'],
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
