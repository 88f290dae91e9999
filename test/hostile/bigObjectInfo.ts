// Issue 13, deliver 7: a 100 MB /object_info (real servers with hundreds of custom node packs reach that). The
// generator builds one in the shape a real server sends (packs of classes with tooltips, INT/FLOAT/STRING options,
// small combos and, on every tenth class, a loader with a long list of model files); `measureBigObjectInfo` serves
// it from the mock server (a child process, so serving it costs this process nothing) and runs the extension through
// the vscode shim: connect, fetch, cache, first diagnostics of a workflow, a re-validation after an edit, a reconnect
// (fetched again), and an offline start from the cache. It reports the longest block of this thread's event loop in
// each phase, the time to first diagnostics and the peak memory. Used by bench/cases/bigObjectInfo.ts (e5) and
// test/hostile/bigObjectInfo.test.ts (a generous ceiling).
import '../helpers/vscode-shim/register';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { shim } from '../helpers/vscode-shim/control';
import { Uri } from '../helpers/vscode-shim/base';
import { ShimTextDocument } from '../helpers/vscode-shim/document';
import * as vscode from '../helpers/vscode-shim/index';
import { activateExtension, type ActivatedExtension } from '../helpers/activation';

const REPO = path.resolve(__dirname, '..', '..');

/** The name of the generated class `i` (every tenth one, from 0, is a loader). */
const className = (i: number): string => `Pack${String(Math.floor(i / 40)).padStart(3, '0')}Node${String(i).padStart(5, '0')}`;

/** The file name that the workflow of `bigObjectInfoWorkflow` uses and the server does not list (its one error). */
export const MISSING_MODEL = 'pack_0/checkpoints/not_on_this_server.safetensors';

/** An API prompt using two of the generated classes (a loader and a sampler), with one error: MISSING_MODEL. */
export function bigObjectInfoWorkflow(): string {
  return JSON.stringify(
    {
      '1': { class_type: className(0), inputs: { ckpt_name: MISSING_MODEL, mode: 'default' } },
      '2': { class_type: className(9), inputs: { model: ['1', 0], seed: 1, steps: 20, cfg: 7, text: 'a cat', sampler_name: 'euler' } },
    },
    null,
    2,
  );
}

/** An /object_info of about `targetBytes` bytes, as JSON text. */
function bigObjectInfo(targetBytes = 100 * 1024 * 1024): { text: string; classes: number } {
  const members: string[] = [];
  let bytes = 2;
  const models = (pack: number, n: number): string[] =>
    Array.from({ length: n }, (_, i) => `pack_${pack}/checkpoints/sdxl/model_${String(i).padStart(5, '0')}_v${i % 7}.safetensors`);
  for (let i = 0; bytes < targetBytes; i++) {
    const pack = Math.floor(i / 40);
    const name = className(i);
    const isLoader = i % 10 === 0;
    const tip = (what: string) => `The ${what} of ${name}. ${'Longer explanations of what this input does are common in custom node packs. '.repeat(2)}`;
    const required: Record<string, unknown> = isLoader
      ? {
          ckpt_name: [models(pack, 1500), { tooltip: tip('checkpoint') }],
          mode: [['default', 'fast', 'quality', 'lowvram', 'highvram'], { default: 'default', tooltip: tip('mode') }],
        }
      : {
          model: ['MODEL', { tooltip: tip('model') }],
          seed: ['INT', { default: 0, min: 0, max: 18446744073709551615, control_after_generate: true, tooltip: tip('seed') }],
          steps: ['INT', { default: 20, min: 1, max: 10000, tooltip: tip('step count') }],
          cfg: ['FLOAT', { default: 8.0, min: 0.0, max: 100.0, step: 0.1, round: 0.01, tooltip: tip('guidance') }],
          text: ['STRING', { multiline: true, dynamicPrompts: true, tooltip: tip('prompt') }],
          sampler_name: [['euler', 'euler_ancestral', 'heun', 'dpm_2', 'dpmpp_2m', 'dpmpp_sde', 'ddim', 'uni_pc'], { tooltip: tip('sampler') }],
        };
    const def = {
      input: {
        required,
        optional: isLoader ? {} : { mask: ['MASK', { tooltip: tip('mask') }], strength: ['FLOAT', { default: 1.0, min: 0, max: 10, step: 0.01 }] },
        hidden: { unique_id: 'UNIQUE_ID', prompt: 'PROMPT' },
      },
      input_order: { required: Object.keys(required), optional: isLoader ? [] : ['mask', 'strength'] },
      output: isLoader ? ['MODEL', 'CLIP', 'VAE'] : ['LATENT', 'IMAGE'],
      output_is_list: isLoader ? [false, false, false] : [false, false],
      output_name: isLoader ? ['MODEL', 'CLIP', 'VAE'] : ['LATENT', 'IMAGE'],
      name,
      display_name: `${isLoader ? 'Load' : 'Process'} ${name} (pack ${pack})`,
      description: `A node of custom pack ${pack}. ${'It does something useful to the latent or the image. '.repeat(3)}`,
      python_module: `custom_nodes.comfyui-pack-${pack}`,
      category: `pack_${pack}/${isLoader ? 'loaders' : 'sampling'}`,
      output_node: !isLoader && i % 10 === 9,
      output_tooltips: isLoader ? ['The model.', 'The CLIP model.', 'The VAE.'] : ['The latent.', 'The image.'],
    };
    const member = `${JSON.stringify(name)}:${JSON.stringify(def)}`;
    members.push(member);
    bytes += member.length + 1;
  }
  return { text: `{${members.join(',')}}`, classes: members.length };
}

