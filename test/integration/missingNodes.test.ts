// Missing nodes and models in the editor (activate() + vscode shim) against the mock server with ComfyUI-Manager
// and a fake Comfy Registry: the two diagnostics, the list, the code actions, the install flow and its questions.
import '../helpers/vscode-shim/register';
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shim, vscode } from '../helpers/vscode-shim/control';
import { waitFor } from '../helpers/wait';
import { startMockComfy, type MockComfy } from '../mock-comfyui/server';
import { startFakeRegistry, type FakeRegistry } from '../mock-comfyui/registry';
import { activateExtension, type ActivatedExtension } from '../helpers/activation';
import type { EditorServices } from '../../src/vscode/api';

const FIX = join(__dirname, '..', 'fixtures', 'packs');
const UI = readFileSync(join(FIX, 'missing.ui.json'), 'utf8');
const MAP = JSON.parse(readFileSync(join(FIX, 'node-map.json'), 'utf8')) as Record<string, unknown>;
const OBJECT_INFO = join(FIX, 'object_info.json');

let active: ActivatedExtension | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  active?.deactivate();
  active = undefined;
  await Promise.all(closers.splice(0).map((c) => c()));
  shim.reset();
});

async function setup(
  options: { manager?: boolean; managerModels?: Record<string, unknown>[]; assets?: boolean; registry?: FakeRegistry; nodeMap?: boolean } = {},
): Promise<{ services: EditorServices; mock: MockComfy }> {
  const mock = await startMockComfy({
    objectInfo: OBJECT_INFO,
    ...(options.manager === false
      ? {}
      : {
          manager: {
            mappings: { 'https://github.com/ltdrdata/ComfyUI-Impact-Pack': MAP['https://github.com/ltdrdata/ComfyUI-Impact-Pack'] },
            taskMs: 5,
            ...(options.managerModels ? { models: options.managerModels } : {}),
          },
        }),
    ...(options.assets ? { assets: { steps: 3, stepMs: 10, sizeBytes: 3 * 1024 * 1024 } } : {}),
  });
  closers.push(() => mock.close());
  active = activateExtension({
    settings: {
      'comfyui.serverUrl': mock.url,
      ...(options.registry ? { 'comfyui.registry.enabled': true, 'comfyui.registry.url': options.registry.url } : { 'comfyui.registry.enabled': false }),
      ...(options.nodeMap ? { 'comfyui.nodeMap': join(FIX, 'node-map.json') } : {}),
    },
    settingsLevel: 'user',
  });
  const { services } = active;
  await waitFor(() => services.store.current?.source === 'server', { message: 'definitions from the mock', timeoutMs: 10_000 });
  return { services, mock };
}

const messages = (doc: { uri: vscode.Uri }) =>
  shim
    .diagnostics(doc)
    .filter((d) => d.source === 'comfyui')
    .map((d) => d.message);

test('a missing pack and a missing model: the two diagnostics name pack, repository, version, folder and URL', async () => {
  await setup();
  const doc = await shim.showDocument(UI, { path: '/workspace/missing.ui.json' });
  const text = await waitFor(() => messages(doc).find((m) => m.includes('ltdrdata/ComfyUI-Impact-Pack')), {
    message: 'Manager’s map reached the diagnostics',
    timeoutMs: 10_000,
  });
  assert.equal(text, '"SAMLoader" is not installed on this server. It comes from ComfyUI Impact Pack (ltdrdata/ComfyUI-Impact-Pack, saved with 8.8.1).');
  assert.ok(
    messages(doc).some((m) =>
      m.startsWith(
        '"wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors" is not in models/diffusion_models on this server. Did you mean "wan/Wan2.2_I2V_High_Noise_14B_fp8_scaled.safetensors"?',
      ),
    ),
  );
});

