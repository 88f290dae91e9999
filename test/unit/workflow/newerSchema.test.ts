// Newer-schema (V3) inputs on our own small definitions (test/fixtures/workflow/v3_object_info.json): dynamic combos
// at any depth, autogrow, match-type, __value__, LoadImage-style file checks, multi-types, socketless widgets,
// and the rules that depend on the server's version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_DIR, slice } from '../../fixtures/workflow/fixtures';
import { parseWorkflowDocument } from '../../../src/core/workflow/document';
import { prepareNodeDefs } from '../../../src/core/workflow/nodeDefs';
import { validateWorkflow, type Problem, type ValidateOptions } from '../../../src/core/workflow/validate';
import { expandInputs } from '../../../src/core/workflow/dynamicInputs';

const defs = prepareNodeDefs(JSON.parse(readFileSync(join(FIXTURE_DIR, 'v3_object_info.json'), 'utf8')));
const codes = (ps: Problem[]) => ps.filter((p) => p.severity !== 'hint').map((p) => `${p.severity}:${p.code}:${p.nodeId ?? ''}:${p.inputName ?? ''}`);

function run(
  inputs: Record<string, unknown>,
  classType: string,
  options?: ValidateOptions,
  extra: Record<string, unknown> = {},
): { text: string; problems: Problem[] } {
  const def = defs.get(classType)!;
  const prompt: Record<string, unknown> = {
    '1': { class_type: 'Img', inputs: {} },
    '2': { class_type: 'Msk', inputs: {} },
    '10': { class_type: classType, inputs },
    ...extra,
  };
  if (!def.outputNode) prompt['20'] = { class_type: 'Preview', inputs: { images: ['10', 0] } };
  const text = JSON.stringify(prompt, null, 2);
  return { text, problems: validateWorkflow(parseWorkflowDocument(text), defs, options).filter((p) => p.severity !== 'hint') };
}

test('a dynamic combo expands the chosen option: nested inputs are checked like top-level ones, named by full path', () => {
  assert.deepEqual(codes(run({ image: ['1', 0], resize_type: 'scale dimensions', 'resize_type.width': 64, 'resize_type.height': 64 }, 'Resize').problems), []);
  let r = run({ image: ['1', 0], resize_type: 'scale dimensions', 'resize_type.width': 0, 'resize_type.height': 64 }, 'Resize');
  assert.deepEqual(codes(r.problems), ['error:value_smaller_than_min:10:resize_type.width']);
  assert.equal(slice(r.text, r.problems[0]!), '0');
  assert.match(r.problems[0]!.message, /^resize_type\.width must be at least 1/);
  r = run({ image: ['1', 0], resize_type: 'scale dimensions', 'resize_type.width': 'wide', 'resize_type.height': 64 }, 'Resize');
  assert.deepEqual(codes(r.problems), ['error:invalid_input_type:10:resize_type.width']);
  // Keys of another option are not used: the chosen option's inputs are missing.
  r = run({ image: ['1', 0], resize_type: 'scale dimensions', 'resize_type.multiplier': 2 }, 'Resize');
  assert.deepEqual(codes(r.problems).sort(), [
    'error:required_input_missing:10:resize_type.height',
    'error:required_input_missing:10:resize_type.width',
    'warning:undeclared_input:10:resize_type.multiplier',
  ]);
  assert.match(r.problems.find((p) => p.code === 'required_input_missing')!.message, /"resize_type\.(width|height)"/);
});

