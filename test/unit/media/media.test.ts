import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { readPngText, pngChunk } from '../../../src/core/media/png';
import { readEmbeddedMetadata, parsePythonJson } from '../../../src/core/media/embedded';
import { buildExif, comfyExifEntries, readExifIfd0 } from '../../../src/core/media/exif';
import { imageInfo } from '../../../src/core/media/imageInfo';
import { PROMPT, WORKFLOW, pngWith, webpWith } from '../../fixtures/media/make';

const fixture = (name: string) => new Uint8Array(readFileSync(join(__dirname, '../../fixtures/media', name)));

test('ComfyUI PNG: tEXt prompt and workflow are parsed (non-ASCII via JSON escapes)', () => {
  const m = readEmbeddedMetadata(fixture('comfy-text.png'));
  assert.equal(m.format, 'png');
  assert.deepEqual(m.prompt, PROMPT);
  assert.deepEqual(m.workflow, WORKFLOW);
  assert.deepEqual(m.problems, []);
});

test('iTXt (compressed, UTF-8) and zTXt chunks are read too', () => {
  const m = readEmbeddedMetadata(fixture('comfy-itxt.png'));
  assert.deepEqual(m.workflow, WORKFLOW);
  assert.deepEqual(m.prompt, PROMPT);
  assert.equal(m.texts.parameters, 'a cat, 20 steps');
  const raw = readPngText(fixture('comfy-itxt.png'));
  assert.deepEqual(
    raw.entries.map((e) => e.chunk),
    ['iTXt', 'zTXt', 'iTXt'],
  );
});

test('a chunk running past the end is reported; the chunks before it still count', () => {
  const m = readEmbeddedMetadata(fixture('corrupt-chunk.png'));
  assert.deepEqual(m.prompt, PROMPT);
  assert.equal(m.workflow, undefined);
  assert.equal(m.problems.length, 1);
  assert.match(m.problems[0]!, /runs past the end/);
});

test('corrupt compressed text and a deflate bomb are refused without throwing', () => {
  const garbage = pngChunk('zTXt', Buffer.concat([Buffer.from('workflow\0\0', 'latin1'), Buffer.from([1, 2, 3, 4, 5])]));
  const r1 = readPngText(pngWith([garbage]));
  assert.equal(r1.entries.length, 0);
  assert.match(r1.problems[0]!, /corrupt/);
  const bomb = pngChunk('zTXt', Buffer.concat([Buffer.from('workflow\0\0', 'latin1'), deflateSync(Buffer.alloc(2 * 1024 * 1024, 0x20))]));
  const r2 = readPngText(pngWith([bomb]), { maxTextBytes: 1024 * 1024 });
  assert.equal(r2.entries.length, 0);
  assert.match(r2.problems[0]!, /more than 1048576 bytes/);
});

test('invalid JSON in a prompt chunk is a problem, not a crash; NaN from Python is accepted', () => {
  const m = readEmbeddedMetadata(pngWith([pngChunk('tEXt', Buffer.from('prompt\0{"1": {', 'latin1'))]));
  assert.equal(m.prompt, undefined);
  assert.match(m.problems.join(' '), /prompt is not a JSON object/);
  assert.deepEqual(parsePythonJson('{"a": NaN, "b": -Infinity, "c": "NaN"}'), { a: null, b: null, c: 'NaN' });
});

test('a PNG without text and a non-image', () => {
  assert.equal(readEmbeddedMetadata(fixture('plain.png')).prompt, undefined);
  const other = readEmbeddedMetadata(new TextEncoder().encode('<html>not an image</html>'));
  assert.equal(other.format, 'other');
  assert.equal(other.problems.length, 1);
});

test('ComfyUI WebP: EXIF 0x0110 "prompt:" and 0x010F "workflow:" (with the Exif\\0\\0 prefix)', () => {
  const m = readEmbeddedMetadata(fixture('comfy.webp'));
  assert.equal(m.format, 'webp');
  assert.deepEqual(m.prompt, PROMPT);
  assert.deepEqual(m.workflow, WORKFLOW);
});

test('WebP EXIF without the prefix, and a WebP without EXIF', () => {
  const m = readEmbeddedMetadata(webpWith(buildExif([[0x0110, 'prompt:{"1": {"class_type": "X", "inputs": {}}}']], false)));
  assert.deepEqual(m.prompt, { '1': { class_type: 'X', inputs: {} } });
  const none = readEmbeddedMetadata(fixture('no-exif.webp'));
  assert.equal(none.prompt, undefined);
  assert.match(none.problems.join(' '), /no EXIF/);
});

test('EXIF: short values stored inline, camera fields are not metadata, broken offsets are reported', () => {
  const exif = buildExif([
    [0x010f, 'Sony'],
    [0x0110, 'a:b'],
    [0x010e, 'workflow:{}'],
  ]);
  const r = readExifIfd0(exif);
  assert.equal(r.fields.get(0x010f), 'Sony');
  assert.equal(r.fields.get(0x0110), 'a:b');
  assert.deepEqual(comfyExifEntries(r.fields), { a: 'b', workflow: '{}' });
  const broken = new Uint8Array(exif);
  new DataView(broken.buffer).setUint32(10 + 8, 0xffff, true); // the value offset of 0x010E (sorted first, too long to be inline)
  assert.equal(readExifIfd0(broken).problems.length, 1);
  assert.deepEqual(readExifIfd0(new Uint8Array([1, 2, 3])).problems.length, 1);
});

test('image sizes are sniffed from PNG, WebP (VP8L) and JPEG headers', () => {
  assert.deepEqual(imageInfo(fixture('comfy-text.png')), { mimeType: 'image/png', width: 4, height: 3 });
  assert.deepEqual(imageInfo(fixture('comfy.webp')), { mimeType: 'image/webp', width: 5, height: 2 });
  // SOI, APP0 (len 16), SOF0: len 17, precision 8, height 300, width 200
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, ...new Array(14).fill(0), 0xff, 0xc0, 0, 17, 8, 0x01, 0x2c, 0x00, 0xc8, 3]);
  assert.deepEqual(imageInfo(jpeg), { mimeType: 'image/jpeg', width: 200, height: 300 });
  assert.equal(imageInfo(new TextEncoder().encode('<!DOCTYPE html>')), undefined);
});
