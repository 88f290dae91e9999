// Server info, Free Memory, the model-metadata hover (real safetensors headers written into the mock's models
// folder) and `embedding:` completion, against the mock server.
import '../helpers/vscode-shim/register';
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shim, vscode } from '../helpers/vscode-shim/control';
import { getTestServer, mockOnly, type TestServer } from '../helpers/server';
import { ComfyClient } from '../../src/core/comfy/client';
import { prepareNodeDefs, type NodeDefs } from '../../src/core/workflow/nodeDefs';
import { nullLogger } from '../../src/core/util/logger';
import { WorkflowDocuments } from '../../src/vscode/host/workflowDocuments';
import { registerServerInfoFeatures, SERVER_INFO_SCHEME } from '../../src/vscode/serverInfo/index';
import { EmbeddingCompletionProvider, embeddingPrefix } from '../../src/vscode/language/embeddingCompletion';
import { ModelMetadataHoverProvider } from '../../src/vscode/language/modelHover';
import { extensionPacks, serverInfoMarkdown } from '../../src/vscode/serverInfo/serverInfoMarkdown';
import { WORKFLOW_SELECTOR } from '../../src/vscode/host/index';

/** A real safetensors file: u64 LE header length, JSON header with `__metadata__` (string values), tensor bytes. */
function safetensors(metadata: Record<string, string> | undefined): Buffer {
  const header: Record<string, unknown> = { 'lora_unet_down.weight': { dtype: 'F16', shape: [2, 2], data_offsets: [0, 8] } };
  if (metadata) header.__metadata__ = metadata;
  let json = Buffer.from(JSON.stringify(header));
  json = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, Buffer.alloc(8)]);
}

const KOHYA = {
  ss_base_model_version: 'sdxl_base_v1-0',
  ss_resolution: '(1024, 1024)',
  ss_network_module: 'networks.lora',
  ss_network_dim: '16',
  ss_output_name: 'pixel_style',
  'modelspec.trigger_phrase': 'pxl_style',
  ss_tag_frequency: JSON.stringify({ '10_pixel': { 'pixel art': 50, sprite: 12 } }),
};

let server: TestServer;
let client: ComfyClient;
let defs: NodeDefs;
let disposables: { dispose(): unknown }[] = [];
let documents: WorkflowDocuments;
const serverChanged = new vscode.EventEmitter<unknown>();

before(async () => {
  server = await getTestServer({
    models: { checkpoints: ['v1-5-pruned-emaonly.safetensors'], loras: ['plain.safetensors'], embeddings: ['easynegative.safetensors', 'bad"name.pt'] },
  });
  if (server.mock) {
    writeFileSync(join(server.mock.dirs.models, 'loras', 'pixel.safetensors'), safetensors(KOHYA));
    writeFileSync(join(server.mock.dirs.models, 'loras', 'bare.safetensors'), safetensors(undefined));
  }
  client = new ComfyClient({ baseUrl: server.url });
  defs = prepareNodeDefs(await client.getObjectInfo());
});
after(async () => {
  await server.close();
});
beforeEach(() => {
  shim.reset();
  documents = new WorkflowDocuments({ include: [], exclude: [] });
  const hover = new ModelMetadataHoverProvider(documents, () => client, serverChanged.event);
  const embeddings = new EmbeddingCompletionProvider(
    documents,
    () => client,
    () => defs,
    serverChanged.event,
  );
  disposables = [
    documents,
    hover,
    embeddings,
    vscode.languages.registerHoverProvider(WORKFLOW_SELECTOR, hover),
    vscode.languages.registerCompletionItemProvider(WORKFLOW_SELECTOR, embeddings, ':'),
    ...registerServerInfoFeatures({ connection: { client, displayUrl: client.displayUrl, onDidChangeServer: serverChanged.event }, log: nullLogger }),
  ];
});
afterEach(() => {
  for (const d of disposables) d.dispose();
});

