import { suite, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureDefs } from '../../fixtures/lang/harness';
import { parseWorkflowDocument, type WorkflowDocument } from '../../../src/core/workflow/document';
import { applyEdits } from '../../../src/core/workflow/edits';
import { getQuickFixes, type FixableProblem, type QuickFix } from '../../../src/core/workflow/fixes';
import { validateWorkflow } from '../../../src/core/workflow/validate';

const defs = fixtureDefs();

/** A problem on the first occurrence of `token` (after `after`, when given), without `data`: fixes must recompute. */
function problemAt(text: string, code: string, token: string, after = ''): FixableProblem {
  const from = after ? text.indexOf(after) : 0;
  const offset = text.indexOf(token, from);
  assert.ok(offset >= 0 && from >= 0, `${token} not in text`);
  return { code, range: { offset, length: token.length } };
}

function run(text: string, problem: FixableProblem, options = {}): { fixes: QuickFix[]; titles: string[]; apply(i?: number): string } {
  const doc = parseWorkflowDocument(text);
  const fixes = getQuickFixes(doc, defs, problem, options);
  for (const f of fixes) {
    assert.equal(f.kind, 'quickfix');
    assert.equal(f.problemCode, problem.code);
  }
  return { fixes, titles: fixes.map((f) => f.title), apply: (i = 0) => applyEdits(text, fixes[i]!.edits) };
}

/** The fixes of several problems, in order (the editor offers each problem's fixes under its diagnostic). */
function fixesFor(doc: WorkflowDocument, problems: readonly FixableProblem[]): QuickFix[] {
  return problems.flatMap((p) => getQuickFixes(doc, defs, p));
}

/** Validation problems of a given code, from the real validator. */
function problemsOf(doc: WorkflowDocument, code: string): FixableProblem[] {
  return validateWorkflow(doc, defs).filter((p) => p.code === code);
}

suite('quick fixes: combo values', () => {
  const text = `{
  "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd_xl_base_1.0.safetensors"}},
  "3": {"class_type": "KSampler", "inputs": {"sampler_name": "Euler", "scheduler": "karas"}}
}`;

  test('same basename in a subfolder is the preferred fix', () => {
    const r = run(text, problemAt(text, 'value_not_in_list', '"sd_xl_base_1.0.safetensors"'));
    assert.equal(r.titles[0], 'Change to "sdxl/sd_xl_base_1.0.safetensors"');
    assert.equal(r.fixes[0]!.isPreferred, true);
    assert.ok(r.apply().includes('"ckpt_name": "sdxl/sd_xl_base_1.0.safetensors"}'));
    assert.ok(r.fixes.length <= 3);
  });

  test('case-insensitive match first, then edit distance', () => {
    const r = run(text, problemAt(text, 'value_not_in_list', '"Euler"'));
    assert.equal(r.titles[0], 'Change to "euler"');
    assert.equal(r.fixes[0]!.isPreferred, true);
    const k = run(text, problemAt(text, 'value_not_in_list', '"karas"'));
    assert.equal(k.titles[0], 'Change to "karras"');
    assert.ok(k.apply().includes('"scheduler": "karras"'));
  });

  test('uses data.values from the validator (new-style COMBO) and returns nothing when nothing is close', () => {
    const t = '{"1": {"class_type": "SaveVideo", "inputs": {"format": "mp5", "codec": "zzzzzzzz"}}}';
    const r = run(t, { ...problemAt(t, 'value_not_in_list', '"mp5"'), data: { values: ['auto', 'mp4'], value: 'mp5' } });
    assert.deepEqual(r.titles, ['Change to "mp4"']);
    assert.deepEqual(run(t, problemAt(t, 'value_not_in_list', '"zzzzzzzz"')).fixes, []);
  });

  test('Chinese titles', () => {
    const r = run(text, problemAt(text, 'value_not_in_list', '"Euler"'), { locale: 'zh-CN' });
    assert.equal(r.titles[0], '改为 "euler"');
  });
});

