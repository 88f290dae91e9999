import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors, slice, txt2img, txt2imgText, validatePromptObject, validateText, type Prompt } from '../../fixtures/workflow/fixtures';
import { isMissingClassProblem, type Problem } from '../../../src/core/workflow/validate';

const codes = (ps: Problem[]) => ps.map((p) => `${p.severity}:${p.code}:${p.nodeId ?? ''}:${p.inputName ?? ''}`);
function mutate(f: (p: Prompt) => void): { text: string; problems: Problem[] } {
  const p = txt2img();
  f(p);
  const text = JSON.stringify(p, null, 2);
  return { text, problems: validateText(text) };
}

test('a correct workflow has no problems', () => {
  assert.deepEqual(validateText(txt2imgText()), []);
});

test('required_input_missing points at the "inputs" key and names the type', () => {
  const { text, problems } = mutate((p) => delete p['3']!.inputs!.steps);
  assert.deepEqual(codes(problems), ['error:required_input_missing:3:steps']);
  assert.equal(slice(text, problems[0]!), '"inputs"');
  assert.equal(problems[0]!.message, 'Required input "steps" (INT) is missing.');
  assert.equal(problems[0]!.data?.default, 20);
});

test('value_not_in_list lists the expected values and covers the value', () => {
  const { text, problems } = mutate((p) => (p['3']!.inputs!.sampler_name = 'eulr'));
  assert.deepEqual(codes(problems), ['error:value_not_in_list:3:sampler_name']);
  assert.equal(slice(text, problems[0]!), '"eulr"');
  assert.equal(problems[0]!.message, 'sampler_name must be one of euler, euler_ancestral, heun, dpm_2, dpm_2_ancestral, lms, … (8 values); got "eulr".');
  assert.equal((problems[0]!.data?.values as unknown[]).length, 8);
});

test('min and max', () => {
  let r = mutate((p) => (p['3']!.inputs!.steps = 0));
  assert.deepEqual(codes(r.problems), ['error:value_smaller_than_min:3:steps']);
  assert.equal(r.problems[0]!.message, 'steps must be at least 1; got 0.');
  assert.equal(slice(r.text, r.problems[0]!), '0');
  r = mutate((p) => (p['3']!.inputs!.cfg = 100.5));
  assert.deepEqual(codes(r.problems), ['error:value_bigger_than_max:3:cfg']);
  assert.deepEqual([r.problems[0]!.data?.min, r.problems[0]!.data?.max], [0, 100]);
});

test('invalid_input_type only when the server’s own conversion fails; conversions it performs are warnings', () => {
  let r = mutate((p) => (p['3']!.inputs!.steps = 'twenty'));
  assert.deepEqual(codes(r.problems), ['error:invalid_input_type:3:steps']);
  assert.equal(r.problems[0]!.message, 'steps must be an integer; got "twenty".');
  r = mutate((p) => (p['3']!.inputs!.steps = '20'));
  assert.deepEqual(codes(r.problems), ['warning:invalid_input_type:3:steps']);
  r = mutate((p) => (p['3']!.inputs!.steps = 7.9));
  assert.deepEqual(codes(r.problems), ['warning:invalid_input_type:3:steps']);
  // The server converts first, then compares with min/max.
  r = mutate((p) => (p['3']!.inputs!.steps = '0'));
  assert.deepEqual(codes(r.problems), ['warning:invalid_input_type:3:steps', 'error:value_smaller_than_min:3:steps']);
  r = mutate((p) => (p['3']!.inputs!.cfg = null));
  assert.deepEqual(codes(r.problems), ['error:invalid_input_type:3:cfg']);
  r = mutate((p) => (p['6']!.inputs!.text = 5));
  assert.deepEqual(codes(r.problems), ['warning:invalid_input_type:6:text']);
});

test('links: missing node, slot out of range, wrong type, bad arity, non-string id', () => {
  let r = mutate((p) => (p['3']!.inputs!.model = ['99', 0]));
  assert.deepEqual(
    errors(r.problems).map((p) => p.code),
    ['exception_during_inner_validation'],
  );
  assert.equal(slice(r.text, errors(r.problems)[0]!), '"99"');
  assert.equal(errors(r.problems)[0]!.message, 'model links to node "99", which is not in the prompt.');
  r = mutate((p) => (p['3']!.inputs!.model = ['4', 5]));
  assert.equal(errors(r.problems)[0]!.message, 'model links to output 5 of node 4 (CheckpointLoaderSimple), which has outputs 0–2.');
  assert.equal(slice(r.text, errors(r.problems)[0]!), '5');
  r = mutate((p) => (p['3']!.inputs!.model = ['4', 1]));
  assert.deepEqual(codes(errors(r.problems)), ['error:return_type_mismatch:3:model']);
  assert.equal(errors(r.problems)[0]!.message, 'model expects MODEL, but output 1 of node 4 is CLIP.');
  r = mutate((p) => (p['3']!.inputs!.model = ['4', 0, 1]));
  assert.deepEqual(codes(errors(r.problems)), ['error:bad_linked_input:3:model']);
  r = mutate((p) => (p['3']!.inputs!.model = [4, 0]));
  assert.deepEqual(codes(errors(r.problems)), ['error:exception_during_inner_validation:3:model']);
  r = mutate((p) => (p['3']!.inputs!.model = ['4', -1]));
  assert.deepEqual(codes(errors(r.problems)), ['error:exception_during_inner_validation:3:model']);
});

