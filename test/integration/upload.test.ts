// Upload Image / Upload Mask against the mock server: the round trip through POST /upload/image and /upload/mask,
// the server's renaming, writing the answered name into the LoadImage input under the cursor, and the
// "Upload and use" quick fix on a value that names a workspace file.
import '../helpers/vscode-shim/register';
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { shim, vscode } from '../helpers/vscode-shim/control';
import { waitFor } from '../helpers/wait';
import { getTestServer, mockOnly, type TestServer } from '../helpers/server';
import { ComfyClient } from '../../src/core/comfy/client';
import { prepareNodeDefs, type NodeDefs } from '../../src/core/workflow/nodeDefs';
import { nullLogger } from '../../src/core/util/logger';
import { WorkflowDocuments } from '../../src/vscode/host/workflowDocuments';
import { registerUploadFeatures, refFromValue } from '../../src/vscode/upload/index';
import { loadImageValue } from '../../src/vscode/upload/imageInput';
import { WORKFLOW_SELECTOR } from '../../src/vscode/host/index';

function png(width: number, height: number, rgba: [number, number, number, number]): Buffer {
  const p = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) p.data.set(rgba, i * 4);
  return PNG.sync.write(p);
}

let server: TestServer;
let client: ComfyClient;
let defs: NodeDefs;
let ws: string;
let disposables: { dispose(): unknown }[] = [];
let documents: WorkflowDocuments;
let refreshed = 0;

before(async () => {
  server = await getTestServer();
  client = new ComfyClient({ baseUrl: server.url });
  defs = prepareNodeDefs(await client.getObjectInfo());
});
after(async () => {
  await server.close();
});
beforeEach(() => {
  shim.reset();
  ws = mkdtempSync(join(tmpdir(), 'upload-ws-'));
  shim.state.workspaceFolders = [{ uri: vscode.Uri.file(ws), name: 'ws', index: 0 }];
  documents = new WorkflowDocuments({ include: [], exclude: [] });
  refreshed = 0;
  disposables = [
    documents,
    ...registerUploadFeatures({ client: () => client, documents, defs: () => defs, log: nullLogger, refreshDefinitions: () => refreshed++ }, WORKFLOW_SELECTOR),
  ];
});
afterEach(() => {
  for (const d of disposables) d.dispose();
  rmSync(ws, { recursive: true, force: true });
});

