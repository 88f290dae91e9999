import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globToRegExp, matchesAny } from '../../../src/vscode/common/glob';

test('glob syntax: *, **, ?, {a,b}, [abc]', () => {
  assert.ok(globToRegExp('*.json').test('a.json'));
  assert.ok(!globToRegExp('*.json').test('dir/a.json'));
  assert.ok(globToRegExp('**/*.json').test('a.json'), '**/ matches zero folders');
  assert.ok(globToRegExp('**/*.json').test('x/y/a.json'));
  assert.ok(globToRegExp('wf/**').test('wf/a/b.json'));
  assert.ok(globToRegExp('a?.json').test('ab.json'));
  assert.ok(!globToRegExp('a?.json').test('a/.json'));
  assert.ok(globToRegExp('*.{api,ui}.json').test('x.ui.json'));
  assert.ok(!globToRegExp('*.{api,ui}.json').test('x.json'));
  assert.ok(globToRegExp('v[0-9].json').test('v1.json'));
  assert.ok(globToRegExp('v[!0-9].json').test('vx.json'));
  assert.ok(!globToRegExp('v[!0-9].json').test('v1.json'));
  assert.ok(globToRegExp('a.b+(c).json').test('a.b+(c).json'), 'regex metacharacters are literal');
});

test('patterns without / match the file name anywhere; others the relative or absolute path', () => {
  assert.ok(matchesAny(['*.comfy.json'], '/home/me/p/deep/x.comfy.json', 'deep/x.comfy.json'));
  assert.ok(matchesAny(['workflows/**/*.json'], '/home/me/p/workflows/a/b.json', 'workflows/a/b.json'));
  assert.ok(!matchesAny(['workflows/**/*.json'], '/home/me/p/other/b.json', 'other/b.json'));
  assert.ok(matchesAny(['/home/me/comfy/**'], '/home/me/comfy/x.json', undefined));
  assert.ok(matchesAny(['./vendor/**'], '/p/vendor/x.json', 'vendor/x.json'));
  assert.ok(matchesAny(['vendor\\**'], '/p/vendor/x.json', 'vendor/x.json'), 'backslashes are separators');
  assert.ok(!matchesAny([], '/p/x.json', 'x.json'));
  assert.ok(!matchesAny(['  '], '/p/x.json', 'x.json'));
});
