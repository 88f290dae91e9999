import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EarlyMessages } from '../../../src/core/queue/earlyMessages';

const msg = (id: string, n: number) => ({ type: 'progress', data: { prompt_id: id, value: n } });

test('keeps the newest `limit` messages and hands a prompt its own, in order, once', () => {
  const early = new EarlyMessages<ReturnType<typeof msg>>(3);
  for (let n = 1; n <= 5; n++) early.push(msg(n % 2 ? 'a' : 'b', n));
  // Kept: 3 (a), 4 (b), 5 (a).
  assert.deepEqual(
    early.take('a').map((m) => m.data.value),
    [3, 5],
  );
  assert.deepEqual(early.take('a'), []);
  assert.deepEqual(
    early.take('b').map((m) => m.data.value),
    [4],
  );
});

test('a long stream of other prompts stays bounded and keeps the newest', () => {
  const early = new EarlyMessages<ReturnType<typeof msg>>(100);
  for (let n = 0; n < 10_000; n++) early.push(msg('other', n));
  early.push(msg('mine', -1));
  assert.deepEqual(
    early.take('mine').map((m) => m.data.value),
    [-1],
  );
  const others = early.take('other').map((m) => m.data.value);
  assert.equal(others.length, 99);
  assert.equal(others.at(-1), 9999);
});
