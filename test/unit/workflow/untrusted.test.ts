// Issue 13 (untrusted workflows), core half: one test per fix; each failed on the code before it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkflowDocument } from '../../../src/core/workflow/document';
import { detectTreeFormat, detectValueFormat, sniffTextFormat } from '../../../src/core/workflow/format';
import { diffFormat, diffFormatOfJson, isEmptyPrompt } from '../../../src/core/diff/model';
import { isObj, parseJson } from '../../../src/core/diff/json';
import { checkTextLimits } from '../../../src/core/workflow/limits';
import { prepareNodeDefs } from '../../../src/core/workflow/nodeDefs';
import { isPythonFloat, isPythonInt } from '../../../src/core/workflow/pyNumbers';
import { schemaCacheFor } from '../../../src/core/workflow/schema';
import { MAX_SUGGESTED_NAME, suggestClassTypes, suggestClassTypesCached } from '../../../src/core/workflow/suggest';
import { convertLikeServer, validateWorkflow } from '../../../src/core/workflow/validate';
import { convertUiWorkflow } from '../../../src/core/workflow/toPrompt';
import { validateUiWorkflow } from '../../../src/core/workflow/ui/validateUi';
import { expandUiWorkflow, requiredClassesOfUiWorkflow } from '../../../src/core/workflow/ui/expand';
import { findUnsafeNodes, unsafeClassesIn, unsafeNodesOfPrompt } from '../../../src/core/safety/detect';
import { unsafeNodeList } from '../../../src/core/safety/unsafeNodes';
import { classesOfWorkflow } from '../../../src/core/dispatch/leastBusy';
import { findUiControls } from '../../../src/core/queue/seedControl';
import { buildPromptRequest, detectSourceFormat, serializePromptRequest } from '../../../src/core/queue/promptSource';
import { unsafeIntegerLiterals } from '../../../src/core/util/jsonNumbers';
import { escapeMarkdown, escapeTerminal, markdownCode, truncateText } from '../../../src/core/util/escape';
import { splitTriggerWords } from '../../../src/core/media/safetensors';
import { segment } from '../../../src/core/comfy/url';
import type { InputDef } from '../../../src/core/workflow/nodeDefs';
import type { ObjectInfo } from '../../../src/core/comfy/types';
import * as g from '../../hostile/generators';

const info = g.hostileObjectInfo();
const defs = prepareNodeDefs(info);

test('finding 2: Python int()/float() acceptance without regular expressions', () => {
  for (const s of ['1', ' -2 ', '+3', '1_000', '0']) assert.ok(isPythonInt(s), s);
  for (const s of ['', '1_', '_1', '1__0', '1.0', '1e3', '-', '١']) assert.ok(!isPythonInt(s), s);
  for (const s of ['1', '1.', '.5', '1.5e-3', ' 2E+4 ', '1_0.5', 'inf', '-Infinity', 'NaN', '+nan']) assert.ok(isPythonFloat(s), s);
  for (const s of ['', '.', 'e5', '1e', '1_.5', '1._5', 'infinit', '1.5.2', `${'1'.repeat(50_000)}x`]) assert.ok(!isPythonFloat(s), s.slice(0, 20));
  const float = { kind: 'FLOAT' } as InputDef;
  assert.deepEqual(convertLikeServer(float, '-inf'), { ok: true, value: -Infinity });
  assert.deepEqual(convertLikeServer(float, ' 2.5 '), { ok: true, value: 2.5 });
  assert.deepEqual(convertLikeServer(float, `${'1'.repeat(50_000)}x`), { ok: false });
});

test('finding 2: suggestions once per distinct unknown class, for at most 10 classes per file, none for huge names', () => {
  const many = prepareNodeDefs(g.hostileObjectInfo(200));
  // 300 nodes of 30 distinct misspelt classes, each close to a real one.
  const prompt: Record<string, unknown> = g.normalApiPrompt();
  for (let i = 0; i < 300; i++) prompt[String(100 + i)] = { class_type: `GeneratedClass${i % 30}Nod`, inputs: {} };
  const ps = validateWorkflow(parseWorkflowDocument(JSON.stringify(prompt)), many).filter((p) => p.code === 'missing_node_type');
  assert.equal(ps.length, 300);
  const withSuggestions = new Set(ps.filter((p) => (p.data!.suggestions as string[]).length > 0).map((p) => p.data!.classType));
  assert.equal(withSuggestions.size, 10, `${withSuggestions.size} classes got suggestions`);
  assert.equal(suggestClassTypesCached(many, 'GeneratedClass1Nod'), suggestClassTypesCached(many, 'GeneratedClass1Nod'), 'remembered');
  assert.deepEqual(suggestClassTypes(many, `GeneratedClass1Node${'x'.repeat(MAX_SUGGESTED_NAME)}`), []);
});

