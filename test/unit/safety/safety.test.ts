import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UNSAFE_NODES, unsafeNodeList } from '../../../src/core/safety/unsafeNodes';
import { findUnsafeNodes, unsafeClassesIn, unsafeNodeProblems, UNSAFE_NODE_CODE } from '../../../src/core/safety/detect';
import { REPO_ROOT } from '../../helpers/shared';

const fixture = (name: string) => readFileSync(join(REPO_ROOT, 'test/fixtures/safety', name), 'utf8');

test('every built-in entry has a reason and an https source, and class names are unique', () => {
  const seen = new Set<string>();
  for (const e of UNSAFE_NODES) {
    assert.ok(e.classType.trim().length > 0);
    assert.ok(!seen.has(e.classType), `duplicate ${e.classType}`);
    seen.add(e.classType);
    assert.ok(e.reason.length > 10, e.classType);
    assert.match(e.source, /^https:\/\/github\.com\//, e.classType);
  }
  // The three incidents the issue names are covered.
  for (const c of ['Terminal', 'SRL Eval']) assert.ok(seen.has(c), c);
});

test('API prompt: each unsafe node is found on its class_type literal', () => {
  const text = fixture('terminal.api.json');
  const hits = findUnsafeNodes(text, unsafeNodeList());
  assert.deepEqual(
    hits.map((h) => [h.nodeId, h.classType]),
    [
      ['1', 'Terminal'],
      ['3', 'SRL Eval'],
    ],
  );
  for (const h of hits) assert.equal(text.slice(h.range.offset, h.range.offset + h.range.length), JSON.stringify(h.classType));
  const problems = unsafeNodeProblems(text, unsafeNodeList());
  assert.equal(problems.length, 2);
  assert.ok(problems.every((p) => p.code === UNSAFE_NODE_CODE && p.severity === 'warning'));
  assert.match(problems[0]!.message, /Terminal.*arbitrary code/);
});

test('request body: nodes under "prompt" are checked', () => {
  const text = JSON.stringify({ client_id: 'x', prompt: { a: { class_type: 'ShellCodeNode', inputs: {} } } });
  assert.deepEqual(
    findUnsafeNodes(text, unsafeNodeList()).map((h) => h.classType),
    ['ShellCodeNode'],
  );
});

test('UI workflow: nodes inside subgraph definitions count too', () => {
  const text = fixture('subgraph.ui.json');
  const hits = findUnsafeNodes(text, unsafeNodeList());
  // The id is the execution id the server receives (instance 2, inner node 7).
  assert.deepEqual(
    hits.map((h) => [h.nodeId, h.classType]),
    [['2:7', 'IDENode']],
  );
  assert.deepEqual(
    unsafeClassesIn(JSON.parse(text), unsafeNodeList()).map((e) => e.classType),
    ['IDENode'],
  );
});

test('a safe workflow has no hits; the setting extends the list; bad setting items are ignored', () => {
  const text = readFileSync(join(REPO_ROOT, 'test/fixtures/workflow/txt2img.api.json'), 'utf8');
  assert.deepEqual(findUnsafeNodes(text, unsafeNodeList()), []);
  const list = unsafeNodeList(['SaveImage', 42, null, { classType: '' }, { classType: 'KSampler', reason: 'custom reason' }]);
  const hits = findUnsafeNodes(text, list);
  assert.deepEqual(hits.map((h) => h.classType).sort(), ['KSampler', 'SaveImage']);
  assert.equal(hits.find((h) => h.classType === 'KSampler')!.entry.reason, 'custom reason');
  assert.equal(list.size, UNSAFE_NODES.length + 2);
});

test('half-typed and non-workflow text never throws', () => {
  for (const t of ['', '{', '{"1": {"class_type": "Terminal"', '[1,2]', '{"nodes": [{"type": 5}, null, {"type": "Terminal"}]}', 'null']) {
    assert.doesNotThrow(() => findUnsafeNodes(t, unsafeNodeList()), t);
    assert.doesNotThrow(
      () =>
        unsafeClassesIn(
          (() => {
            try {
              return JSON.parse(t);
            } catch {
              return undefined;
            }
          })(),
          unsafeNodeList(),
        ),
      t,
    );
  }
  assert.deepEqual(
    unsafeClassesIn({ prompt: { a: { class_type: 'Terminal' } } }, unsafeNodeList()).map((e) => e.classType),
    ['Terminal'],
  );
});
