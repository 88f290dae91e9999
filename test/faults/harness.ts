// The fault suite's harness: the whole extension (activate() through the vscode shim) against a mock with fault
// switches, and the checks every fault must pass: one clear message at most, the editor still answers, typed text
// survives, no unhandled rejection, and no timer or socket left behind after dispose.
import '../helpers/vscode-shim/register';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shim, vscode, type ShimTextDocument } from '../helpers/vscode-shim/control';
import { waitFor } from '../helpers/wait';
import { startMockComfy, type MockComfy, type MockComfyOptions } from '../mock-comfyui/server';
import { activateExtension } from '../helpers/activation';
import type { EditorServices } from '../../src/vscode/api';
import { REPO_ROOT } from '../helpers/shared';

export { shim, vscode, waitFor };

// ---- process-level hooks: any unhandled rejection anywhere fails the scenario it happened in -------------------
export const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));
process.on('uncaughtException', (error) => unhandled.push(error));

export interface Row {
  fault: string;
  observed: string;
  pass: boolean;
}
export const rows: Row[] = [];

export function printTable(): void {
  const w0 = Math.max(5, ...rows.map((r) => r.fault.length));
  const w1 = Math.min(100, Math.max(8, ...rows.map((r) => r.observed.length)));
  const line = `+-${'-'.repeat(w0)}-+-${'-'.repeat(w1)}-+------+`;
  const cell = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  const out = [line, `| ${cell('fault', w0)} | ${cell('observed behaviour', w1)} | pass |`, line];
  for (const r of rows) out.push(`| ${cell(r.fault, w0)} | ${cell(r.observed, w1)} | ${r.pass ? ' ok ' : 'FAIL'} |`);
  out.push(line);
  const passed = rows.filter((r) => r.pass).length;
  for (const r of rows) if (!r.pass || r.observed.length > w1) out.push(`${r.pass ? 'ok  ' : 'FAIL'} ${r.fault}: ${r.observed}`);
  out.push(`${passed} passed, ${rows.length - passed} failed`);
  console.log(`\n${out.join('\n')}\n`);
}

export const TXT2IMG = {
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' } },
  '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a cat', clip: ['4', 1] } },
  '7': { class_type: 'CLIPTextEncode', inputs: { text: 'blurry', clip: ['4', 1] } },
  '3': {
    class_type: 'KSampler',
    inputs: {
      seed: 1,
      steps: 4,
      cfg: 8,
      sampler_name: 'euler',
      scheduler: 'normal',
      denoise: 1,
      model: ['4', 0],
      positive: ['6', 0],
      negative: ['7', 0],
      latent_image: ['5', 0],
    },
  },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
  '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'fault', images: ['8', 0] } },
};

export function invert(color: number, prefix = 'fault'): Record<string, unknown> {
  return {
    '1': { class_type: 'EmptyImage', inputs: { width: 16, height: 16, batch_size: 1, color } },
    '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
    '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: prefix } },
  };
}

export interface Env {
  mock: MockComfy | undefined;
  services: EditorServices;
  /** A workflow open in the editor, to prove the editor keeps working. */
  doc: ShimTextDocument;
  url: string;
  dispose(): Promise<void>;
}

let counter = 0;

/** Starts a mock (unless `down`), activates the extension against it and opens a workflow. */
export async function setUp(options: { mock?: MockComfyOptions; down?: boolean; timeoutSeconds?: number; port?: number } = {}): Promise<Env> {
  shim.reset();
  let mock: MockComfy | undefined;
  let url: string;
  if (options.down) url = `http://127.0.0.1:${options.port ?? 9}`;
  else {
    mock = await startMockComfy({ ...(options.port ? { port: options.port } : {}), ...options.mock });
    url = mock.url;
  }
  const extension = activateExtension({
    settingsLevel: 'user',
    settings: {
      'comfyui.serverUrl': url,
      'comfyui.validation.debounceMs': 0,
      ...(options.timeoutSeconds ? { 'comfyui.requestTimeoutSeconds': options.timeoutSeconds } : {}),
    },
  });
  const services = extension.services;
  const text = readFileSync(join(REPO_ROOT, 'test/fixtures/editor/txt2img.api.json'), 'utf8');
  const doc = await shim.showDocument(text, { path: `/workspace/fault${++counter}.api.json` });
  let disposed = false;
  const env: Env = {
    mock,
    services,
    doc,
    url,
    async dispose() {
      if (disposed) return;
      disposed = true;
      extension.deactivate();
      // The scenario may have replaced the mock (a restarted server): close the current one.
      await env.mock?.close();
    },
  };
  return env;
}

