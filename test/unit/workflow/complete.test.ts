import { suite, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'jsonc-parser';
import { complete, countingDefs, fixtureDefs, sortedLabels, applyItem, withCursor } from '../../fixtures/lang/harness';
import { parseWorkflowDocument } from '../../../src/core/workflow/document';
import { getCompletions, resolveCompletionItem, warmCompletionCache } from '../../../src/core/workflow/complete';
import type { Clock } from '../../../src/core/util/clock';

const defs = fixtureDefs();

/** A small txt2img API prompt; `@` is replaced by the fixture's own snippet before the marker is placed. */
const GRAPH = `{
  "4": {
    "class_type": "CheckpointLoaderSimple",
    "inputs": {
      "ckpt_name": "sdxl/sd_xl_base_1.0.safetensors"
    },
    "_meta": {"title": "My Checkpoint"}
  },
  "5": {
    "class_type": "EmptyLatentImage",
    "inputs": {"width": 512, "height": 512, "batch_size": 1}
  },
  "6": {
    "class_type": "CLIPTextEncode",
    "inputs": {"text": "a cat", "clip": ["4", 1]}
  },
  "3": {
    "class_type": "KSampler",
    "inputs": {
      @
    }
  }
}`;

function inGraph(snippet: string): string {
  return GRAPH.replace('@', snippet);
}

suite('completion: class_type', () => {
  test('proposes every class, replacing the whole literal', () => {
    const run = complete('{"1": {"class_type": "KSa|mpler", "inputs": {}}}');
    assert.equal(run.items.length, defs.names().length);
    assert.equal(run.apply('CheckpointLoaderSimple'), '{"1": {"class_type": "CheckpointLoaderSimple", "inputs": {}}}');
    const item = run.item('CheckpointLoaderSimple');
    assert.equal(item.kind, 'class');
    assert.match(item.detail ?? '', /Load Checkpoint · loaders/);
    assert.match(item.documentation ?? '', /Loads a diffusion model checkpoint/);
    assert.match(item.documentation ?? '', /Pack: ComfyUI core/);
    // The full description (inputs, outputs) comes with the editor's resolve step.
    const resolved = resolveCompletionItem(item, defs);
    assert.match(resolved.documentation ?? '', /Outputs:\n- 0: `MODEL`/);
    assert.equal(resolved.insertText, item.insertText);
  });

  test('filter text lets the display name match', () => {
    const run = complete('{"1": {"class_type": "|"}}');
    assert.equal(run.item('CheckpointLoaderSimple').filterText, '"CheckpointLoaderSimple" Load Checkpoint');
    // V3 nodes with display_name null fall back to the class name: nothing extra to filter on.
    assert.equal(run.item('LatentCut').filterText, '"LatentCut"');
    assert.equal(run.item('LatentCut').detail, 'latent/advanced');
  });

  test('missing value: inserts a literal and the comma before the next property', () => {
    const run = complete('{"1": {"class_type": | "inputs": {}}}');
    assert.equal(run.apply('VAEDecode'), '{"1": {"class_type": "VAEDecode", "inputs": {}}}');
    const run2 = complete('{"1": {"class_type": |}}');
    assert.equal(run2.apply('VAEDecode'), '{"1": {"class_type": "VAEDecode"}}');
  });

  test('unterminated literal is replaced only up to the cursor', () => {
    const { text, offset } = withCursor('{"1": {"class_type": "VAE|\n}}');
    const { items } = getCompletions(parseWorkflowDocument(text), defs, offset);
    const item = items.find((i) => i.label === 'VAEDecode')!;
    assert.equal(applyItem(text, item), '{"1": {"class_type": "VAEDecode"\n}}');
  });

  test('an unterminated value followed by another property gets a comma', () => {
    const run = complete('{"1": {\n  "class_type": "VAE|\n  "inputs": {}}}');
    assert.equal(run.apply('VAEDecode'), '{"1": {\n  "class_type": "VAEDecode",\n  "inputs": {}}}');
  });

  test('a non-string class_type is replaced', () => {
    assert.equal(complete('{"1": {"class_type": 1|2}}').apply('SaveImage'), '{"1": {"class_type": "SaveImage"}}');
  });

  test('works inside a /prompt request body', () => {
    const run = complete('{"client_id": "x", "prompt": {"1": {"class_type": "|"}}}');
    assert.ok(run.labels.includes('KSampler'));
    assert.equal(run.apply('KSampler'), '{"client_id": "x", "prompt": {"1": {"class_type": "KSampler"}}}');
  });

  test('keys of the request body itself', () => {
    const run = complete('{"prompt": {"1": {"class_type": "VAEDecode", "inputs": {}}}, |}');
    assert.deepEqual(run.labels, ['client_id', 'prompt_id', 'number', 'front', 'partial_execution_targets', 'extra_data']);
    assert.equal(run.apply('client_id'), '{"prompt": {"1": {"class_type": "VAEDecode", "inputs": {}}}, "client_id": ""}');
  });

  test('class items are reused per NodeDefs but ranges are per call', () => {
    // Count how often the class definitions are read: the first completion builds the per-class parts once, the
    // next ones reuse them.
    const fresh = fixtureDefs();
    let reads = 0;
    const counted = new Proxy(fresh, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (key !== 'get' || typeof value !== 'function') return value;
        return (name: string) => {
          reads++;
          return (value as (n: string) => unknown).call(target, name);
        };
      },
    });
    const a = complete('{"1": {"class_type": "|"}}', counted);
    const afterFirst = reads;
    assert.ok(afterFirst >= fresh.size, `first completion reads every class (${afterFirst})`);
    const b = complete('{"22": {"class_type": "K|"}}', counted);
    assert.ok(reads - afterFirst < fresh.size, `second completion reuses the entries (${reads - afterFirst} reads)`);
    assert.notDeepEqual(a.item('KSampler').range, b.item('KSampler').range);
  });
});

