// ESLint (flat config) with typescript-eslint's type-aware rules. `npm run lint` runs it with --max-warnings 0.
// The rules are the ones that catch bugs this code base can have (promises nobody awaits, a callback that returns a
// promise where void is expected, a switch that forgets a union member) plus the layer rules: the core never imports
// `vscode`, the webview never imports Node or the extension host. Formatting is Prettier's job, not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrictVscode = {
  paths: [{ name: 'vscode', message: 'src/core is pure TypeScript: adapters live under src/vscode.' }],
  patterns: [{ group: ['**/vscode/**', '**/vscode'], message: 'src/core never imports the editor adapters.' }],
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'bench/results/**', 'test/e2e/workspace/**'],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // node:test's test()/describe() return promises the runner awaits itself.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'off',
      // The code base deliberately uses `!` after a check TypeScript cannot follow, and `any` only at JSON boundaries.
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      // Every control-character class in this code base is deliberate: escapers, file-name sanitizers and tests that
      // prove a file's control characters never reach a terminal, an SVG or a file name. The rule only flags those.
      'no-control-regex': 'off',
      // Prettier wraps code at 160 columns but cannot break a string, template or regex literal, nor a URL; a code
      // line that is longer for any other reason is one Prettier was told to leave alone, or a comment to rewrap.
      'max-len': ['error', { code: 160, tabWidth: 2, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', restrictVscode] },
  },
  {
    // The webview has its own tsconfig (DOM, no Node types).
    files: ['src/webview/**/*.ts'],
    languageOptions: { parserOptions: { projectService: false, project: ['./tsconfig.webview.json'] } },
  },
  {
    // Tests drive an untyped stand-in for the editor (the vscode shim), load built bundles with require(), and
    // mirror the server's literal JSON (0xffffffffffffffff is what Python sends and JSON.parse rounds).
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-this-alias': 'off',
      'no-loss-of-precision': 'off',
    },
  },
  {
    // Webview code runs in the browser: no Node built-ins, no vscode API, nothing from the extension host.
    files: ['src/webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Webviews talk to the extension host through postMessage only.' }],
          patterns: [
            { group: ['node:*'], message: 'Webview code runs in the browser.' },
            { group: ['**/vscode/**', '**/core/comfy/**'], message: 'Webviews never talk to the server; use src/shared.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: {
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable',
      },
    },
  },
);
