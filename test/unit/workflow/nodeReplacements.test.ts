// Node replacements (/node_replacements, ComfyUI 0.33): the hint on deprecated classes, the quick fix that rewrites
// the node (inputs incl. set_value and dotted ids, output links), and the 500 a missing replaced class causes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_DIR } from '../../fixtures/workflow/fixtures';
import { NEEDS_SHARED, readSharedJson } from '../../helpers/shared';
import { parseWorkflowDocument } from '../../../src/core/workflow/document';
import { applyEdits } from '../../../src/core/workflow/edits';
import { getQuickFixes } from '../../../src/core/workflow/fixes';
import { prepareNodeDefs } from '../../../src/core/workflow/nodeDefs';
import { explainReplacementCrash, parseNodeReplacements } from '../../../src/core/workflow/nodeReplacements';
import { validateWorkflow } from '../../../src/core/workflow/validate';

const defs = prepareNodeDefs(JSON.parse(readFileSync(join(FIXTURE_DIR, 'v3_object_info.json'), 'utf8')));
// Our own registrations, in the server's format: Old → Resize (set_value on the selector, a dotted new id, output 0 → 0),
// Pair → Batch (dotted autogrow ids), Gone (not a class here) → Img.
const REPLACEMENTS = parseNodeReplacements({
  Old: [
    {
      new_node_id: 'Resize',
      old_node_id: 'Old',
      input_mapping: [
        { new_id: 'image', old_id: 'images' },
        { new_id: 'resize_type', set_value: 'scale by multiplier' },
        { new_id: 'resize_type.multiplier', old_id: 'factor' },
      ],
      output_mapping: [{ old_idx: 0, new_idx: 0 }],
    },
  ],
  Pair: [
    {
      new_node_id: 'Batch',
      old_node_id: 'Pair',
      input_mapping: [
        { new_id: 'images.image0', old_id: 'image1' },
        { new_id: 'images.image1', old_id: 'image2' },
      ],
      output_mapping: null,
    },
  ],
  Gone: [{ new_node_id: 'Img', old_node_id: 'Gone', input_mapping: null, output_mapping: null }],
  Broken: 'not a list',
});

test('the format is read (first registration per class; malformed entries skipped)', () => {
  assert.deepEqual([...REPLACEMENTS.keys()], ['Old', 'Pair', 'Gone']);
  assert.deepEqual(REPLACEMENTS.get('Old')!.inputs![1], { newId: 'resize_type', setValue: 'scale by multiplier' });
  assert.equal(REPLACEMENTS.get('Gone')!.inputs, undefined);
});

test('a class listed there gets a hint, and the quick fix rewrites the node into its replacement, which validates', () => {
  const prompt = {
    '1': { class_type: 'Img', inputs: {} },
    '5': { class_type: 'Old', inputs: { images: ['1', 0], factor: 2 } },
    '6': { class_type: 'Pair', inputs: { image1: ['5', 0], image2: ['1', 0] } },
    '20': { class_type: 'Preview', inputs: { images: ['6', 0] } },
  };
  const text = JSON.stringify(prompt, null, 2);
  const doc = parseWorkflowDocument(text);
  const problems = validateWorkflow(doc, defs, { nodeReplacements: REPLACEMENTS });
  const hints = problems.filter((p) => p.code === 'deprecated_node');
  assert.deepEqual(
    hints.map((p) => [p.severity, p.nodeId]),
    [
      ['hint', '5'],
      ['hint', '6'],
    ],
  );
  assert.equal(hints[0]!.message, 'Old is deprecated on this server; replace it with Resize.');
  let fixed = text;
  for (const id of ['6', '5']) {
    const d = parseWorkflowDocument(fixed);
    const p = validateWorkflow(d, defs, { nodeReplacements: REPLACEMENTS }).find((x) => x.code === 'deprecated_node' && x.nodeId === id)!;
    const fixes = getQuickFixes(d, defs, p);
    assert.equal(fixes[0]!.title, `Replace with ${id === '5' ? 'Resize' : 'Batch'} (the server's registered replacement)`);
    fixed = applyEdits(fixed, fixes[0]!.edits);
  }
  const out = JSON.parse(fixed) as Record<string, { class_type: string; inputs: Record<string, unknown> }>;
  assert.deepEqual(out['5'], { class_type: 'Resize', inputs: { image: ['1', 0], resize_type: 'scale by multiplier', 'resize_type.multiplier': 2 } });
  assert.deepEqual(out['6'], { class_type: 'Batch', inputs: { 'images.image0': ['5', 0], 'images.image1': ['1', 0] } });
  assert.deepEqual(
    validateWorkflow(parseWorkflowDocument(fixed), defs).filter((p) => p.severity !== 'hint'),
    [],
  );
});