suite('completion: input names', () => {
  test('required inputs first with default snippets, present keys left out', () => {
    const run = complete(inGraph('"seed": 1,\n      |'));
    assert.ok(!run.labels.includes('seed'));
    assert.deepEqual(sortedLabels(run.items), ['model', 'steps', 'cfg', 'sampler_name', 'scheduler', 'positive', 'negative', 'latent_image', 'denoise']);
    const steps = run.item('steps');
    assert.equal(steps.insertText, '"steps": ${1:20}');
    assert.equal(steps.isSnippet, true);
    assert.match(steps.detail ?? '', /^INT/);
    assert.match(steps.documentation ?? '', /Range: 1 … 10000/);
  });

  test('separator after when another property follows', () => {
    const run = complete('{"1": {"class_type": "EmptyLatentImage", "inputs": {| "width": 64}}}');
    assert.equal(run.apply('height'), '{"1": {"class_type": "EmptyLatentImage", "inputs": {"height": 512, "width": 64}}}');
  });

  test('comma before when the previous property has none', () => {
    const run = complete('{"1": {"class_type": "EmptyLatentImage", "inputs": {"width": 64 |}}}');
    assert.equal(run.apply('height'), '{"1": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 512}}}');
  });

  test('a key being typed on its own line gets the comma the next line needs', () => {
    const run = complete('{"1": {"class_type": "EmptyLatentImage", "inputs": {\n  "he|\n  "width": 64}}}');
    assert.equal(run.apply('height'), '{"1": {"class_type": "EmptyLatentImage", "inputs": {\n  "height": 512,\n  "width": 64}}}');
    const closed = complete('{"1": {"class_type": "EmptyLatentImage", "inputs": {"he|" "width": 64}}}');
    assert.equal(closed.apply('height'), '{"1": {"class_type": "EmptyLatentImage", "inputs": {"height": 512, "width": 64}}}');
    const last = complete('{"1": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "he|"}}}');
    assert.equal(last.apply('height'), '{"1": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 512}}}');
  });

  test('editing an existing key replaces only the key', () => {
    const run = complete('{"1": {"class_type": "EmptyLatentImage", "inputs": {"wi|dth": 64}}}');
    assert.ok(run.labels.includes('width'), 'the key being edited is still proposed');
    assert.equal(run.apply('height'), '{"1": {"class_type": "EmptyLatentImage", "inputs": {"height": 64}}}');
  });

  test('value snippets per kind: combo choice, boolean, string, link with a candidate', () => {
    const run = complete(inGraph('|'));
    assert.equal(
      run.item('scheduler').insertText,
      '"scheduler": "${1|simple,sgm_uniform,karras,exponential,ddim_uniform,beta,normal,linear_quadratic,kl_optimal|}"',
    );
    // 42 samplers: too many for a choice; the first option as placeholder.
    assert.equal(run.item('sampler_name').insertText, '"sampler_name": "${1:euler}"');
    assert.equal(run.item('model').insertText, '"model": ["${1:4}", ${2:0}]');
    assert.equal(run.item('positive').insertText, '"positive": ["${1:6}", ${2:0}]');
    assert.equal(run.item('cfg').insertText, '"cfg": ${1:8}');
    const grow = complete('{"1": {"class_type": "GrowMask", "inputs": {|}}}');
    assert.equal(grow.item('tapered_corners').insertText, '"tapered_corners": ${1|true,false|}');
    assert.equal(grow.item('mask').insertText, '"mask": ["${1}", ${2:0}]');
    const save = complete('{"1": {"class_type": "SaveImage", "inputs": {|}}}');
    assert.equal(save.item('filename_prefix').insertText, '"filename_prefix": "${1:ComfyUI}"');
    assert.ok(!save.labels.includes('prompt'), 'hidden inputs are never proposed');
  });

  test('optional inputs come after required ones (union-typed custom node)', () => {
    const run = complete('{"1": {"class_type": "SimpleMath+", "inputs": {|}}}');
    assert.deepEqual(sortedLabels(run.items), ['value', 'a', 'b']);
    assert.equal(run.item('a').detail, 'INT | FLOAT (optional)');
  });

  test('unknown class: nothing to propose', () => {
    assert.deepEqual(complete('{"1": {"class_type": "Nope", "inputs": {|}}}').items, []);
  });

  test('applied input snippet gives valid, formatted JSON', () => {
    const run = complete(inGraph('|'));
    const out = run.apply('denoise');
    assert.ok(out.includes('"inputs": {\n      "denoise": 1\n    }'), out);
    assert.doesNotThrow(() => JSON.parse(out));
  });
});

