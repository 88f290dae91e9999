import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from 'jsonc-parser';
import {
  DEFAULT_SEED_BOUNDS,
  MAX_RANDOM_RANGE,
  findApiControls,
  findUiControls,
  nextControlledValue,
  planSeedRuns,
  seedWriteBackEdits,
  withValues,
} from '../../../src/core/queue/seedControl';

const bounds = { min: 0, max: 100, step: 1 };

test('nextControlledValue follows the web UI rules, clamped to the range', () => {
  assert.equal(nextControlledValue(5, 'fixed', bounds), 5);
  assert.equal(nextControlledValue(5, 'increment', bounds), 6);
  assert.equal(nextControlledValue(5, 'decrement', bounds), 4);
  assert.equal(nextControlledValue(100, 'increment', bounds), 100);
  assert.equal(nextControlledValue(0, 'decrement', bounds), 0);
  assert.equal(nextControlledValue(7, 'increment', { min: 0, max: 100, step: 5 }), 12);
  assert.equal(
    nextControlledValue(5, 'randomize', bounds, () => 0),
    0,
  );
  assert.equal(
    nextControlledValue(5, 'randomize', bounds, () => 0.999999),
    99,
  );
  // The 2^64 seed range is capped at 2^50 like the frontend does.
  const r = nextControlledValue(1, 'randomize', { min: 0, max: 2 ** 64, step: 1 }, () => 0.5);
  assert.equal(r, MAX_RANDOM_RANGE / 2);
  assert.ok(Number.isSafeInteger(r));
});

const ui = {
  nodes: [
    { id: 3, type: 'KSampler', widgets_values: [156680208700286, 'randomize', 20, 8, 'euler', 'normal', 1] },
    { id: 7, type: 'PrimitiveNode', widgets_values: [10, 'increment'] },
    { id: 9, type: 'CheckpointLoaderSimple', widgets_values: ['model.safetensors'] },
    { id: 11, type: 'Combo', widgets_values: ['euler', 'randomize', ''] },
    { id: 12, type: 'KSampler', widgets_values: [4, 'fixed', 20, 8, 'euler', 'normal', 1] },
  ],
  definitions: { subgraphs: [{ id: 'sg', nodes: [{ id: 1, type: 'KSampler', widgets_values: [1, 'decrement', 20] }] }] },
};

test('findUiControls: an integer followed by a mode string, in the root graph and in subgraphs; not combos', () => {
  const controls = findUiControls(ui);
  assert.deepEqual(
    controls.map((c) => [c.path.join('/'), c.mode, c.value, c.nodeId]),
    [
      ['nodes/0/widgets_values/0', 'randomize', 156680208700286, '3'],
      ['nodes/1/widgets_values/0', 'increment', 10, '7'],
      ['nodes/4/widgets_values/0', 'fixed', 4, '12'],
      ['definitions/subgraphs/0/nodes/0/widgets_values/0', 'decrement', 1, '1'],
    ],
  );
  assert.deepEqual(controls[0]!.bounds, DEFAULT_SEED_BOUNDS);
});

test('planSeedRuns: the first run uses the file values, each next run the moved values; `next` is left for later', () => {
  const controls = findUiControls(ui);
  const { runs, next } = planSeedRuns(controls, 3, () => 0.25);
  assert.equal(runs.length, 3);
  assert.deepEqual(runs[0], [156680208700286, 10, 4, 1]);
  assert.deepEqual(runs[1], [MAX_RANDOM_RANGE / 4, 11, 4, 0]);
  assert.deepEqual(runs[2], [MAX_RANDOM_RANGE / 4, 12, 4, 0]);
  assert.deepEqual(next, [MAX_RANDOM_RANGE / 4, 13, 4, 0]);
});

test('withValues returns a modified deep copy and leaves the original alone', () => {
  const controls = findUiControls(ui);
  const copy = withValues(ui, controls, [1, 2, 3, 4]);
  assert.equal(copy.nodes[0]!.widgets_values[0], 1);
  assert.equal(copy.definitions.subgraphs[0]!.nodes[0]!.widgets_values[0], 4);
  assert.equal(ui.nodes[0]!.widgets_values[0], 156680208700286);
});

test('findApiControls: seed/noise_seed follow the default mode; _meta overrides per node or per input; links are skipped', () => {
  const prompt = {
    '3': { class_type: 'KSampler', inputs: { seed: 5, steps: 20, model: ['4', 0] } },
    '4': { class_type: 'SamplerCustom', inputs: { noise_seed: ['9', 0] } },
    '5': { class_type: 'KSampler', inputs: { seed: 8, steps: 3 }, _meta: { control_after_generate: 'increment' } },
    '6': { class_type: 'KSampler', inputs: { seed: 8, steps: 3 }, _meta: { control_after_generate: { steps: 'decrement' } } },
  };
  const c = findApiControls(prompt, 'fixed', ['prompt'], (cls, name) => (cls === 'KSampler' && name === 'seed' ? { min: 0, max: 10, step: 1 } : undefined));
  assert.deepEqual(
    c.map((x) => [x.path.join('/'), x.mode, x.inputName]),
    [
      ['prompt/3/inputs/seed', 'fixed', 'seed'],
      ['prompt/5/inputs/seed', 'increment', 'seed'],
      ['prompt/6/inputs/seed', 'fixed', 'seed'],
      ['prompt/6/inputs/steps', 'decrement', 'steps'],
    ],
  );
  assert.deepEqual(c[0]!.bounds, { min: 0, max: 10, step: 1 });
  assert.deepEqual(
    findApiControls(prompt, 'randomize').map((x) => x.mode),
    ['randomize', 'increment', 'randomize', 'decrement'],
  );
});

test('seedWriteBackEdits changes only the number literals, keeping the formatting', () => {
  const text =
    '{\n  "3": {"class_type": "KSampler", "inputs": {"seed":   5, "steps": 20}},\n  // note\n  "5": {"class_type": "KSampler", "inputs": {"seed": 9}}\n}';
  const c = findApiControls(
    { '3': { class_type: 'KSampler', inputs: { seed: 5, steps: 20 } }, '5': { class_type: 'KSampler', inputs: { seed: 9 } } },
    'increment',
  );
  const edits = seedWriteBackEdits(text, c, [6, 9]);
  assert.equal(edits.length, 1, 'an unchanged value needs no edit');
  assert.equal(
    applyEdits(
      text,
      edits.map((e) => ({ ...e, content: e.newText })),
    ),
    text.replace('"seed":   5', '"seed":   6'),
  );
  // A literal that changed kind since the controls were read is skipped, not overwritten.
  assert.deepEqual(
    seedWriteBackEdits(text.replace('"seed":   5', '"seed": "x"'), c, [6, 10]).map((e) => e.newText),
    ['10'],
  );
});
