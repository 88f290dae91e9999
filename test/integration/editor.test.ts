// The editor adapters end to end at Node level: activate() with the vscode shim, node definitions from a dump file
// (comfyui.objectInfoPath), then diagnostics, completion, code lens and membership rules on real documents.
import '../helpers/vscode-shim/register';
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { shim, vscode } from '../helpers/vscode-shim/control';
import { nextEvent, waitFor } from '../helpers/wait';
import { activateExtension, type ActivatedExtension } from '../helpers/activation';
import type { EditorServices } from '../../src/vscode/api';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'editor');
const OBJECT_INFO = path.join(FIXTURES, 'object_info.json');
const TXT2IMG = readFileSync(path.join(FIXTURES, 'txt2img.api.json'), 'utf8');
// Nothing listens on port 9 (discard) on loopback: the connection goes offline at once, no traffic leaves the host.
const DEAD_SERVER = 'http://127.0.0.1:9';

let extension: ActivatedExtension | undefined;
let services: EditorServices;

async function start(config: Record<string, unknown> = {}, language?: string): Promise<void> {
  const settings = { 'comfyui.serverUrl': DEAD_SERVER, 'comfyui.objectInfoPath': OBJECT_INFO, 'comfyui.validation.debounceMs': 0, ...config };
  extension = activateExtension({ settings, ...(language ? { language } : {}) });
  services = extension.services;
  await services.ready;
}

async function diagnosticsOf(doc: { uri: vscode.Uri; version: number }): Promise<vscode.Diagnostic[]> {
  await waitFor(() => services.documents && shim.state.diagnostics.get('comfyui') !== undefined);
  // Wait until the published diagnostics belong to the current version.
  const version = doc.version;
  await waitFor(
    () => {
      const e = lastUpdate.get(doc.uri.toString());
      return e !== undefined && e >= version;
    },
    { message: `diagnostics for version ${version}` },
  );
  return shim.diagnostics(doc);
}

const lastUpdate = new Map<string, number>();

beforeEach(() => {
  lastUpdate.clear();
});

afterEach(() => {
  extension?.deactivate();
  extension = undefined;
});

async function startAndTrack(config: Record<string, unknown> = {}, language?: string): Promise<void> {
  await start(config, language);
  services.diagnostics.onDidUpdate((u) => lastUpdate.set(u.uri.toString(), u.version));
}

test('activation registers providers and commands without awaiting the network', async () => {
  await startAndTrack();
  const commands = await vscode.commands.getCommands();
  for (const c of [
    'comfyui.refreshNodeDefinitions',
    'comfyui.selectServer',
    'comfyui.reconnect',
    'comfyui.useObjectInfoFile',
    'comfyui.showServerMenu',
    'comfyui.showLog',
  ]) {
    assert.ok(commands.includes(c), c);
  }
  // The workflow completion, plus `embedding:` completion in text inputs (src/vscode/language/embeddingCompletion.ts).
  assert.equal(shim.state.providers.completion.length, 2);
  assert.equal(shim.state.providers.codeLens.length, 1);
  assert.equal(services.store.current?.source, 'file');
  assert.equal(services.store.current?.classCount, 10);
  assert.equal(shim.state.context.get('comfyui.usingDumpFile'), true);
  assert.equal(shim.state.context.get('comfyui.hasNodeDefinitions'), true);
});

test('a valid API workflow gets no diagnostics; an invalid combo value gets value_not_in_list at the value', async () => {
  await startAndTrack();
  const ok = shim.openDocument(TXT2IMG, { path: '/workspace/ok.json' });
  assert.deepEqual(await diagnosticsOf(ok), []);

  const bad = shim.openDocument(TXT2IMG.replace('"euler"', '"eulr"'), { path: '/workspace/bad.json' });
  const diags = await diagnosticsOf(bad);
  assert.equal(diags.length, 1, JSON.stringify(diags.map((d) => d.message)));
  const d = diags[0]!;
  assert.equal(d.source, 'comfyui');
  assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
  const code = d.code as { value: string; target: vscode.Uri };
  assert.equal(code.value, 'value_not_in_list');
  assert.equal(code.target.fragment, 'diagnostic-codes');
  assert.ok(code.target.path.endsWith('/README.md'));
  assert.equal(bad.getText(d.range), '"eulr"');
  assert.match(d.message, /sampler_name/);
});

