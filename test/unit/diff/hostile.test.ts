// Untrusted files: a subgraph that contains itself, deep nesting, odd shapes and control characters never throw,
// hang or reach the terminal raw; the model stays bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, ModelError } from '../../../src/core/diff/model';
import { diffWorkflows } from '../../../src/core/diff/diff';
import { renderText, renderTextconv } from '../../../src/core/diff/render';
import { escapeTerminal } from '../../../src/core/util/escape';

const SELF = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

test('a subgraph that contains itself is expanded a bounded number of times', () => {
  const w = {
    nodes: [{ id: 1, type: SELF, mode: 0, inputs: [], outputs: [] }],
    links: [],
    definitions: { subgraphs: [{ id: SELF, name: 'loop', nodes: [{ id: 2, type: SELF, inputs: [], outputs: [] }], links: [], inputs: [], outputs: [] }] },
  };
  const m = buildModel(w);
  assert.deepEqual([...m.nodes.keys()], ['1', '1:2']);
});

test('nested subgraphs 200 deep stop at the nesting bound', () => {
  const defs = Array.from({ length: 200 }, (_, i) => ({
    id: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
    name: `d${i}`,
    nodes: i < 199 ? [{ id: 1, type: `00000000-0000-0000-0000-${String(i + 1).padStart(12, '0')}` }] : [],
    links: [],
  }));
  const m = buildModel({ nodes: [{ id: 1, type: defs[0]!.id }], links: [], definitions: { subgraphs: defs } });
  assert.ok(m.nodes.size <= 66, String(m.nodes.size));
});

test('odd shapes are skipped or rejected with one sentence, never thrown at', () => {
  assert.throws(() => buildModel([1, 2]), ModelError);
  assert.throws(() => buildModel({ a: 1 }), ModelError);
  const m = buildModel({
    nodes: [null, 3, { id: {}, type: 'X' }, { id: 1, type: 'K', widgets_values: { toString: 1 }, inputs: [{ link: 'x' }] }],
    links: [[1], null, 'x'],
  });
  assert.deepEqual([...m.nodes.keys()], ['1']);
  const api = buildModel({ '1': { class_type: 'K', inputs: { a: ['9', 0], b: { __value__: [1, 2] }, c: null } }, '2': 'junk' });
  assert.deepEqual([...api.nodes.keys()], ['1']);
});

test('control characters and bidi overrides never reach the output raw', () => {
  const evil = 'a\u001b]0;pwn\u0007b\u202ec\r\n';
  const before = buildModel({ [evil]: { class_type: evil, inputs: { [evil]: evil } } });
  const after = buildModel({ [evil]: { class_type: evil, inputs: { [evil]: 'x' } }, '2': { class_type: evil, inputs: {}, _meta: { title: evil } } });
  const out = renderText(diffWorkflows(before, after)) + renderTextconv(after);
  assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/.test(out), JSON.stringify(out));
  assert.equal(escapeTerminal('ok\u0085\u2066'), 'ok\\x85\\u2066');
});
