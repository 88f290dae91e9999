import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ComfyHttpError, ComfyTimeoutError, ComfyUnreachableError } from '../../../src/core/comfy/errors';
import { SubmitUncertainError, cancelPrompt, submitPrompt } from '../../../src/core/queue/submit';
import { buildPromptRequest, detectSourceFormat } from '../../../src/core/queue/promptSource';
import { newPromptId } from '../../../src/core/comfy/ids';
import { FakeJobsQueueApi, FakeQueueApi } from './fakeApi';

const prompt = { '1': { class_type: 'EmptyImage', inputs: {} }, '2': { class_type: 'SaveImage', inputs: { images: ['1', 0] } } };
const body = () => ({ prompt, prompt_id: newPromptId(), client_id: 'c1' });

test('newPromptId is a canonical lowercase UUID', () => {
  assert.match(newPromptId(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('a plain success posts once', async () => {
  const api = new FakeQueueApi();
  const b = body();
  const r = await submitPrompt(api, b);
  assert.equal(r.prompt_id, b.prompt_id);
  assert.equal(r.attempts, 1);
  assert.equal(api.posted.length, 1);
});

test('a timeout after the server accepted the prompt is recovered from /queue, never re-posted', async () => {
  const api = new FakeQueueApi();
  api.failPost.push({ afterAccept: true, error: new ComfyTimeoutError('http://x/prompt', 10) });
  const b = body();
  const r = await submitPrompt(api, b, { retries: 3 });
  assert.equal(r.recovered, true);
  assert.equal(r.prompt_id, b.prompt_id);
  assert.equal(api.posted.length, 1, 'queued exactly once');
  assert.deepEqual(api.calls, ['queuePrompt', 'getQueue']);
});

test('a prompt that already finished is found in history', async () => {
  // The prompt ran and moved to history by the time we look.
  const api2 = new FakeQueueApi();
  api2.failPost.push({ afterAccept: true, error: new ComfyTimeoutError('http://x/prompt', 10) });
  const b2 = body();
  const origGetQueue = api2.getQueue.bind(api2);
  api2.getQueue = async () => {
    api2.start(b2.prompt_id);
    api2.finish();
    return origGetQueue();
  };
  const r2 = await submitPrompt(api2, b2);
  assert.equal(r2.recovered, true);
  assert.equal(api2.posted.length, 1);
});

test('a timeout before the server saw the prompt is retried once after checking', async () => {
  const api = new FakeQueueApi();
  api.failPost.push({ afterAccept: false, error: new ComfyTimeoutError('http://x/prompt', 10) });
  const r = await submitPrompt(api, body());
  assert.equal(r.attempts, 2);
  assert.equal(r.recovered, false);
  assert.equal(api.posted.length, 1);
  assert.deepEqual(api.calls, ['queuePrompt', 'getQueue', 'getHistoryItem', 'queuePrompt']);
});

test('when the check itself fails the result is uncertain and nothing is re-posted', async () => {
  const api = new FakeQueueApi();
  api.failPost.push({ afterAccept: false, error: new ComfyTimeoutError('http://x/prompt', 10) });
  api.failQueue = new ComfyUnreachableError('http://x/queue', 'refused', 'ECONNREFUSED');
  await assert.rejects(submitPrompt(api, body()), SubmitUncertainError);
  assert.equal(api.calls.filter((c) => c === 'queuePrompt').length, 1);
});

test('a 400 is definitive: no check, no retry', async () => {
  const api = new FakeQueueApi();
  const err = new ComfyHttpError(
    'http://x/prompt',
    'POST',
    400,
    'Bad Request',
    {},
    { error: { type: 'prompt_no_outputs', message: 'm', details: '' }, node_errors: {} },
  );
  api.failPost.push({ afterAccept: false, error: err });
  await assert.rejects(submitPrompt(api, body()), (e) => e === err);
  assert.deepEqual(api.calls, ['queuePrompt']);
});

test('a refused connection never reached the server: thrown as is', async () => {
  const api = new FakeQueueApi();
  const err = new ComfyUnreachableError('http://x/prompt', 'refused', 'ECONNREFUSED');
  api.failPost.push({ afterAccept: false, error: err });
  await assert.rejects(submitPrompt(api, body()), (e) => e === err);
  assert.deepEqual(api.calls, ['queuePrompt']);
});

test('cancelPrompt interrupts a running prompt (targeted) and dequeues a pending one', async () => {
  const api = new FakeQueueApi();
  const a = body();
  const b = body();
  await submitPrompt(api, a);
  await submitPrompt(api, b);
  api.start(a.prompt_id);
  assert.equal(await cancelPrompt(api, a.prompt_id), 'interrupted');
  assert.equal(await cancelPrompt(api, b.prompt_id), 'dequeued');
  assert.equal(await cancelPrompt(api, 'nope'), 'not-found');
  assert.deepEqual(
    api.calls.filter((c) => !c.startsWith('get') && c !== 'queuePrompt'),
    [`interrupt(${a.prompt_id})`, `deleteFromQueue(${b.prompt_id})`],
  );
});

test('cancelPrompt with the jobs API (0.33): one cancel request wherever the prompt is, never /interrupt or /queue', async () => {
  const api = new FakeJobsQueueApi();
  const a = body();
  const b = body();
  await submitPrompt(api, a);
  await submitPrompt(api, b);
  api.start(a.prompt_id);
  assert.equal(await cancelPrompt(api, a.prompt_id), 'interrupted');
  assert.equal(await cancelPrompt(api, b.prompt_id), 'dequeued');
  assert.equal(api.pending.length, 0);
  assert.equal(await cancelPrompt(api, 'nope'), 'not-found');
  api.finish();
  assert.equal(await cancelPrompt(api, a.prompt_id), 'not-found', 'a finished prompt is not cancelled again');
  assert.deepEqual(
    api.calls.filter((c) => c.startsWith('cancelJob') || c.startsWith('interrupt') || c.startsWith('delete')),
    [`cancelJob(${a.prompt_id})`, `cancelJob(${b.prompt_id})`],
  );
  assert.ok(!api.calls.includes('getQueue'));
});

test('buildPromptRequest: API as is, request bodies unwrapped, UI converted with the workflow attached', () => {
  assert.equal(detectSourceFormat(prompt), 'api');
  const api = buildPromptRequest(prompt, 'api', { promptId: 'p1', clientId: 'c', front: true });
  assert.deepEqual(api, { prompt, prompt_id: 'p1', client_id: 'c', front: true });

  const saved = {
    prompt,
    client_id: 'old',
    prompt_id: 'old',
    number: 3,
    extra_data: { client_id: 'old', extra_pnginfo: { workflow: { a: 1 } } },
    partial_execution_targets: ['2'],
  };
  assert.equal(detectSourceFormat(saved), 'request');
  const req = buildPromptRequest(saved, 'request', { promptId: 'p2', clientId: 'c' });
  assert.deepEqual(req, { prompt, prompt_id: 'p2', client_id: 'c', extra_data: { extra_pnginfo: { workflow: { a: 1 } } }, partial_execution_targets: ['2'] });

  const ui = { nodes: [{ id: 1 }], links: [] };
  assert.equal(detectSourceFormat(ui), 'ui');
  const conv = buildPromptRequest(ui, 'ui', { promptId: 'p3', convertUi: () => ({ prompt }) });
  assert.deepEqual(conv, { prompt, prompt_id: 'p3', extra_data: { extra_pnginfo: { workflow: ui } } });
  assert.throws(() => buildPromptRequest(ui, 'ui', { promptId: 'p' }), /node definitions/);
  assert.throws(() => buildPromptRequest({}, 'api', { promptId: 'p' }), /no nodes/);
  assert.equal(detectSourceFormat([1]), 'none');
});