test('diagnostics follow edits, and are cleared on close and when the file stops being a workflow', async () => {
  await startAndTrack();
  const doc = shim.openDocument(TXT2IMG.replace('"steps": 20', '"steps": 0'), { path: '/workspace/steps.json' });
  const first = await diagnosticsOf(doc);
  assert.deepEqual(
    first.map((d) => (d.code as { value: string }).value),
    ['value_smaller_than_min'],
  );

  // Fix it: "0" -> "25".
  const at = doc.getText().indexOf('"steps": 0') + '"steps": '.length;
  shim.edit(doc, at, 1, '25');
  assert.deepEqual(await diagnosticsOf(doc), []);

  // Break it again, then turn the file into plain JSON: its diagnostics go away.
  shim.edit(doc, at, 2, '0');
  assert.equal((await diagnosticsOf(doc)).length, 1);
  const membership = nextEvent(services.documents.onDidChangeMembership);
  shim.setText(doc, '{ "name": "not a workflow", "version": 1 }');
  assert.equal((await membership).isWorkflow, false);
  await waitFor(() => shim.diagnostics(doc).length === 0);

  const other = shim.openDocument(TXT2IMG.replace('"steps": 20', '"steps": 0'), { path: '/workspace/closing.json' });
  assert.equal((await diagnosticsOf(other)).length, 1);
  shim.close(other);
  assert.deepEqual(shim.diagnostics(other), []);
});

test('plain JSON files are never flagged, even with class_type somewhere inside', async () => {
  await startAndTrack();
  const pkg = shim.openDocument('{ "name": "x", "scripts": { "build": "tsc" } }', { path: '/workspace/package.json' });
  const tricky = shim.openDocument('{ "docs": "mention class_type here", "list": [1, 2] }', { path: '/workspace/notes.json' });
  // validateNow resolves once each verdict is published: no diagnostics is then the answer, not "not checked yet".
  await services.diagnostics.validateNow(shim.asTextDocument(pkg));
  await services.diagnostics.validateNow(shim.asTextDocument(tricky));
  assert.deepEqual(shim.diagnostics(pkg), []);
  assert.deepEqual(shim.diagnostics(tricky), []);
  assert.equal(services.documents.get(shim.asTextDocument(pkg)).isWorkflow, false);
  assert.equal(services.documents.get(shim.asTextDocument(tricky)).isWorkflow, false);
  await vscode.window.showTextDocument(pkg);
  assert.equal(shim.state.context.get('comfyui.isWorkflow'), false);
  const wf = shim.openDocument(TXT2IMG, { path: '/workspace/wf.json' });
  await vscode.window.showTextDocument(wf);
  assert.equal(shim.state.context.get('comfyui.isWorkflow'), true);
});

test('comfyui.workflowFiles: include forces a file in, exclude forces it out and wins', async () => {
  await startAndTrack({ 'comfyui.workflowFiles': { include: ['*.comfy.json'], exclude: ['vendor/**'] } });
  const empty = shim.openDocument('{}', { path: '/workspace/new.comfy.json' });
  assert.equal(services.documents.get(shim.asTextDocument(empty)).isWorkflow, true);
  assert.equal(services.documents.get(shim.asTextDocument(empty)).membership, 'include');
  shim.state.workspaceFolders = [{ uri: vscode.Uri.file('/workspace'), name: 'workspace', index: 0 }];
  const vendored = shim.openDocument(TXT2IMG.replace('"euler"', '"bad"'), { path: '/workspace/vendor/wf.json' });
  assert.equal(services.documents.get(shim.asTextDocument(vendored)).membership, 'exclude');
  await services.diagnostics.validateNow(shim.asTextDocument(vendored));
  assert.deepEqual(shim.diagnostics(vendored), []);
  // Removing the exclusion brings it back in, with its problem.
  shim.setConfig('comfyui.workflowFiles', { include: [], exclude: [] });
  // The first check through the validation worker (started lazily) can take seconds on a loaded machine.
  await waitFor(() => shim.diagnostics(vendored).length === 1, { timeoutMs: 10_000, message: 'the vendored file is checked once included' });
});

