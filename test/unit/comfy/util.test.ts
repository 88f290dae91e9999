// The small pure helpers the client and socket build on (src/core/util).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, DEFAULT_BACKOFF } from '../../../src/core/util/backoff';
import { Emitter } from '../../../src/core/util/emitter';
import { debounce } from '../../../src/core/util/debounce';
import { deadline, delay } from '../../../src/core/util/abort';
import { every, ManualClock } from '../../../src/core/util/clock';

test('backoff grows by the factor, is capped, and jitter only shortens it', () => {
  const o = { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 };
  assert.deepEqual(
    [0, 1, 2, 3, 4, 50].map((a) => backoffDelay(a, o, () => 0)),
    [100, 200, 400, 800, 1000, 1000],
  );
  assert.deepEqual(
    [0, 1, 4].map((a) => backoffDelay(a, o, () => 1)),
    [50, 100, 500],
  );
  for (let i = 0; i < 200; i++) {
    const d = backoffDelay(i % 12, DEFAULT_BACKOFF);
    assert.ok(d >= 0 && d <= DEFAULT_BACKOFF.maxMs, String(d));
  }
  // Huge attempt numbers do not overflow into NaN/Infinity.
  assert.equal(
    backoffDelay(10_000, o, () => 0),
    1000,
  );
});

test('emitter: typed delivery, unsubscribe, once, and isolation of throwing listeners', () => {
  const errors: unknown[] = [];
  const e = new Emitter<{ a: number; b: string }>((err) => errors.push(err));
  const got: unknown[] = [];
  const sub = e.on('a', (n) => got.push(n));
  e.on('a', () => {
    throw new Error('bad listener');
  });
  e.on('a', (n) => got.push(n * 10));
  e.once('b', (s) => got.push(s));
  e.emit('a', 1);
  e.emit('b', 'x');
  e.emit('b', 'y');
  sub.dispose();
  sub.dispose();
  e.emit('a', 2);
  assert.deepEqual(got, [1, 10, 'x', 20]);
  assert.equal(errors.length, 2);
  assert.equal(e.listenerCount('a'), 2);
  e.dispose();
  assert.equal(e.listenerCount('a'), 0);
});

test('debounce runs the last call once after the quiet period; flush and cancel', () => {
  const clock = new ManualClock();
  const calls: number[] = [];
  const d = debounce((n: number) => calls.push(n), 100, clock);
  d(1);
  clock.advance(50);
  d(2);
  clock.advance(99);
  assert.deepEqual(calls, []);
  clock.advance(1);
  assert.deepEqual(calls, [2]);
  d(3);
  assert.ok(d.pending);
  d.flush();
  assert.deepEqual(calls, [2, 3]);
  d(4);
  d.cancel();
  clock.advance(1000);
  assert.deepEqual(calls, [2, 3]);
  assert.equal(clock.pending, 0);
});

test('debounce reads a function wait at every call, and `after` overrides it once', () => {
  const clock = new ManualClock();
  const calls: string[] = [];
  let wait = 100;
  const d = debounce(
    (s: string) => calls.push(s),
    () => wait,
    { clock },
  );
  wait = 30;
  d('a');
  clock.advance(30);
  assert.deepEqual(calls, ['a']);
  d.after(0, 'b');
  clock.advance(0);
  assert.deepEqual(calls, ['a', 'b']);
  d('c');
  d.after(5, 'd'); // restart mode: the later call replaces the earlier one, with its own wait
  clock.advance(5);
  assert.deepEqual(calls, ['a', 'b', 'd']);
  assert.equal(clock.pending, 0);
});

test('debounce in burst mode runs at most once per wait, with the first call of the burst', () => {
  const clock = new ManualClock();
  const calls: string[] = [];
  const d = debounce((s: string) => calls.push(s), 100, { clock, mode: 'burst' });
  d('first');
  clock.advance(60);
  d('second');
  d.after(0, 'third'); // joins the burst: no earlier run
  clock.advance(39);
  assert.deepEqual(calls, []);
  clock.advance(1);
  assert.deepEqual(calls, ['first']);
  d('next');
  assert.ok(d.pending);
  d.cancel();
  clock.advance(1000);
  assert.deepEqual(calls, ['first']);
  assert.equal(clock.pending, 0);
});

test('every repeats on the injected clock, survives a throwing run and stops when disposed, also from inside', () => {
  const clock = new ManualClock();
  let runs = 0;
  const timer = every(clock, 100, () => {
    runs++;
    if (runs === 2) throw new Error('one bad run');
  });
  clock.advance(99);
  assert.equal(runs, 0);
  assert.throws(() => clock.advance(101), /one bad run/);
  assert.equal(runs, 2);
  clock.advance(300);
  assert.equal(runs, 5);
  timer.dispose();
  clock.advance(1000);
  assert.equal(runs, 5);
  assert.equal(clock.pending, 0);
  const self = every(clock, 10, () => self.dispose());
  clock.advance(100);
  assert.equal(clock.pending, 0);
});

test('deadline tells a timeout from a caller abort and cleans up', () => {
  const clock = new ManualClock();
  const t = deadline(undefined, 100, clock);
  clock.advance(100);
  assert.ok(t.signal.aborted && t.timedOut() && !t.cancelled());
  t.dispose();

  const ac = new AbortController();
  const c = deadline(ac.signal, 100, clock);
  ac.abort();
  assert.ok(c.signal.aborted && c.cancelled() && !c.timedOut());
  c.dispose();
  assert.equal(clock.pending, 0);

  const pre = new AbortController();
  pre.abort();
  assert.ok(deadline(pre.signal, 100, clock).cancelled());

  const none = deadline(undefined, undefined, clock);
  clock.advance(1e9);
  assert.ok(!none.signal.aborted);
  none.dispose();
});

test('delay resolves after the time, rejects on abort and leaves no timer', async () => {
  const clock = new ManualClock();
  const p = delay(50, undefined, clock);
  clock.advance(50);
  await p;
  const ac = new AbortController();
  const q = delay(50, ac.signal, clock);
  ac.abort(new Error('stop'));
  await assert.rejects(q, /stop/);
  assert.equal(clock.pending, 0);
});
