// Binary WebSocket frames: every type ComfyUI sends, and malformed frames reported instead of thrown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBinaryFrame, encodeBinaryFrame } from '../../../src/core/comfy/binary';
import { sniffImageType } from '../../../src/core/media/imageInfo';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 9, 9]);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

test('type 1: JPEG and PNG previews with their mime types', () => {
  const jpeg = decodeBinaryFrame(encodeBinaryFrame(1, 1, JPEG));
  assert.equal(jpeg.kind, 'preview');
  assert.ok(jpeg.kind === 'preview');
  assert.equal(jpeg.eventType, 1);
  assert.equal(jpeg.mimeType, 'image/jpeg');
  assert.deepEqual([...jpeg.image], [...JPEG]);

  const png = decodeBinaryFrame(encodeBinaryFrame(1, 2, PNG).buffer as ArrayBuffer);
  assert.ok(png.kind === 'preview');
  assert.equal(png.mimeType, 'image/png');
  assert.deepEqual([...png.image], [...PNG]);
});

test('type 1 with an unknown format number falls back to sniffing, else is malformed', () => {
  const sniffed = decodeBinaryFrame(encodeBinaryFrame(1, 7, PNG));
  assert.ok(sniffed.kind === 'preview');
  assert.equal(sniffed.mimeType, 'image/png');
  const bad = decodeBinaryFrame(encodeBinaryFrame(1, 7, Uint8Array.from([1, 2, 3])));
  assert.equal(bad.kind, 'malformed');
});

test('type 3: node id and text, including non-ASCII', () => {
  const frame = decodeBinaryFrame(encodeBinaryFrame(3, utf8('12:5'), utf8('step 3/20 — 漢字')));
  assert.deepEqual(frame, { kind: 'text', eventType: 3, nodeId: '12:5', text: 'step 3/20 — 漢字' });
  const empty = decodeBinaryFrame(encodeBinaryFrame(3, utf8('7'), new Uint8Array(0)));
  assert.deepEqual(empty, { kind: 'text', eventType: 3, nodeId: '7', text: '' });
});

test('type 4: preview with JSON metadata', () => {
  const meta = { node_id: '9', prompt_id: 'p-1', display_node_id: '9', parent_node_id: null, real_node_id: '9', image_type: 'image/png' };
  const frame = decodeBinaryFrame(encodeBinaryFrame(4, utf8(JSON.stringify(meta)), PNG));
  assert.ok(frame.kind === 'preview' && frame.eventType === 4);
  assert.deepEqual(frame.metadata, meta);
  assert.equal(frame.mimeType, 'image/png');
  assert.deepEqual([...frame.image], [...PNG]);
  // No image_type: sniffed from the bytes.
  const noType = decodeBinaryFrame(encodeBinaryFrame(4, utf8('{"node_id":"1"}'), JPEG));
  assert.ok(noType.kind === 'preview');
  assert.equal(noType.mimeType, 'image/jpeg');
});

test('frames that are a view into a bigger buffer decode from the right offset', () => {
  const frame = encodeBinaryFrame(3, utf8('4'), utf8('hi'));
  const big = new Uint8Array(frame.length + 10);
  big.set(frame, 5);
  const decoded = decodeBinaryFrame(big.subarray(5, 5 + frame.length));
  assert.deepEqual(decoded, { kind: 'text', eventType: 3, nodeId: '4', text: 'hi' });
});

test('unknown event types pass through with their payload', () => {
  const frame = decodeBinaryFrame(Uint8Array.from([0, 0, 0, 42, 7, 8]));
  assert.ok(frame.kind === 'unknown');
  assert.equal(frame.eventType, 42);
  assert.deepEqual([...frame.payload], [7, 8]);
});

test('malformed frames are reported, never thrown', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty', new Uint8Array(0), /no event type/],
    ['3 bytes', Uint8Array.from([0, 0, 1]), /no event type/],
    ['type 1 without format', Uint8Array.from([0, 0, 0, 1, 0, 0]), /no image format/],
    ['type 1 without image', Uint8Array.from([0, 0, 0, 1, 0, 0, 0, 2]), /no image bytes/],
    ['type 3 without length', Uint8Array.from([0, 0, 0, 3]), /no node id length/],
    ['type 3 id too long', Uint8Array.from([0, 0, 0, 3, 0, 0, 0, 50, 65]), /50-byte node id/],
    ['type 3 id invalid utf-8', Uint8Array.from([0, 0, 0, 3, 0, 0, 0, 1, 0xff]), /not valid UTF-8/],
    ['type 4 json too long', Uint8Array.from([0, 0, 0, 4, 0xff, 0xff, 0xff, 0xff, 1]), /declares 4294967295 bytes/],
    ['type 4 bad json', encodeBinaryFrame(4, utf8('{nope'), PNG), /not valid JSON/],
    ['type 4 json array', encodeBinaryFrame(4, utf8('[1]'), PNG), /not a JSON object/],
    ['type 4 no image', encodeBinaryFrame(4, utf8('{}'), new Uint8Array(0)), /no image bytes/],
  ];
  for (const [name, bytes, reason] of cases) {
    const r = decodeBinaryFrame(bytes);
    assert.equal(r.kind, 'malformed', name);
    assert.ok(r.kind === 'malformed');
    assert.match(r.reason, reason, name);
    assert.equal(r.byteLength, bytes.byteLength, name);
  }
});

test('image sniffing knows PNG, JPEG and WebP', () => {
  assert.equal(sniffImageType(PNG), 'image/png');
  assert.equal(sniffImageType(JPEG), 'image/jpeg');
  assert.equal(sniffImageType(Uint8Array.from([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50])), 'image/webp');
  assert.equal(sniffImageType(Uint8Array.from([1, 2, 3])), undefined);
});