test('finding 2: one dependency_cycle problem per cycle, members listed once and capped', () => {
  const ps = validateWorkflow(parseWorkflowDocument(g.dependencyRing(500)), defs).filter((p) => p.code === 'dependency_cycle');
  assert.equal(ps.length, 1);
  assert.ok(ps[0]!.message.length < 300, ps[0]!.message);
  assert.match(ps[0]!.message, /… \(500 nodes\)/);
  assert.equal(ps[0]!.data!.members, 500);
});

test('finding 3: a guard on all JSON values and on nesting, before any tree is built', () => {
  assert.deepEqual(checkTextLimits('[1,2,3]', { maxValues: 3 }), { kind: 'values', count: 4, limit: 3 });
  assert.equal(checkTextLimits('["a,b,c,d,e"]', { maxValues: 3 }), undefined, 'commas inside strings do not count');
  assert.equal(checkTextLimits('[[["\\"[[["]]]', { maxDepth: 3 }), undefined);
  const doc = parseWorkflowDocument(g.arrayFlood(700_000));
  assert.equal(doc.tooLarge?.kind, 'values');
  const ps = validateWorkflow(doc, defs);
  assert.deepEqual(
    ps.map((p) => p.code),
    ['file_too_large'],
  );
  assert.match(ps[0]!.message, /JSON values/);
});

test('finding 3: UI node counts are checked before conversion', () => {
  const r = convertUiWorkflow(JSON.parse(g.uiNodeFlood(25_000)), info as ObjectInfo);
  assert.deepEqual(
    r.problems.map((p) => p.code),
    ['workflow_too_large'],
  );
  assert.deepEqual(r.prompt, {});
});

test('finding 20: a small UI file that expands a lot is not told it has "more than 60,000 JSON objects"', () => {
  // Four levels of subgraphs, each instancing the next 12 times: 12^4 = 20,736 nodes from a file of a few KB.
  const levels = 4;
  const subgraphs = Array.from({ length: levels }, (_, i) => ({
    id: `00000000-0000-4000-8000-00000000000${i}`,
    name: `level ${i}`,
    inputs: [],
    outputs: [],
    links: [],
    nodes: Array.from({ length: 12 }, (_, k) => ({
      id: k + 1,
      type: i + 1 < levels ? `00000000-0000-4000-8000-00000000000${i + 1}` : 'Loader',
      mode: 0,
      inputs: [],
      outputs: [],
      widgets_values: ['a.safetensors'],
    })),
  }));
  const text = JSON.stringify({
    nodes: [{ id: 1, type: subgraphs[0]!.id, mode: 0, inputs: [], outputs: [] }],
    links: [],
    definitions: { subgraphs },
    version: 0.4,
  });
  assert.ok(text.length < 10_000);
  const ps = validateUiWorkflow(text, info as ObjectInfo);
  assert.ok(ps.some((p) => p.code === 'workflow_too_large'));
  assert.ok(!ps.some((p) => /JSON objects/.test(p.message)));
});

test('finding 4: nesting between 2,000 and 4,500 levels is reported, never a stack overflow', () => {
  for (const levels of [2_400, 3_000, 4_400]) {
    const doc = parseWorkflowDocument(g.deepNesting(levels));
    assert.equal(doc.tooLarge?.kind, 'depth');
    assert.deepEqual(
      validateWorkflow(doc, defs).map((p) => p.code),
      ['file_too_large'],
    );
    assert.doesNotThrow(() => validateUiWorkflow(g.deepNesting(levels), info as ObjectInfo));
  }
});

test('finding 11: the schema result memo is bounded by characters, not only entries', () => {
  const cache = schemaCacheFor(prepareNodeDefs(g.hostileObjectInfo()));
  const big = 'x'.repeat(100_000);
  for (let i = 0; i < 300; i++) cache.check('Save', { prefix: `${i}${big}` });
  assert.ok(cache.rememberedChars <= 16_000_000, `${cache.rememberedChars} characters remembered`);
  const before = cache.rememberedChars;
  cache.check('Save', { prefix: 'y'.repeat(1_000_000) });
  assert.equal(cache.rememberedChars, before, 'a huge value is not remembered at all');
});

test('finding 16: input types named like object members are not dynamic', () => {
  const odd = prepareNodeDefs(g.memberNamedTypesObjectInfo());
  const ps = validateWorkflow(parseWorkflowDocument('{"1":{"class_type":"Odd","inputs":{}}}'), odd);
  assert.deepEqual(
    ps
      .filter((p) => p.code === 'required_input_missing')
      .map((p) => p.inputName)
      .sort(),
    ['a', 'b', 'c', 'd'],
  );
});