test('the server does not follow a mismatched link: upstream problems reachable only through it become warnings', () => {
  const r = mutate((p) => {
    p['8']!.inputs!.samples = ['4', 2]; // VAE into LATENT
    p['4']!.inputs!.ckpt_name = 'nope.safetensors';
  });
  // 4 is still reached through 8.vae, so its error stays.
  assert.deepEqual(codes(errors(r.problems)).sort(), ['error:return_type_mismatch:8:samples', 'error:value_not_in_list:4:ckpt_name']);
  const r2 = mutate((p) => {
    p['8']!.inputs!.samples = ['4', 2];
    p['3']!.inputs!.steps = 0;
  });
  assert.deepEqual(codes(errors(r2.problems)), ['error:return_type_mismatch:8:samples']);
  assert.ok(r2.problems.some((p) => p.code === 'value_smaller_than_min' && p.severity === 'warning'));
  assert.ok(r2.problems.some((p) => p.code === 'unreachable_node' && p.nodeId === '3' && p.severity === 'hint'));
});

test('comma unions and "*" match; dynamic dotted keys are not undeclared', () => {
  const p: Prompt = {
    '1': { class_type: 'EmptyLatentImage', inputs: { width: 512, height: 512, batch_size: 1 } },
    '2': { class_type: 'AnyPassthrough', inputs: { anything: ['1', 0] } },
    '3': { class_type: 'ResizeV3', inputs: { image: ['2', 0], method: 'bilinear', scale: 2, extra: ['1', 0] } },
    '4': { class_type: 'BatchImages', inputs: { 'images.image0': ['3', 0], 'images.image1': ['3', 0] } },
    '5': { class_type: 'SaveImage', inputs: { images: ['4', 0], filename_prefix: 'x' } },
  };
  const ps = validatePromptObject(p);
  // extra is INT but fed LATENT: a mismatch; everything else is fine.
  assert.deepEqual(codes(ps), ['error:return_type_mismatch:3:extra']);
  // The server compares numbers with min/max whatever the declared type, unions included.
  p['3']!.inputs!.scale = 9;
  assert.deepEqual(codes(validatePromptObject(p)), ['error:value_bigger_than_max:3:scale', 'error:return_type_mismatch:3:extra']);
});

test('new-style COMBO values are checked (like newer servers), and flagged as such in data', () => {
  const ps = validatePromptObject({
    '1': { class_type: 'EmptyLatentImage', inputs: { width: 512, height: 512, batch_size: 1 } },
    '2': { class_type: 'VAEDecode', inputs: { samples: ['1', 0], vae: ['9', 2] } },
    '9': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sd15.safetensors' } },
    '3': { class_type: 'ResizeV3', inputs: { image: ['2', 0], method: 'lanczos', scale: 1 } },
    '4': { class_type: 'SaveImage', inputs: { images: ['3', 0], filename_prefix: 'x' } },
  });
  assert.deepEqual(codes(ps), ['error:value_not_in_list:3:method']);
  assert.equal(ps[0]!.data?.comboStyle, 'options');
});

test('an unknown dynamic combo selector is accepted by the server: a warning that the node fails when it runs', () => {
  const ps = validatePromptObject({ '1': { class_type: 'ClaudeNode', inputs: { prompt: 'hi', model: 'Sonnet', 'model.max_tokens': 5 } } });
  assert.deepEqual(codes(ps), ['warning:value_not_in_list:1:model', 'warning:undeclared_input:1:model.max_tokens']);
  assert.match(ps[0]!.message, /not one of its options \(Opus, Haiku\).*fails when it runs/);
});

test('undeclared and hidden inputs are warnings (the server ignores them)', () => {
  const r = mutate((p) => {
    p['3']!.inputs!.stepz = 20;
    p['9']!.inputs!.prompt = {};
  });
  assert.deepEqual(codes(r.problems), ['warning:undeclared_input:3:stepz', 'warning:hidden_input:9:prompt']);
  assert.equal(slice(r.text, r.problems[0]!), '"stepz"');
});

