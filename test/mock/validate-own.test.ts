// validatePrompt on the mock's own node definitions: the 0.3.64 details the recordings do not cover.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validatePrompt, INTERNAL_ERROR_TEXT } from '../mock-comfyui/validate';
import { defaultObjectInfo } from '../mock-comfyui/nodeDefs';
import { invertPrompt } from './helpers';

const info = defaultObjectInfo({ inputFiles: ['example.png'], models: { checkpoints: ['model.safetensors'] } });
type Body = {
  error: { type: string; message: string; details: string };
  node_errors: Record<
    string,
    { errors: Array<{ type: string; message: string; details: string; extra_info: Record<string, unknown> }>; dependent_outputs: string[] }
  >;
};

test('values are converted in place like the server does, on a copy', () => {
  const prompt = invertPrompt('conv') as Record<string, { inputs: Record<string, unknown> }>;
  prompt['1']!.inputs['width'] = '32';
  prompt['1']!.inputs['color'] = { __value__: 5 };
  const r = validatePrompt(prompt, info, { promptId: 'p', number: 3 });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { prompt_id: 'p', number: 3, node_errors: {} });
  assert.deepEqual(r.outputs, ['3']);
  assert.equal((r.prompt!['1'] as { inputs: Record<string, unknown> }).inputs['width'], 32);
  assert.equal((r.prompt!['1'] as { inputs: Record<string, unknown> }).inputs['color'], 5);
  assert.equal(prompt['1']!.inputs['width'], '32', 'the caller’s object is untouched');
});

test('error texts follow Python: float formatting, int() and float() messages, list repr', () => {
  const prompt = {
    '1': { class_type: 'ImageBlur', inputs: { image: ['2', 0], blur_radius: '3.5', sigma: 20 } },
    '2': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
    '3': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } },
    '4': { class_type: 'ImageScale', inputs: { image: ['2', 0], upscale_method: "it's", width: 1, height: 1, crop: 'disabled' } },
    '5': { class_type: 'PreviewImage', inputs: { images: ['4', 0] } },
  };
  const r = validatePrompt(prompt, info);
  assert.equal(r.status, 400);
  const errors = (r.body as Body).node_errors;
  assert.deepEqual(
    errors['1']!.errors.map((e) => [e.type, e.message, e.details]),
    [
      ['invalid_input_type', 'Failed to convert an input value to a INT value', "blur_radius, 3.5, invalid literal for int() with base 10: '3.5'"],
      ['value_bigger_than_max', 'Value 20.0 bigger than max of 10.0', 'sigma'],
    ],
  );
  assert.deepEqual(
    errors['4']!.errors.map((e) => e.details),
    [`upscale_method: 'it's' not in ['nearest-exact', 'bilinear', 'area', 'bicubic', 'lanczos']`],
  );
});

test('links: a 3-element list, a missing slot on an output, a missing node upstream', () => {
  const bad = invertPrompt('l') as Record<string, { inputs: Record<string, unknown> }>;
  bad['2']!.inputs['image'] = ['1', 0, 1];
  let body = validatePrompt(bad, info).body as Body;
  assert.equal(body.node_errors['2']!.errors[0]!.type, 'bad_linked_input');

  const slot = invertPrompt('l') as Record<string, { inputs: Record<string, unknown> }>;
  slot['3']!.inputs['images'] = ['2', 3];
  body = validatePrompt(slot, info).body as Body;
  assert.deepEqual(body.error.details, 'Exception when validating node: tuple index out of range');
  assert.equal(body.node_errors['3']!.errors[0]!.type, 'exception_during_validation');

  const missing = invertPrompt('l') as Record<string, { inputs: Record<string, unknown> }>;
  missing['2']!.inputs['image'] = ['99', 0];
  body = validatePrompt(missing, info).body as Body;
  // Recorded on the linked node (2), with the downstream input's name (images of node 3).
  assert.deepEqual(Object.keys(body.node_errors), ['2']);
  assert.deepEqual(body.node_errors['2']!.errors[0]!.extra_info['input_name'], 'images');
  assert.deepEqual(body.node_errors['2']!.errors[0]!.extra_info['linked_node'], ['2', 0]);
  assert.equal(body.node_errors['2']!.errors[0]!.details, "'99'");
});

