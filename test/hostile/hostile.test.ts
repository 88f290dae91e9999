// The hostile corpus (issue 13): generated files that used to freeze, exhaust memory, crash or slip past the checks,
// run through the core and through the CLI. Budgets are generous (a loaded 2-core machine): each was exceeded many
// times over before the fixes (e.g. a 20,000-node ring: 77 s and 4 GB; 100 KB of digits in a FLOAT: 27 s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { runNode } from '../helpers/runNode';
import { REPO_ROOT } from '../helpers/shared';
import { tempFiles } from '../helpers/tempFiles';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import { prepareNodeDefs } from '../../src/core/workflow/nodeDefs';
import { validateWorkflow } from '../../src/core/workflow/validate';
import { validateUiWorkflow } from '../../src/core/workflow/ui/validateUi';
import { findUnsafeNodes } from '../../src/core/safety/detect';
import { unsafeNodeList } from '../../src/core/safety/unsafeNodes';
import { summarizeModelMetadata } from '../../src/core/media/safetensors';
import type { ObjectInfo } from '../../src/core/comfy/types';
import * as g from './generators';

/** Per case, in-process: wall time and heap growth. */
const TIME_BUDGET_MS = 10_000;
const HEAP_BUDGET_BYTES = 400 * 1024 * 1024;
/** The whole CLI run over every case plus a normal file, in a child process capped at this heap. */
const CLI_TIME_BUDGET_MS = 120_000;
const CLI_HEAP_MB = 768;

function withinBudget<T>(label: string, run: () => T): T {
  const heap0 = getHeapStatistics().used_heap_size;
  const t0 = performance.now();
  const out = run();
  const ms = performance.now() - t0;
  const grown = getHeapStatistics().used_heap_size - heap0;
  assert.ok(ms < TIME_BUDGET_MS, `${label}: ${Math.round(ms)} ms (budget ${TIME_BUDGET_MS} ms)`);
  assert.ok(grown < HEAP_BUDGET_BYTES, `${label}: heap grew ${Math.round(grown / 1e6)} MB (budget ${HEAP_BUDGET_BYTES / 1e6} MB)`);
  return out;
}

const corpus = g.hostileCorpus(1);
const defsFor = new Map<unknown, ReturnType<typeof prepareNodeDefs>>();
function defsOf(info: Record<string, unknown>) {
  let d = defsFor.get(info);
  if (!d) defsFor.set(info, (d = prepareNodeDefs(info)));
  return d;
}
const baseInfo = g.hostileObjectInfo();

/** The core path the editor and the CLI share: parse, then validate (UI files through the converter), plus the unsafe check. */
function checkCore(text: string, info: Record<string, unknown>) {
  const doc = parseWorkflowDocument(text);
  const defs = defsOf(info);
  const problems = doc.format === 'ui' && !doc.tooLarge ? validateUiWorkflow(text, info as ObjectInfo, { defs }) : validateWorkflow(doc, defs);
  const unsafe = doc.tooLarge ? [] : findUnsafeNodes(doc, unsafeNodeList([]));
  return { doc, problems, unsafe };
}

for (const c of corpus) {
  if (typeof c.text !== 'string') continue; // byte-level cases go through the CLI only
  test(`core: ${c.name} (finding ${c.finding}) stays within budget and never throws`, () => {
    const text = c.text as string;
    const { problems } = withinBudget(c.name, () => checkCore(text, c.objectInfo ?? baseInfo));
    // Output stays linear too: never more message text than a few times the input.
    const chars = problems.reduce((n, p) => n + p.message.length, 0);
    assert.ok(chars < Math.max(100_000, text.length * 4), `${c.name}: ${chars} characters of messages`);
  });
}