/** Writes the generated /object_info to `file` from a child process (its 100 MB of strings never load this heap). */
function writeBigObjectInfo(file: string, targetBytes: number): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', __filename, '--generate', file, String(targetBytes)], { cwd: REPO, encoding: 'utf8' });
  return Number(out.trim().split('\n').at(-1));
}

// The child of writeBigObjectInfo: `node --import tsx bigObjectInfo.ts --generate <file> <bytes>`.
if (require.main === module && process.argv[2] === '--generate') {
  const g = bigObjectInfo(Number(process.argv[4]));
  writeFileSync(process.argv[3]!, g.text);
  process.stdout.write(`${g.classes}\n`);
}

export interface BigObjectInfoFigures {
  objectInfoMB: number;
  classes: number;
  /** Activation → the workflow's diagnostics from the server's definitions (connect, fetch, parse, validate). */
  timeToFirstDiagnosticsMs: number;
  /** Longest block of this thread's event loop per phase (ms). */
  longestBlockMs: { connect: number; revalidate: number; refresh: number; cacheStart: number };
  /** Offline start → diagnostics from the cached definitions. */
  cacheTimeToFirstDiagnosticsMs: number;
  /** Noise floor: the same probe while nothing happens. */
  idleFloorMs: number;
  peakRssMB: number;
  peakHeapUsedMB: number;
}