test('Show Missing Nodes and Models lists pack, source and version; the buttons open the page and copy the command', async () => {
  await setup();
  const doc = await shim.showDocument(UI, { path: '/workspace/missing.ui.json' });
  await waitFor(() => messages(doc).some((m) => m.includes('ltdrdata')), { timeoutMs: 10_000 });
  let shown: { label: string; description?: string; detail?: string; buttons?: unknown[]; install?: boolean }[] = [];
  let quickPick: { triggerButton(item: unknown, b: unknown): void } | undefined;
  shim.state.quickPick = (items: typeof shown, options?: unknown) => {
    shown = items;
    quickPick = (options as { quickPick?: typeof quickPick } | undefined)?.quickPick;
    return undefined;
  };
  await vscode.commands.executeCommand('comfyui.showMissingNodes');
  const sam = shown.find((i) => i.label.includes('SAMLoader'))!;
  assert.equal(sam.description, 'ComfyUI Impact Pack · saved with 8.8.1');
  assert.match(sam.detail!, /^from the workflow · ltdrdata\/ComfyUI-Impact-Pack · Comfy Registry release/);
  assert.ok(shown[0]!.install, 'Manager runs: the install entry comes first');
  const model = shown.find((i) => i.label.includes('wan2.2'))!;
  assert.equal(model.description, 'models/diffusion_models');
  assert.match(model.detail!, /Did you mean/);
  quickPick!.triggerButton(sam, sam.buttons![0]);
  await waitFor(() => shim.state.openedExternal.length === 1);
  assert.equal(shim.state.openedExternal[0], 'https://github.com/ltdrdata/ComfyUI-Impact-Pack');
  quickPick!.triggerButton(sam, sam.buttons![1]);
  await waitFor(() => shim.state.clipboard === 'comfy node install comfyui-impact-pack@8.8.1');
});

test('code actions on the missing class open the page and copy the install command', async () => {
  await setup({ manager: false, nodeMap: true });
  const doc = await shim.showDocument(UI, { path: '/workspace/missing.ui.json' });
  const d = await waitFor(() => shim.diagnostics(doc).find((x) => x.message.includes('It comes from one of')), { timeoutMs: 10_000 });
  const actions = await shim.codeActions(doc, d.range);
  const titles = actions.map((a) => a.title);
  assert.ok(titles.includes('Open page of ComfyUI Impact Pack'), titles.join(' | '));
  assert.ok(titles.includes('Copy install command for KJNodes for ComfyUI'));
  const copy = actions.find((a) => a.title === 'Copy install command for ComfyUI Impact Pack')!;
  await vscode.commands.executeCommand(copy.command!.command, ...(copy.command!.arguments ?? []));
  assert.equal(shim.state.clipboard, 'comfy node install comfyui-impact-pack@8.8.1');
  await vscode.commands.executeCommand('comfyui.openPackPage', { pack: { title: 'x', repository: 'javascript:alert(1)', source: 'nodeMap' } });
  assert.deepEqual(shim.state.openedExternal, []);
});

test('Install Missing Node Packs asks once (locally, trusted), queues through Manager and says to restart', async () => {
  const { mock } = await setup();
  const doc = await shim.showDocument(UI, { path: '/workspace/missing.ui.json' });
  await waitFor(() => messages(doc).some((m) => m.includes('ltdrdata')), { timeoutMs: 10_000 });
  shim.state.respond = (m) => (m.modal ? 'Install' : undefined);
  await vscode.commands.executeCommand('comfyui.installMissingNodePacks');
  const modals = shim.state.messages.filter((m) => m.modal);
  assert.equal(modals.length, 1);
  assert.match(modals[0]!.message, /^Install 1 node pack\(s\) and 0 model\(s\) on http:\/\/127\.0\.0\.1:\d+\/? through ComfyUI-Manager\?/);
  assert.equal(mock.manager.tasks()[0]!.body.id, 'comfyui-impact-pack');
  assert.equal(mock.manager.tasks()[0]!.body.selected_version, '8.8.1');
  await waitFor(() => shim.state.messages.some((m) => /Restart the ComfyUI server/.test(m.message)), { timeoutMs: 5000 });
});

