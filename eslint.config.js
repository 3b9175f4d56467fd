// The project's own lint setup (`npm run lint`, part of `npm test`). What it enforces:
// - the dependency rule of docs/architecture.md: imports in src/ run downward through the
//   layers, and no file takes part in a run-time import cycle (scripts/lint/);
// - regular expressions that cannot backtrack without bound (eslint-plugin-regexp), as
//   test/regexps.test.ts checks too;
// - a few core rules that hold on code whose types were removed;
// - one way to load a package from ESM: util/lazy-require.ts is the only user of createRequire.
// Types are removed by scripts/lint/ts-parser.mjs (see there why not typescript-eslint).
import regexp from 'eslint-plugin-regexp';
import * as tsParser from './scripts/lint/ts-parser.mjs';
import { layersRule } from './scripts/lint/layers-rule.mjs';

// Some sources carry `eslint-disable` comments for typescript-eslint rules, written for the
// day its type-aware rules can run here; these names keep the comments understood.
const pending = { create: () => ({}) };
const typescriptEslintNames = { rules: { 'no-empty-object-type': pending, 'unbound-method': pending, 'no-implied-eval': pending, 'no-explicit-any': pending } };

export default [
  { ignores: ['dist/**', 'node_modules/**', 'bench/**', 'coverage/**', '**/*.d.ts'] },
  {
    files: ['src/**/*.ts'],
    languageOptions: { parser: tsParser, sourceType: 'module', ecmaVersion: 'latest' },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    plugins: { regexp, palisade: { rules: { layers: layersRule } }, '@typescript-eslint': typescriptEslintNames },
    rules: {
      'palisade/layers': 'error',
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      'no-debugger': 'error',
      'no-var': 'error',
      'no-dupe-keys': 'error',
      'no-self-compare': 'error',
      'no-unsafe-finally': 'error',
      'no-constant-binary-expression': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'node:module',
              importNames: ['createRequire'],
              message: 'Load packages with lazyRequire from src/util/lazy-require.ts, the one place that requires.',
            },
          ],
        },
      ],
    },
  },
  { files: ['src/util/lazy-require.ts'], rules: { 'no-restricted-imports': 'off' } },
];