test('core: what each hostile file is reported as', () => {
  const verdict = (name: string) => {
    const c = corpus.find((x) => x.name === name)!;
    return checkCore(c.text as string, c.objectInfo ?? baseInfo);
  };
  const digits = verdict('long-numeric-string')
    .problems.filter((p) => p.code === 'invalid_input_type')
    .map((p) => p.inputName)
    .sort();
  assert.deepEqual(digits, ['cfg', 'steps']);
  const ring = verdict('dependency-ring').problems.filter((p) => p.code === 'dependency_cycle');
  assert.equal(ring.length, 1, 'one problem per cycle');
  assert.ok(ring[0]!.message.length < 400);
  const unknown = verdict('many-unknown-classes').problems.filter((p) => p.code === 'missing_node_type');
  assert.equal(unknown.length, 2_000);
  assert.equal(verdict('array-flood').doc.tooLarge?.kind, 'values');
  assert.deepEqual(
    verdict('ui-node-flood').problems.map((p) => p.code),
    ['file_too_large'],
  ); // the value guard, before any parse
  assert.deepEqual(
    verdict('ui-node-count').problems.map((p) => p.code),
    ['workflow_too_large'],
  ); // the node guard, before conversion
  assert.equal(verdict('deep-nesting').doc.tooLarge?.kind, 'depth');
  assert.deepEqual(
    verdict('deep-nesting').problems.map((p) => p.code),
    ['file_too_large'],
  );
  assert.deepEqual(
    verdict('group-node-unsafe').unsafe.map((h) => [h.nodeId, h.classType]),
    [['10:0', 'Terminal']],
  );
  assert.deepEqual(
    verdict('subgraph-unsafe').unsafe.map((h) => h.classType),
    ['Terminal'],
  );
  assert.match(verdict('huge-exponent').problems.find((p) => p.inputName === 'cfg')!.message, /got 1e400\./);
});

test('core: trigger-word splitting is linear (finding 10)', () => {
  const words = withinBudget('trigger words', () => summarizeModelMetadata(g.quadraticTriggerWords(300_000)).triggerWords);
  assert.equal(words.length, 2); // "(a" and "a" once each: the set keeps distinct words
});

test('CLI: every hostile file gets its own entry, the normal file’s report is intact, within a heap cap', async () => {
  const { dir } = tempFiles('comfyui-hostile-');
  const info = join(dir, 'object_info.json');
  // One dump for all files: the 2,000 generated classes make the unknown-class suggestions expensive.
  writeFileSync(info, JSON.stringify(g.hostileObjectInfo(2_000)));
  const files: string[] = [];
  const normal = join(dir, 'normal.json');
  writeFileSync(normal, JSON.stringify(g.normalApiPromptWithOneError(), null, 2));
  for (const c of corpus) {
    const f = join(dir, `${c.name}.json`);
    writeFileSync(f, c.text);
    files.push(f);
  }
  files.splice(Math.floor(files.length / 2), 0, normal); // in the middle: reports after a bad file must come out
  const t0 = Date.now();
  const r = await runNode([
    '--max-old-space-size=' + CLI_HEAP_MB,
    '--import',
    'tsx',
    join(REPO_ROOT, 'src/cli/main.ts'),
    'validate',
    '--object-info',
    info,
    '--format',
    'json',
    ...files,
  ]);
  assert.ok(Date.now() - t0 < CLI_TIME_BUDGET_MS, `CLI took ${Date.now() - t0} ms`);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 1, 'errors found, no crash');
  const reports = JSON.parse(r.stdout) as { file: string; problems: { severity: string; code: string; inputName: string | null; message: string }[] }[];
  assert.deepEqual(
    reports.map((x) => x.file),
    files,
  );
  const normalReport = reports.find((x) => x.file === normal)!;
  assert.deepEqual(
    normalReport.problems.map((p) => [p.severity, p.code, p.inputName]),
    [['error', 'value_bigger_than_max', 'steps']],
  );
  const byName = (name: string) => reports.find((x) => x.file.endsWith(`${name}.json`))!.problems;
  assert.deepEqual(
    byName('invalid-utf8').map((p) => p.code),
    ['file_not_checked'],
  );
  assert.deepEqual(byName('bom'), [], 'a byte order mark is accepted');
  const grouped = byName('group-node-unsafe').map((p) => `${p.severity}:${p.code}`);
  assert.ok(grouped.includes('warning:unsafe_node'), grouped.join(', '));
  // Messages are capped at 500 characters plus the "… (N characters)" note.
  for (const p of byName('control-characters')) assert.ok(p.message.length < 560, `message of ${p.message.length} characters`);
});

test('CLI text output: control characters escaped, long names truncated', async () => {
  const { file } = tempFiles('comfyui-hostile-text-');
  const info = file('object_info.json', g.hostileObjectInfo());
  const wf = file('evil.json', g.controlCharacterNames(200_000));
  const r = await runNode(['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts'), 'validate', '--object-info', info, wf]);
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stdout.replace(/\n/g, ''), /[\u0000-\u001f\u007f]/);
  assert.match(r.stdout, /\\x1b\[31mEvil\\x07\\x0dNode/);
  for (const line of r.stdout.split('\n')) assert.ok(line.length < 1_000, `line of ${line.length} characters`);
});
