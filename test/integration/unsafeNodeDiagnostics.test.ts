// The unsafe-node warnings (collection `comfyui-safety`) wait for the same quiet period as live validation,
// `comfyui.validation.debounceMs`, read at every change (it used to be a fixed 200 ms).
import '../helpers/vscode-shim/register';
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { shim, vscode } from '../helpers/vscode-shim/control';
import { ManualClock } from '../../src/core/util/clock';
import { unsafeNodeList } from '../../src/core/safety/unsafeNodes';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import { UnsafeNodeDiagnostics } from '../../src/vscode/language/unsafeNodeDiagnostics';

beforeEach(() => shim.reset());

const SAFE = '{"1": {"class_type": "KSampler", "inputs": {}}}';
const UNSAFE = '{"1": {"class_type": "RunPythonCode", "inputs": {}}}';

function start(debounceMs: () => number, clock: ManualClock): UnsafeNodeDiagnostics {
  const documents = {
    get: (d: vscode.TextDocument) => ({ isWorkflow: true, deferred: false, parsed: parseWorkflowDocument(d.getText()) }),
    onDidChangeMembership: new vscode.EventEmitter<unknown>().event,
  };
  return new UnsafeNodeDiagnostics(documents as never, () => unsafeNodeList([{ classType: 'RunPythonCode', reason: 'runs code' }]), { debounceMs, clock });
}

const codes = (doc: { uri: vscode.Uri }): string[] => shim.diagnostics(doc).map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code)));

test('a change is checked after comfyui.validation.debounceMs of quiet, with the value current at the change', () => {
  const clock = new ManualClock();
  let debounceMs = 600;
  const doc = shim.openDocument(SAFE, { path: '/workspace/flow.json' });
  const diagnostics = start(() => debounceMs, clock);
  assert.deepEqual(codes(doc), [], 'an open document is checked at once');

  shim.setText(doc, UNSAFE);
  clock.advance(599);
  assert.deepEqual(codes(doc), [], 'still typing: not yet');
  clock.advance(1);
  assert.deepEqual(codes(doc), ['unsafe_node']);

  debounceMs = 50;
  shim.setText(doc, SAFE);
  clock.advance(49);
  assert.deepEqual(codes(doc), ['unsafe_node']);
  clock.advance(1);
  assert.deepEqual(codes(doc), [], 'the new setting applies to the next change');

  shim.setText(doc, UNSAFE);
  diagnostics.dispose();
  assert.equal(clock.pending, 0, 'dispose drops the pending check');
});
