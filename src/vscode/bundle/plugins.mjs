// esbuild plugins and entries for the extension (used by esbuild.mjs). They keep dist/extension.js, the file VS Code
// loads at activation, within its budget (≤ 600 KB minified) without changing behaviour:
// - `undici` resolves to ./undiciLazy.js, which loads dist/undici.js (built from ./undiciSlim.js: only `request`
//   and `WebSocket`, not the whole package) on the first request or socket;
// - `@dagrejs/dagre` (the graph view's automatic layout) resolves to ./dagreLazy.js, which loads dist/dagre.js on
//   the first automatic layout on the host — only the graph panel's fallback when no worker can start: the panel
//   draws in dist/worker.js, whose entry (esbuild.mjs) does not use these plugins and bundles dagre directly;
// - undici's HTTP parser (llhttp, WebAssembly) ships as two .wasm files next to the bundle instead of two base64
//   strings inside it (140 KB of JavaScript); they are read on first use, exactly when undici needs them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** In dist/extension.js: `undici` → the lazy stand-in; its `require('./undici.js')` stays a runtime require. */
const lazyUndici = {
  name: 'undici-lazy',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: path.join(here, 'undiciLazy.js') }));
    build.onResolve({ filter: /^\.\/undici\.js$/ }, (args) => (args.importer.endsWith('undiciLazy.js') ? { path: './undici.js', external: true } : undefined));
  },
};

/** In dist/extension.js: `@dagrejs/dagre` → the lazy stand-in; its `require('./dagre.js')` stays a runtime require. */
const lazyDagre = {
  name: 'dagre-lazy',
  setup(build) {
    build.onResolve({ filter: /^@dagrejs\/dagre$/ }, () => ({ path: path.join(here, 'dagreLazy.js') }));
    build.onResolve({ filter: /^\.\/dagre\.js$/ }, (args) => (args.importer.endsWith('dagreLazy.js') ? { path: './dagre.js', external: true } : undefined));
  },
};

const wasmBesideBundle = {
  name: 'llhttp-wasm-files',
  setup(build) {
    const outfile = build.initialOptions.outfile;
    const outdir = build.initialOptions.outdir ?? path.dirname(outfile);
    build.onLoad({ filter: /undici[\\/]lib[\\/]llhttp[\\/]llhttp(_simd)?-wasm\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const base64 = /wasmBase64\s*=\s*'([A-Za-z0-9+/=]+)'/.exec(source)?.[1];
      if (!base64) return undefined; // unknown layout: keep the original module
      const name = `${path.basename(args.path, '.js').replace('-wasm', '')}.wasm`;
      mkdirSync(outdir, { recursive: true });
      writeFileSync(path.join(outdir, name), Buffer.from(base64, 'base64'));
      return {
        loader: 'js',
        contents: `'use strict';\nmodule.exports = require('node:fs').readFileSync(require('node:path').join(__dirname, ${JSON.stringify(name)}));\n`,
      };
    });
  },
};

export function extensionBundlePlugins() {
  return [lazyUndici, lazyDagre];
}

/** The extra entries: dist/undici.js and dist/dagre.js next to dist/extension.js (same options otherwise). */
export function extensionExtraEntries(extensionEntry) {
  const outdir = path.dirname(extensionEntry.outfile);
  return [
    {
      ...extensionEntry,
      entryPoints: [path.join(here, 'undiciSlim.js')],
      outfile: path.join(outdir, 'undici.js'),
      external: [],
      plugins: [...(extensionEntry.plugins ?? []).filter((p) => p.name !== 'undici-lazy' && p.name !== 'dagre-lazy'), wasmBesideBundle],
    },
    {
      ...extensionEntry,
      entryPoints: [path.join(here, 'dagreEntry.js')],
      outfile: path.join(outdir, 'dagre.js'),
      external: [],
      plugins: (extensionEntry.plugins ?? []).filter((p) => p.name !== 'undici-lazy' && p.name !== 'dagre-lazy'),
    },
  ];
}