test('a socket given a plain value is a warning: the server passes it on', () => {
  const r = mutate((p) => (p['3']!.inputs!.model = 'my-model'));
  assert.deepEqual(codes(r.problems), ['warning:invalid_input_type:3:model']);
});

test('unknown class: error with "did you mean" over class and display names; only the first is the server’s error', () => {
  const r = mutate((p) => {
    p['8']!.class_type = 'VAEDecod';
    p['5']!.class_type = 'Empty Latent Imag';
    p['3']!.inputs!.steps = 0;
  });
  const unknown = r.problems.filter((p) => p.code === 'missing_node_type');
  assert.deepEqual(
    unknown.map((p) => [p.nodeId, p.severity]),
    [
      ['5', 'error'],
      ['8', 'warning'],
    ],
  );
  assert.deepEqual(unknown.find((p) => p.nodeId === '8')!.data?.suggestions, ['VAEDecode']);
  assert.deepEqual(unknown.find((p) => p.nodeId === '5')!.data?.suggestions, ['EmptyLatentImage']);
  assert.equal(slice(r.text, unknown[0]!), '"Empty Latent Imag"');
  assert.match(unknown[1]!.message, /Did you mean "VAEDecode"\?/);
  // The server stops at the unknown class: other problems are kept, as warnings.
  const steps = r.problems.find((p) => p.code === 'value_smaller_than_min')!;
  assert.equal(steps.severity, 'warning');
  assert.match(steps.message, /server stops at the unknown node type/);
});

