import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NEEDS_SHARED, readSharedJson } from '../../helpers/shared';
import { ProblemLocator, apiPathResolver, executionErrorProblem, promptErrorProblems, uiFallbackResolver } from '../../../src/core/queue/serverErrors';
import type { PromptErrorBody } from '../../../src/core/comfy/types';

const textAt = (text: string, r: { offset: number; length: number }) => text.slice(r.offset, r.offset + r.length);

test('each node_errors entry lands on its input in an API file, with message and details', { skip: NEEDS_SHARED }, () => {
  const rec = readSharedJson<{ request: { prompt: unknown }; response: PromptErrorBody }>('fixtures', 'real-server', 'errors_steps_negative.json');
  const text = JSON.stringify(rec.request.prompt, null, 2);
  const problems = promptErrorProblems(rec.response, new ProblemLocator(text, apiPathResolver()));
  const got = problems.map((p) => [p.code, p.nodeId, p.inputName, textAt(text, p.range), p.message]);
  assert.deepEqual(got.sort(), [
    ['value_not_in_list', '4', 'ckpt_name', '"v1-5-pruned-emaonly.safetensors"', "Value not in list: ckpt_name: 'v1-5-pruned-emaonly.safetensors' not in []"],
    ['value_smaller_than_min', '3', 'steps', '-5', 'Value -5 smaller than min of 1: steps'],
  ]);
});

test('the same in a /prompt request body; a missing input points at "inputs"', () => {
  const body = { prompt: { '3': { class_type: 'KSampler', inputs: { seed: 1 } } }, client_id: 'x' };
  const text = JSON.stringify(body, null, 1);
  const err: PromptErrorBody = {
    error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '' },
    node_errors: {
      '3': {
        errors: [{ type: 'required_input_missing', message: 'Required input is missing', details: 'model', extra_info: { input_name: 'model' } }],
        dependent_outputs: [],
        class_type: 'KSampler',
      },
    },
  };
  const [p] = promptErrorProblems(err, new ProblemLocator(text, apiPathResolver(['prompt'])));
  assert.equal(textAt(text, p!.range), '"inputs"');
  assert.equal(p!.message, 'Required input is missing: model');
});

test('a top-level error without node entries points at the node named in its details, else the file start', { skip: NEEDS_SHARED }, () => {
  const rec = readSharedJson<{ request: { prompt: unknown }; response: PromptErrorBody }>('fixtures', 'real-server', 'errors_unknown_class_type.json');
  const text = JSON.stringify(rec.request.prompt, null, 2);
  const [p] = promptErrorProblems(rec.response, new ProblemLocator(text, apiPathResolver()));
  assert.equal(p!.code, 'invalid_prompt');
  assert.equal(p!.nodeId, '10');
  assert.equal(textAt(text, p!.range), '"10"');
  const none = readSharedJson<{ request: { prompt: unknown }; response: PromptErrorBody }>('fixtures', 'real-server', 'errors_no_output_node.json');
  const t2 = JSON.stringify(none.request.prompt, null, 2);
  const [q] = promptErrorProblems(none.response, new ProblemLocator(t2, apiPathResolver()));
  assert.equal(q!.code, 'prompt_no_outputs');
  assert.deepEqual(q!.range, { offset: 0, length: 1 });
});

test('UI files: a source-map resolver gives the widget value; the fallback finds the node and linked slots', () => {
  const ui = {
    nodes: [
      { id: 4, type: 'CheckpointLoaderSimple', inputs: [], widgets_values: ['missing.safetensors'] },
      { id: 3, type: 'KSampler', inputs: [{ name: 'model', type: 'MODEL', link: 1 }], widgets_values: [1, 'fixed', -5, 8, 'euler', 'normal', 1] },
    ],
    links: [[1, 4, 0, 3, 0, 'MODEL']],
  };
  const text = JSON.stringify(ui, null, 2);
  const err: PromptErrorBody = {
    error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '' },
    node_errors: {
      '3': {
        errors: [
          { type: 'value_smaller_than_min', message: 'Value -5 smaller than min of 1', details: 'steps', extra_info: { input_name: 'steps' } },
          { type: 'return_type_mismatch', message: 'Return type mismatch between linked nodes', details: 'model', extra_info: { input_name: 'model' } },
        ],
        dependent_outputs: [],
        class_type: 'KSampler',
      },
    },
  };
  // What the conversion's source map provides: API (node, input) → UI JSON path.
  const fallback = uiFallbackResolver(ui);
  const mapped = (nodeId: string, input?: string) => (nodeId === '3' && input === 'steps' ? ['nodes', 1, 'widgets_values', 2] : fallback(nodeId, input));
  const [steps, model] = promptErrorProblems(err, new ProblemLocator(text, mapped));
  assert.equal(textAt(text, steps!.range), '-5');
  assert.equal(textAt(text, model!.range), '"model"');
  // Without the map a widget error still lands on the node (its "type").
  const [s2] = promptErrorProblems(err, new ProblemLocator(text, fallback));
  assert.equal(textAt(text, s2!.range), '"KSampler"');
});

test('execution_error becomes a problem on the failing node with the traceback as detail', () => {
  const text = JSON.stringify({ '1': { class_type: 'LoadImage', inputs: { image: 'x.png' } } }, null, 2);
  const p = executionErrorProblem(
    {
      node_id: '1',
      node_type: 'LoadImage',
      exception_type: 'FileNotFoundError',
      exception_message: 'No such file: x.png\n',
      traceback: ['Traceback\n', '  line\n'],
    },
    new ProblemLocator(text, apiPathResolver()),
  );
  assert.equal(p.message, 'FileNotFoundError in LoadImage: No such file: x.png');
  assert.equal(textAt(text, p.range), '"1"');
  assert.equal(p.detail, 'Traceback\n  line\n');
});

test('trackProblems drops problems at an edited spot and moves the ones after it', async () => {
  const { trackProblems } = await import('../../../src/core/queue/serverErrors');
  const ps = [
    { id: 'a', range: { offset: 10, length: 5 } },
    { id: 'b', range: { offset: 30, length: 2 } },
  ];
  assert.deepEqual(
    trackProblems(ps, [{ rangeOffset: 0, rangeLength: 0, text: 'xyz' }]).map((p) => [p.id, p.range.offset]),
    [
      ['a', 13],
      ['b', 33],
    ],
  );
  assert.deepEqual(
    trackProblems(ps, [{ rangeOffset: 12, rangeLength: 1, text: '7' }]).map((p) => p.id),
    ['b'],
  );
  assert.deepEqual(
    trackProblems(ps, [{ rangeOffset: 15, rangeLength: 0, text: '0' }]).map((p) => p.id),
    ['b'],
    'typing at the end of a span counts',
  );
  assert.deepEqual(
    trackProblems(ps, [{ rangeOffset: 20, rangeLength: 5, text: '' }]).map((p) => [p.id, p.range.offset]),
    [
      ['a', 10],
      ['b', 25],
    ],
  );
});
