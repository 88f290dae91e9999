// The production bundle of the extension (built here exactly as esbuild.mjs --production builds it, into a temp
// dir) stays within its 600 KB budget and still works (undici is a separate, lazily required dist/undici.js): loaded
// with the vscode shim, it connects over HTTP and WebSocket to the mock server (so the slimmed undici and the .wasm
// files beside the bundle are exercised).
import '../helpers/vscode-shim/register';
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { shim, type ShimExtensionContext } from '../helpers/vscode-shim/control';
import { activateExtension } from '../helpers/activation';
import type { EditorServices } from '../../src/vscode/api';
import { waitFor } from '../helpers/wait';
import { mockOnly, getTestServer } from '../helpers/server';

const REPO = path.resolve(__dirname, '..', '..');
const out = mkdtempSync(path.join(tmpdir(), 'comfyui-bundle-'));
after(() => rmSync(out, { recursive: true, force: true }));

async function build(): Promise<string> {
  const plugins = (await import(path.join(REPO, 'src/vscode/bundle/plugins.mjs'))) as {
    extensionBundlePlugins(): esbuild.Plugin[];
    extensionExtraEntries(entry: esbuild.BuildOptions): esbuild.BuildOptions[];
  };
  const outfile = path.join(out, 'extension.js');
  const entry: esbuild.BuildOptions = {
    entryPoints: [path.join(REPO, 'src/extension.ts')],
    outfile,
    bundle: true,
    minify: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
    mainFields: ['module', 'main'],
    legalComments: 'none',
    logLevel: 'silent',
    plugins: plugins.extensionBundlePlugins(),
  };
  await Promise.all([entry, ...plugins.extensionExtraEntries(entry)].map((e) => esbuild.build(e)));
  return outfile;
}

test('the minified extension bundle is at most 600 KB; undici, llhttp and dagre load beside it on first use', async () => {
  const file = await build();
  const size = statSync(file).size;
  assert.ok(size <= 600 * 1024, `dist/extension.js is ${size} bytes`);
  const undici = statSync(path.join(out, 'undici.js')).size;
  console.log(`# bundle sizes: extension.js ${size} B, undici.js ${undici} B (lazy), llhttp .wasm files beside them`);
  assert.ok(existsSync(path.join(out, 'llhttp_simd.wasm')));
  assert.ok(existsSync(path.join(out, 'llhttp.wasm')));
  // Loading the bundle must not pull in the HTTP stack: it is required at the first request/socket only.
  const text = readFileSync(file, 'utf8');
  assert.match(text, /require\("\.\/undici\.js"\)/);
  // Nor the graph layout library: dist/dagre.js is required at the first automatic layout.
  assert.match(text, /require\("\.\/dagre\.js"\)/);
  assert.ok(existsSync(path.join(out, 'dagre.js')), 'dist/dagre.js is built beside the bundle');
  // Names that survive minification: a property dagre uses throughout and its ranker option values.
  for (const inner of ['barycenter', 'tight-tree', 'network-simplex']) assert.ok(!text.includes(inner), `dagre's ${inner} is not in extension.js`);
});

test('the bundle activates and talks HTTP and WebSocket to the server', { skip: mockOnly('object_info fixture (10 classes)') }, async () => {
  const file = path.join(out, 'extension.js');
  if (!existsSync(file)) await build();
  const server = await getTestServer({ objectInfo: path.join(REPO, 'test/fixtures/editor/object_info.json') });
  shim.reset();
  const bundle = require(file) as { activate(c: ShimExtensionContext): EditorServices };
  const extension = activateExtension({ settings: { 'comfyui.serverUrl': server.url }, activate: (c) => bundle.activate(c) });
  try {
    const { services } = extension;
    await waitFor(() => services.store.current?.source === 'server', { timeoutMs: 10_000, message: 'definitions fetched through the bundled client' });
    assert.equal(services.connection.state, 'connected');
    assert.equal(services.store.current?.classCount, 10);
  } finally {
    extension.deactivate();
    await server.close();
  }
});