test('completion proposes classes at class_type and combo values', async () => {
  await startAndTrack();
  const text = '{\n  "1": { "class_type": "", "inputs": {} }\n}';
  const doc = shim.openDocument(text, { path: '/workspace/complete.json' });
  const at = doc.positionAt(text.indexOf('""') + 1);
  const list = await shim.completion(doc, at);
  const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
  assert.ok(labels.includes('KSampler'), labels.join(', '));
  const ks = list.items.find((i) => i.label === 'KSampler')!;
  assert.equal(ks.kind, vscode.CompletionItemKind.Class);
  assert.ok(ks.range, 'item has a replace range');
  const summary = (ks.documentation as vscode.MarkdownString).value;
  assert.doesNotMatch(summary, /Outputs:/, 'the list carries only the summary');

  // Focusing an item resolves it: the full class description (inputs, outputs) replaces the summary.
  const resolved = await shim.completion(doc, at, undefined, list.items.length);
  const ksFull = resolved.items.find((i) => i.label === 'KSampler')!;
  const full = (ksFull.documentation as vscode.MarkdownString).value;
  assert.match(full, /Outputs:\n- 0: `LATENT`/);
  assert.ok(full.length > summary.length, full);
  assert.equal(ksFull.insertText, ks.insertText);

  const t2 = TXT2IMG.replace('"sampler_name": "euler"', '"sampler_name": ""');
  const doc2 = shim.openDocument(t2, { path: '/workspace/complete2.json' });
  const list2 = await shim.completion(doc2, doc2.positionAt(t2.indexOf('"sampler_name": ""') + '"sampler_name": "'.length));
  const values = list2.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
  for (const v of ['euler', 'heun', 'ddim'])
    assert.ok(
      values.some((l) => l.includes(v)),
      `${v} in ${values.join(', ')}`,
    );
});

test('the code lens names the definitions source and offers Queue', async () => {
  await startAndTrack();
  const doc = shim.openDocument(TXT2IMG, { path: '/workspace/lens.json' });
  const lenses = await shim.codeLenses(doc);
  assert.equal(lenses.length, 2);
  assert.match(lenses[0]!.command!.title, /object_info\.json \(10 classes\)/);
  assert.equal(lenses[1]!.command!.command, 'comfyui.queueWorkflow');
  assert.deepEqual(lenses[1]!.command!.arguments?.map(String), [doc.uri.toString()]);
  const plain = shim.openDocument('{"a": 1}', { path: '/workspace/plain.json' });
  assert.deepEqual(await shim.codeLenses(plain), []);
});

test('a workflow over 5 MB gets one information message instead of live validation', async () => {
  await startAndTrack();
  const filler = 'x'.repeat(5 * 1024 * 1024);
  const doc = shim.openDocument(TXT2IMG.replace('"a cat"', `"${filler}"`).replace('"euler"', '"bad"'), { path: '/workspace/huge.json' });
  const diags = await diagnosticsOf(doc);
  assert.equal(diags.length, 1);
  assert.equal(diags[0]!.severity, vscode.DiagnosticSeverity.Information);
  assert.equal((diags[0]!.code as { value: string }).value, 'file_too_large');
});

test('hover documents the class at class_type and the input at its key', async () => {
  await startAndTrack();
  const doc = shim.openDocument(TXT2IMG, { path: '/workspace/hover.json' });
  const onClass = await shim.hover(doc, doc.positionAt(TXT2IMG.indexOf('"KSampler"') + 3));
  assert.equal(onClass.length, 1);
  const classText = onClass[0]!.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
  assert.match(classText, /KSampler/);
  assert.match(classText, /denoise the latent/);
  assert.equal(doc.getText(onClass[0]!.range), '"KSampler"');

  const onInput = await shim.hover(doc, doc.positionAt(TXT2IMG.indexOf('"steps"') + 2));
  const inputText = onInput[0]!.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
  assert.match(inputText, /steps/);
  assert.match(inputText, /10000|INT/);
  // Nothing to say outside nodes.
  const plain = shim.openDocument('{"a": 1}', { path: '/workspace/plain-hover.json' });
  assert.deepEqual(await shim.hover(plain, plain.positionAt(2)), []);
});

test('a quick fix repairs a bad combo value and its diagnostic disappears', async () => {
  await startAndTrack();
  const doc = shim.openDocument(TXT2IMG.replace('"euler"', '"eulr"'), { path: '/workspace/fix.json' });
  const [d] = await diagnosticsOf(doc);
  assert.ok(d);
  const actions = await shim.codeActions(doc, d.range);
  assert.ok(actions.length >= 1, 'at least one fix');
  const fix = actions.find((a) => a.isPreferred) ?? actions[0]!;
  assert.equal(fix.kind?.value, 'quickfix');
  assert.deepEqual(fix.diagnostics, [d]);
  assert.match(fix.title, /euler/);
  assert.ok(await vscode.workspace.applyEdit(fix.edit!));
  assert.match(doc.getText(), /"sampler_name": "euler"/);
  assert.deepEqual(await diagnosticsOf(doc), []);
});