/** Runs the phases; `targetBytes` sets the size of the generated /object_info. */
export async function measureBigObjectInfo(targetBytes = 100 * 1024 * 1024, log: (line: string) => void = () => {}): Promise<BigObjectInfoFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'big-object-info-'));
  const storage = path.join(dir, 'storage');
  const file = path.join(dir, 'object_info.json');
  const classes = writeBigObjectInfo(file, targetBytes);
  const objectInfoMB = Math.round((statSync(file).size / 1024 / 1024) * 10) / 10;
  log(`generated ${objectInfoMB} MB, ${classes} classes`);
  const memory = peakMemory();
  let mock: { child: ChildProcess; url: string } | undefined;
  let ext: ActivatedExtension | undefined;
  try {
    mock = await startMock(file, dir);
    log(`mock at ${mock.url}`);
    const docText = bigObjectInfoWorkflow();
    const hasError = (doc: vscode.TextDocument) => shim.diagnostics(doc).some((d) => d.message.includes(MISSING_MODEL));

    // 0. Warm-up (not measured): module loading and compilation, the worker's start-up, with no server.
    shim.reset();
    const warm = activateExtension({ settings: { 'comfyui.serverUrl': 'http://127.0.0.1:9', 'comfyui.validation.debounceMs': 0 } });
    const warmDoc = new ShimTextDocument(Uri.file(path.join(dir, 'warm.json')), 'json', docText);
    vscode.addDocument(warmDoc);
    await warm.services.diagnostics.validateNow(warmDoc as never);
    warm.deactivate();
    collectGarbage();

    // 1. Connect, fetch, cache and first diagnostics (an open workflow document waits for the definitions).
    shim.reset();
    let doc!: ShimTextDocument;
    const started = performance.now();
    let firstDiagnostics = 0;
    const connect = await longestBlock(async () => {
      ext = activateExtension({ settings: { 'comfyui.serverUrl': mock!.url, 'comfyui.validation.debounceMs': 0 }, globalStorageDir: storage });
      doc = new ShimTextDocument(Uri.file(path.join(dir, 'workflow.json')), 'json', docText);
      vscode.addDocument(doc);
      await until(() => hasError(doc), 600_000);
      firstDiagnostics = performance.now() - started;
      await until(() => existsSync(ext!.services.store.cacheFile(ext!.services.connection.displayUrl)), 600_000);
    });
    log(`connect: first diagnostics after ${Math.round(firstDiagnostics)} ms, longest block ${Math.round(connect)} ms`);

    // 2. Re-validation after an edit.
    const revalidate = await longestBlock(async () => {
      const contentChanges = doc.applyEdits([{ range: new vscode.Range(doc.positionAt(1), doc.positionAt(1)), newText: ' ' }]);
      vscode.state.events.changeDoc.fire({ document: doc, contentChanges, reason: undefined });
      await ext!.services.diagnostics.validateNow(doc as never);
      await until(() => hasError(doc), 600_000);
    });
    log(`revalidate: longest block ${Math.round(revalidate)} ms`);
    collectGarbage();

    // 3. Refresh Node Definitions (what a reconnect does too): fetched again, cached again, re-validated.
    const before = ext!.services.store.current;
    const reconnect = await longestBlock(async () => {
      await vscode.commands.executeCommand('comfyui.refreshNodeDefinitions');
      await until(() => ext!.services.store.current !== before && ext!.services.store.current?.source === 'server', 600_000);
      await ext!.services.diagnostics.validateNow(doc as never);
      await until(() => hasError(doc), 600_000);
    });
    await until(() => existsSync(ext!.services.store.cacheFile(ext!.services.connection.displayUrl)), 600_000);
    log(`refresh: longest block ${Math.round(reconnect)} ms`);
    ext!.context.disposeKeepingStorage();
    await ext!.services.store.dispose();
    shim.reset();
    ext = undefined;
    collectGarbage();

    // 4. Offline start: the definitions come from the cache.
    const url = mock.url;
    stopMock(mock);
    mock = undefined;
    let cacheFirst = 0;
    const cacheStart = await longestBlock(async () => {
      const t0 = performance.now();
      ext = activateExtension({ settings: { 'comfyui.serverUrl': url, 'comfyui.validation.debounceMs': 0 }, globalStorageDir: storage });
      doc = new ShimTextDocument(Uri.file(path.join(dir, 'workflow.json')), 'json', docText);
      vscode.addDocument(doc);
      await until(() => hasError(doc), 600_000);
      cacheFirst = performance.now() - t0;
    });
    log(`cache start: first diagnostics after ${Math.round(cacheFirst)} ms, longest block ${Math.round(cacheStart)} ms`);
    const idleFloorMs = await longestBlock(() => new Promise((r) => setTimeout(r, 2000)));
    const peak = memory.stop();
    return {
      objectInfoMB,
      classes,
      timeToFirstDiagnosticsMs: Math.round(firstDiagnostics),
      longestBlockMs: { connect: round(connect), revalidate: round(revalidate), refresh: round(reconnect), cacheStart: round(cacheStart) },
      cacheTimeToFirstDiagnosticsMs: Math.round(cacheFirst),
      idleFloorMs: round(idleFloorMs),
      peakRssMB: Math.round(peak.rss / 1024 / 1024),
      peakHeapUsedMB: Math.round(peak.heapUsed / 1024 / 1024),
    };
  } finally {
    memory.stop();
    if (ext) {
      const e: ActivatedExtension = ext;
      const store = e.services.store;
      e.context.disposeKeepingStorage();
      await store.dispose();
      e.deactivate();
    }
    if (mock) stopMock(mock);
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** A full collection between phases when the process allows it (`npm run bench` runs with --expose-gc), so one
 * phase's garbage is not collected inside the next one's window. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The mock server in a child process, serving `objectInfoFile` as /object_info. */
async function startMock(objectInfoFile: string, dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(REPO, 'test', 'mock-comfyui', 'main.ts'),
      '--port',
      '0',
      '--object-info',
      objectInfoFile,
      '--data-dir',
      path.join(dataDir, 'mock'),
    ],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=4096' } },
  );
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the mock server exited (${code}): ${out}`)));
  });
  return { child, url };
}

function stopMock(mock: { child: ChildProcess }): void {
  mock.child.kill();
}

/** Highest rss and heapUsed seen, sampled every 20 ms. */
function peakMemory(): { stop(): { rss: number; heapUsed: number } } {
  const peak = { rss: 0, heapUsed: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
  };
  const timer = setInterval(sample, 20);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { ...peak };
    },
  };
}

/** The longest time the event loop was blocked while `fn` ran (a 2 ms timer-lag probe plus the loop-delay histogram). */
export async function longestBlock(fn: () => Promise<void>): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 2 });
  h.enable();
  let last = performance.now();
  let lag = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    lag = Math.max(lag, now - last - 2);
    last = now;
  }, 2);
  try {
    await fn();
    await new Promise((r) => setTimeout(r, 10));
  } finally {
    clearInterval(probe);
    h.disable();
  }
  return Math.max(lag, h.max / 1e6 - 2);
}
