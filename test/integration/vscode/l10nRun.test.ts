// The run and queue-view messages (src/vscode/run, src/vscode/queueView) are in both l10n bundles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { REPO, extractMessages } from './l10nStrings';

const files = ['src/vscode/run', 'src/vscode/queueView'].flatMap((d) =>
  readdirSync(path.join(REPO, d))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(REPO, d, f)),
);
const en = JSON.parse(readFileSync(path.join(REPO, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
const zh = JSON.parse(readFileSync(path.join(REPO, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

test('every l10n.t message of the run features and the queue view is in both bundles', () => {
  const found = [...extractMessages(files).keys()];
  assert.ok(found.length > 30, `${found.length} messages`);
  assert.deepEqual(
    found.filter((m) => !(m in en)),
    [],
  );
  assert.deepEqual(
    found.filter((m) => !(m in zh)),
    [],
  );
  assert.deepEqual(
    found.filter((m) => m.includes('\\n')),
    [],
    'no escaped newlines in messages (the extractor would not match them)',
  );
});