/** Error and warning notifications, as the user sees them. */
export function problemsShown(): { level: string; message: string }[] {
  return shim.state.messages.filter((m) => m.level !== 'info').map((m) => ({ level: m.level, message: m.message }));
}

/** A "clear message": one sentence-ish line, no HTML, no stack trace, no raw JSON. */
export function assertClear(message: string): void {
  assert.ok(message.trim().length > 0, 'empty message');
  assert.ok(message.length < 400, `too long: ${message}`);
  assert.doesNotMatch(message, /<\/?[a-z][^>]*>/i, `HTML in: ${message}`);
  assert.doesNotMatch(message, /\n\s+at /, `stack trace in: ${message}`);
  assert.doesNotMatch(message, /^\s*[{[]/, `raw JSON in: ${message}`);
}

/** The editor still answers while the server misbehaves, and what was typed is still there. */
export async function assertEditorWorks(env: Env): Promise<void> {
  const marker = `typed-${Date.now()}`;
  const at = env.doc.getText().indexOf('"a cat"') + 1;
  assert.ok(at > 0);
  shim.edit(env.doc, at, 0, marker);
  const completion = await shim.completion(env.doc, env.doc.positionAt(env.doc.getText().indexOf('"class_type"') + 1));
  assert.ok(Array.isArray(completion.items), 'completion answered');
  await shim.hover(env.doc, env.doc.positionAt(env.doc.getText().indexOf('KSampler') + 2));
  assert.ok(env.doc.getText().includes(marker), 'typed text kept');
  assert.ok(env.services.documents.get(shim.asTextDocument(env.doc)).isWorkflow, 'still a workflow');
}

/** Node's view of live handles, reduced to the kinds a leak would show. */
function liveResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) if (r === 'Timeout' || r === 'TCPSocketWrap' || r === 'TCPServerWrap') counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

export function resourceBaseline(): Record<string, number> {
  return liveResources();
}

/** After dispose: every timer and socket the scenario created is gone (closing sockets may take a moment). */
export async function assertNoLeaks(baseline: Record<string, number>): Promise<void> {
  let last: Record<string, number> = {};
  try {
    await waitFor(
      () => {
        last = liveResources();
        return Object.entries(last).every(([k, n]) => n <= (baseline[k] ?? 0)) || undefined;
      },
      { timeoutMs: 5000 },
    );
  } catch {
    assert.fail(`leaked handles after dispose: ${JSON.stringify(last)} (baseline ${JSON.stringify(baseline)})`);
  }
}

export function assertNoUnhandled(): void {
  const seen = unhandled.splice(0);
  assert.deepEqual(
    seen.map((e) => (e instanceof Error ? e.message : String(e))),
    [],
    'unhandled rejections',
  );
}

/** Queues the active document through the real command; returns the prompt ids. */
export async function queueDoc(doc: ShimTextDocument): Promise<string[]> {
  const outcome = (await vscode.commands.executeCommand('comfyui.queueWorkflow', doc.uri)) as { promptIds: string[]; stopped?: string };
  return outcome.promptIds;
}

/** The run's outcome notification ("<file>: finished …" / "… failed" / "… interrupted"). */
export function runOutcome(fileName: string): string | undefined {
  return shim.state.messages.find((m) => m.message.startsWith(`${fileName}:`) || m.message.startsWith(`${fileName} `))?.message;
}

/** Runs one scenario: the common checks around `body`, a table row either way. */
export async function scenario(fault: string, options: Parameters<typeof setUp>[0], body: (env: Env) => Promise<string>): Promise<void> {
  const baseline = resourceBaseline();
  unhandled.splice(0);
  let observed = '';
  let env: Env | undefined;
  try {
    env = await setUp(options);
    observed = await body(env);
    const shown = problemsShown();
    assert.ok(shown.length <= 1, `more than one message: ${JSON.stringify(shown)}`);
    for (const m of shown) assertClear(m.message);
    await assertEditorWorks(env);
    await env.dispose();
    await assertNoLeaks(baseline);
    assertNoUnhandled();
    rows.push({ fault, observed, pass: true });
  } catch (error) {
    rows.push({ fault, observed: `${observed ? `${observed}; ` : ''}${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, pass: false });
    throw error;
  } finally {
    await env?.dispose();
  }
}
