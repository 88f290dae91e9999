// The vscode shim is shared by every area's adapter tests, so its own semantics are checked here.
import '../../helpers/vscode-shim/register';
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { shim, vscode } from '../../helpers/vscode-shim/control';

beforeEach(() => shim.reset());

test('`vscode` resolves to the shim once register is loaded', () => {
  const required = require('vscode') as typeof vscode;
  assert.equal(required.Position, vscode.Position);
  assert.equal(required.window, vscode.window);
});

test('documents map offsets and positions like VS Code (\\n and \\r\\n)', () => {
  const doc = shim.openDocument('ab\r\ncd\nef');
  assert.equal(doc.lineCount, 3);
  assert.deepEqual(doc.positionAt(4), new vscode.Position(1, 0));
  assert.equal(doc.offsetAt(new vscode.Position(1, 1)), 5);
  assert.equal(doc.offsetAt(new vscode.Position(0, 99)), 2, 'clamped to the line end, before \\r\\n');
  assert.equal(doc.lineAt(2).text, 'ef');
  assert.equal(doc.getText(new vscode.Range(0, 1, 1, 1)), 'b\r\nc');
});

test('edits bump the version and fire onDidChangeTextDocument with content changes', () => {
  const doc = shim.openDocument('hello world');
  const events: { text: string; offset: number }[] = [];
  vscode.workspace.onDidChangeTextDocument((e) => events.push(...e.contentChanges.map((c) => ({ text: c.text, offset: c.rangeOffset }))));
  shim.edit(doc, 6, 5, 'there');
  assert.equal(doc.getText(), 'hello there');
  assert.equal(doc.version, 2);
  assert.deepEqual(events, [{ text: 'there', offset: 6 }]);
});

test('configuration falls back to package.json defaults and fires change events', () => {
  const c = vscode.workspace.getConfiguration('comfyui');
  assert.equal(c.get('serverUrl'), 'http://127.0.0.1:8188');
  let affected = false;
  vscode.workspace.onDidChangeConfiguration((e) => (affected = e.affectsConfiguration('comfyui.serverUrl')));
  shim.setConfig('comfyui.serverUrl', 'http://x:1');
  assert.ok(affected);
  assert.equal(vscode.workspace.getConfiguration('comfyui').get('serverUrl'), 'http://x:1');
  assert.deepEqual(vscode.workspace.getConfiguration('comfyui').get('validation'), { enabled: true, debounceMs: 250 });
});

test('notifications are recorded and answered by the test', async () => {
  shim.state.respond = (m) => (m.message === 'Pick' ? 'B' : undefined);
  assert.equal(await vscode.window.showWarningMessage('Pick', 'A', 'B'), 'B');
  assert.equal(await vscode.window.showErrorMessage('Other', 'A'), undefined);
  assert.deepEqual(
    shim.state.messages.map((m) => [m.level, m.message]),
    [
      ['warning', 'Pick'],
      ['error', 'Other'],
    ],
  );
});

test('diagnostic collections are per Uri and visible through languages.getDiagnostics', () => {
  const doc = shim.openDocument('{}');
  const c = vscode.languages.createDiagnosticCollection('x');
  c.set(doc.uri, [new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), 'm')]);
  assert.equal(shim.diagnostics(doc).length, 1);
  c.delete(doc.uri);
  assert.equal(shim.diagnostics(doc).length, 0);
});

test('Uri.file / joinPath / toString round-trip', () => {
  const u = vscode.Uri.joinPath(vscode.Uri.file('/a b/c'), 'd.json');
  assert.equal(u.fsPath, '/a b/c/d.json');
  assert.equal(u.toString(), 'file:///a%20b/c/d.json');
  assert.equal(vscode.Uri.parse(u.toString()).fsPath, '/a b/c/d.json');
  assert.equal(u.with({ fragment: 'x' }).toString(), 'file:///a%20b/c/d.json#x');
});