const workflowText = (image: string) =>
  JSON.stringify({ '1': { class_type: 'LoadImage', inputs: { image } }, '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } } }, null, 2);

test(
  'Upload Image: subfolder and clash choice asked, the file arrives, renames are reported',
  { skip: mockOnly('input folder, to read back the uploaded bytes') },
  async () => {
    const file = join(ws, 'cat.png');
    writeFileSync(file, png(2, 2, [255, 0, 0, 255]));
    shim.state.inputBox = () => 'pets';
    shim.state.quickPick = (items: string[]) => items[0]; // keep both
    const first = await vscode.commands.executeCommand<{ name: string; subfolder: string; type: string }>('comfyui.uploadImage', vscode.Uri.file(file));
    assert.deepEqual(first, { name: 'cat.png', subfolder: 'pets', type: 'input' });
    assert.deepEqual(readFileSync(join(server.mock!.dirs.input, 'pets', 'cat.png')), readFileSync(file));
    assert.equal(refreshed, 1, 'node definitions are refreshed (LoadImage lists input files)');
    assert.match(shim.lastMessage()!.message, /Uploaded cat\.png as pets\/cat\.png\./);

    // Different bytes under the same name: the server keeps both and answers the new name.
    writeFileSync(file, png(2, 2, [0, 255, 0, 255]));
    const second = await vscode.commands.executeCommand<{ name: string }>('comfyui.uploadImage', vscode.Uri.file(file));
    assert.equal(second.name, 'cat (1).png');
    // Overwrite chosen: same name, new bytes.
    writeFileSync(file, png(2, 2, [0, 0, 255, 255]));
    shim.state.quickPick = (items: string[]) => items[1];
    const third = await vscode.commands.executeCommand<{ name: string }>('comfyui.uploadImage', vscode.Uri.file(file));
    assert.equal(third.name, 'cat.png');
    assert.deepEqual(readFileSync(join(server.mock!.dirs.input, 'pets', 'cat.png')), readFileSync(file));
    // Cancelling the subfolder prompt uploads nothing.
    shim.state.inputBox = () => undefined;
    assert.equal(await vscode.commands.executeCommand('comfyui.uploadImage', vscode.Uri.file(file)), undefined);
  },
);

test(
  'Upload Image from the palette offers to use the name in the LoadImage input under the cursor',
  { skip: mockOnly('input folder, to read back the uploaded bytes') },
  async () => {
    const file = join(ws, 'dog.png');
    writeFileSync(file, png(3, 3, [1, 2, 3, 255]));
    const doc = await shim.showDocument(workflowText('old.png'), { path: join(ws, 'wf.json') });
    const editor = vscode.window.activeTextEditor!;
    const at = doc.getText().indexOf('old.png');
    editor.selection = new vscode.Selection(doc.positionAt(at + 2), doc.positionAt(at + 2));
    shim.state.openDialog = () => [vscode.Uri.file(file)];
    shim.state.inputBox = () => '';
    shim.state.quickPick = (items: string[]) => items[0];
    shim.state.respond = (m) => m.items.find((i) => i.startsWith('Use in #1'));
    await vscode.commands.executeCommand('comfyui.uploadImage');
    assert.deepEqual(shim.lastMessage()!.items, ['Use in #1 LoadImage', 'Copy Name']);
    assert.equal(JSON.parse(doc.getText())['1'].inputs.image, 'dog.png');
  },
);

test('quick fix "Upload and use" on a value naming a workspace file', { skip: mockOnly('input folder, to read back the uploaded bytes') }, async () => {
  mkdirSync(join(ws, 'refs'));
  writeFileSync(join(ws, 'refs', 'bird.png'), png(4, 4, [9, 9, 9, 255]));
  const doc = await shim.showDocument(workflowText('refs/bird.png'), { path: join(ws, 'wf.json') });
  const at = doc.getText().indexOf('refs/bird.png');
  const range = new vscode.Range(doc.positionAt(at + 1), doc.positionAt(at + 1));
  const actions = await shim.codeActions(doc, range);
  const fix = actions.find((a) => a.title === 'Upload bird.png and use it');
  assert.ok(fix, `actions: ${actions.map((a) => a.title).join(', ')}`);
  assert.equal(fix.isPreferred, true);
  await vscode.commands.executeCommand(fix.command!.command, ...(fix.command!.arguments ?? []));
  await waitFor(() => JSON.parse(doc.getText())['1'].inputs.image === 'bird.png');
  assert.ok(existsSync(join(server.mock!.dirs.input, 'bird.png')));
  // No quick fix for names that are not local files, or on other inputs.
  const other = await shim.showDocument(workflowText('nowhere.png'), { path: join(ws, 'wf2.json') });
  const at2 = other.getText().indexOf('nowhere.png');
  assert.equal(
    (await shim.codeActions(other, new vscode.Range(other.positionAt(at2), other.positionAt(at2)))).filter((a) => a.title.startsWith('Upload')).length,
    0,
  );
});

test(
  'Upload Mask: original_ref round trip puts the mask into the alpha of the original',
  { skip: mockOnly('input folder, to read back the masked image') },
  async () => {
    const base = await client.uploadImage({ data: png(4, 4, [200, 100, 50, 255]), filename: 'portrait.png', type: 'input', overwrite: true });
    const maskFile = join(ws, 'mask.png');
    writeFileSync(maskFile, png(4, 4, [0, 0, 0, 64]));
    const result = await vscode.commands.executeCommand<{ name: string; subfolder: string; type: string }>('comfyui.uploadMask', vscode.Uri.file(maskFile), {
      filename: base.name,
      subfolder: '',
      type: 'input',
    });
    assert.equal(result.subfolder, 'clipspace');
    assert.equal(result.type, 'input');
    const stored = PNG.sync.read(readFileSync(join(server.mock!.dirs.input, 'clipspace', result.name)));
    assert.deepEqual([...stored.data.subarray(0, 4)], [200, 100, 50, 64]);
    assert.equal(loadImageValue(result), `clipspace/${result.name}`);
  },
);

test('LoadImage values map to upload refs and back', () => {
  assert.deepEqual(refFromValue('clipspace/a b.png [input]'), { filename: 'a b.png', subfolder: 'clipspace', type: 'input' });
  assert.deepEqual(refFromValue('x.png'), { filename: 'x.png', subfolder: '', type: 'input' });
  assert.deepEqual(refFromValue('out/y.png [output]'), { filename: 'y.png', subfolder: 'out', type: 'output' });
  assert.equal(loadImageValue({ name: 'n.png', subfolder: 'a\\b' }), 'a/b/n.png');
});