test('an untrusted workspace gets a second question naming the server; declining installs nothing', async () => {
  const { mock } = await setup();
  const doc = await shim.showDocument(UI, { path: '/workspace/missing.ui.json' });
  await waitFor(() => messages(doc).some((m) => m.includes('ltdrdata')), { timeoutMs: 10_000 });
  shim.setTrusted(false);
  shim.state.respond = (m) => (m.modal && m.items.includes('Install') ? 'Install' : undefined);
  await vscode.commands.executeCommand('comfyui.installMissingNodePacks');
  const second = shim.state.messages.filter((m) => m.modal)[1]!;
  assert.match(second.message, /^This workspace is not trusted.*Install these packs on http:\/\/127\.0\.0\.1/);
  assert.equal(mock.manager.tasks().length, 0);
});

test('without Manager, the install command says so; with the registry off, nothing is sent to it', async () => {
  const registry = await startFakeRegistry({
    nodes: {
      SAMLoader: {
        id: 'comfyui-impact-pack',
        name: 'ComfyUI Impact Pack',
        repository: 'https://github.com/ltdrdata/ComfyUI-Impact-Pack',
        latest_version: { version: '8.9.0' },
      },
    },
  });
  closers.push(() => registry.close());
  await setup({ manager: false });
  const doc = await shim.showDocument(
    JSON.stringify({ '1': { class_type: 'SAMLoader', inputs: {} }, '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } } }),
    { path: '/workspace/sam.api.json' },
  );
  await waitFor(() => messages(doc).some((m) => m.includes('does not exist on this server')), { timeoutMs: 10_000 });
  await vscode.commands.executeCommand('comfyui.installMissingNodePacks');
  assert.match(shim.lastMessage()!.message, /ComfyUI-Manager is not running on/);
  assert.deepEqual(registry.requests, [], 'registry off: nothing sent');
});

test('when the server rejects a queued prompt for a missing node type, the list is offered', async () => {
  await setup({ manager: false });
  const doc = await shim.showDocument(
    JSON.stringify(
      {
        '1': { class_type: 'SAMLoader', inputs: {} },
        '2': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
        '3': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } },
      },
      null,
      2,
    ),
    { path: '/workspace/sam.api.json' },
  );
  await waitFor(() => messages(doc).length > 0, { timeoutMs: 10_000 });
  shim.state.respond = (m) => (m.items.includes('Queue Anyway') ? 'Queue Anyway' : undefined);
  await vscode.commands.executeCommand('comfyui.queueWorkflow');
  const offer = await waitFor(() => shim.state.messages.find((m) => / lacks node types that sam\.api\.json uses\./.test(m.message)), {
    timeoutMs: 10_000,
  }).catch((e: Error) => {
    throw new Error(
      `${e.message}; messages: ${JSON.stringify(shim.state.messages)}; diags: ${JSON.stringify(vscode.languages.getDiagnostics(doc.uri).map((d: vscode.Diagnostic) => [d.source, d.code, d.message]))}`,
    );
  });
  assert.deepEqual(offer.items, ['Show Missing Nodes and Models']);
});

// A model the server does not have and nothing installed resembles (no "did you mean"), with its URL in the workflow.
const NEW_MODEL = 'brand_new_unet.safetensors';
const NEW_MODEL_URL = `https://huggingface.co/Comfy-Org/Wan_2.2_ComfyUI_Repackaged/resolve/main/split_files/diffusion_models/${NEW_MODEL}`;
const UI_NEW_MODEL = UI.split('wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors').join(NEW_MODEL);
const MANAGER_MODEL = {
  name: 'Brand new UNet',
  type: 'diffusion_model',
  base: 'Wan 2.2',
  save_path: 'diffusion_models',
  filename: NEW_MODEL,
  url: NEW_MODEL_URL,
};

async function openNewModelWorkflow(): Promise<vscode.TextDocument> {
  const doc = await shim.showDocument(UI_NEW_MODEL, { path: '/workspace/new-model.ui.json' });
  await waitFor(() => messages(doc).some((m) => m.includes('ltdrdata')) && messages(doc).some((m) => m.includes(`Download: ${NEW_MODEL_URL}`)), {
    message: 'both diagnostics',
    timeoutMs: 10_000,
  });
  return doc;
}

