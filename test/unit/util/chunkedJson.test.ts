// The time-sliced JSON object reader (core/util/chunkedJson.ts): the same value as JSON.parse, pauses between
// pieces, walks large members instead of parsing them whole, and reports malformed text with its offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ChunkedJsonError, parseJsonObjectChunked } from '../../../src/core/util/chunkedJson';
import { NEEDS_SHARED, sharedPath } from '../../helpers/shared';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

test('equals JSON.parse: escapes, unicode, nesting, numbers, __proto__ as an own member, whitespace', async () => {
  const text = ` {"a\\"b": "x\\\\", "é😀": [1, -2.5e3, true, false, null, {"k": "\\u0022]}"}],
    "__proto__": {"polluted": 1}, "empty": {}, "list": [], "n": 18446744073709551615 } `;
  const got = await parseJsonObjectChunked(bytes(text), { pieceBytes: 8 });
  assert.deepEqual(got, JSON.parse(text));
  assert.equal(Object.getPrototypeOf(got), Object.prototype);
  assert.deepEqual(Object.keys(got), Object.keys(JSON.parse(text)));
  assert.equal(({} as { polluted?: number }).polluted, undefined);
});

test('a real /object_info: same value, with pauses between pieces', { skip: NEEDS_SHARED }, async () => {
  const raw = readFileSync(sharedPath('fixtures', 'real-server-0.33', 'object_info.json'));
  let pauses = 0;
  let t = 0;
  // Every piece "takes" 1 ms on this clock: a pause after every 2 ms.
  const got = await parseJsonObjectChunked(raw, { sliceMs: 2, pieceBytes: 4096, now: () => t++, pause: async () => void pauses++ });
  assert.deepEqual(got, JSON.parse(raw.toString('utf8')));
  assert.ok(pauses > 100, `${pauses} pauses`);
});

test('malformed text is an error with its offset; an abort stops it at the next pause', async () => {
  for (const bad of ['', '[]', '{"a":1', '{"a":1,}', '{"a" 1}', '{"a":1} x', '{"a":[1,2}', '{"a":{"b":1]}', '{"a":"\\"}', '{"a":tru}']) {
    await assert.rejects(parseJsonObjectChunked(bytes(bad), { pieceBytes: 2 }), ChunkedJsonError, bad);
    await assert.rejects(parseJsonObjectChunked(bytes(bad)), ChunkedJsonError, bad);
  }
  const controller = new AbortController();
  controller.abort();
  let t = 0;
  await assert.rejects(parseJsonObjectChunked(bytes('{"a":1,"b":2,"c":3}'), { signal: controller.signal, sliceMs: 0, now: () => t++ }), /abort/i);
});