test('finding 20: 1e400 is shown as written, not as null', () => {
  const ps = validateWorkflow(parseWorkflowDocument(g.hugeExponent()), defs);
  assert.match(ps.find((p) => p.inputName === 'cfg')!.message, /got 1e400\.$/);
});

test('issue 12: one format detector for the document model and the queue command', () => {
  const cases: [string, string][] = [
    ['{"nodes": [{"id": 1, "type": "KSampler"}]}', 'ui'],
    ['{"nodes": [], "links": [], "version": 0.4}', 'ui'],
    ['{"1": 2}', 'api'],
    ['{"1": {}}', 'api'],
    ['{"a": {"class_type": "X"}}', 'api'],
    ['{"a": {"inputs": {}}}', 'api'],
    ['{"1": {"class_type": "X"}, "1": 5, "b": 1}', 'none'],
    ['{"extra": {"class_type": "X"}, "nodes": {}}', 'api'],
    ['{"a": 1}', 'none'],
    ['{"prompt": {"1": {}}, "client_id": "c"}', 'request'],
    ['{"prompt": {}, "class_type": "X"}', 'none'],
    ['{"name": "pkg", "version": "1.0.0"}', 'none'],
    ['{}', 'none'],
    ['[1]', 'none'],
  ];
  for (const [text, expected] of cases) {
    assert.equal(parseWorkflowDocument(text).format, expected, text);
    assert.equal(detectSourceFormat(JSON.parse(text)), expected, text);
    assert.equal(detectValueFormat(JSON.parse(text)), detectTreeFormat(parseWorkflowDocument(text).root).format, text);
    // A document too large to parse is sniffed from its text: the same rules, so the same answer.
    assert.equal(parseWorkflowDocument(text, { maxObjects: -1 }).format, expected, `${text} (too large to parse)`);
    assert.equal(sniffTextFormat(text), expected, text);
    // Diff, textconv, the formatter and the merge driver: the same answer, `none` meaning "not a workflow" — except
    // their one named rule on top, an empty object as an empty prompt.
    const forDiff = isEmptyPrompt(JSON.parse(text)) ? 'api' : expected === 'none' ? undefined : expected;
    assert.equal(diffFormat(JSON.parse(text)), forDiff, `${text} (diff)`);
    const tree = parseJson(text);
    if (isObj(tree)) assert.equal(diffFormatOfJson(tree), forDiff, `${text} (formatter, merge)`);
  }
  assert.equal(diffFormat({}), 'api', 'only the empty object is an exception');
});

test('issue 12: a document too large to parse is sniffed by the same rules, from its first 64 KB', () => {
  const pad = 'x'.repeat(70_000);
  // A `nodes` list alone decides, as in the detector; nodes nested in an input do not.
  assert.equal(sniffTextFormat(`{"nodes": [{"id": 1, "type": "K", "title": "${pad}"}]}`), 'ui');
  assert.equal(sniffTextFormat(`{"1": {"class_type": "K", "inputs": {"nodes": ["2", 0]}}, "2": {"class_type": "${pad}"}}`), 'api');
  // Strings and comments are stepped over: a key-like text inside them is not a key.
  assert.equal(sniffTextFormat(`// "nodes": [\n{"a": "\\"nodes\\": [", /* "nodes": [ */ "b": 1}`), 'none');
  assert.equal(sniffTextFormat(`{"1": {"inputs": {"text": "${pad}"}}, "name": "x"}`), 'api', 'the keys seen so far decide');
  assert.equal(sniffTextFormat(`{"prompt": {"1": {}}, "client_id": "${pad}"}`), 'request');
});

