// @ts-check
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The engine's parts, lowest first: a part may import the model and the parts before it, never
 * one after it, so parts cannot import each other in a cycle. See the README's architecture.
 */
const PARTS = [
  'sql',
  'database',
  'schema',
  'migrations',
  'throwaway',
  'plan',
  'rows',
  'proof',
  'backup',
  'target',
  'report',
  'options',
];
const FLOWS = ['check', 'apply', 'rollback', 'restore', 'status', 'new'];
const SHELLS = ['src/action', 'src/cli'];

const part = (name) => `src/core/parts/${name}`;
const flow = (name) => `src/core/flows/${name}`;

/** Which folders each layer must not import: shells → flows → parts (in order) → model. */
const LAYER_ZONES = [
  {
    target: 'src/core/model',
    from: ['src/core/parts', 'src/core/flows', ...SHELLS],
    message: 'the model imports only the model',
  },
  ...PARTS.map((name, index) => ({
    target: part(name),
    from: [...PARTS.slice(index + 1).map(part), 'src/core/flows', ...SHELLS],
    message: `the ${name} part imports only the model and the parts before it: ${PARTS.slice(0, index).join(', ') || 'none'}`,
  })),
  ...FLOWS.map((name) => ({
    target: flow(name),
    from: [...FLOWS.filter((other) => other !== name).map(flow), ...SHELLS],
    message: 'a flow imports parts and the model, never another flow or a shell',
  })),
  { target: 'src/action', from: ['src/cli'], message: 'the shells do not import each other' },
  { target: 'src/cli', from: ['src/action'], message: 'the shells do not import each other' },
];

export default tseslint.config(
  {
    ignores: [
      'lib/',
      'dist/',
      'node_modules/',
      'coverage/',
      'test/fixtures/**/broken-*',
      'test/fixtures/.packages/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver()],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: LAYER_ZONES }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // GitHub's toolkit is the action's business: the engine and the CLI run without it.
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@actions/*'], message: "only src/action/ uses GitHub's toolkit" }] },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
