import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseName, formatBytes, formatDuration, formatElapsed } from '../../../src/core/util/display';

test('formatBytes: binary units, at most one decimal', () => {
  assert.equal(formatBytes(0), '0 bytes');
  assert.equal(formatBytes(1000), '1000 bytes');
  assert.equal(formatBytes(1536), '1.5 KB');
  assert.equal(formatBytes(100 * 1024 ** 2), '100 MB');
  assert.equal(formatBytes(7.63 * 1024 ** 3), '7.6 GB');
  assert.equal(formatBytes(3 * 1024 ** 4), '3 TB');
  assert.equal(formatBytes(5 * 1024 ** 5), '5120 TB');
  assert.equal(formatBytes(NaN), 'NaN bytes');
});

test('formatDuration: ms, seconds, minutes', () => {
  assert.equal(formatDuration(150), '150 ms');
  assert.equal(formatDuration(1000), '1 s');
  assert.equal(formatDuration(1540), '1.5 s');
  assert.equal(formatDuration(30_000), '30 s');
  assert.equal(formatDuration(125_000), '2 min 5 s');
});

test('formatElapsed: a stopwatch that keeps its width as it counts', () => {
  assert.equal(formatElapsed(-5), '0:00');
  assert.equal(formatElapsed(999), '0:00');
  assert.equal(formatElapsed(7_500), '0:07');
  assert.equal(formatElapsed(725_000), '12:05');
  assert.equal(formatElapsed(3_723_000), '1:02:03');
});

test('baseName: last segment of a path, either separator', () => {
  assert.equal(baseName('/work/flows/invert.api.json'), 'invert.api.json');
  assert.equal(baseName('C:\\flows\\a.json'), 'a.json');
  assert.equal(baseName('a.json'), 'a.json');
  assert.equal(baseName('/dir/'), 'dir');
  assert.equal(baseName(''), '');
});
