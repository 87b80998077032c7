// `npm run lint`. Recommended rules for JavaScript, TypeScript and Svelte, and the one rule of
// structure: dependencies point web → api → db, so nothing in api/ or db/ imports web/.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
  {
    ignores: [
      'dist/',
      'web/build/',
      'web/.svelte-kit/',
      '.svelte-kit/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      'coverage/',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // A leading underscore names what is left out on purpose (`const { secret: _omit, ...rest } = x`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // The app is served at the root (no `paths.base`): a plain href is already the resolved one.
      'svelte/no-navigation-without-resolve': 'off',
      // `{' '}` keeps a space between inline elements where a formatter would fold the markup's.
      'svelte/no-useless-mustaches': 'off',
    },
  },
  {
    // Coefficients of published approximations, quoted digit for digit as published.
    files: ['api/metrics/distributions.ts'],
    rules: { 'no-loss-of-precision': 'off' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
  },
  {
    files: ['api/**', 'db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/web/**', '$lib', '$lib/**', '$app/**'],
              message: 'api/ and db/ never import web/: put code both need on the API side (api/shared).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/web/**', '$lib', '$lib/**', '$app/**'], message: 'db/ never imports web/.' },
            { group: ['**/api/**'], message: 'db/ never imports api/: dependencies point web → api → db.' },
          ],
        },
      ],
    },
  },
);
