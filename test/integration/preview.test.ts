// The preview panel against the mock server: what the host posts to the webview during a real run (progress,
// live sampler frames, the gallery with cached thumbnails), hostile and huge outputs, the per-image actions, the
// commands other features call, and the state restored after a reload.
import '../helpers/vscode-shim/register';
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shim, vscode } from '../helpers/vscode-shim/control';
import { waitFor } from '../helpers/wait';
import type { ShimWebviewPanel } from '../helpers/vscode-shim/webview';
import { getTestServer, mockOnly, type TestServer } from '../helpers/server';
import { ServerConnection } from '../../src/vscode/host/connection';
import { nullLogger } from '../../src/core/util/logger';
import { registerPreviewFeatures, type PreviewFeatures } from '../../src/vscode/preview/index';
import type { PreviewSettings } from '../../src/vscode/preview/previewService';
import { applyHostMessage, type GalleryState, type HostToWebview } from '../../src/shared/previewProtocol';
import { readEmbeddedMetadata } from '../../src/core/media/embedded';

const txt2img = (steps: number, prefix = 'preview_test') => ({
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' } },
  '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a cat', clip: ['4', 1] } },
  '7': { class_type: 'CLIPTextEncode', inputs: { text: 'blurry', clip: ['4', 1] } },
  '3': {
    class_type: 'KSampler',
    inputs: {
      seed: Math.floor(Math.random() * 1e9),
      steps,
      cfg: 7,
      sampler_name: 'euler',
      scheduler: 'normal',
      denoise: 1,
      model: ['4', 0],
      positive: ['6', 0],
      negative: ['7', 0],
      latent_image: ['5', 0],
    },
    _meta: { title: 'My Sampler' },
  },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
  '9': { class_type: 'SaveImage', inputs: { filename_prefix: prefix, images: ['8', 0] } },
});
const WORKFLOW = { nodes: [{ id: 9, type: 'SaveImage' }], links: [], version: 0.4 };

let server: TestServer;
let connection: ServerConnection;
let ctx: ReturnType<typeof shim.createExtensionContext>;
let features: PreviewFeatures;
let settings: PreviewSettings;
let workspaceDir: string;

before(async () => {
  server = await getTestServer({ msPerStep: 15 });
});
after(async () => {
  await server.close();
});

beforeEach(async () => {
  shim.reset();
  ctx = shim.createExtensionContext();
  workspaceDir = mkdtempSync(join(tmpdir(), 'preview-ws-'));
  shim.state.workspaceFolders = [{ uri: vscode.Uri.file(workspaceDir), name: 'ws', index: 0 }];
  settings = { openOnRun: 'never', cacheSizeMB: 64, maxImageMB: 50, saveFolder: 'outputs' };
  connection = new ServerConnection({ logger: nullLogger, reconnect: { initialMs: 50, maxMs: 200 } });
  connection.setServer(server.url);
  await waitFor(() => connection.state === 'connected', { message: 'socket connected' });
  features = registerPreviewFeatures({
    connection,
    extensionUri: ctx.extensionUri,
    storageUri: ctx.globalStorageUri,
    log: nullLogger,
    settings: () => settings,
    liveIntervalMs: 0,
  });
});

afterEach(() => {
  features.dispose();
  connection.dispose();
  ctx.dispose();
  rmSync(workspaceDir, { recursive: true, force: true });
});

async function queue(prompt: object, withWorkflow = false): Promise<string> {
  const res = await connection.client!.queuePrompt({
    prompt: prompt as never,
    client_id: connection.clientId,
    ...(withWorkflow ? { extra_data: { extra_pnginfo: { workflow: WORKFLOW } } } : {}),
  });
  return res.prompt_id;
}

function openPanel(): ShimWebviewPanel {
  const panel = shim.state.webviewPanels.at(-1);
  assert.ok(panel, 'a webview panel was created');
  return panel;
}