test('UI workflows are validated through the conversion, the problem lands on the widgets_values element', async () => {
  await startAndTrack();
  const text = readFileSync(path.join(FIXTURES, 'invert.ui.json'), 'utf8');
  const doc = shim.openDocument(text, { path: '/workspace/invert.ui.json' });
  assert.equal(services.documents.get(shim.asTextDocument(doc)).format, 'ui');
  const diags = await diagnosticsOf(doc);
  assert.deepEqual(
    diags.map((d) => (d.code as { value: string }).value),
    ['value_smaller_than_min'],
  );
  const at = text.indexOf('"widgets_values": [0') + '"widgets_values": ['.length;
  assert.equal(doc.offsetAt(diags[0]!.range.start), at);
  assert.equal(doc.getText(diags[0]!.range), '0');
  // Fixing the value in the UI JSON clears it.
  shim.edit(doc, at, 1, '64');
  assert.deepEqual(await diagnosticsOf(doc), []);
});

test('problems are in Simplified Chinese when VS Code runs in zh-cn', async () => {
  await startAndTrack({}, 'zh-cn');
  const doc = shim.openDocument(TXT2IMG.replace('"euler"', '"eulr"'), { path: '/workspace/zh.json' });
  const [d] = await diagnosticsOf(doc);
  assert.match(d!.message, /[\u4e00-\u9fff]/, d!.message);
  const [lens] = await shim.codeLenses(doc);
  assert.match(lens!.command!.title, /节点定义来自 object_info\.json（10 个节点类）/);
});

test('the log never shows URL credentials or tokens', async () => {
  await startAndTrack({ 'comfyui.serverUrl': 'http://alice:hunter2pass@127.0.0.1:9/comfy/?token=supersecret123' });
  await waitFor(() => services.connection.state === 'offline', { timeoutMs: 10_000 });
  services.log.info(`echo test: ${services.connection.serverUrl}`);
  const lines = shim
    .outputChannel('ComfyUI')!
    .lines.map((l) => l.text)
    .join('\n');
  assert.match(lines, /Connecting to ComfyUI at/);
  assert.match(lines, /echo test/);
  assert.doesNotMatch(lines, /hunter2pass|supersecret123/);
  assert.doesNotMatch(services.connection.displayUrl, /hunter2pass|supersecret123/);
});

test('the status bar opens a server menu whose entries run commands', async () => {
  await startAndTrack();
  const item = shim.statusBarItem('comfyui.status')!;
  assert.equal(item.command, 'comfyui.showServerMenu');
  let offered: string[] = [];
  shim.state.quickPick = (items: { label: string }[]) => {
    offered = items.map((i) => i.label);
    return items.find((i) => i.label.includes('Refresh Node Definitions'));
  };
  const before = services.store.current;
  await vscode.commands.executeCommand('comfyui.showServerMenu');
  assert.ok(offered.some((l) => l.includes('Open Queue & History')));
  assert.ok(offered.some((l) => l.includes('Select Server')));
  // In dump-file mode "refresh" re-reads the file: a new snapshot of the same 10 classes.
  await waitFor(() => services.store.current !== before);
  assert.equal(services.store.current?.classCount, 10);
});

test('Select Server validates the URL and stores it', async () => {
  await startAndTrack();
  let validate: ((v: string) => string | undefined) | undefined;
  shim.state.inputBox = (options) => {
    validate = (options as { validateInput: (v: string) => string | undefined }).validateInput;
    return 'http://127.0.0.1:8189';
  };
  await vscode.commands.executeCommand('comfyui.selectServer');
  assert.ok(validate);
  assert.equal(validate('not a url'), 'This is not a valid URL.');
  assert.equal(validate('ftp://x'), 'Use an http:// or https:// URL.');
  assert.equal(validate('https://host/comfy/'), undefined);
  assert.equal(vscode.workspace.getConfiguration('comfyui').get('serverUrl'), 'http://127.0.0.1:8189');
  await waitFor(() => services.connection.displayUrl === 'http://127.0.0.1:8189/');
});