test('output mapping moves the links that point at the replaced node', () => {
  const r = parseNodeReplacements({ Old: [{ new_node_id: 'Img', input_mapping: [], output_mapping: [{ old_idx: 0, new_idx: 2 }] }] });
  const text = JSON.stringify(
    { '5': { class_type: 'Old', inputs: { images: ['1', 0] } }, '20': { class_type: 'Preview', inputs: { images: ['5', 0] } } },
    null,
    2,
  );
  const doc = parseWorkflowDocument(text);
  const p = validateWorkflow(doc, defs, { nodeReplacements: r }).find((x) => x.code === 'deprecated_node')!;
  const out = JSON.parse(applyEdits(text, getQuickFixes(doc, defs, p)[0]!.edits)) as Record<string, { class_type: string; inputs: unknown }>;
  assert.deepEqual(out['5'], { class_type: 'Img', inputs: {} });
  assert.deepEqual(out['20']!.inputs, { images: ['5', 2] });
});

test('a missing class with a registered replacement: the error says the server will fail on it, and the fix replaces it', () => {
  const prompt = { '3': { class_type: 'Gone', inputs: {} }, '20': { class_type: 'Preview', inputs: { images: ['3', 0] } } };
  const text = JSON.stringify(prompt, null, 2);
  const doc = parseWorkflowDocument(text);
  const p = validateWorkflow(doc, defs, { nodeReplacements: REPLACEMENTS }).find((x) => x.code === 'missing_node_type')!;
  assert.equal(p.severity, 'error');
  assert.match(p.message, /^Node 3 uses Gone, which this server does not have but lists as replaced by Img; .*Server got itself in trouble/);
  assert.match(
    validateWorkflow(doc, defs, { nodeReplacements: REPLACEMENTS, locale: 'zh-cn' }).find((x) => x.code === 'missing_node_type')!.message,
    /替代节点 Img/,
  );
  const fixed = applyEdits(text, getQuickFixes(doc, defs, p)[0]!.edits);
  assert.equal((JSON.parse(fixed) as Record<string, { class_type: string }>)['3']!.class_type, 'Img');
  // The run flow: a 500 on such a prompt names the node.
  assert.deepEqual(
    explainReplacementCrash(500, prompt, REPLACEMENTS, (c) => defs.has(c)),
    { nodeId: '3', classType: 'Gone', replacement: 'Img' },
  );
  assert.equal(
    explainReplacementCrash(400, prompt, REPLACEMENTS, (c) => defs.has(c)),
    undefined,
  );
  assert.equal(
    explainReplacementCrash(500, { '20': prompt['20'] }, REPLACEMENTS, (c) => defs.has(c)),
    undefined,
  );
});

test('the recorded 0.33 registrations: ImageBatch → BatchImagesNode (dotted autogrow ids), ImageScaleBy → ResizeImageMaskNode', { skip: NEEDS_SHARED }, () => {
  const r = parseNodeReplacements(readSharedJson('fixtures/real-server-0.33/node_replacements.json'));
  const d033 = prepareNodeDefs(readSharedJson('fixtures/real-server-0.33/object_info.json'));
  assert.equal(r.get('ImageBatch')!.newClass, 'BatchImagesNode');
  const prompt = {
    '1': { class_type: 'LoadImage', inputs: { image: 'example.png' } },
    '2': { class_type: 'ImageScaleBy', inputs: { image: ['1', 0], upscale_method: 'area', scale_by: 1.5 } },
    '3': { class_type: 'ImageBatch', inputs: { image1: ['2', 0], image2: ['1', 0] } },
    '4': { class_type: 'PreviewImage', inputs: { images: ['3', 0] } },
  };
  let text = JSON.stringify(prompt, null, 2);
  for (const id of ['3', '2']) {
    const doc = parseWorkflowDocument(text);
    const p = validateWorkflow(doc, d033, { nodeReplacements: r }).find((x) => x.code === 'deprecated_node' && x.nodeId === id);
    if (!p) continue; // not every listed class is still on the server
    text = applyEdits(text, getQuickFixes(doc, d033, p)[0]!.edits);
  }
  const out = JSON.parse(text) as Record<string, { class_type: string; inputs: Record<string, unknown> }>;
  assert.equal(out['2']!.class_type, 'ResizeImageMaskNode');
  assert.deepEqual(out['2']!.inputs, { input: ['1', 0], resize_type: 'scale by multiplier', 'resize_type.multiplier': 1.5, scale_method: 'area' });
  assert.deepEqual(out['3'], { class_type: 'BatchImagesNode', inputs: { 'images.image0': ['2', 0], 'images.image1': ['1', 0] } });
  const errors = validateWorkflow(parseWorkflowDocument(text), d033).filter((p) => p.severity === 'error');
  assert.deepEqual(
    errors.map((p) => [p.nodeId, p.code, p.inputName]),
    [],
  );
  // T2IAdapterLoader is gone from 0.33 but registered: the 500 is explained.
  assert.equal(d033.has('T2IAdapterLoader'), false);
  assert.deepEqual(
    explainReplacementCrash(500, { '7': { class_type: 'T2IAdapterLoader', inputs: {} } }, r, (c) => d033.has(c)),
    { nodeId: '7', classType: 'T2IAdapterLoader', replacement: 'ControlNetLoader' },
  );
});