suite('quick fixes: unknown class', () => {
  test('rename to the suggested class', () => {
    const t = '{"1": {"class_type": "KSampeler", "inputs": {}}}';
    const r = run(t, problemAt(t, 'missing_node_type', '"KSampeler"'));
    assert.equal(r.titles[0], 'Change class to KSampler');
    assert.equal(r.apply(), '{"1": {"class_type": "KSampler", "inputs": {}}}');
    const d = run(t, { ...problemAt(t, 'missing_node_type', '"KSampeler"'), data: { classType: 'KSampeler', suggestions: ['VAEDecode'] } });
    assert.deepEqual(d.titles, ['Change class to VAEDecode (VAE Decode)']);
    assert.equal(d.fixes[0]!.isPreferred, true);
  });

  test('from the validator', () => {
    const t = '{"1": {"class_type": "Load Checkpoint", "inputs": {}}}';
    const doc = parseWorkflowDocument(t);
    const fixes = fixesFor(doc, problemsOf(doc, 'missing_node_type'));
    assert.ok(
      fixes.some((f) => f.title === 'Change class to CheckpointLoaderSimple (Load Checkpoint)'),
      JSON.stringify(fixes.map((f) => f.title)),
    );
  });

  test('a known class or a non-string class_type has no rename fix', () => {
    const t = '{"1": {"class_type": 12, "inputs": {}}}';
    assert.deepEqual(run(t, problemAt(t, 'missing_node_type', '12')).fixes, []);
  });
});

suite('quick fixes: missing required inputs', () => {
  const text = `{
  "4": {
    "class_type": "CheckpointLoaderSimple",
    "inputs": {
      "ckpt_name": "flux1-dev-fp8.safetensors"
    }
  },
  "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 512, "batch_size": 1}},
  "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a", "clip": ["4", 1]}},
  "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "b", "clip": ["4", 1]}},
  "3": {
    "class_type": "KSampler",
    "inputs": {
      "seed": 5
    }
  }
}`;

  test('one fix adds every missing input with defaults and unambiguous links, formatted like the file', () => {
    const r = run(text, {
      code: 'required_input_missing',
      range: { offset: text.indexOf('"inputs"', text.indexOf('"KSampler"')), length: 8 },
      nodeId: '3',
      inputName: 'steps',
    });
    assert.equal(r.titles[0], 'Add missing inputs: model, steps, cfg, sampler_name, scheduler, latent_image, denoise');
    assert.equal(r.fixes[0]!.isPreferred, true);
    const out = r.apply();
    assert.ok(
      out.includes(`"inputs": {
      "seed": 5,
      "model": ["4", 0],
      "steps": 20,
      "cfg": 8,
      "sampler_name": "euler",
      "scheduler": "simple",
      "latent_image": ["5", 0],
      "denoise": 1
    }`),
      out,
    );
    assert.doesNotThrow(() => JSON.parse(out));
  });

  test('ambiguous sockets get one Connect fix per candidate', () => {
    const r = run(text, {
      code: 'required_input_missing',
      range: { offset: text.indexOf('"inputs"', text.indexOf('"KSampler"')), length: 8 },
      nodeId: '3',
      data: { input: 'positive' },
    });
    assert.deepEqual(r.titles.slice(1), [
      'Connect positive to #6 CLIP Text Encode (Prompt) › CONDITIONING',
      'Connect positive to #7 CLIP Text Encode (Prompt) › CONDITIONING',
    ]);
    const out = r.apply(2);
    assert.ok(out.includes('"seed": 5,\n      "positive": ["7", 0]\n    }'), out);
  });

  test('from the validator, on an empty one-line inputs object and a tab-indented file', () => {
    const t = '{"1": {"class_type": "EmptyLatentImage", "inputs": {}}, "2": {"class_type": "SaveImage", "inputs": {"images": ["9", 0]}}}';
    const doc = parseWorkflowDocument(t);
    const problems = validateWorkflow(doc, defs).filter((p) => p.code === 'required_input_missing' && p.nodeId === '1');
    assert.ok(problems.length >= 1);
    const fixes = fixesFor(doc, problems);
    assert.equal(new Set(fixes.map((f) => f.title + JSON.stringify(f.edits))).size, 1, 'every problem offers the same fix: all missing inputs at once');
    assert.equal(
      applyEdits(t, fixes[0]!.edits),
      '{"1": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 512, "batch_size": 1}}, "2": {"class_type": "SaveImage", "inputs": {"images": ["9", 0]}}}',
    );
    const tabbed = '{\n\t"1": {\n\t\t"class_type": "GrowMask",\n\t\t"inputs": {}\n\t}\n}';
    const r = run(tabbed, { code: 'required_input_missing', range: { offset: tabbed.indexOf('"inputs"'), length: 8 }, nodeId: '1' });
    assert.equal(r.apply(), '{\n\t"1": {\n\t\t"class_type": "GrowMask",\n\t\t"inputs": {\n\t\t\t"expand": 0,\n\t\t\t"tapered_corners": true\n\t\t}\n\t}\n}');
  });
});

