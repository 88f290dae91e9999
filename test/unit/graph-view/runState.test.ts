// The run as the graph shows it: executing node with steps, cached, done, failed, output images; other prompts ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ComfyMessage } from '../../../src/core/comfy/messages';
import { reduceGraphRun, sceneNodeId, sceneOfText, startGraphRun } from '../../../src/core/graph-view';

const m = (type: string, data: Record<string, unknown>): ComfyMessage => ({ type, data }) as unknown as ComfyMessage;

test('a run: cached, executing with steps, executed with images, then finished', () => {
  const run = startGraphRun('p1');
  assert.equal(reduceGraphRun(run, m('execution_cached', { prompt_id: 'p1', nodes: ['4', '5'] })), true);
  reduceGraphRun(run, m('executing', { prompt_id: 'p1', node: '3' }));
  reduceGraphRun(run, m('progress', { prompt_id: 'p1', node: '3', value: 7, max: 20 }));
  assert.deepEqual(run.executing, { nodeId: '3', value: 7, max: 20 });
  assert.equal(reduceGraphRun(run, m('progress', { prompt_id: 'other', node: '9', value: 1, max: 2 })), false, 'other prompts are ignored');
  reduceGraphRun(run, m('executing', { prompt_id: 'p1', node: '9' }));
  reduceGraphRun(run, m('executed', { prompt_id: 'p1', node: '9', output: { images: [{ filename: 'a.png', subfolder: '', type: 'output' }, { bad: 1 }] } }));
  reduceGraphRun(run, m('executing', { prompt_id: 'p1', node: null }));
  assert.deepEqual(run.cached, ['4', '5']);
  assert.deepEqual(run.done, ['3', '9']);
  assert.equal(run.executing, undefined);
  assert.equal(run.finished, true);
  assert.deepEqual(run.outputs.get('9'), [{ filename: 'a.png', subfolder: '', type: 'output' }]);
});

test('a failure marks its node; the on-connect replay (no prompt id) changes nothing', () => {
  const run = startGraphRun('p2');
  assert.equal(reduceGraphRun(run, m('executing', { node: '3' })), false);
  reduceGraphRun(run, m('executing', { prompt_id: 'p2', node: '3' }));
  reduceGraphRun(
    run,
    m('execution_error', {
      prompt_id: 'p2',
      node_id: '3',
      node_type: 'KSampler',
      executed: [],
      exception_message: 'x',
      exception_type: 'E',
      traceback: [],
      current_inputs: {},
      current_outputs: [],
    }),
  );
  assert.deepEqual(run.failed, ['3']);
  assert.equal(run.executing, undefined);
});

test('execution ids inside a subgraph show on its instance at the root, on the inner node when opened', () => {
  const text = readFileSync(join(__dirname, '..', '..', 'fixtures', 'graph', 'showcase.ui.json'), 'utf8');
  assert.equal(sceneNodeId(sceneOfText(text)!, '10:2'), '10');
  assert.equal(sceneNodeId(sceneOfText(text)!, '3'), '3');
  assert.equal(sceneNodeId(sceneOfText(text, { level: ['10'] })!, '10:2'), '2');
  assert.equal(sceneNodeId(sceneOfText(text, { level: ['10'] })!, '3'), undefined);
});
