import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteLru } from '../../../src/core/media/byteLru';
import { safeBaseName, safeSubfolder } from '../../../src/core/media/fileNames';

test('evicts least recently used entries until the total fits', () => {
  const lru = new ByteLru<string>(100);
  assert.deepEqual(lru.set('a', 40), []);
  assert.deepEqual(lru.set('b', 40), []);
  lru.touch('a');
  assert.deepEqual(lru.set('c', 40), ['b']);
  assert.equal(lru.totalBytes, 80);
  assert.deepEqual(lru.keys(), ['a', 'c']);
});

test('an entry larger than the cap is not kept; replacing a key re-counts it', () => {
  const lru = new ByteLru<string>(100);
  lru.set('a', 10);
  assert.deepEqual(lru.set('huge', 500), ['a', 'huge']);
  assert.equal(lru.totalBytes, 0);
  lru.set('b', 30);
  lru.set('b', 50);
  assert.equal(lru.totalBytes, 50);
  assert.equal(lru.delete('b'), true);
  assert.equal(lru.touch('b'), false);
});

test('server file names never escape: ../, slashes, quotes, HTML and control characters', () => {
  assert.equal(safeBaseName('../../etc/passwd'), 'passwd');
  assert.equal(safeBaseName('..'), 'output');
  assert.equal(safeBaseName('<img src=x onerror=alert(1)>&"q".png'), '_img src=x onerror=alert(1)_&_q_.png');
  assert.equal(safeBaseName('.hidden'), '_hidden');
  assert.equal(safeBaseName('a\u0000b.png'), 'a_b.png');
  assert.deepEqual(safeSubfolder('../../x/./<b>y</b>'), ['x', '_b_y_', 'b_']);
});