/** The gallery as the page sees it: every posted message folded in (the whole state, then deltas). */
const lastState = (p: ShimWebviewPanel): GalleryState | undefined => {
  const posted = p.posted as HostToWebview[];
  if (!posted.some((m) => m.type === 'state')) return undefined;
  return posted.reduce<GalleryState>((s, m) => applyHostMessage(s, m), { title: '', status: 'idle', items: [] });
};

async function finished(p: ShimWebviewPanel, promptId: string, count = 1): Promise<GalleryState> {
  return waitFor(
    () => {
      const s = lastState(p);
      return s && s.promptId === promptId && s.status !== 'running' && s.items.length >= count && s.items.every((i) => !i.loading) ? s : undefined;
    },
    { timeoutMs: 15000, message: 'the gallery shows the finished prompt' },
  );
}

test(
  'a run: progress with step counts, live sampler frames, then the gallery with cached thumbnails',
  { skip: mockOnly('slow sampler steps with preview frames') },
  async () => {
    await vscode.commands.executeCommand('comfyui.showPreview');
    const panel = openPanel();
    assert.equal(panel.viewType, 'comfyui.preview');
    assert.match(
      panel.webview.html,
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;|default-src 'none'; img-src https:\/\/\*\.vscode-cdn\.net blob: data:; style-src https:\/\/\*\.vscode-cdn\.net; script-src 'nonce-[A-Za-z0-9+/=]{24}'/,
    );
    const roots = (panel.webview.options as { localResourceRoots: vscode.Uri[] }).localResourceRoots.map((u) => u.fsPath);
    assert.deepEqual(roots, [join(ctx.extensionUri.fsPath, 'dist', 'webview'), join(ctx.globalStorageUri.fsPath, 'preview-cache')]);
    // Nothing is posted before the page says it is ready; then it gets the current state.
    assert.equal(panel.posted.length, 0);
    panel.receive({ type: 'ready' });
    assert.deepEqual((panel.posted[0] as HostToWebview).type, 'state');

    const id = await queue(txt2img(12));
    const s = await finished(panel, id);
    assert.equal(s.status, 'success');
    const posted = panel.posted as HostToWebview[];
    const progress = posted.filter((m): m is Extract<HostToWebview, { type: 'progress' }> => m.type === 'progress');
    assert.deepEqual(progress.map((m) => m.progress && `${m.progress.value}/${m.progress.max}`).slice(0, 3), ['1/12', '2/12', '3/12']);
    assert.equal(progress.filter((m) => m.progress?.max === 12).length, 12);
    assert.equal(progress[0]!.progress!.nodeId, '3');
    // Node titles come from the queue entry, read when the prompt starts.
    assert.equal(progress.at(-1)!.progress?.nodeTitle ?? progress.at(-2)!.progress?.nodeTitle, 'My Sampler');
    const live = posted.filter((m): m is Extract<HostToWebview, { type: 'livePreview' }> => m.type === 'livePreview');
    assert.ok(live.length >= 1, 'live previews were posted');
    assert.match(live[0]!.src, /^data:image\/jpeg;base64,\/9j\//);
    assert.equal(live[0]!.nodeId, '3');
    assert.ok(
      posted.some((m) => m.type === 'clearLivePreview'),
      'the live preview is cleared when the run ends',
    );
    // The gallery: one SaveImage output, its thumbnail fetched by the host into the cache and shown via a webview URI.
    assert.equal(s.items.length, 1);
    const item = s.items[0]!;
    assert.match(item.filename, /^preview_test_\d{5}_\.png$/);
    assert.equal(item.nodeId, '9');
    assert.equal(item.kind, 'image');
    assert.equal(item.width, 64);
    assert.match(item.src!, /^https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/.*\/preview-cache\/[0-9a-f]{40}\.webp$/);
    const cacheDir = join(ctx.globalStorageUri.fsPath, 'preview-cache');
    assert.deepEqual(
      readdirSync(cacheDir).filter((n) => !/^[0-9a-f]{40}\.webp$/.test(n)),
      [],
    );
  },
);

test(
  'actions: save to the workspace, copy the path, metadata and the embedded workflow',
  { skip: mockOnly('data folder, to read the outputs it saved') },
  async () => {
    await vscode.commands.executeCommand('comfyui.showPreview');
    const panel = openPanel();
    panel.receive({ type: 'ready' });
    const id = await queue(txt2img(2, 'actions'), true);
    const item = (await finished(panel, id)).items[0]!;

    panel.receive({ type: 'action', action: 'save', itemId: item.id });
    // Wait for the file, not just the folder (Save creates the folder, checks where it really is, then copies).
    const saved = await waitFor(() =>
      existsSync(join(workspaceDir, 'outputs')) && readdirSync(join(workspaceDir, 'outputs')).length > 0
        ? readdirSync(join(workspaceDir, 'outputs'))
        : undefined,
    );
    assert.deepEqual(saved, [item.filename]);
    const bytes = new Uint8Array(readFileSync(join(workspaceDir, 'outputs', item.filename)));
    assert.deepEqual(Object.keys(readEmbeddedMetadata(bytes).texts).sort(), ['prompt', 'workflow']);

    panel.receive({ type: 'action', action: 'copyPath', itemId: item.id });
    const copied = await waitFor(() => shim.state.clipboard || undefined);
    assert.ok(existsSync(copied));
    assert.match(copied, /preview-cache[\\/][0-9a-f]{40}\.png$/);

    panel.receive({ type: 'action', action: 'showMetadata', itemId: item.id });
    const metaDoc = await waitFor(() => shim.state.documents.find((d) => d.getText().includes('"format": "png"')));
    const meta = JSON.parse(metaDoc.getText());
    assert.equal(meta.file, item.filename);
    assert.equal(meta.prompt['3'].class_type, 'KSampler');
    assert.deepEqual(meta.workflow, WORKFLOW);

    shim.state.quickPick = (items: string[]) => items.find((i) => i.startsWith('UI workflow'));
    panel.receive({ type: 'action', action: 'openWorkflow', itemId: item.id });
    const wfDoc = await waitFor(() => shim.state.documents.find((d) => d.languageId === 'json' && d.getText().startsWith('{\n  "nodes"')));
    assert.deepEqual(JSON.parse(wfDoc.getText()), WORKFLOW);

    // A message that fails the type guard, or names no item, does nothing: after them a valid Show Metadata (handled
    // in order) opens its one document, and nothing else was opened.
    const before = shim.state.documents.length;
    panel.receive({ type: 'action', action: 'eval', itemId: item.id });
    panel.receive({ type: 'action', action: 'showMetadata', itemId: 'no-such-item' });
    panel.receive({ type: 'action', action: 'showMetadata', itemId: item.id });
    await waitFor(() => shim.state.documents.length > before, { message: 'the valid Show Metadata opened its document' });
    assert.equal(shim.state.documents.length, before + 1);
  },
);

test(
  'hostile output names are fetched safely: 400/403/404 become tile errors, nothing is written outside the cache',
  { skip: mockOnly('hostileFilenames fault') },
  async () => {
    server.mock!.setFaults({ hostileFilenames: true });
    try {
      await vscode.commands.executeCommand('comfyui.showPreview');
      const panel = openPanel();
      panel.receive({ type: 'ready' });
      const id = await queue(txt2img(1, 'hostile'));
      const s = await finished(panel, id, 5);
      const byName = new Map(s.items.map((i) => [`${i.subfolder}|${i.filename}`, i]));
      const html = [...byName.values()].find((i) => i.filename.startsWith('<img src=x'))!;
      assert.ok(html.src, 'the real file with an HTML name is shown (as an image, its name as text)');
      // Not an image by its name: listed with Open/Save only; saving it asks the server, which refuses (400).
      const passwd = byName.get('|../../etc/passwd')!;
      assert.equal(passwd.kind, 'other');
      assert.equal(passwd.src, undefined);
      panel.receive({ type: 'action', action: 'save', itemId: passwd.id });
      const err = await waitFor(() => shim.state.messages.find((m) => m.level === 'error'));
      assert.match(err.message, /400/);
      assert.equal(existsSync(join(workspaceDir, 'outputs')), false);
      assert.equal(byName.get('../../..|x.png')!.error, 'The server refused this file (403).');
      assert.equal(byName.get('<b>sub</b>|<script>alert("x")</script>.png')!.error, 'The server no longer has this file (404).');
      const cacheDir = join(ctx.globalStorageUri.fsPath, 'preview-cache');
      assert.ok(readdirSync(cacheDir).every((n) => /^[0-9a-f]{40}\.webp$/.test(n)));
    } finally {
      server.mock!.setFaults({});
    }
  },
);

test('a huge image is capped and shown as an error tile, not loaded', { skip: mockOnly('hugeImage fault') }, async () => {
  settings = { ...settings, maxImageMB: 1 };
  features.dispose();
  features = registerPreviewFeatures({
    connection,
    extensionUri: ctx.extensionUri,
    storageUri: ctx.globalStorageUri,
    log: nullLogger,
    settings: () => settings,
    liveIntervalMs: 0,
  });
  server.mock!.setFaults({ hugeImage: { width: 700, height: 700 } });
  try {
    await vscode.commands.executeCommand('comfyui.showPreview');
    const panel = openPanel();
    panel.receive({ type: 'ready' });
    const id = await queue(txt2img(1, 'huge'));
    const s = await finished(panel, id);
    assert.equal(s.items[0]!.error, 'Larger than 1 MB: not previewed. Use Open or Save.');
    assert.equal(s.items[0]!.src, undefined);
  } finally {
    server.mock!.setFaults({});
  }
});

test(
  'comfyui.openOutput and comfyui.showOutputs (tree and run) open the panel on that prompt',
  { skip: mockOnly('fixture definitions and instant outputs') },
  async () => {
    const id = await queue(txt2img(1, 'tree'));
    await server.mock!.idle();
    const entry = await waitFor(() => connection.client!.getHistoryItem(id));
    const file = (entry.outputs['9']!['images'] as { filename: string; subfolder: string; type: string }[])[0]!;
    await vscode.commands.executeCommand('comfyui.openOutput', { promptId: id, nodeId: '9', file });
    const panel = openPanel();
    panel.receive({ type: 'ready' });
    const s = await finished(panel, id);
    assert.deepEqual(
      s.items.map((i) => i.filename),
      [file.filename],
    );
    assert.equal(s.status, 'success');

    await vscode.commands.executeCommand('comfyui.showOutputs', { promptId: 'other', outputs: [{ ...file, nodeId: '9' }] });
    assert.equal(shim.state.webviewPanels.length, 1, 'the one panel is reused');
    const s2 = await finished(panel, 'other');
    assert.deepEqual(
      s2.items.map((i) => i.filename),
      [file.filename],
    );
  },
);

test('after a reload the serializer restores the panel on its prompt', { skip: mockOnly('fixture definitions and instant outputs') }, async () => {
  const id = await queue(txt2img(1, 'revive'));
  await server.mock!.idle();
  await waitFor(() => connection.client!.getHistoryItem(id));
  const entry = shim.state.providers.other.find((p) => p.extra[0] === 'webviewSerializer')!;
  const panel = vscode.window.createWebviewPanel('comfyui.preview', 'ComfyUI Preview', 1, {}) as unknown as ShimWebviewPanel;
  await entry.provider.deserializeWebviewPanel(panel, { promptId: id, title: 'restored' });
  assert.match(panel.webview.html, /script-src 'nonce-/);
  panel.receive({ type: 'ready' });
  const s = await finished(panel, id);
  assert.equal(s.title, 'restored');
  assert.equal(s.items.length, 1);
});

test(
  'openOnRun "finish" opens the panel when a run of this window ends with outputs',
  { skip: mockOnly('fixture definitions and instant outputs') },
  async () => {
    settings = { ...settings, openOnRun: 'finish' };
    const id = await queue(txt2img(1, 'onrun'));
    const panel = await waitFor(() => shim.state.webviewPanels.at(-1), { timeoutMs: 10000 });
    panel.receive({ type: 'ready' });
    const s = await finished(panel, id);
    assert.equal(s.items.length, 1);
  },
);
