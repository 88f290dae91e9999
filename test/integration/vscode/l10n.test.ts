// Every message the editor area passes to vscode.l10n.t has an English entry and a Simplified Chinese
// translation that keeps its {placeholders}; at run time the shim loads the zh-cn bundle like VS Code does.
import '../../helpers/vscode-shim/register';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO, editorSourceFiles, extractMessages } from './l10nStrings';
import { shim, vscode } from '../../helpers/vscode-shim/control';
import { formatAge } from '../../../src/vscode/common/format';

const en = JSON.parse(readFileSync(path.join(REPO, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
const zh = JSON.parse(readFileSync(path.join(REPO, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

test('the extractor finds the messages of the editor area', () => {
  const found = extractMessages(editorSourceFiles());
  assert.ok(found.size > 40, `${found.size} messages`);
  assert.ok(found.has('Configure Server'));
});

test('every l10n.t message of the editor area is in both bundles', () => {
  const found = [...extractMessages(editorSourceFiles()).keys()];
  assert.deepEqual(
    found.filter((m) => !(m in en)),
    [],
    'missing from bundle.l10n.json (regenerate: npx tsx test/integration/vscode/l10nStrings.ts --write)',
  );
  assert.deepEqual(
    found.filter((m) => !(m in zh)),
    [],
    'missing from bundle.l10n.zh-cn.json',
  );
});

test('translations keep every placeholder', () => {
  for (const [key, value] of Object.entries(zh)) {
    const ph = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
    assert.deepEqual(ph(value), ph(key), key);
    assert.ok(value.trim(), key);
  }
});

test('with env.language zh-cn, messages come from the Chinese bundle', () => {
  shim.reset();
  shim.setLanguage('zh-cn');
  assert.equal(vscode.l10n.t('Configure Server'), '配置服务器');
  assert.equal(formatAge(0, 5 * 60_000), '5 分钟前');
  shim.setLanguage('en');
  assert.equal(formatAge(0, 5 * 60_000), '5 min ago');
});