suite('completion: input values', () => {
  test('combo values: all of them, in server order, replacing the literal', () => {
    const run = complete(inGraph('"sampler_name": "eu|"'));
    assert.equal(run.items.length, 42);
    assert.deepEqual(sortedLabels(run.items).slice(0, 3), ['euler', 'euler_cfg_pp', 'euler_ancestral']);
    assert.ok(run.apply('heun').includes('"sampler_name": "heun"\n'));
  });

  test('model lists with subfolders, new-style COMBO options and default preselected', () => {
    const ckpt = complete('{"1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": |}}}');
    assert.deepEqual(ckpt.labels, [
      'SD1.5/v1-5-pruned-emaonly.safetensors',
      'sdxl/sd_xl_base_1.0.safetensors',
      'sdxl/sd_xl_refiner_1.0.safetensors',
      'flux1-dev-fp8.safetensors',
      'Realistic_Vision_V6.safetensors',
    ]);
    assert.equal(
      ckpt.apply('flux1-dev-fp8.safetensors'),
      '{"1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "flux1-dev-fp8.safetensors"}}}',
    );
    const video = complete('{"1": {"class_type": "SaveVideo", "inputs": {"format": "|", "codec": "auto"}}}');
    assert.deepEqual(video.labels, ['auto', 'mp4']);
    assert.equal(video.item('auto').preselect, true);
    const cut = complete('{"1": {"class_type": "LatentCut", "inputs": {"dim": "|"}}}');
    assert.deepEqual(cut.labels, ['x', 'y', 't']);
  });

  test('numbers: default, min and max; booleans: both, default first', () => {
    const run = complete('{"1": {"class_type": "KSampler", "inputs": {"steps": |, "cfg": 8}}}');
    assert.deepEqual(sortedLabels(run.items), ['20', '1', '10000']);
    assert.equal(run.apply('20'), '{"1": {"class_type": "KSampler", "inputs": {"steps": 20, "cfg": 8}}}');
    const grow = complete('{"1": {"class_type": "GrowMask", "inputs": {"tapered_corners": f|}}}');
    assert.deepEqual(sortedLabels(grow.items), ['true', 'false']);
    assert.equal(grow.apply('false'), '{"1": {"class_type": "GrowMask", "inputs": {"tapered_corners": false}}}');
  });

  test('missing value followed by another input gets a comma', () => {
    const run = complete('{"1": {"class_type": "KSampler", "inputs": {"steps": | "cfg": 8}}}');
    assert.equal(run.apply('20'), '{"1": {"class_type": "KSampler", "inputs": {"steps": 20, "cfg": 8}}}');
  });

  test('link targets: matching output types only, titled, replacing the tuple', () => {
    const run = complete(inGraph('"model": [|"4", 0]').replace('[|"4", 0]', '|["4", 0]'));
    assert.deepEqual(run.labels, ['#4 My Checkpoint › MODEL']);
    const pos = complete(inGraph('"positive": |'));
    assert.deepEqual(pos.labels, ['#6 CLIP Text Encode (Prompt) › CONDITIONING']);
    const item = pos.item('#6 CLIP Text Encode (Prompt) › CONDITIONING');
    assert.equal(item.kind, 'reference');
    assert.equal(item.insertText, '["6", 0]');
    assert.match(item.detail ?? '', /^\["6", 0\] · CLIPTextEncode → CONDITIONING$/);
    const latent = complete(inGraph('"latent_image": |'));
    assert.deepEqual(latent.labels, ['#5 Empty Latent Image › LATENT']);
  });

  test('union-typed input takes INT and FLOAT outputs; "*" takes everything', () => {
    const text = `{"1": {"class_type": "SimpleMath+", "inputs": {"value": "1"}},
 "2": {"class_type": "SimpleMath+", "inputs": {"value": "2", "a": |}},
 "3": {"class_type": "EmptyLatentImage", "inputs": {}}}`;
    const run = complete(text);
    assert.deepEqual(
      run.labels.filter((l) => l.includes('›')),
      ['#1 🔧 Simple Math › INT', '#1 🔧 Simple Math › FLOAT'],
    );
    const any = complete(
      `{"1": {"class_type": "EmptyLatentImage", "inputs": {}}, "2": {"class_type": "LoadImage", "inputs": {}}, "9": {"class_type": "PreviewAny", "inputs": {"source": |}}}`,
    );
    assert.deepEqual(any.labels, ['#1 Empty Latent Image › LATENT', '#2 Load Image › IMAGE', '#2 Load Image › MASK']);
  });

  test('widget inputs list their own values before links', () => {
    const text = `{"1": {"class_type": "SimpleMath+", "inputs": {"value": "1"}},
 "2": {"class_type": "EmptyLatentImage", "inputs": {"width": |}}}`;
    const run = complete(text);
    assert.deepEqual(sortedLabels(run.items), ['512', '16', '16384', '#1 🔧 Simple Math › INT']);
  });

  test("inside a link tuple: source ids, then that source's slots", () => {
    const ids = complete(inGraph('"positive": ["|", 0]'));
    assert.deepEqual(ids.labels, ['6']);
    assert.ok(ids.apply('6').includes('"positive": ["6", 0]'));
    const slots = complete(
      '{"4": {"class_type": "CheckpointLoaderSimple", "inputs": {}}, "6": {"class_type": "CLIPTextEncode", "inputs": {"clip": ["4", |]}}}',
    );
    assert.deepEqual(slots.labels, ['1']);
    assert.equal(slots.item('1').detail, 'CLIP (CLIP)');
  });
});

