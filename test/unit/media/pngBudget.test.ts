// Issue 13, finding 9 (PNG): many small compressed text chunks cannot inflate past a total budget, not just a
// per-chunk one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { readPngText, pngChunk } from '../../../src/core/media/png';
import { pngWith } from '../../fixtures/media/make';

test('zTXt chunks inflate within a total budget; the rest is skipped with one problem', () => {
  const MB = 1024 * 1024;
  const one = deflateSync(Buffer.alloc(2 * MB, 0x20)); // ~2 KB on disk, 2 MB inflated
  const chunks = Array.from({ length: 40 }, (_, i) => pngChunk('zTXt', Buffer.concat([Buffer.from(`k${i}\0\0`, 'latin1'), one])));
  const png = pngWith(chunks);
  assert.ok(png.length < 200 * 1024, `small on disk (${png.length} bytes)`);
  const r = readPngText(png, { maxTotalTextBytes: 8 * MB });
  const total = r.entries.reduce((n, e) => n + e.text.length, 0);
  assert.ok(total <= 8 * MB, `inflated ${total} bytes in total`);
  assert.equal(r.entries.length, 4);
  assert.ok(r.problems.length <= 2, r.problems.join('\n'));
  assert.match(r.problems.at(-1)!, /together they exceed/);
  // The default total budget (64 MB) also holds: 40 × 2 MB would be 80 MB.
  const d = readPngText(png);
  assert.ok(d.entries.reduce((n, e) => n + e.text.length, 0) <= 64 * MB);
});
