// The validation worker's host side (issue 13, deliver 1): a time budget per request that starts once the worker is
// up, a stuck worker terminated and replaced, a newer edit abandoning the request the worker is busy with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/util/clock';
import { ValidationWorkerClient, type WorkerLike } from '../../src/vscode/language/worker/workerClient';
import type { HostToWorker, WorkerToHost } from '../../src/shared/validationProtocol';

class FakeWorker implements WorkerLike {
  posted: HostToWorker[] = [];
  transferred: ArrayBuffer[] = [];
  terminated = false;
  /** Like the real worker, says at once that it loaded the definitions (unless a test answers itself). */
  constructor(private readonly ackDefinitions = true) {}
  private listeners: Record<string, ((x: never) => void)[]> = {};
  postMessage(m: HostToWorker, transfer?: ArrayBuffer[]): void {
    this.posted.push(m);
    this.transferred.push(...(transfer ?? []));
    if (m.type === 'definitions' && this.ackDefinitions) this.emit({ type: 'definitions', generation: m.generation });
  }
  on(event: string, listener: (x: never) => void): void {
    (this.listeners[event] ??= []).push(listener);
  }
  emit(m: WorkerToHost): void {
    for (const l of this.listeners.message ?? []) l(m as never);
  }
  terminate(): Promise<number> {
    this.terminated = true;
    return Promise.resolve(0);
  }
}

function setup(budgetMs = 100, ackDefinitions = true) {
  const clock = new ManualClock();
  const workers: FakeWorker[] = [];
  const client = new ValidationWorkerClient({
    createWorker: () => (workers.push(new FakeWorker(ackDefinitions)), workers.at(-1)!),
    budgetMs: () => budgetMs,
    clock,
  });
  return { clock, workers, client };
}
const defs = { objectInfo: {} };

test('a request past its budget is cut short, the worker is terminated and the next request gets a fresh one', async () => {
  const { clock, workers, client } = setup();
  const r = client.validate('{}', 'api', defs, 'en');
  workers[0]!.emit({ type: 'ready' });
  assert.deepEqual(
    workers[0]!.posted.map((m) => m.type),
    ['definitions', 'validate'],
  );
  clock.advance(99);
  clock.advance(2);
  assert.deepEqual(await r, { kind: 'cutShort', budgetMs: 100 });
  assert.equal(workers[0]!.terminated, true);
  const next = client.validate('{}', 'api', defs, 'en');
  assert.equal(workers.length, 2);
  assert.deepEqual(
    workers[1]!.posted.map((m) => m.type),
    ['definitions', 'validate'],
    'the new worker gets the definitions again',
  );
  const id = (workers[1]!.posted[1] as { id: number }).id;
  workers[1]!.emit({ type: 'result', id, problems: [], total: 0, isWorkflow: true, durationMs: 1 });
  assert.equal((await next).kind, 'done');
});

test("the budget starts when the worker is ready (start-up is not the document's fault)", async () => {
  const { clock, workers, client } = setup();
  const r = client.validate('{}', 'api', defs, 'en');
  clock.advance(1000);
  workers[0]!.emit({ type: 'ready' });
  const id = (workers[0]!.posted[1] as { id: number }).id;
  workers[0]!.emit({ type: 'result', id, problems: [], total: 0, isWorkflow: true, durationMs: 1 });
  assert.equal((await r).kind, 'done');
});

test('a newer edit abandons the request the worker is busy with: stale, and the queued one goes to a fresh worker', async () => {
  const { workers, client } = setup(10_000);
  const older = new AbortController();
  const first = client.validate('{"old":1}', 'api', defs, 'en', { signal: older.signal });
  workers[0]!.emit({ type: 'ready' });
  const second = client.validate('{"new":1}', 'api', defs, 'en');
  older.abort();
  assert.deepEqual(await first, { kind: 'stale' });
  assert.equal(workers[0]!.terminated, true);
  assert.equal(workers.length, 2);
  const reposted = workers[1]!.posted.find((m) => m.type === 'validate') as Extract<HostToWorker, { type: 'validate' }>;
  assert.equal(reposted.text, '{"new":1}');
  workers[1]!.emit({ type: 'ready' });
  workers[1]!.emit({ type: 'result', id: reposted.id, problems: [], total: 0, isWorkflow: true, durationMs: 1 });
  assert.equal((await second).kind, 'done');
});

test('a crashed worker cuts its requests short instead of retrying them', async () => {
  const { workers, client } = setup();
  const r = client.validate('{}', 'api', defs, 'en');
  for (const l of (workers[0] as unknown as { listeners: Record<string, ((x: never) => void)[]> }).listeners.exit ?? []) l(1 as never);
  assert.equal((await r).kind, 'cutShort');
});

test('a request queued behind a hostile one gets its own full budget, on the fresh worker', async () => {
  const { clock, workers, client } = setup(100);
  const hostile = client.validate('{"hostile":1}', 'api', defs, 'en');
  const normal = client.validate('{"normal":1}', 'api', defs, 'en');
  workers[0]!.emit({ type: 'ready' });
  clock.advance(101);
  assert.equal((await hostile).kind, 'cutShort');
  const reposted = workers[1]!.posted.find((m) => m.type === 'validate') as Extract<HostToWorker, { type: 'validate' }>;
  assert.equal(reposted.text, '{"normal":1}');
  clock.advance(500); // the new worker is still starting: no budget runs yet
  workers[1]!.emit({ type: 'ready' });
  clock.advance(99);
  workers[1]!.emit({ type: 'result', id: reposted.id, problems: [], total: 0, isWorkflow: true, durationMs: 1 });
  assert.equal((await normal).kind, 'done');
});

test('definitions as bytes are transferred (a copy), and the budget starts once the worker has loaded them', async () => {
  const { clock, workers, client } = setup(100, false);
  const bytes = new TextEncoder().encode('{"KSampler":{}}');
  const r = client.validate('{}', 'api', { objectInfo: {}, objectInfoBytes: bytes }, 'en');
  workers[0]!.emit({ type: 'ready' });
  const sent = workers[0]!.posted[0] as Extract<HostToWorker, { type: 'definitions' }>;
  assert.equal(sent.objectInfo, undefined, 'no object graph is cloned');
  assert.deepEqual([...sent.objectInfoBytes!], [...bytes]);
  assert.notEqual(sent.objectInfoBytes, bytes, 'a copy: the host keeps its bytes');
  assert.deepEqual(workers[0]!.transferred, [sent.objectInfoBytes!.buffer]);
  // Loading takes long (a 100 MB /object_info): the request is not cut short for that.
  clock.advance(5000);
  workers[0]!.emit({ type: 'definitions', generation: sent.generation });
  clock.advance(99);
  const id = (workers[0]!.posted[1] as { id: number }).id;
  workers[0]!.emit({ type: 'result', id, problems: [], total: 0, isWorkflow: true, durationMs: 1 });
  assert.equal((await r).kind, 'done');
  // A worker that never finishes loading is given up on after a generous cap.
  const stuck = setup(100, false);
  const r2 = stuck.client.validate('{}', 'api', { objectInfo: {} }, 'en');
  stuck.workers[0]!.emit({ type: 'ready' });
  stuck.clock.advance(60_001);
  assert.deepEqual(await r2, { kind: 'cutShort', budgetMs: 100 });
});
