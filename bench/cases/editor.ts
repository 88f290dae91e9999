// Editor adapter cases (src/vscode), run against the vscode shim: (e1) activate() cost in the extension host,
// (e2) the production bundle's load + activate, (e3) keystroke → updated diagnostics for the 500-node workflow
// after the debounce (parse + validate + convert to Diagnostics + publish), with the 2,093-class definitions.
// Targets from the issue: activation ≤ 50 ms, keystroke → diagnostics ≤ 50 ms.
import '../../test/helpers/vscode-shim/register';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { BenchCase } from '../run';
import type { BenchInputs } from '../inputs';
import { shim, type ShimExtensionContext } from '../../test/helpers/vscode-shim/control';
import { activate } from '../../src/extension';
import type { EditorServices } from '../../src/vscode/api';

const BUNDLE = path.resolve(__dirname, '..', '..', 'dist', 'extension.js');

/** Registers the cases; the returned function disposes the editor they keep open (its validation worker keeps the process alive). */
export async function register(cases: BenchCase[], inputs: BenchInputs): Promise<() => void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'comfyui-bench-editor-'));
  const dump = path.join(dir, 'object_info.json');
  writeFileSync(dump, inputs.objectInfoText);
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

  // Nothing listens on port 9: activation starts a connection attempt that fails in the background, as offline.
  const configure = (): void => {
    shim.reset();
    shim.setConfig('comfyui.serverUrl', 'http://127.0.0.1:9');
    shim.setConfig('comfyui.objectInfoPath', dump);
    shim.setConfig('comfyui.validation.debounceMs', 5000);
  };

  let ctx: ReturnType<typeof shim.createExtensionContext> | undefined;
  const dispose = (): void => {
    ctx?.dispose();
    ctx = undefined;
  };

  cases.push({
    case: 'e1. activate() (extension host time, no network awaited)',
    subject: {
      name: 'comfyui-workflows',
      setup: () => {
        dispose();
        configure();
        ctx = shim.createExtensionContext();
        return ctx;
      },
      run: (c) => activate(c as ShimExtensionContext),
    },
    iterations: 20,
    target: { maxMedianMs: 50 },
  });

  if (existsSync(BUNDLE)) printBundleActivation(dir);

  // e3: one activated editor with the 500-node workflow open; each iteration types one character.
  dispose();
  configure();
  ctx = shim.createExtensionContext();
  const services: EditorServices = activate(ctx);
  await services.ready;
  const doc = shim.openDocument(inputs.workflowText, { path: path.join(dir, 'big.workflow.json') });
  await services.diagnostics.validateNow(shim.asTextDocument(doc));
  const seedAt = inputs.workflowText.indexOf('"seed": ') + '"seed": '.length;
  let digit = 0;
  cases.push({
    case: `e3. keystroke → diagnostics after the debounce (${inputs.workflowNodes} nodes, parse + validate + publish)`,
    subject: {
      name: 'comfyui-workflows',
      setup: () => {
        // A one-character edit; the debounced run it schedules is replaced by the timed validateNow below.
        shim.edit(doc, seedAt, 1, String(digit++ % 10));
      },
      run: () => services.diagnostics.validateNow(shim.asTextDocument(doc)),
    },
    iterations: 30,
    target: { maxMedianMs: 50 },
  });
  return dispose;
}

/**
 * e2, measured in fresh `node` processes (not under tsx, whose loader would re-transform the bundle): the time to
 * require dist/extension.js and the time of activate(), as VS Code reports them (codeLoadingTime, activateCallTime).
 * Printed as its own line in the runner's format.
 */
function printBundleActivation(dir: string, runs = 7): void {
  const shimJs = path.join(dir, 'shim.js');
  esbuild.buildSync({
    entryPoints: [path.resolve(__dirname, '..', '..', 'test/helpers/vscode-shim/control.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: shimJs,
    logLevel: 'silent',
    define: { __dirname: JSON.stringify(path.resolve(__dirname, '..', '..', 'test/helpers/vscode-shim')) },
  });
  const script = path.join(dir, 'activate.js');
  writeFileSync(
    script,
    `const Module = require('module');
const shimMod = require(${JSON.stringify(shimJs)});
const fake = ${JSON.stringify(path.join(dir, 'vscode.js'))};
const orig = Module._resolveFilename;
Module._resolveFilename = function (r, ...a) { return r === 'vscode' ? fake : orig.call(this, r, ...a); };
require.cache[fake] = { id: fake, filename: fake, loaded: true, exports: shimMod.vscode };
const t0 = performance.now();
const ext = require(${JSON.stringify(BUNDLE)});
const t1 = performance.now();
shimMod.shim.setConfig('comfyui.serverUrl', 'http://127.0.0.1:9');
const ctx = shimMod.shim.createExtensionContext();
const t2 = performance.now();
ext.activate(ctx);
const t3 = performance.now();
console.log(JSON.stringify({ load: t1 - t0, activate: t3 - t2 }));
ctx.dispose();
process.exit(0);
`,
  );
  const load: number[] = [];
  const act: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = JSON.parse(
      execFileSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })
        .trim()
        .split('\n')
        .pop()!,
    );
    load.push(r.load);
    act.push(r.activate);
  }
  const med = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! * 1000) / 1000;
  console.log(
    JSON.stringify({
      case: 'e2a. require dist/extension.js (fresh node process; VS Code adds its V8 code cache)',
      median_ms: med(load),
      p95_ms: Math.max(...load),
      baseline: null,
      baseline_median_ms: null,
      ratio: null,
    }),
  );
  console.log(
    JSON.stringify({
      case: 'e2b. first activate() of the bundle (fresh process)',
      median_ms: med(act),
      p95_ms: Math.max(...act),
      baseline: null,
      baseline_median_ms: null,
      ratio: null,
      target: { maxMedianMs: 50 },
    }),
  );
}
