// A document too large to parse on the host (deferred to the worker) still gets its format from the one detector's
// rules (issue 12): a `nodes` list alone makes a UI workflow, an id-keyed object an API prompt.
import '../helpers/vscode-shim/register';
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { shim } from '../helpers/vscode-shim/control';
import { HOST_PARSE_BYTES, WorkflowDocuments } from '../../src/vscode/host/workflowDocuments';

afterEach(() => shim.reset());

test('a deferred document is sniffed with the one detector’s rules', () => {
  const documents = new WorkflowDocuments({ include: [], exclude: [] });
  const pad = 'x'.repeat(HOST_PARSE_BYTES);
  const cases: [string, string][] = [
    // The frontend loads a graph without `links`; so does the detector.
    [`{"nodes": [{"id": 1, "type": "KSampler", "title": "${pad}"}]}`, 'ui'],
    // A prompt whose text mentions "links" and "nodes" in values is still a prompt.
    [`{"1": {"class_type": "CLIPTextEncode", "inputs": {"text": "\\"nodes\\" and \\"links\\" ${pad}"}}}`, 'api'],
    [`{"prompt": {"1": {"class_type": "K", "inputs": {}}}, "client_id": "${pad}"}`, 'request'],
  ];
  for (const [text, format] of cases) {
    const entry = documents.get(shim.asTextDocument(shim.openDocument(text, { path: `/workspace/${format}.json` })));
    assert.equal(entry.deferred, true);
    assert.equal(entry.format, format, text.slice(0, 60));
  }
  documents.dispose();
});