test('Install Missing Node Packs downloads a model through the assets API when the server has it, packs through Manager', async () => {
  const { mock } = await setup({ assets: true, managerModels: [MANAGER_MODEL] });
  await openNewModelWorkflow();
  shim.state.respond = (m) => (m.modal ? 'Install' : undefined);
  await vscode.commands.executeCommand('comfyui.installMissingNodePacks');
  const modals = shim.state.messages.filter((m) => m.modal);
  assert.equal(modals.length, 1, 'a local server in a trusted workspace: one question');
  assert.match(
    modals[0]!.message,
    /^Install 1 node pack\(s\) and 0 model\(s\) on http:\/\/127\.0\.0\.1:\d+\/? through ComfyUI-Manager, and download 1 model\(s\) through the server’s assets API\?/,
  );
  assert.match(modals[0]!.detail ?? '', new RegExp(`${NEW_MODEL} → models/diffusion_models \\(the server’s assets API\\)`));
  const requests = mock.assets.requests();
  assert.equal(requests.length, 1);
  assert.deepEqual(requests[0]!.body, { source_url: NEW_MODEL_URL, tags: ['models', 'model_type:diffusion_models', 'diffusion_models'], filename: NEW_MODEL });
  assert.deepEqual(
    mock.manager.tasks().map((t) => t.kind),
    ['install'],
    'the pack through Manager, the model not',
  );
  const done = await waitFor(() => shim.state.messages.find((m) => / downloaded 1 model\(s\)\. Refresh the node definitions to use them\./.test(m.message)), {
    timeoutMs: 10_000,
  });
  assert.deepEqual(done.items, ['Refresh Node Definitions']);
  assert.ok(existsSync(join(mock.dirs.models, 'diffusion_models', NEW_MODEL)));
});

test('without the assets API (assets off), the same model goes to ComfyUI-Manager’s model install', async () => {
  const { mock } = await setup({ managerModels: [MANAGER_MODEL] });
  await openNewModelWorkflow();
  shim.state.respond = (m) => (m.modal ? 'Install' : undefined);
  await vscode.commands.executeCommand('comfyui.installMissingNodePacks');
  const modals = shim.state.messages.filter((m) => m.modal);
  assert.match(modals[0]!.message, /^Install 1 node pack\(s\) and 1 model\(s\) on http:\/\/127\.0\.0\.1:\d+\/? through ComfyUI-Manager\?/);
  assert.deepEqual(mock.assets.requests(), [], 'the 503 server: no download request');
  assert.deepEqual(
    mock.manager
      .tasks()
      .map((t) => t.kind)
      .sort(),
    ['install', 'install-model'],
  );
  assert.equal(mock.manager.tasks().find((t) => t.kind === 'install-model')!.body.url, NEW_MODEL_URL);
  await waitFor(() => shim.state.messages.some((m) => /ComfyUI-Manager finished 2 install\(s\)/.test(m.message)), { timeoutMs: 5000 });
});

test('assets API without Manager, untrusted workspace: a second question names the server; declining downloads nothing', async () => {
  const { mock } = await setup({ manager: false, assets: true });
  await shim.showDocument(UI_NEW_MODEL, { path: '/workspace/new-model.ui.json' });
  await waitFor(() => shim.diagnostics({ uri: vscode.Uri.file('/workspace/new-model.ui.json') }).some((d) => d.message.includes(NEW_MODEL_URL)), {
    timeoutMs: 10_000,
  });
  let shown: { label: string; description?: string; install?: boolean }[] = [];
  shim.state.quickPick = (items: typeof shown) => {
    shown = items;
    return undefined;
  };
  await vscode.commands.executeCommand('comfyui.showMissingNodes');
  assert.ok(shown[0]!.install, 'no Manager, but the server downloads models: the install entry comes first');
  assert.equal(shown[0]!.description, 'models through the server’s assets API');
  shim.setTrusted(false);
  shim.state.respond = (m) => (m.modal && m.items.includes('Install') ? 'Install' : undefined);
  await vscode.commands.executeCommand('comfyui.installMissingNodePacks');
  const modals = shim.state.messages.filter((m) => m.modal);
  assert.match(modals[0]!.message, /^Download 1 model\(s\) to http:\/\/127\.0\.0\.1:\d+\/? through its assets API\?/);
  assert.match(modals[0]!.detail ?? '', /1 node pack\(s\) cannot be installed here: ComfyUI-Manager is not running on the server\./);
  assert.match(modals[1]!.message, /^This workspace is not trusted.*Download these models to http:\/\/127\.0\.0\.1:\d+\/? anyway\?/);
  assert.deepEqual(mock.assets.requests(), []);
});

