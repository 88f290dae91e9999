// Bundles the extension host code, the CLI and the webview scripts.
// Type-checking is separate (`npm run check-types`): esbuild does not type-check.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { extensionBundlePlugins, extensionExtraEntries } from './src/vscode/bundle/plugins.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the `$esbuild-watch` problem-matcher format. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemMatcher],
  legalComments: 'none',
  // jsonc-parser's UMD "main" loads './impl/*' through a dynamic require that esbuild cannot follow; its ESM build bundles.
  mainFields: ['module', 'main'],
};

// The extension bundle has a size budget (600 KB): see src/vscode/bundle/plugins.mjs (it adds dist/undici.js).
const extensionEntry = {
  ...common,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  plugins: [problemMatcher, ...extensionBundlePlugins()],
};
const entries = [
  extensionEntry,
  ...extensionExtraEntries(extensionEntry),
  // The validation worker (worker_threads): parsing, validation, UI conversion and the graph panel's drawings off the
  // extension host's thread. No lazy plugins here: dagre (the graph's automatic layout) is bundled into it directly.
  { ...common, entryPoints: ['src/vscode/language/worker/validationWorker.ts'], outfile: 'dist/worker.js', format: 'cjs', platform: 'node', target: 'node20' },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
  { ...common, entryPoints: ['src/webview/preview/main.ts'], outfile: 'dist/webview/preview.js', format: 'iife', platform: 'browser', target: 'es2022' },
  { ...common, entryPoints: ['src/webview/graph/main.ts'], outfile: 'dist/webview/graph.js', format: 'iife', platform: 'browser', target: 'es2022' },
].filter((e) => existsSync(e.entryPoints[0]));

const contexts = await Promise.all(entries.map((e) => esbuild.context(e)));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const results = await Promise.allSettled(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (results.some((r) => r.status === 'rejected')) process.exit(1);
}
