// The check before queueing follows the server in front of it: the whole extension, activated against the mock as
// ComfyUI 0.3.64 and as 0.33, counts the errors its own validation worker published (the Problems panel it offers to
// open), with that server's rules. A bad value of a new-style COMBO is one 0.3.64 accepts and 0.33 refuses.
import '../helpers/vscode-shim/register';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { shim, vscode } from '../helpers/vscode-shim/control';
import { waitFor } from '../helpers/wait';
import type { ComfyVersion } from '../mock-comfyui/versions';
import { activationAgainstMock } from '../helpers/activatedMock';

const OBJECT_INFO = path.join(__dirname, '..', 'fixtures', 'workflow', 'object_info.json');

/** A valid graph but for ResizeV3's method, a ["COMBO", {"options": […]}] input. */
const PROMPT = {
  '1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sd15.safetensors' } },
  '2': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
  '3': { class_type: 'VAEDecode', inputs: { samples: ['2', 0], vae: ['1', 2] } },
  '4': { class_type: 'ResizeV3', inputs: { image: ['3', 0], method: 'lanczos', scale: 1 } },
  '5': { class_type: 'SaveImage', inputs: { images: ['4', 0], filename_prefix: 'local-check' } },
};

const start = activationAgainstMock();

async function queueOn(comfyVersion: ComfyVersion): Promise<{ outcome: { promptIds: string[]; stopped?: string }; warning?: string; errors: number }> {
  const { services } = await start({ objectInfo: OBJECT_INFO, comfyVersion });
  const doc = await shim.showDocument(JSON.stringify(PROMPT, null, 2), { path: '/workspace/local-check.json' });
  shim.state.respond = () => undefined; // dismiss the warning, if any: nothing is queued then
  const outcome = (await vscode.commands.executeCommand('comfyui.queueWorkflow')) as { promptIds: string[]; stopped?: string };
  const warning = shim.state.messages.find((m) => m.items.includes('Queue Anyway'))?.message;
  const errors = (services.diagnostics.collection.get(doc.uri) ?? []).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
  return { outcome, ...(warning !== undefined ? { warning } : {}), errors };
}

test('ComfyUI 0.3.64 does not check new-style COMBO values: no local warning, the prompt is queued', async () => {
  const r = await queueOn('0.3.64');
  assert.equal(r.warning, undefined);
  assert.equal(r.errors, 0);
  assert.equal(r.outcome.promptIds.length, 1);
});

test('ComfyUI 0.33 refuses the value: the warning counts the errors the Problems panel shows', async () => {
  const r = await queueOn('0.33');
  assert.deepEqual(r.outcome, { promptIds: [], stopped: 'local-problems' });
  assert.equal(r.errors, 1);
  assert.match(r.warning ?? '', /local-check\.json has 1 problem\(s\) the server will likely reject/);
});

test('a missing class the server lists as replaced: flagged before queueing, and 0.33’s bare 500 is explained by the node that caused it', async () => {
  const { services } = await start({ objectInfo: OBJECT_INFO, comfyVersion: '0.33' });
  await waitFor(() => services.store.current?.nodeReplacements !== undefined, { message: 'definitions and node replacements from the server' });
  const prompt = { ...PROMPT, '4': { ...PROMPT['4'], inputs: { ...PROMPT['4'].inputs, method: 'bilinear' } } };
  const withGone = { ...prompt, '6': { class_type: 'T2IAdapterLoader', inputs: { t2i_adapter_name: 'a.safetensors' } } };
  const doc = await shim.showDocument(JSON.stringify(withGone, null, 2), { path: '/workspace/replaced.json' });
  shim.state.respond = (m) => (m.items.includes('Queue Anyway') ? 'Queue Anyway' : undefined);
  const outcome = (await vscode.commands.executeCommand('comfyui.queueWorkflow')) as { promptIds: string[]; stopped?: string };
  assert.deepEqual(outcome, { promptIds: [], stopped: 'server-rejected' });
  const local = (services.diagnostics.collection.get(doc.uri) ?? []).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
  assert.deepEqual(
    local.map((d) => (typeof d.code === 'object' ? d.code.value : d.code)),
    ['missing_node_type'],
  );
  assert.match(local[0]!.message, /T2IAdapterLoader.*ControlNetLoader/);
  assert.ok(
    shim.state.messages.some((m) => m.items.includes('Queue Anyway')),
    'the local check warned first',
  );
  assert.match(
    shim.lastMessage()!.message,
    /^Node 6 uses T2IAdapterLoader, which this server does not have but lists as replaced by ControlNetLoader; .*Server got itself in trouble/,
  );
});