test('nested three levels deep: format.codec.encoding.crf', () => {
  const base = { video: ['1', 0], format: 'mp4', 'format.codec': 'h264', 'format.codec.encoding': 're-encode', 'format.codec.encoding.space': 'auto' };
  assert.deepEqual(codes(run({ ...base, 'format.codec.encoding.crf': 20 }, 'Save').problems), []);
  let r = run({ ...base, 'format.codec.encoding.crf': 60 }, 'Save');
  assert.deepEqual(codes(r.problems), ['error:value_bigger_than_max:10:format.codec.encoding.crf']);
  assert.equal(slice(r.text, r.problems[0]!), '60');
  r = run(base, 'Save');
  assert.deepEqual(codes(r.problems), ['error:required_input_missing:10:format.codec.encoding.crf']);
  r = run({ ...base, 'format.codec.encoding.crf': 20, 'format.codec.encoding.space': 'xyz' }, 'Save');
  assert.deepEqual(codes(r.problems), ['error:value_not_in_list:10:format.codec.encoding.space']);
  // The optional nested combo left out: nothing under it is required.
  assert.deepEqual(codes(run({ video: ['1', 0], format: 'mp4', 'format.codec': 'h264' }, 'Save').problems), []);
});

test('an unknown, missing, non-string or wrapped selector: accepted by the server, a warning that the node will fail', () => {
  for (const [value, reason] of [
    ['avi', 'unknownKey'],
    [2, 'notString'],
    [{ __value__: 'mp4' }, 'wrapped'],
  ] as const) {
    const r = run({ video: ['1', 0], format: value, 'format.codec.encoding.crf': 999 }, 'Save');
    const w = r.problems.filter((p) => p.data?.dynamicSelector === reason);
    assert.equal(w.length, 1, String(reason));
    assert.equal(w[0]!.severity, 'warning');
    assert.match(w[0]!.message, /fails when it runs/);
    assert.ok(!r.problems.some((p) => p.severity === 'error'), String(reason));
  }
  const r = run({ video: ['1', 0] }, 'Save');
  assert.deepEqual(codes(r.problems), ['warning:value_not_in_list:10:format']);
  assert.match(r.problems[0]!.message, /format is not set/);
  const zh = run({ video: ['1', 0], format: 'avi' }, 'Save', { locale: 'zh-cn' });
  assert.match(zh.problems.find((p) => p.severity === 'warning')!.message, /运行时会失败/);
});

test('autogrow: the minimum count is required, entries past the maximum are ignored, each entry’s link type is checked', () => {
  assert.deepEqual(codes(run({ 'images.image0': ['1', 0], 'images.image1': ['1', 0] }, 'Batch').problems), []);
  let r = run({ 'images.image1': ['1', 0] }, 'Batch');
  assert.deepEqual(codes(r.problems), ['error:required_input_missing:10:images.image0']);
  r = run({ 'images.image0': ['1', 0], 'images.image1': ['2', 0] }, 'Batch');
  assert.deepEqual(codes(r.problems), ['error:return_type_mismatch:10:images.image1']);
  assert.match(r.problems[0]!.message, /^images\.image1 expects IMAGE, but output 0 of node 2 is MASK/);
  r = run({ 'images.image0': ['1', 0], 'images.image1': ['1', 0], 'images.image4': ['2', 0] }, 'Batch');
  assert.deepEqual(codes(r.problems), ['warning:undeclared_input:10:images.image4']);
  // A bare owner key is not an entry.
  r = run({ images: ['1', 0] }, 'Batch');
  assert.deepEqual(
    codes(r.problems).filter((c) => c.startsWith('error')),
    ['error:required_input_missing:10:images.image0', 'error:required_input_missing:10:images.image1'],
  );
});

test('match-type: a missing required one is an error; a link outside allowed_types only a warning', () => {
  let r = run({}, 'Lst');
  assert.deepEqual(codes(r.problems), ['error:required_input_missing:10:inputs.input0']);
  r = run({ 'inputs.input0': ['3', 0] }, 'Lst', undefined, { '3': { class_type: 'Txt', inputs: {} } });
  assert.deepEqual(codes(r.problems), ['warning:return_type_mismatch:10:inputs.input0']);
  assert.match(r.problems[0]!.message, /accepts IMAGE,MASK, but the link brings STRING/);
  assert.deepEqual(codes(run({ 'inputs.input0': ['2', 0] }, 'Lst').problems), []);
});

