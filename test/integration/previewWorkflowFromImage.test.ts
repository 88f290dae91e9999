// `ComfyUI: Open Workflow From Image` on our own test images: PNG tEXt, WebP EXIF, a WebP without EXIF, a PNG with a
// corrupt chunk. No server is involved: the file is read from the workspace.
import '../helpers/vscode-shim/register';
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { shim, vscode, type ShimTextDocument } from '../helpers/vscode-shim/control';
import { nullLogger } from '../../src/core/util/logger';
import { registerPreviewFeatures, type PreviewFeatures } from '../../src/vscode/preview/index';
import { PROMPT, WORKFLOW } from '../fixtures/media/make';

const media = (name: string) => vscode.Uri.file(join(__dirname, '../fixtures/media', name));
let features: PreviewFeatures;
let ctx: ReturnType<typeof shim.createExtensionContext>;

beforeEach(() => {
  shim.reset();
  ctx = shim.createExtensionContext();
  const never = new vscode.EventEmitter<never>().event;
  features = registerPreviewFeatures({
    connection: { client: undefined, displayUrl: '', onMessage: never, onPreview: never, onDidChangeServer: never },
    extensionUri: ctx.extensionUri,
    storageUri: ctx.globalStorageUri,
    log: nullLogger,
  });
});
afterEach(() => {
  features.dispose();
  ctx.dispose();
});

test('a ComfyUI PNG: the user picks the UI workflow or the API prompt', async () => {
  shim.state.quickPick = (items: string[]) => items.find((i) => i.startsWith('API prompt'));
  const doc = await vscode.commands.executeCommand<ShimTextDocument>('comfyui.openWorkflowFromImage', media('comfy-text.png'));
  assert.deepEqual(JSON.parse(doc.getText()), PROMPT);
  assert.equal(doc.languageId, 'json');
  shim.state.quickPick = (items: string[]) => items.find((i) => i.startsWith('UI workflow'));
  const wf = await vscode.commands.executeCommand<ShimTextDocument>('comfyui.openWorkflowFromImage', media('comfy-itxt.png'));
  assert.deepEqual(JSON.parse(wf.getText()), WORKFLOW);
});

test('a ComfyUI WebP (EXIF), picked through the open dialog', async () => {
  shim.state.openDialog = () => [media('comfy.webp')];
  shim.state.quickPick = (items: string[]) => items[0];
  const doc = await vscode.commands.executeCommand<ShimTextDocument>('comfyui.openWorkflowFromImage');
  assert.deepEqual(JSON.parse(doc.getText()), WORKFLOW);
});

test('no metadata: a WebP without EXIF and a plain PNG explain why; a corrupt chunk still yields the prompt', async () => {
  assert.equal(await vscode.commands.executeCommand('comfyui.openWorkflowFromImage', media('no-exif.webp')), undefined);
  assert.match(shim.lastMessage()!.message, /no-exif\.webp carries no ComfyUI workflow\. The WebP image has no EXIF chunk/);
  assert.equal(await vscode.commands.executeCommand('comfyui.openWorkflowFromImage', media('plain.png')), undefined);
  assert.match(shim.lastMessage()!.message, /plain\.png carries no ComfyUI workflow/);
  const doc = await vscode.commands.executeCommand<ShimTextDocument>('comfyui.openWorkflowFromImage', media('corrupt-chunk.png'));
  assert.deepEqual(JSON.parse(doc.getText()), PROMPT);
});
