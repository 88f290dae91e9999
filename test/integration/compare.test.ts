// Compare and the workflow formatter through the vscode shim: a compare fills the changes view grouped by node
// (children revealing their change), the formatter is registered for open workflow documents only, and Compare
// with Saved reads the file on disk.
import '../helpers/vscode-shim/register';
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { shim, vscode } from '../helpers/vscode-shim/control';
import { activateExtension, type ActivatedExtension } from '../helpers/activation';

let extension: ActivatedExtension | undefined;
let dir = '';
afterEach(() => {
  extension?.deactivate();
  extension = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const A = { '1': { class_type: 'EmptyImage', inputs: { width: 320, height: 200 } }, '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } } };

function start(): ActivatedExtension {
  dir = mkdtempSync(path.join(tmpdir(), 'cwf-compare-'));
  extension = activateExtension({ settings: { 'comfyui.serverUrl': 'http://127.0.0.1:9' } });
  return extension;
}

test('a compare shows the changes grouped by node; each change reveals its place in the file', async () => {
  const { services } = start();
  const file = path.join(dir, 'w.json');
  const after = {
    ...A,
    '1': { class_type: 'EmptyImage', inputs: { width: 640, height: 200 } },
    '3': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } },
  };
  writeFileSync(file, JSON.stringify(after, null, 2));
  const session = await services.compare.compare(JSON.stringify(A), vscode.Uri.file(file), 'HEAD');
  assert.deepEqual(
    session.changes.map((c) => [c.kind, c.nodeId, c.input]),
    [
      ['value_changed', '1', 'width'],
      ['node_added', '3', null],
    ],
  );
  const tree = services.compare.tree;
  const roots = tree.getChildren();
  assert.deepEqual(
    roots.map((r) => (r.kind === 'node' ? r.nodeId : '')),
    ['1', '3'],
  );
  assert.match(String(tree.getTreeItem(roots[0]!).label), /^#1 EmptyImage/);
  const leaf = tree.getChildren(roots[0])[0]!;
  const item = tree.getTreeItem(leaf);
  assert.equal(item.label, 'width: 320 → 640');
  assert.equal(item.command?.command, 'comfyui.compare.revealChange');
  await vscode.commands.executeCommand('comfyui.compare.revealChange', ...(item.command?.arguments ?? []));
  const editor = vscode.window.activeTextEditor!;
  assert.equal(editor.document.getText(editor.selection), '640');
});

test('the formatter is registered for open workflow documents only and formats canonically', async () => {
  start();
  const formatters = () => shim.state.providers.other.filter((p) => (p.extra as unknown[])[0] === 'formatting');
  const plain = path.join(dir, 'package.json');
  writeFileSync(plain, '{"name": "x"}');
  await vscode.workspace.openTextDocument(vscode.Uri.file(plain));
  assert.equal(formatters().length, 0);
  const file = path.join(dir, 'w.json');
  writeFileSync(file, JSON.stringify(A));
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const [entry] = formatters();
  assert.ok(entry, 'registered once a workflow is open');
  const selector = entry.selector as { pattern: string }[];
  assert.deepEqual(
    selector.map((s) => s.pattern),
    [file],
  );
  const provider = entry.provider as { provideDocumentFormattingEdits(doc: unknown): Promise<{ newText: string }[]> | { newText: string }[] };
  const edits = await provider.provideDocumentFormattingEdits(doc);
  assert.equal(edits.length, 1);
  assert.match(edits[0]!.newText, /^\{\n {2}"1": \{\n {4}"class_type": "EmptyImage",/);
});

test('Compare with Saved compares the unsaved editor text with the file on disk', async () => {
  const { services } = start();
  const file = path.join(dir, 'w.json');
  writeFileSync(file, JSON.stringify(A));
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  shim.setText(doc as never, JSON.stringify({ ...A, '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] }, _meta: { title: 'Flip' } } }));
  await vscode.commands.executeCommand('comfyui.compareWithSaved', vscode.Uri.file(file));
  assert.deepEqual(
    services.compare.tree.session?.changes.map((c) => [c.kind, c.nodeId, c.after]),
    [['title_changed', '2', 'Flip']],
  );
});

test('"changes since the last run" finds the prompt most recently queued from the file', async () => {
  const { SourceRegistry } = await import('../../src/vscode/run/sources');
  const sources = new SourceRegistry(undefined);
  const a = vscode.Uri.file('/w/a.json').toString();
  sources.record('p1', { uri: a, name: 'a.json', format: 'api', queuedAt: 1 });
  sources.record('p2', { uri: 'file:///w/b.json', name: 'b.json', format: 'api', queuedAt: 2 });
  sources.record('p3', { uri: a, name: 'a.json', format: 'api', queuedAt: 3 });
  assert.equal(sources.lastFor(a), 'p3');
  assert.equal(sources.lastFor('file:///w/c.json'), undefined);
});
