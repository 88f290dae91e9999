import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findInputAtOffset, findNodeAtOffset, parseWorkflowDocument } from '../../../src/core/workflow/document';
import { txt2imgText } from '../../fixtures/workflow/fixtures';
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { parseStrictJsonTree } from '../../../src/core/workflow/fastJson';
import { listShared, NEEDS_SHARED, sharedPath } from '../../helpers/shared';
import { readFileSync } from 'node:fs';

const at = (text: string, r: { offset: number; length: number }) => text.slice(r.offset, r.offset + r.length);

test('detects the four formats', () => {
  assert.equal(parseWorkflowDocument(txt2imgText()).format, 'api');
  assert.equal(parseWorkflowDocument(JSON.stringify({ prompt: JSON.parse(txt2imgText()), client_id: 'abc' })).format, 'request');
  assert.equal(parseWorkflowDocument('{"last_node_id": 3, "nodes": [], "links": [], "version": 0.4}').format, 'ui');
  assert.equal(parseWorkflowDocument('{"nodes": [], "links": [], "version": 1, "state": {}}').format, 'ui');
  assert.equal(parseWorkflowDocument('{"name": "my-package", "version": "1.0.0"}').format, 'none');
  assert.equal(parseWorkflowDocument('').format, 'none');
  assert.equal(parseWorkflowDocument('[1, 2]').format, 'none');
  assert.equal(parseWorkflowDocument('{}').format, 'none');
  // Half-typed: id-like keys are enough.
  assert.equal(parseWorkflowDocument('{"1": {}}').format, 'api');
  assert.equal(parseWorkflowDocument('{"1": {"class_').format, 'api');
});

test('request bodies index the nodes under prompt', () => {
  const text = JSON.stringify({ client_id: 'x', prompt: { '1': { class_type: 'SaveImage', inputs: {} } } });
  const doc = parseWorkflowDocument(text);
  assert.deepEqual(doc.promptPath, ['prompt']);
  assert.deepEqual([...doc.nodeById.keys()], ['1']);
  assert.equal(doc.nodes[0]!.classType, 'SaveImage');
});

test('indexes keys, class_type, inputs, values and link tuples to exact offsets', () => {
  const text = txt2imgText();
  const doc = parseWorkflowDocument(text);
  assert.deepEqual(doc.syntaxErrors, []);
  assert.deepEqual(
    doc.nodes.map((n) => n.id),
    ['4', '5', '6', '7', '3', '8', '9'],
  );
  const ks = doc.nodeById.get('3')!;
  assert.equal(at(text, ks.keyRange), '"3"');
  assert.equal(ks.classType, 'KSampler');
  assert.equal(at(text, { offset: ks.classTypeNode!.offset, length: ks.classTypeNode!.length }), '"KSampler"');
  assert.equal(at(text, ks.inputsKeyRange!), '"inputs"');
  const steps = ks.inputs.get('steps')!;
  assert.equal(at(text, steps.keyRange), '"steps"');
  assert.equal(at(text, steps.valueRange), '20');
  assert.equal(steps.value, 20);
  const model = ks.inputs.get('model')!;
  assert.equal(at(text, model.valueRange), '["4", 0]');
  assert.deepEqual(model.value, ['4', 0]);
  assert.equal(model.link?.arity, 2);
  assert.equal(model.link?.sourceId, '4');
  assert.equal(model.link?.slot, 0);
  assert.equal(at(text, model.link!.sourceIdRange!), '"4"');
  assert.equal(at(text, model.link!.slotRange!), '0');
  assert.equal(doc.nodeById.get('4')!.title, 'Load Checkpoint');
  assert.equal(ks.inputs.get('sampler_name')!.link, undefined);
});

test('finds the node and the input at an offset', () => {
  const text = txt2imgText();
  const doc = parseWorkflowDocument(text);
  const off = text.indexOf('"euler"') + 2;
  const node = findNodeAtOffset(doc, off);
  assert.equal(node?.id, '3');
  assert.equal(findInputAtOffset(node!, off)?.name, 'sampler_name');
  assert.equal(findNodeAtOffset(doc, 0), undefined);
  assert.equal(findNodeAtOffset(doc, text.indexOf('"9"'))?.id, '9');
});

test('tolerates half-typed JSON and keeps what it can', () => {
  const text = '{\n  "1": { "class_type": "KSampler", "inputs": { "steps": 2, "cfg": } },\n  "2": { "class_type": "Save';
  const doc = parseWorkflowDocument(text);
  assert.ok(doc.syntaxErrors.length > 0);
  assert.equal(doc.format, 'api');
  const n1 = doc.nodeById.get('1')!;
  assert.equal(n1.classType, 'KSampler');
  assert.equal(n1.inputs.get('steps')!.value, 2);
  const cfg = n1.inputs.get('cfg')!;
  assert.equal(cfg.valueNode, undefined);
  assert.equal(cfg.value, undefined);
  assert.ok(doc.nodeById.has('2'));
});

