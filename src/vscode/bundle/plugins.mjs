// esbuild plugins for dist/extension.js (used by esbuild.mjs). They keep the extension bundle within its budget
// (≤ 600 KB minified) without changing behaviour:
// - `undici` resolves to ./undiciSlim.js: only `request` and `WebSocket`, not the whole package;
// - undici's HTTP parser (llhttp, WebAssembly) ships as two .wasm files next to the bundle instead of two base64
//   strings inside it (140 KB of JavaScript); they are read on first use, exactly when undici needs them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

const slimUndici = {
  name: 'undici-slim',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: path.join(here, 'undiciSlim.js') }));
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
  return [slimUndici, wasmBesideBundle];
}