test('a cycle fails validation without errors on any node (0.3.64 overflows its recursion)', () => {
  const prompt = {
    '1': { class_type: 'ImageInvert', inputs: { image: ['2', 0] } },
    '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
    '3': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } },
  };
  const r = validatePrompt(prompt, info);
  assert.equal(r.status, 400);
  assert.deepEqual(r.body, {
    error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '', extra_info: {} },
    node_errors: {},
  });
});

test('every failing output is appended to every erroneous node seen so far (the server loop’s quirk)', () => {
  const prompt = {
    '1': { class_type: 'EmptyImage', inputs: { width: 0, height: 8, batch_size: 1, color: 0 } },
    '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } },
    '3': { class_type: 'EmptyImage', inputs: { width: 8, height: 0, batch_size: 1, color: 0 } },
    '4': { class_type: 'PreviewImage', inputs: { images: ['3', 0] } },
  };
  const body = validatePrompt(prompt, info).body as Body;
  assert.deepEqual(body.node_errors['1']!.dependent_outputs, ['2', '4']);
  assert.deepEqual(body.node_errors['3']!.dependent_outputs, ['4']);
});

test('top level: class checks in key order, no outputs, partial targets, non-dict prompts', () => {
  const prompt = { '10': { class_type: 'Nope1', inputs: {} }, '2': { class_type: 'Nope2', inputs: {} } };
  const inJsOrder = validatePrompt(prompt, info).body as Body;
  assert.equal(inJsOrder.error.details, "Node ID '#2'");
  const inTextOrder = validatePrompt(prompt, info, { keyOrder: ['10', '2'] }).body as Body;
  assert.deepEqual(inTextOrder.error, {
    type: 'invalid_prompt',
    message: 'Cannot execute because node Nope1 does not exist.',
    details: "Node ID '#10'",
    extra_info: {},
  });
  assert.equal((validatePrompt({ '1': { class_type: null } }, info).body as Body).error.message, 'Cannot execute because node None does not exist.');
  assert.equal((validatePrompt({ '1': 'abc' }, info).body as Body).error.message, 'Cannot execute because a node is missing the class_type property.');
  assert.equal((validatePrompt({}, info).body as Body).error.type, 'prompt_no_outputs');
  assert.equal((validatePrompt([], info).body as Body).error.type, 'prompt_no_outputs');
  assert.deepEqual(validatePrompt([1, 2], info), { status: 500, body: INTERNAL_ERROR_TEXT });
  assert.deepEqual(validatePrompt({ '1': 5 }, info), { status: 500, body: INTERNAL_ERROR_TEXT });
  const two = { ...invertPrompt('a'), '4': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } } };
  assert.deepEqual(validatePrompt(two, info, { partialExecutionTargets: ['4'] }).outputs, ['4']);
  assert.equal((validatePrompt(two, info, { partialExecutionTargets: [] }).body as Body).error.type, 'prompt_no_outputs');
});

test('LoadImage validates its own file; new-style COMBO values are not checked in 0.3.64', () => {
  const load = (image: string) => ({ '1': { class_type: 'LoadImage', inputs: { image } }, '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } } });
  assert.equal(validatePrompt(load('example.png'), info).status, 200);
  assert.equal(validatePrompt(load('other.png'), info, { fileExists: () => true }).status, 200);
  const body = validatePrompt(load('missing.png'), info).body as Body;
  assert.deepEqual(body.node_errors['1']!.errors[0]!.details, 'image - Invalid image file: missing.png');
  const v3 = {
    Pick: { input: { required: { choice: ['COMBO', { options: ['a', 'b'] }] } }, output: [], output_node: true, name: 'Pick' },
  };
  assert.equal(validatePrompt({ '1': { class_type: 'Pick', inputs: { choice: 'zzz' } } }, v3).status, 200);
});
