// The canonical format on every fixture: idempotent, meaning-preserving (the same prompt, and for UI workflows
// the same converted prompt), numbers kept exactly, and a one-value edit of a formatted file changes one line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatWorkflowText, FormatError } from '../../../src/core/diff/format';
import { parseJson, printJson, JsonSyntaxError, MAX_DEPTH } from '../../../src/core/diff/json';
import { convertUiWorkflow } from '../../../src/core/workflow/toPrompt';
import type { ObjectInfo } from '../../../src/core/comfy/types';
import { listShared, NEEDS_SHARED, readSharedJson, sharedPath } from '../../helpers/shared';

const INFO = (NEEDS_SHARED ? {} : readSharedJson('fixtures', 'object_info', 'MeshAiProtocol__Redlip-app__object_info.json')) as ObjectInfo;

function fixtures(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const dir of ['api', 'ui', 'pairs']) {
    for (const f of listShared('fixtures', dir))
      if (f.endsWith('.json')) out.push({ file: `${dir}/${f}`, text: readFileSync(sharedPath('fixtures', dir, f), 'utf8') });
  }
  return out;
}

describe('format on every fixture', { skip: NEEDS_SHARED }, () => {
  const all = fixtures();
  it('covers the api, ui and pairs fixtures', () => assert.ok(all.length >= 90, String(all.length)));
  for (const { file, text } of all) {
    it(file, () => {
      const once = formatWorkflowText(text);
      assert.equal(formatWorkflowText(once), once, 'idempotent');
      const before = JSON.parse(text);
      const after = JSON.parse(once);
      assert.deepEqual(after, before, 'same JSON value');
      if (Array.isArray(before.nodes)) {
        const p = convertUiWorkflow(before, INFO, { dynamicPrompts: false }).prompt;
        const q = convertUiWorkflow(after, INFO, { dynamicPrompts: false }).prompt;
        assert.deepEqual(q, p, 'same converted prompt');
      }
      // Stripping volatile fields and ordering by definitions are formats too: idempotent as well.
      const stripped = formatWorkflowText(text, { stripVolatile: true, objectInfo: INFO });
      assert.equal(formatWorkflowText(stripped, { stripVolatile: true, objectInfo: INFO }), stripped);
    });
  }
});

describe('format details', () => {
  const api = JSON.stringify({
    '10': { inputs: { b: ['3', 0], a: 1 }, class_type: 'X' },
    '3': { _meta: { title: 'T' }, class_type: 'Y', inputs: { seed: 18446744073709551615 } },
  });
  it('orders API node ids numerically and node keys class_type, inputs, _meta; keeps 64-bit numbers exactly', () => {
    const out = formatWorkflowText(api.replace('18446744073709552000', '18446744073709551615'));
    assert.equal(
      out,
      '{\n  "3": {\n    "class_type": "Y",\n    "inputs": {\n      "seed": 18446744073709551615\n    },\n    "_meta": {\n      "title": "T"\n    }\n  },\n  "10": {\n    "class_type": "X",\n    "inputs": {\n      "b": ["3", 0],\n      "a": 1\n    }\n  }\n}\n',
    );
  });
  it('orders inputs as the class declares them when definitions are known', () => {
    const info = { X: { input: { required: { a: ['INT'], b: ['MODEL'] } }, input_order: { required: ['a', 'b'] } } } as unknown as ObjectInfo;
    assert.match(formatWorkflowText(api, { objectInfo: info }), /"a": 1,\n {6}"b": \["3", 0\]/);
  });
  it('a one-value edit of a formatted file changes exactly one line', () => {
    const text = formatWorkflowText(
      JSON.stringify({
        nodes: [{ id: 1, type: 'KSampler', pos: [1, 2], widgets_values: [1, 'fixed', 20, 8, 'euler', 'normal', 1] }],
        links: [[1, 1, 0, 2, 0, 'MODEL']],
        extra: { ds: { scale: 1 } },
        version: 0.4,
      }),
    );
    const edited = formatWorkflowText(text.replace('"fixed", 20,', '"fixed", 30,'));
    const a = text.split('\n');
    const b = edited.split('\n');
    assert.equal(a.length, b.length);
    assert.equal(a.filter((l, i) => l !== b[i]).length, 1);
  });
  it('--strip-volatile drops extra.ds and the frontend version stamp only', () => {
    const out = JSON.parse(
      formatWorkflowText(JSON.stringify({ nodes: [], links: [], extra: { ds: {}, frontendVersion: '1.2', keep: 1 } }), { stripVolatile: true }),
    );
    assert.deepEqual(out.extra, { keep: 1 });
  });
  it('rejects invalid JSON, non-workflows and over-deep nesting with one sentence', () => {
    assert.throws(() => formatWorkflowText('{"a":'), FormatError);
    assert.throws(() => formatWorkflowText('[1,2]'), FormatError);
    assert.throws(() => formatWorkflowText('{"a": [1,]}'), FormatError);
    assert.throws(() => parseJson('['.repeat(MAX_DEPTH + 1)), JsonSyntaxError);
    assert.throws(() => parseJson('['.repeat(1_000_000)), JsonSyntaxError);
  });
  it('the JSON printer round-trips strings with escapes, unicode and duplicate keys as JSON.parse reads them', () => {
    const text = '{"a":"\\u0000\\n\\"é😀","b":[true,false,null,-0.5e-3],"a":2,"c":{}}';
    assert.deepEqual(JSON.parse(printJson(parseJson(text))), JSON.parse(text));
  });
});