// A class the server lacks that neither the workflow's records nor Manager's map (Impact Pack only) name.
const REACTOR = {
  id: 'comfyui-reactor',
  name: 'ComfyUI ReActor',
  repository: 'https://github.com/Gourieff/ComfyUI-ReActor',
  latest_version: { version: '0.6.1' },
  status: 'NodeStatusActive',
};
const REACTOR_API = JSON.stringify({
  '1': { class_type: 'ReActorFaceSwap', inputs: {} },
  '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } },
});

test('the Comfy Registry names the pack of a class nothing else knows: the diagnostic and the list say where the answer came from', async () => {
  const registry = await startFakeRegistry({ nodes: { ReActorFaceSwap: REACTOR } });
  closers.push(() => registry.close());
  await setup({ registry });
  const doc = await shim.showDocument(REACTOR_API, { path: '/workspace/reactor.api.json' });
  const text = await waitFor(() => messages(doc).find((m) => m.includes('ComfyUI ReActor')), {
    message: 'the registry’s answer reached the diagnostic',
    timeoutMs: 10_000,
  });
  assert.equal(
    text,
    '"ReActorFaceSwap" is not installed on this server. It comes from ComfyUI ReActor (Gourieff/ComfyUI-ReActor, latest 0.6.1, from the Comfy Registry).',
  );
  assert.ok(registry.requests.includes('ReActorFaceSwap'));
  assert.ok(!registry.requests.includes('PreviewImage'), 'only the missing class is sent');
  let shown: { label: string; description?: string; detail?: string }[] = [];
  shim.state.quickPick = (items: typeof shown) => {
    shown = items;
    return undefined;
  };
  await vscode.commands.executeCommand('comfyui.showMissingNodes');
  const entry = shown.find((i) => i.label.includes('ReActorFaceSwap'))!;
  assert.equal(entry.description, 'ComfyUI ReActor · latest 0.6.1');
  assert.match(entry.detail!, /^from the Comfy Registry · Gourieff\/ComfyUI-ReActor/);
});

// Another class only the registry knows: the control question of the test below.
const CONTROL = { id: 'cw-control', name: 'CW Control Pack', repository: 'https://github.com/example/cw-control', latest_version: { version: '1.0.0' } };
const CONTROL_API = JSON.stringify({
  '1': { class_type: 'CwControlNode', inputs: {} },
  '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } },
});

test('with comfyui.registry.enabled off, no request reaches the registry and the diagnostic does not mention it', async () => {
  const registry = await startFakeRegistry({ nodes: { ReActorFaceSwap: REACTOR, CwControlNode: CONTROL } });
  closers.push(() => registry.close());
  await setup();
  // The URL is configured, only the switch is off.
  shim.setConfig('comfyui.registry.url', registry.url, 'user');
  const doc = await shim.showDocument(REACTOR_API, { path: '/workspace/reactor.api.json' });
  const text = await waitFor(() => messages(doc).find((m) => m.includes('ReActorFaceSwap')), { timeoutMs: 10_000 });
  assert.doesNotMatch(text, /Registry|ReActor \(|comes from/);
  // The control: close that file (so nothing checks it again), switch the registry on and open a workflow with another
  // class only the registry knows. Questions go out in rounds, in order, and one round's answers reach the diagnostics
  // only once the whole round is answered: a question queued while the switch was off would have gone out in the
  // control's round or an earlier one. So once the control's answer shows, the registry has heard all it ever will.
  shim.close(doc);
  shim.setConfig('comfyui.registry.enabled', true, 'user');
  const control = await shim.showDocument(CONTROL_API, { path: '/workspace/control.api.json' });
  await waitFor(() => messages(control).find((m) => m.includes('CW Control Pack')), { message: 'the control question was answered', timeoutMs: 10_000 });
  assert.deepEqual(registry.requests, ['CwControlNode']);
});