test('deliver 3: one expansion — group nodes, subgraphs and virtual nodes agree everywhere', () => {
  const grouped = JSON.parse(g.groupNodeHidingUnsafe());
  const expanded = expandUiWorkflow(grouped);
  assert.deepEqual(
    expanded.nodes.filter((n) => n.sent).map((n) => [n.id, n.type]),
    [
      ['10:0', 'Terminal'],
      ['11', 'Save'],
    ],
  );
  assert.deepEqual(requiredClassesOfUiWorkflow(grouped), ['Terminal', 'Save']);
  assert.deepEqual(classesOfWorkflow(grouped), ['Terminal', 'Save']);
  // finding 1: the unsafe check sees the Terminal inside the group node, on its type literal in extra.groupNodes.
  const text = g.groupNodeHidingUnsafe();
  const hits = findUnsafeNodes(text, unsafeNodeList([]));
  assert.deepEqual(
    hits.map((h) => [h.nodeId, h.classType]),
    [['10:0', 'Terminal']],
  );
  assert.equal(text.slice(hits[0]!.range.offset, hits[0]!.range.offset + hits[0]!.range.length), '"Terminal"');
  assert.ok(hits[0]!.range.offset > text.indexOf('groupNodes'));
  assert.deepEqual(
    unsafeClassesIn(grouped, unsafeNodeList([])).map((e) => e.classType),
    ['Terminal'],
  );
  // The prompt actually sent contains it, and the prompt judge says so.
  const prompt = convertUiWorkflow(grouped, { ...info, Terminal: info.Save } as ObjectInfo).prompt;
  assert.deepEqual(
    unsafeNodesOfPrompt(prompt, unsafeNodeList([])).map((h) => [h.nodeId, h.classType]),
    [['10:0', 'Terminal']],
  );
  // Dispatch: Set/Get, rgthree's reroute and notes are not classes a server must have.
  assert.deepEqual(classesOfWorkflow(JSON.parse(g.virtualNodesWorkflow())), ['Loader']);
  // Seed control reads the same expansion: the group instance's own values, not the definition's.
  const seeded = JSON.parse(g.groupNodeHidingUnsafe());
  seeded.nodes[1].widgets_values = [7, 'increment'];
  seeded.extra.groupNodes.Innocent.nodes[0].widgets_values = [1, 'randomize'];
  assert.deepEqual(
    findUiControls(seeded).map((c) => c.path.join('/')),
    ['nodes/1/widgets_values/0'],
  );
});

test('finding 12: integers above 2^53 are sent as written', () => {
  const text = g.bigIntegerSeed('18446744073709551615');
  assert.deepEqual(
    [...unsafeIntegerLiterals(`${text} "12345678901234567890" 1.5e300 12345678901234567`).values()],
    ['18446744073709551615', '12345678901234567'],
  );
  const body = buildPromptRequest(JSON.parse(text), 'api', { promptId: 'p', sourceText: text });
  const sent = serializePromptRequest(body);
  assert.match(sent, /"seed":18446744073709551615,/);
  assert.equal(JSON.stringify(JSON.parse(sent).prompt), JSON.stringify(JSON.parse(text)), 'everything else unchanged');
  // A string that imitates the placeholder stays a string.
  const tricky = JSON.parse(text);
  tricky['3'].inputs.prefix = '\u0000n0:0';
  assert.match(serializePromptRequest(buildPromptRequest(tricky, 'api', { promptId: 'p', sourceText: text })), /"prefix":"\\u0000n0:0"/);
  // Without the source text nothing changes (today's JSON.stringify).
  assert.match(serializePromptRequest(buildPromptRequest(JSON.parse(text), 'api', { promptId: 'p' })), /"seed":18446744073709552000/);
});

test('finding 14: one markdown escaper and one code span that no name can break out of', () => {
  const md = escapeMarkdown(g.MARKDOWN_INJECTION);
  assert.doesNotMatch(md, /\n/);
  assert.doesNotMatch(md, /(^|[^\\])[[\]()<>!`]/);
  const span = markdownCode(g.MARKDOWN_INJECTION);
  assert.match(span, /^```[^`]/, 'fence longer than the double backtick inside');
  assert.ok(span.endsWith('```'));
  assert.doesNotMatch(span, /\n/);
  assert.equal(markdownCode('`x`'), '`` `x` ``');
});

test('finding 15: terminal escaping and truncation', () => {
  assert.equal(escapeTerminal('a\u001b[31mb\u0007\rc\u202ed'), 'a\\x1b[31mb\\x07\\x0dc\\u202ed');
  assert.equal(truncateText('abc', 5), 'abc');
  assert.equal(truncateText('x'.repeat(1000), 10), `${'x'.repeat(9)}… (1,000 characters)`);
});

test('finding 10: trigger words split like the old regex, in linear time', () => {
  const old = (s: string) => s.split(/,(?![^()]*\))/);
  const alphabet = ['a', ',', '(', ')', ' '];
  let seed = 7;
  for (let n = 0; n < 500; n++) {
    let s = '';
    for (let i = 0; i < 12; i++) s += alphabet[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % alphabet.length];
    assert.deepEqual(splitTriggerWords(s), old(s), JSON.stringify(s));
  }
  assert.equal(splitTriggerWords(g.quadraticTriggerWords(200_000).ss_trigger_words!).length, 100_001);
});

test('finding 19: "." and ".." are never sent as path segments', () => {
  assert.throws(() => segment('..'), RangeError);
  assert.throws(() => segment('.'), RangeError);
  assert.equal(segment('a..b'), 'a..b');
  assert.equal(segment('../x'), '..%2Fx');
});