test('missing class_type and non-object nodes', () => {
  let ps = validatePromptObject({ '1': { inputs: {} }, '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } } });
  assert.deepEqual(codes(errors(ps)), ['error:missing_node_type:1:']);
  ps = validatePromptObject({ '1': 'KSampler' });
  assert.deepEqual(codes(errors(ps)), ['error:invalid_prompt:1:']);
  ps = validatePromptObject({ '1': { class_type: ['KSampler'], inputs: {} } });
  assert.deepEqual(codes(errors(ps)), ['error:missing_node_type:1:']);
});

test('no output node', () => {
  const r = mutate((p) => delete p['9']);
  assert.deepEqual(codes(r.problems), ['error:prompt_no_outputs::']);
  assert.equal(r.problems[0]!.range.offset, 0);
});

test('nodes no output reaches get a hint, and their errors become warnings', () => {
  const r = mutate((p) => {
    p['20'] = { class_type: 'EmptyLatentImage', inputs: { width: 1, height: 512, batch_size: 1 } };
  });
  assert.deepEqual(codes(r.problems), ['hint:unreachable_node:20:', 'warning:value_smaller_than_min:20:width']);
  assert.equal(r.problems[0]!.message, 'No output node depends on node 20; the server skips it.');
});

test('a cycle is reported once, on one of its nodes, naming each member once', () => {
  const ps = validatePromptObject({
    '1': { class_type: 'AnyPassthrough', inputs: { anything: ['2', 0] } },
    '2': { class_type: 'AnyPassthrough', inputs: { anything: ['1', 0] } },
    '3': { class_type: 'PreviewText', inputs: { text: ['1', 0], flag: true } },
  });
  const cyc = ps.filter((p) => p.code === 'dependency_cycle');
  assert.equal(cyc.length, 1);
  assert.ok(['1', '2'].includes(cyc[0]!.nodeId!));
  assert.match(cyc[0]!.message, /The links form a cycle: (1 -> 2 -> 1|2 -> 1 -> 2)\./);
});

test('rules by server version: a missing class and a cycle are named as the server in front of you names them', () => {
  const cyclic = {
    '1': { class_type: 'AnyPassthrough', inputs: { anything: ['2', 0] } },
    '2': { class_type: 'AnyPassthrough', inputs: { anything: ['1', 0] } },
    '3': { class_type: 'PreviewText', inputs: { text: ['1', 0], flag: true } },
  };
  const cycleOn = (serverVersion: string | undefined) =>
    errors(validatePromptObject(cyclic, serverVersion === undefined ? {} : { serverVersion })).map((p) => p.code);
  assert.deepEqual(cycleOn(undefined), ['dependency_cycle'], 'no version known: the newest rules');
  assert.deepEqual(cycleOn('0.33.0'), ['dependency_cycle']);
  assert.deepEqual(cycleOn('0.20.0'), ['dependency_cycle']);
  // 0.3.64's recursion overflows and the prompt fails with no node named (the mock's validate-own test shows the shape).
  assert.deepEqual(cycleOn('0.19.3'), ['prompt_outputs_failed_validation']);
  const old = errors(validatePromptObject(cyclic, { serverVersion: '0.3.64' }));
  assert.equal(old[0]!.nodeId, undefined);
  assert.match(old[0]!.message, /cycle: .* ComfyUI 0\.3\.64 has no cycle check: .*RecursionError/);
  const blocked = validatePromptObject({ ...cyclic, '4': { class_type: 'NoSuchNodeZz', inputs: {} } }, { serverVersion: '0.3.64' });
  assert.deepEqual(
    blocked.filter((p) => p.code === 'prompt_outputs_failed_validation').map((p) => p.severity),
    ['warning'],
    'the server stops at the unknown class before it recurses into the cycle',
  );

  const missing = { ...txt2img(), '9': { class_type: 'NoSuchNodeZz', inputs: {} }, '10': { inputs: {} } };
  const missingOn = (serverVersion: string) =>
    validatePromptObject(missing, { serverVersion })
      .filter((p) => p.nodeId === '9' || p.nodeId === '10')
      .map((p) => [p.nodeId, p.severity, p.code, p.data?.missingClass]);
  assert.deepEqual(missingOn('0.33.0'), [
    ['9', 'error', 'missing_node_type', true],
    ['10', 'warning', 'missing_node_type', true],
  ]);
  assert.deepEqual(missingOn('0.12.0'), missingOn('0.33.0'));
  assert.deepEqual(missingOn('0.3.64'), [
    ['9', 'error', 'invalid_prompt', true],
    ['10', 'warning', 'invalid_prompt', true],
  ]);
  // Whatever the code, the problem is still known as a missing class (pack lookup, quick fixes, the server's verdict).
  const p = validatePromptObject(missing, { serverVersion: '0.3.64' }).find((x) => x.nodeId === '9')!;
  assert.ok(isMissingClassProblem(p));
  assert.equal(p.data?.classType, 'NoSuchNodeZz');
  assert.ok(!isMissingClassProblem({ code: 'invalid_prompt', data: {} }), 'a node that is not an object is not a missing class');
});

test('the {"__value__": [...]} wrapper and multiselect', () => {
  const ps = validatePromptObject({
    '1': { class_type: 'PreviewText', inputs: { text: { __value__: ['a', 'b'] }, flag: true } },
  });
  // text is forceInput STRING fed a wrapped list: str() accepts it, so only a conversion warning.
  assert.deepEqual(codes(ps), ['warning:invalid_input_type:1:text']);
});

test('duplicate node ids and input keys are warnings; the last one counts', () => {
  const text =
    '{"9": {"class_type": "SaveImage", "inputs": {"images": ["8", 0], "filename_prefix": "a", "filename_prefix": 5}},' +
    '"8": {"class_type": "VAEDecode", "inputs": {"samples": ["5", 0], "vae": ["4", 2]}},' +
    '"4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd15.safetensors"}},' +
    '"5": {"class_type": "EmptyLatentImage", "inputs": {"width": 8, "height": 512, "batch_size": 1}},' +
    '"5": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 512, "batch_size": 1}}}';
  const ps = validateText(text);
  assert.deepEqual(codes(ps), ['warning:duplicate_key:9:filename_prefix', 'warning:invalid_input_type:9:filename_prefix', 'warning:duplicate_key:5:']);
});

test('messages in Simplified Chinese', () => {
  const p = txt2img();
  p['3']!.inputs!.steps = 0;
  delete p['3']!.inputs!.cfg;
  const ps = validatePromptObject(p, { locale: 'zh-CN' });
  assert.deepEqual(
    ps.map((x) => x.message),
    ['缺少必需输入 "cfg"（FLOAT）。', 'steps 不能小于 1；实际为 0。'],
  );
});

test('UI workflows and unrelated JSON yield no workflow problems (only syntax errors)', () => {
  assert.deepEqual(validateText('{"nodes": [], "links": [], "version": 0.4}'), []);
  assert.deepEqual(validateText('{"name": "x"}'), []);
  const broken = validateText('{"name": ');
  assert.ok(broken.length > 0 && broken.every((p) => p.code === 'syntax_error' && p.severity === 'error'));
});

test('a request body validates its prompt, honouring partial_execution_targets', () => {
  const p = txt2img();
  p['10'] = { class_type: 'SaveImage', inputs: { images: ['8', 0] } }; // missing filename_prefix
  const body = (targets?: string[]) => JSON.stringify({ client_id: 'c', prompt: p, ...(targets ? { partial_execution_targets: targets } : {}) }, null, 2);
  assert.deepEqual(codes(errors(validateText(body()))), ['error:required_input_missing:10:filename_prefix']);
  // Only output 9 is executed: node 10 is not validated by the server.
  assert.deepEqual(codes(errors(validateText(body(['9'])))), []);
  assert.deepEqual(codes(errors(validateText(body(['nope'])))), ['error:prompt_no_outputs::']);
});