test('comments and trailing commas are accepted (JSONC), and reported as syntax problems only when invalid JSON', () => {
  const doc = parseWorkflowDocument('{\n // a comment\n "1": {"class_type": "SaveImage", "inputs": {"images": ["2", 0],},},\n}');
  assert.equal(doc.format, 'api');
  assert.equal(doc.nodeById.get('1')!.inputs.get('images')!.link?.sourceId, '2');
});

test('duplicate keys: the last one wins, as in the server’s JSON parser, and the shadowed ones are listed', () => {
  const text = '{"1": {"class_type": "A", "inputs": {"x": 1, "x": 2}}, "1": {"class_type": "B", "inputs": {}}}';
  const doc = parseWorkflowDocument(text);
  assert.equal(doc.nodeById.get('1')!.classType, 'B');
  assert.equal(doc.duplicateNodes.length, 1);
  assert.equal(doc.duplicateNodes[0]!.classType, 'A');
  assert.equal(doc.duplicateNodes[0]!.inputs.get('x')!.value, 2);
  assert.equal(doc.duplicateNodes[0]!.duplicateInputs[0]!.value, 1);
});

test('non-object nodes, non-string class_type and malformed links are indexed, not thrown on', () => {
  const text = '{"1": 5, "2": {"class_type": 7, "inputs": {"a": [1, 2, 3], "b": []}}, "3": {"inputs": "x"}}';
  const doc = parseWorkflowDocument(text);
  assert.equal(doc.nodeById.get('1')!.isObject, false);
  assert.equal(doc.nodeById.get('2')!.classType, undefined);
  assert.equal(doc.nodeById.get('2')!.classTypeNode?.value, 7);
  assert.equal(doc.nodeById.get('2')!.inputs.get('a')!.link?.arity, 3);
  assert.equal(doc.nodeById.get('2')!.inputs.get('b')!.link?.arity, 0);
  assert.equal(doc.nodeById.get('3')!.inputsNode?.type, 'string');
  assert.equal(doc.nodeById.get('3')!.inputs.size, 0);
});

test('UTF-16 offsets are preserved with non-ASCII text', () => {
  const text = '{"1": {"class_type": "CLIPTextEncode", "inputs": {"text": "猫 🐱", "clip": ["2", 1]}}}';
  const doc = parseWorkflowDocument(text);
  const clip = doc.nodeById.get('1')!.inputs.get('clip')!;
  assert.equal(at(text, clip.valueRange), '["2", 1]');
});

/** Structural dump of a tree, checking every parent pointer on the way. */
function dump(n: JsonNode | undefined, parent?: JsonNode): unknown {
  if (!n) return n;
  assert.equal(n.parent, parent);
  return { type: n.type, offset: n.offset, length: n.length, value: n.value, colonOffset: n.colonOffset, children: n.children?.map((c) => dump(c, n)) };
}

test('the strict-JSON fast path builds exactly the tree jsonc-parser builds', () => {
  const samples = [
    txt2imgText(),
    '{"a": [1, -2.5e+3, 0, true, false, null, "x\\"y\\u00e9\\n", {}], "b": {"c": []}, "": "", "猫": "🐱"}',
    ' \n\t{ "1" : { "class_type" : "X" , "inputs" : { "a" : [ "2" , 0 ] } } } \r\n',
    '"just a string"',
    '42',
    '[]',
  ];
  for (const text of samples) {
    const fast = parseStrictJsonTree(text);
    assert.ok(fast, text);
    assert.deepEqual(dump(fast), dump(parseTree(text)));
  }
});

test('the fast path gives up on anything that is not strict JSON', () => {
  for (const text of [
    '',
    '  ',
    '{"a": 1,}',
    '{"a": 1 // c\n}',
    '/* c */ {}',
    '{"a": 01}',
    '{"a": 1.}',
    '{"a": "x\ny"}',
    '{"a": tru}',
    '{"a" 1}',
    '{a: 1}',
    '[1 2]',
    '{"a": 1}}',
    '{"a": "\\q"}',
    '{"a":',
    '{"a": -}',
    `${'['.repeat(3000)}${']'.repeat(3000)}`,
  ]) {
    assert.equal(parseStrictJsonTree(text), undefined, JSON.stringify(text.slice(0, 30)));
  }
});

test('the fast path matches jsonc-parser on every real fixture', { skip: NEEDS_SHARED }, () => {
  const files = [
    ...listShared('fixtures/api').map((f) => sharedPath('fixtures/api', f)),
    ...listShared('fixtures/ui').map((f) => sharedPath('fixtures/ui', f)),
  ];
  assert.ok(files.length > 50);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const fast = parseStrictJsonTree(text);
    if (fast) assert.deepEqual(dump(fast), dump(parseTree(text)), f);
  }
});
