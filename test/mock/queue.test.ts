// The mock's PromptQueue against Python's heapq and execution.py's PromptQueue semantics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAXIMUM_HISTORY_SIZE, PromptQueue, type QueueItem } from '../mock-comfyui/queue';

const item = (n: number, id: string): QueueItem => [n, id, {}, {}, []];

test('pending items are listed in heapq array order, popped smallest (number, prompt_id) first', () => {
  let changes = 0;
  const q = new PromptQueue(() => changes++);
  // heapq.heappush of 5, 3, 8, 1, 3(b) gives the array [1, 3, 8, 5, 3b] in Python.
  for (const [n, id] of [
    [5, 'e'],
    [3, 'a'],
    [8, 'x'],
    [1, 'z'],
    [3, 'b'],
  ] as const)
    q.put(item(n, id));
  assert.deepEqual(
    q.pending.map((i) => `${i[0]}${i[1]}`),
    ['1z', '3a', '8x', '5e', '3b'],
  );
  assert.equal(changes, 5);
  const order: string[] = [];
  for (let got = q.get(); got; got = q.get()) order.push(`${got.item[0]}${got.item[1]}`);
  assert.deepEqual(order, ['1z', '3a', '3b', '5e', '8x']);
  assert.equal(q.remaining(), 5); // all running until task_done
});

test('deletePending removes only pending items and re-heapifies; the last one wipes', () => {
  const q = new PromptQueue(() => {});
  for (const [n, id] of [
    [1, 'a'],
    [2, 'b'],
    [3, 'c'],
    [4, 'd'],
  ] as const)
    q.put(item(n, id));
  const running = q.get()!;
  assert.equal(q.deletePending('a'), false);
  assert.equal(q.deletePending('c'), true);
  assert.deepEqual(
    q.pending.map((i) => i[1]),
    ['b', 'd'],
  );
  q.taskDone(running.taskId, { outputs: {}, meta: {} }, null);
  assert.deepEqual([...q.history.keys()], ['a']);
});

test('history: get_history offset/max_items semantics and the MAXIMUM_HISTORY_SIZE trim', () => {
  const q = new PromptQueue(() => {});
  const run = (id: string) => {
    q.put(item(0, id));
    q.taskDone(q.get()!.taskId, { outputs: {}, meta: {} }, { status_str: 'success', completed: true, messages: [] });
  };
  for (const id of ['p0', 'p1', 'p2', 'p3', 'p4']) run(id);
  const keys = (max?: number, offset?: number) => q.getHistory(max, offset).map(([k]) => k);
  assert.deepEqual(keys(), ['p0', 'p1', 'p2', 'p3', 'p4']);
  assert.deepEqual(keys(2), ['p3', 'p4']);
  assert.deepEqual(keys(2, 1), ['p1', 'p2']);
  assert.deepEqual(keys(undefined, 3), ['p3', 'p4']);
  assert.deepEqual(keys(0, 2), ['p2']);
  assert.deepEqual(keys(9), ['p0', 'p1', 'p2', 'p3', 'p4']);
  // Re-running an id keeps its place (a dict assignment), like the server.
  run('p1');
  assert.deepEqual(keys(), ['p0', 'p1', 'p2', 'p3', 'p4']);

  for (let i = 5; i < MAXIMUM_HISTORY_SIZE + 3; i++) run(`p${i}`);
  // The trim happens before adding, so the history holds MAXIMUM_HISTORY_SIZE + 1 entries.
  assert.equal(q.history.size, MAXIMUM_HISTORY_SIZE + 1);
  assert.equal(q.history.keys().next().value, 'p2');
});

test('sensitive extra_data keys are dropped from history', () => {
  const q = new PromptQueue(() => {});
  q.put([0, 'x', {}, { client_id: 'c', auth_token_comfy_org: 't', api_key_comfy_org: 'k' }, []]);
  const got = q.get()!;
  assert.equal(got.item[3]['auth_token_comfy_org'], 't'); // still there while queued, as in 0.3.64
  q.taskDone(got.taskId, { outputs: {}, meta: {} }, null);
  assert.deepEqual(q.history.get('x')!.prompt[3], { client_id: 'c' });
});