test('{"__value__": x} is unwrapped before the checks', () => {
  assert.deepEqual(codes(run({ image: { __value__: 'a.png' } }, 'LoadImage').problems), []);
  assert.deepEqual(codes(run({ color: '#000000', box: { x: 0 }, amount: 2, mode: { __value__: 'fill' } }, 'Paint').problems), []);
  assert.deepEqual(codes(run({ image: ['1', 0], resize_type: 'scale by multiplier', 'resize_type.multiplier': { __value__: 99 } }, 'Resize').problems), [
    'error:value_bigger_than_max:10:resize_type.multiplier',
  ]);
});

test('LoadImage-style nodes: the server checks the file exists (annotated and subfolder names pass; a missing file is custom_validation_failed)', () => {
  for (const ok of ['a.png', 'a.png [input]', 'sub/x.png', 'x.png [output]']) assert.deepEqual(codes(run({ image: ok }, 'LoadImage').problems), [], ok);
  for (const bad of ['missing.png', 'missing.png [input]', 'https://example.com/x.png']) {
    const r = run({ image: bad }, 'LoadImage');
    assert.deepEqual(codes(r.problems), ['error:custom_validation_failed:10:image'], bad);
    assert.match(r.problems[0]!.message, /no file/);
  }
});

test('"FLOAT,INT" given a string fails inside the server’s min check; socketless widgets take values without a link warning', () => {
  const r = run({ color: '#000000', box: { x: 0, y: 0, width: 4, height: 4 }, amount: 'two', mode: 'fill' }, 'Paint');
  assert.deepEqual(codes(r.problems), ['error:exception_during_validation:10:amount']);
  assert.deepEqual(codes(run({ color: '#000000', box: {}, amount: 11, mode: 'fill' }, 'Paint').problems), ['error:value_bigger_than_max:10:amount']);
});

test('server version: 0.3.x leaves ["COMBO", {options}] values unchecked (a warning); 0.33 and unknown versions check them', () => {
  const inputs = { color: '#000000', box: {}, amount: 1, mode: 'spray' };
  assert.deepEqual(codes(run(inputs, 'Paint').problems), ['error:value_not_in_list:10:mode']);
  assert.deepEqual(codes(run(inputs, 'Paint', { serverVersion: '0.33.0' }).problems), ['error:value_not_in_list:10:mode']);
  const old = run(inputs, 'Paint', { serverVersion: '0.3.64' });
  assert.deepEqual(codes(old.problems), ['warning:value_not_in_list:10:mode']);
  assert.match(old.problems[0]!.message, /ComfyUI 0\.3\.64 does not check/);
});

test('a node behind a broken link is not "unused": the hint says the server stops before it', () => {
  const prompt = {
    '1': { class_type: 'Img', inputs: {} },
    '5': { class_type: 'Pair', inputs: { image1: ['99', 0], image2: ['1', 0] } },
    '20': { class_type: 'Preview', inputs: { images: ['5', 0] } },
    '30': { class_type: 'Img', inputs: {} },
  };
  const ps = validateWorkflow(parseWorkflowDocument(JSON.stringify(prompt, null, 2)), defs);
  const hints = ps.filter((p) => p.severity === 'hint');
  assert.deepEqual(
    hints.map((p) => [p.nodeId, p.data?.behindError === true]),
    [
      ['1', true],
      ['30', false],
    ],
  );
  assert.match(hints[0]!.message, /broken or mismatched link/);
  assert.match(hints[1]!.message, /No output node depends on node 30/);
});

test('expansion is bounded and cheap for classes without dynamic inputs', () => {
  const old = defs.get('Old')!;
  assert.equal(expandInputs(old, { has: () => false, get: () => undefined }).inputs, old.inputs);
  const huge = prepareNodeDefs({
    G: { input: { required: { xs: ['COMFY_AUTOGROW_V3', { template: { input: { required: { x: ['INT', {}] } }, prefix: 'x', min: 1e9 } }] } }, output: [] },
  });
  assert.ok(expandInputs(huge.get('G')!, { has: () => false, get: () => undefined }).inputs.length <= 201);
});
