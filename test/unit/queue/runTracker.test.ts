import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NEEDS_SHARED, readSharedJson } from '../../helpers/shared';
import { describeRun, reduceRun, runFraction, startRun, type RunState, type SocketMessage } from '../../../src/core/queue/runTracker';
import type { ApiPrompt } from '../../../src/core/comfy/types';

const prompt: ApiPrompt = {
  '4': { class_type: 'CheckpointLoaderSimple', inputs: {} },
  '3': { class_type: 'KSampler', inputs: {}, _meta: { title: 'My Sampler' } },
  '9': { class_type: 'SaveImage', inputs: {} },
};
const P = 'p-1';
const m = (type: string, data: Record<string, unknown>): SocketMessage => ({ type, data: { prompt_id: P, ...data } });

function run(msgs: SocketMessage[], t0 = 1000): RunState {
  let s = startRun(P, prompt, t0);
  msgs.forEach((msg, i) => (s = reduceRun(s, msg, t0 + (i + 1) * 1000)));
  return s;
}

test('progress: current node title, steps, cached nodes and elapsed time', () => {
  let s = startRun(P, prompt, 0);
  assert.equal(describeRun(s, 4000), 'Waiting in queue · 0:04');
  s = reduceRun(s, m('execution_start', { timestamp: 5000 }), 5000);
  s = reduceRun(s, m('execution_cached', { nodes: ['4'] }), 5000);
  s = reduceRun(s, m('executing', { node: '3', display_node: '3' }), 5000);
  s = reduceRun(s, m('progress', { value: 12, max: 20, node: '3' }), 6000);
  assert.equal(s.status, 'running');
  assert.equal(describeRun(s, 19000), 'My Sampler (2/3) · step 12/20 · 1 cached · 0:14');
  assert.ok(Math.abs(runFraction(s) - (1 + 0.6) / 3) < 1e-9);
  s = reduceRun(s, m('executing', { node: '9', display_node: '9' }), 20000);
  assert.equal(s.value, undefined, 'steps belong to the node that reported them');
  assert.deepEqual(s.executedNodes, ['3']);
  s = reduceRun(s, m('executed', { node: '9', output: { images: [{ filename: 'a.png', subfolder: '', type: 'output' }] } }), 21000);
  s = reduceRun(s, m('execution_success', { timestamp: 22000 }), 22000);
  assert.equal(s.status, 'success');
  assert.equal(s.outputs.length, 1);
  assert.equal(describeRun(s, 99999), 'Finished in 0:17 · 1 cached');
  assert.equal(runFraction(s), 1);
});

test('node ids that are names of Object members are plain ids', () => {
  // JSON.parse makes "__proto__" an own key, as a workflow file can.
  const withProto = JSON.parse(`{"__proto__": {"class_type": "SaveImage", "inputs": {}}, ${JSON.stringify(prompt).slice(1)}`) as ApiPrompt;
  let s = startRun(P, withProto, 0);
  s = reduceRun(s, m('execution_start', {}), 0);
  s = reduceRun(s, m('executing', { node: 'constructor', display_node: 'constructor' }), 0);
  assert.match(describeRun(s, 1000), /^#constructor \(1\/4\)/);
  s = reduceRun(s, m('executing', { node: '__proto__', display_node: '__proto__' }), 0);
  assert.match(describeRun(s, 1000), /^SaveImage \(2\/4\)/);
});

test('messages of other prompts are ignored; prompt-less progress only counts while running', () => {
  const other = { type: 'execution_start', data: { prompt_id: 'other', timestamp: 1 } };
  assert.equal(run([other]).status, 'pending');
  const pre = reduceRun(startRun(P, prompt, 0), { type: 'progress', data: { value: 1, max: 2 } }, 1);
  assert.equal(pre.value, undefined);
  const s = run([m('execution_start', {}), { type: 'progress', data: { value: 1, max: 2, node: '3' } }]);
  assert.equal(s.value, 1);
});

test('execution_error and execution_interrupted end the run; later messages change nothing', () => {
  const e = run([
    m('execution_start', {}),
    m('executing', { node: '3' }),
    m('execution_error', {
      node_id: '3',
      node_type: 'KSampler',
      exception_message: 'CUDA OOM',
      exception_type: 'torch.OutOfMemoryError',
      traceback: ['a\n', 'b\n'],
    }),
    m('execution_success', {}),
  ]);
  assert.equal(e.status, 'error');
  assert.deepEqual(e.failure, { nodeId: '3', nodeType: 'KSampler', message: 'CUDA OOM', exceptionType: 'torch.OutOfMemoryError', traceback: ['a\n', 'b\n'] });
  assert.match(describeRun(e, 0), /^Failed at My Sampler after/);
  const i = run([m('execution_start', {}), m('execution_interrupted', { node_id: '3' })]);
  assert.equal(i.status, 'interrupted');
  assert.equal(i.interruptedAt, '3');
});

test('the legacy executing {node: null} also ends a run', () => {
  assert.equal(run([m('execution_start', {}), m('executing', { node: null })]).status, 'success');
});

interface Recorded {
  name: string;
  prompt: ApiPrompt;
  post_prompt_response: { prompt_id: string };
  ws_sequence: { t: number; kind: string; msg?: SocketMessage }[];
}

test('the real server’s WebSocket sequences drive the tracker to the right end state', { skip: NEEDS_SHARED }, () => {
  const runs = readSharedJson<Recorded[]>('fixtures', 'real-server', 'ws_sequence.json');
  const err = readSharedJson<Recorded>('fixtures', 'real-server', 'ws_sequence_execution_error.json');
  const results: Record<string, RunState> = {};
  for (const r of [...runs, err]) {
    let s = startRun(r.post_prompt_response.prompt_id, r.prompt, 0);
    for (const f of r.ws_sequence) if (f.kind === 'text' && f.msg) s = reduceRun(s, f.msg, Math.round(f.t * 1000));
    results[r.name] = s;
  }
  const ok = results.empty_image_save!;
  assert.equal(ok.status, 'success');
  assert.deepEqual(
    ok.outputs.map((o) => o.nodeId),
    ['2'],
  );
  assert.deepEqual(ok.executedNodes.sort(), ['1', '2']);
  const cached = results.empty_invert_save_cached_rerun!;
  assert.equal(cached.status, 'success');
  assert.ok(cached.cachedNodes.length > 0, 'the re-run reports cached nodes');
  const failed = results[err.name]!;
  assert.equal(failed.status, 'error');
  assert.ok(failed.failure && failed.failure.nodeId.length > 0 && failed.failure.traceback.length > 0);
});