test('Show Server Info: versions, devices with VRAM/RAM, node packs and features in a read-only Markdown document', async () => {
  const md = await vscode.commands.executeCommand<string>('comfyui.showServerInfo');
  const doc = shim.state.documents.find((d) => d.uri.scheme === SERVER_INFO_SCHEME)!;
  assert.ok(doc);
  assert.equal(doc.getText(), md);
  assert.equal(doc.languageId, 'markdown');
  assert.ok(shim.state.executed.some((e) => e.command === 'markdown.showPreview'));
  // The mock serves 0.33 by default (its /system_stats says 0.33.0); the escaper no longer escapes dots.
  assert.match(md, /\| ComfyUI \| 0\.33\.0 \|/);
  assert.match(md, /\| PyTorch \| /);
  assert.match(md, /\| RAM \| [\d.]+ GB free of [\d.]+ GB \(\d+% used\) \|/);
  assert.match(md, /## Devices\n\n- \*\*cpu\*\* \(cpu\): VRAM /);
  assert.match(md, /## Custom node packs\n\n_None with web extensions/);
  assert.match(md, /- supports\\_preview\\_metadata: true/);
  assert.match(md, /- max\\_upload\\_size: 100 MB/);
});

test('server info from partial answers (no /features on old servers) and hostile strings', () => {
  const md = serverInfoMarkdown(
    'http://h',
    {
      ok: true,
      value: {
        system: { os: 'nt', comfyui_version: '<b>1</b>', ram_total: 2 * 1024 ** 3, ram_free: 1024 ** 3 },
        devices: [{ name: 'cuda:0 NVIDIA <i>', type: 'cuda', index: 0, vram_total: 8 * 1024 ** 3, vram_free: 2 * 1024 ** 3 }],
      },
    },
    { ok: true, value: ['/extensions/core/x.js', '/extensions/ComfyUI-Manager/a.js', '/extensions/ComfyUI-Manager/b.js', '/extensions/rgthree-comfy/c.js'] },
    { ok: false, error: 'The server answered 404 Not Found for GET /features.' },
  );
  assert.match(md, /\| ComfyUI \| \\<b\\>1\\<\/b\\> \|/);
  assert.match(md, /\| OS \| Windows \|/);
  assert.match(md, /VRAM 2 GB free of 8 GB \(75% used\)/);
  assert.match(md, /- ComfyUI-Manager \(2 scripts\)\n- rgthree-comfy \(1 script\)/);
  assert.match(md, /_Unavailable \(servers before mid-2025 have no \/features\): /);
  // Issue 13, finding 14: a non-string `os` and markdown in the arguments cannot break the document.
  const odd = serverInfoMarkdown(
    'http://h',
    { ok: true, value: { system: { os: 5 as unknown as string, argv: ['main.py', '`` [x](https://evil.example) |'] }, devices: [] } },
    { ok: true, value: [] },
    { ok: true, value: {} },
  );
  assert.match(odd, /\| OS \| \? \|/);
  assert.match(odd, /\| Arguments \| ``` `` \[x\]\(https:\/\/evil\.example\) \\\| ``` \|/);
  assert.deepEqual(extensionPacks(['/extensions/core/a.js', 'x']), []);
});

test('Free Memory posts /free', async () => {
  const r = await vscode.commands.executeCommand('comfyui.freeMemory');
  assert.deepEqual(r, { unloadModels: true, freeMemory: true });
  assert.match(shim.lastMessage()!.message, /unload its models/);
});

const loraDoc = (name: string) =>
  shim.openDocument(
    JSON.stringify(
      {
        '1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' } },
        '2': { class_type: 'LoraLoader', inputs: { lora_name: name, strength_model: 1, strength_clip: 1, model: ['1', 0], clip: ['1', 1] } },
      },
      null,
      2,
    ),
  );

async function hoverOn(doc: ReturnType<typeof loraDoc>, text: string): Promise<string[]> {
  const at = doc.getText().indexOf(text) + 2;
  const hovers = await shim.hover(doc, doc.positionAt(at));
  return hovers.map((h) => (h.contents as unknown as vscode.MarkdownString[]).map((c) => c.value).join('\n'));
}

test(
  'hover on a LoRA name shows its safetensors metadata: base model, resolution, trigger words, tags',
  { skip: mockOnly('models folder with the safetensors headers the test writes') },
  async () => {
    const doc = loraDoc('pixel.safetensors');
    const [md] = await hoverOn(doc, 'pixel.safetensors');
    assert.ok(md, 'a hover');
    assert.match(md, /\*\*pixel\\_style\*\*/);
    assert.match(md, /Base model: sdxl\\_base\\_v1-0/);
    assert.match(md, /Resolution: 1024×1024/);
    assert.match(md, /Trigger words: `pxl_style`/);
    assert.match(md, /Training tags: pixel art \(50\), sprite \(12\)/);
    // The default mock checkpoint has the mock's own (modelspec) metadata.
    const [ckpt] = await hoverOn(doc, 'v1-5-pruned-emaonly');
    assert.match(ckpt!, /Base model: sd\\_v1/);
  },
);

test('no metadata (404) and non-safetensors names', { skip: mockOnly('models folder with the safetensors headers the test writes') }, async () => {
  const [bare] = await hoverOn(loraDoc('bare.safetensors'), 'bare.safetensors');
  assert.match(bare!, /No metadata/);
  const [missing] = await hoverOn(loraDoc('gone.safetensors'), 'gone.safetensors');
  assert.match(missing!, /No metadata/);
  assert.deepEqual(await hoverOn(loraDoc('old.ckpt'), 'old.ckpt'), []);
});

test(
  'embedding: completion inside a text input, from /embeddings, JSON-escaped',
  { skip: mockOnly('embeddings folder with the names the test puts there') },
  async () => {
    const text = JSON.stringify({ '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a cat, embedding:ea', clip: ['1', 1] } } }, null, 2);
    const doc = shim.openDocument(text);
    const at = doc.getText().indexOf('embedding:ea') + 'embedding:ea'.length;
    const { items } = await shim.completion(doc, doc.positionAt(at), ':');
    const names = items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(names.includes('easynegative'), names.join(', '));
    const bad = items.find((i) => i.label === 'bad"name')!;
    assert.equal(bad.insertText, 'bad\\"name');
    const easy = items.find((i) => i.label === 'easynegative')!;
    const range = easy.range as vscode.Range;
    assert.equal(doc.offsetAt(range.start), at - 2);
    assert.equal(doc.offsetAt(range.end), at);
    // Not after another word, not in non-text inputs.
    const steps = shim.openDocument(JSON.stringify({ '3': { class_type: 'KSampler', inputs: { sampler_name: 'embedding:x' } } }));
    const r2 = await shim.completion(steps, steps.positionAt(steps.getText().indexOf('embedding:x') + 11), ':');
    assert.equal(r2.items.filter((i) => i.detail === 'Textual inversion embedding').length, 0);
  },
);

test('the embedding prefix rule', () => {
  assert.deepEqual(embeddingPrefix('a cat, embedding:eas'), { partial: 'eas' });
  assert.deepEqual(embeddingPrefix('(embedding:'), { partial: '' });
  assert.equal(embeddingPrefix('myembedding:x'), undefined);
  assert.equal(embeddingPrefix('embedding:a b'), undefined);
});