suite('completion: node keys and skeletons', () => {
  test('node object keys not yet present', () => {
    const run = complete('{"1": {"class_type": "VAEDecode", |}}');
    assert.deepEqual(run.labels, ['inputs', '_meta']);
    assert.equal(run.apply('_meta'), '{"1": {"class_type": "VAEDecode", "_meta": {"title": "VAE Decode"}}}');
    assert.equal(run.apply('inputs'), '{"1": {"class_type": "VAEDecode", "inputs": {"samples": ["", 0], "vae": ["", 0]}}}');
    const empty = complete('{"1": {|}}');
    assert.deepEqual(empty.labels, ['class_type', 'inputs', '_meta']);
    assert.equal(empty.item('class_type').retrigger, true);
  });

  test('inputs object on its own lines links to candidates', () => {
    const run = complete('{\n  "4": {"class_type": "CheckpointLoaderSimple", "inputs": {}},\n  "9": {\n    "class_type": "CLIPTextEncode",\n    |\n  }\n}');
    const out = run.apply('inputs');
    assert.equal(
      out,
      '{\n  "4": {"class_type": "CheckpointLoaderSimple", "inputs": {}},\n  "9": {\n    "class_type": "CLIPTextEncode",\n    "inputs": {\n      "text": "",\n      "clip": ["4", 1]\n    }\n  }\n}',
    );
    assert.equal(run.item('inputs').keepWhitespace, true);
  });

  test('top level: a new id with a generic node and one skeleton per class', () => {
    const run = complete('{\n  "1": {"class_type": "VAEDecode", "inputs": {}},\n  "7": {"class_type": "SaveImage", "inputs": {}},\n  |\n}');
    assert.equal(run.items.length, defs.names().length + 1);
    assert.equal(run.labels[0], 'New node "8"');
    const out = run.apply('EmptyLatentImage');
    assert.equal(
      out,
      '{\n  "1": {"class_type": "VAEDecode", "inputs": {}},\n  "7": {"class_type": "SaveImage", "inputs": {}},\n  "8": {\n    "class_type": "EmptyLatentImage",\n    "inputs": {\n      "width": 512,\n      "height": 512,\n      "batch_size": 1\n    }\n  }\n}',
    );
    assert.doesNotThrow(() => JSON.parse(out));
  });

  test('skeleton snippets number their tab stops without repeats', () => {
    const run = complete('{\n  |\n}');
    const text = run.item('KSampler').insertText;
    const stops = [...text.matchAll(/\$\{?(\d+)/g)].map((m) => Number(m[1]));
    assert.deepEqual(
      stops,
      stops.map((_, i) => i + 1),
    );
    assert.ok(text.includes('"model": ["${1}", ${2:0}]'), text);
    assert.ok(text.includes('"seed": ${3:0}'), text);
  });

  test('top level after a property without comma, in a tab-indented file', () => {
    const run = complete('{\n\t"1": {"class_type": "VAEDecode", "inputs": {}}\n\t|\n}');
    const out = run.apply('New node "2"');
    assert.equal(out, '{\n\t"1": {"class_type": "VAEDecode", "inputs": {}},\n\t"2": {\n\t\t"class_type": "",\n\t\t"inputs": {}\n\t}\n}');
  });

  test('CRLF files get CRLF skeletons', () => {
    const run = complete('{\r\n  "1": {"class_type": "VAEDecode", "inputs": {}},\r\n  |\r\n}');
    assert.equal(
      run.apply('GrowMask'),
      '{\r\n  "1": {"class_type": "VAEDecode", "inputs": {}},\r\n  "2": {\r\n    "class_type": "GrowMask",\r\n    "inputs": {\r\n      "mask": ["", 0],\r\n      "expand": 0,\r\n      "tapered_corners": true\r\n    }\r\n  }\r\n}',
    );
  });

  test('empty document object and one-line files', () => {
    const run = complete('{|}');
    assert.equal(run.apply('VAEDecode'), '{"1": {"class_type": "VAEDecode", "inputs": {"samples": ["", 0], "vae": ["", 0]}}}');
    assert.deepEqual(parse(run.apply('KSampler'))['1'].inputs.steps, 20);
  });

  test('no definitions: structural proposals only', () => {
    const run = complete('{"1": {|}}', null);
    assert.deepEqual(run.labels, ['class_type', 'inputs', '_meta']);
    assert.deepEqual(complete('{"1": {"class_type": "|"}}', null).items, []);
    assert.deepEqual(complete('{\n  |\n}', null).labels, ['New node "1"']);
  });
});

suite('completion: never throws, proposes nothing in odd places', () => {
  const cases = [
    '|',
    '|{"1": {"class_type": "KSampler"}}',
    '{"1": {"class_type": "KSampler"}}|',
    '{"1": {"class_type": "KSampler", // a comm|ent\n "inputs": {}}}',
    '{"1": {"class_type": "KSampler", /* blo|ck */ "inputs": {}}}',
    '{"1": {"class_type": "KSampler", "inputs": {/* x| */}}}',
    '{"1": [1, |2]}',
    '{"1": "str|ing"}',
    '{"1": {"class_type": ["KSam|pler"]}}',
    '{"1": {"class_type": {"a": |}}}',
    '{"1": {"inputs": {"x": {"y": |}}}}',
    '{"nodes": [{"type": "K|"}], "links": []}',
    '{"prompt": {"1": {"class_type": "KSampler", "inputs": {"steps": 2|0',
    '[1, 2, |]',
    '{"1": {"class_type": "KSampler", "inputs": {"seed": 1, , |, }}}',
    '{"1": {"class_type": "KSampler", "inputs": {"seed": |',
    '{"1": {"class_type": "KSampler", "inputs": {"": |}}}',
    '{"1": {"class_type": "KSampler", "inputs": {"model": [[[|]]]}}}',
  ];
  for (const marked of cases) {
    test(JSON.stringify(marked), () => {
      const { text, offset } = withCursor(marked);
      const doc = parseWorkflowDocument(text);
      for (const o of [offset, 0, text.length, -1, text.length + 5]) {
        assert.doesNotThrow(() => getCompletions(doc, defs, o));
        for (const item of getCompletions(doc, defs, o).items) {
          assert.ok(item.range.offset >= 0 && item.range.offset + item.range.length <= text.length);
        }
      }
    });
  }

  test('comments, outside the prompt, UI files: no items', () => {
    for (const marked of cases.slice(0, 12)) {
      const { text, offset } = withCursor(marked);
      assert.deepEqual(getCompletions(parseWorkflowDocument(text), defs, offset).items, [], marked);
    }
  });

  test('unfinished input value still completes', () => {
    const run = complete('{"prompt": {"1": {"class_type": "KSampler", "inputs": {"steps": |');
    assert.ok(run.labels.includes('20'));
  });
});

suite('completion: warming the class cache', () => {
  /** A clock whose timers run one turn at a time (`turn()` runs what was scheduled before it). */
  function turnClock(): Clock & { turn(): void; readonly pending: number } {
    const queue = new Map<number, () => void>();
    let seq = 0;
    return {
      now: () => 0,
      setTimeout: (fn) => {
        queue.set(++seq, fn);
        return seq;
      },
      clearTimeout: (h) => void queue.delete(h as number),
      turn() {
        const due = [...queue];
        queue.clear();
        for (const [, fn] of due) fn();
      },
      get pending() {
        return queue.size;
      },
    };
  }
  const classTypeAt = '{"1": {"class_type": "|"}}';

  test('runs a slice per timer turn, never in the caller’s turn, then serves the class list from the cache', async () => {
    const { defs, gets } = countingDefs();
    const clock = turnClock();
    const total = defs.names().length;
    assert.ok(total > 6);
    const warmed = warmCompletionCache(defs, { clock, classesPerTurn: 3 });
    assert.equal(gets(), 0, 'nothing in the caller’s turn');
    clock.turn();
    assert.equal(gets(), 3, 'one slice per turn');
    clock.turn();
    assert.equal(gets(), 6);
    while (clock.pending > 0) clock.turn();
    await warmed;
    assert.equal(gets(), total);
    const before = gets();
    assert.equal(complete(classTypeAt, defs).items.length, total);
    assert.equal(gets(), before, 'the class list comes from the warmed cache');
    await warmCompletionCache(defs, { clock });
    assert.equal(clock.pending, 0, 'warming warm definitions again does nothing');
  });

  test('an abort stops it and leaves no timer behind; the first keystroke then builds the cache itself', async () => {
    const { defs, gets } = countingDefs();
    const clock = turnClock();
    const ac = new AbortController();
    const warmed = warmCompletionCache(defs, { clock, classesPerTurn: 2, signal: ac.signal });
    clock.turn();
    ac.abort();
    await warmed;
    assert.equal(clock.pending, 0);
    assert.equal(gets(), 2);
    assert.equal(complete(classTypeAt, defs).items.length, defs.names().length);
  });

  test('with the system clock it completes on its own', async () => {
    const { defs, gets } = countingDefs();
    await warmCompletionCache(defs);
    assert.equal(gets(), defs.names().length);
  });
});