suite('quick fixes: ranges, undeclared inputs, types, links', () => {
  test('clamp to min and max (also seeds at 2^64 - 1)', () => {
    const t = '{"1": {"class_type": "KSampler", "inputs": {"steps": 0, "denoise": 1.5, "seed": -1}}}';
    const lo = run(t, problemAt(t, 'value_smaller_than_min', '0,'.slice(0, 1), '"steps"'));
    assert.deepEqual(lo.titles, ['Change to the minimum, 1']);
    assert.ok(lo.apply().includes('"steps": 1,'));
    const hi = run(t, { ...problemAt(t, 'value_bigger_than_max', '1.5'), data: { min: 0, max: 1, value: 1.5 } });
    assert.deepEqual(hi.titles, ['Change to the maximum, 1']);
    assert.ok(hi.apply().includes('"denoise": 1,'));
    const big = '{"1": {"class_type": "KSampler", "inputs": {"seed": 99999999999999999999999}}}';
    assert.ok(
      run(big, problemAt(big, 'value_bigger_than_max', '99999999999999999999999'))
        .apply()
        .includes('"seed": 18446744073709551615}'),
    );
  });

  test('undeclared input: rename to a close free name (preferred) or remove it', () => {
    const t = '{\n  "1": {\n    "class_type": "KSampler",\n    "inputs": {\n      "step": 20,\n      "cfg": 8\n    }\n  }\n}';
    const r = run(t, problemAt(t, 'undeclared_input', '"step"'));
    assert.deepEqual(r.titles, ['Rename step to steps', 'Remove input step']);
    assert.equal(r.fixes[0]!.isPreferred, true);
    assert.ok(r.apply(0).includes('"steps": 20,'));
    assert.equal(r.apply(1), '{\n  "1": {\n    "class_type": "KSampler",\n    "inputs": {\n      "cfg": 8\n    }\n  }\n}');
    const last = '{"1": {"class_type": "KSampler", "inputs": {"cfg": 8, "zzz_unrelated": 1}}}';
    const rl = run(last, problemAt(last, 'undeclared_input', '"zzz_unrelated"'));
    assert.deepEqual(rl.titles, ['Remove input zzz_unrelated']);
    assert.equal(rl.apply(), '{"1": {"class_type": "KSampler", "inputs": {"cfg": 8}}}');
    const only = '{"1": {"class_type": "SaveImage", "inputs": {"prompt": {}}}}';
    assert.equal(run(only, problemAt(only, 'hidden_input', '"prompt"')).apply(), '{"1": {"class_type": "SaveImage", "inputs": {}}}');
  });

  test('undeclared input from the validator', () => {
    const t = '{"1": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 512, "batch_size": 1, "widht": 3}}}';
    const doc = parseWorkflowDocument(t);
    const fixes = fixesFor(doc, problemsOf(doc, 'undeclared_input'));
    assert.deepEqual(
      fixes.map((f) => f.title),
      ['Remove input widht'],
    );
    assert.equal(applyEdits(t, fixes[0]!.edits), '{"1": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 512, "batch_size": 1}}}');
  });

  test('values the server converts: write real JSON', () => {
    const t = '{"1": {"class_type": "GrowMask", "inputs": {"expand": "4", "tapered_corners": "false"}}}';
    assert.ok(
      run(t, problemAt(t, 'invalid_input_type', '"4"'))
        .apply()
        .includes('"expand": 4,'),
    );
    const b = run(t, problemAt(t, 'invalid_input_type', '"false"'));
    assert.deepEqual(b.titles, ['Write it as false']);
    assert.ok(b.apply().includes('"tapered_corners": false}'));
  });

  test('socket holding a value, broken links: connect to compatible outputs', () => {
    const t =
      '{"4": {"class_type": "CheckpointLoaderSimple", "inputs": {}}, "2": {"class_type": "VAEDecode", "inputs": {"vae": "x", "samples": ["4", 0]}}, "5": {"class_type": "EmptyLatentImage", "inputs": {}}}';
    const v = run(t, { ...problemAt(t, 'invalid_input_type', '"x"'), data: { expected: 'link', type: 'VAE' } });
    assert.deepEqual(v.titles, ['Connect vae to #4 Load Checkpoint › VAE']);
    assert.equal(v.fixes[0]!.isPreferred, true);
    assert.ok(v.apply().includes('"vae": ["4", 2]'));
    const m = run(t, problemAt(t, 'return_type_mismatch', '["4", 0]'));
    assert.deepEqual(m.titles, ['Connect samples to #5 Empty Latent Image › LATENT']);
    assert.ok(m.apply().includes('"samples": ["5", 0]'));
  });

  test('duplicate keys: remove the ignored one', () => {
    const t = '{"1": {"class_type": "EmptyLatentImage", "inputs": {"width": 1, "width": 512}}}';
    const doc = parseWorkflowDocument(t);
    const fixes = fixesFor(doc, problemsOf(doc, 'duplicate_key'));
    assert.deepEqual(
      fixes.map((f) => f.title),
      ['Remove the ignored duplicate width'],
    );
    assert.equal(applyEdits(t, fixes[0]!.edits), '{"1": {"class_type": "EmptyLatentImage", "inputs": {"width": 512}}}');
  });

  test('every validator problem of a broken workflow: fixes never throw and keep the JSON valid', () => {
    const t = `{
  "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "SD1.5/V1-5-pruned-emaonly.safetensors"}},
  "3": {"class_type": "KSampler", "inputs": {"seed": -5, "steps": 100000, "cfg": "8", "sampler_name": "eulr", "model": ["4", 1], "positive": ["99", 0], "bogus": 1}},
  "9": {"class_type": "SaveImagee", "inputs": {"images": ["3", 0]}},
  "8": {"class_type": "SaveImage", "inputs": {"images": ["4", 5], "filename_prefix": 3}}
}`;
    const doc = parseWorkflowDocument(t);
    const problems = validateWorkflow(doc, defs);
    assert.ok(problems.length > 5);
    let fixed = 0;
    for (const p of problems) {
      const fixes = getQuickFixes(doc, defs, p);
      for (const f of fixes) {
        const out = applyEdits(t, f.edits);
        assert.doesNotThrow(() => JSON.parse(out), `${p.code}: ${f.title}`);
        fixed++;
      }
    }
    assert.ok(fixed >= 6, `only ${fixed} fixes`);
  });

  test('bad input never throws', () => {
    const doc = parseWorkflowDocument('{"1": {"class_type": "KSampler", "inputs": {"steps": ');
    for (const code of [
      'value_not_in_list',
      'missing_node_type',
      'required_input_missing',
      'value_smaller_than_min',
      'undeclared_input',
      'invalid_input_type',
      'return_type_mismatch',
      'duplicate_key',
      'nope',
    ]) {
      for (const range of [
        { offset: 0, length: 0 },
        { offset: 999, length: 3 },
        { offset: -1, length: 1 },
      ]) {
        assert.doesNotThrow(() => getQuickFixes(doc, defs, { code, range }));
        assert.doesNotThrow(() => getQuickFixes(doc, undefined, { code, range, data: { values: 3, suggestions: 'x' } }));
      }
    }
  });
});
