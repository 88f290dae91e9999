// The building blocks of quick fixes: formatting-preserving JSON edits and "did you mean" ranking.
import { suite, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { applyEdits, detectTextFormat, insertPropertiesEdit, removePropertyEdit, renderValue } from '../../../src/core/workflow/edits';
import { rankSuggestions } from '../../../src/core/workflow/fuzzy';

function objectAt(text: string, path: string[]): JsonNode {
  let n = parseTree(text, [], { allowTrailingComma: true })!;
  for (const key of path) n = n.children!.find((p) => p.children![0]!.value === key)!.children![1]!;
  return n;
}

function propertyAt(text: string, path: string[], key: string): JsonNode {
  return objectAt(text, path).children!.find((p) => p.children![0]!.value === key)!;
}

suite('edits', () => {
  test('detects indentation and line endings', () => {
    assert.deepEqual(detectTextFormat('{\n    "a": {\n        "b": 1\n    }\n}'), { indentUnit: '    ', eol: '\n', multiline: true });
    assert.deepEqual(detectTextFormat('{\r\n\t"a": 1\r\n}'), { indentUnit: '\t', eol: '\r\n', multiline: true });
    assert.deepEqual(detectTextFormat('{"a": 1}'), { indentUnit: '  ', eol: '\n', multiline: false });
  });

  test('inserts properties after the last one, on their own lines, keeping CRLF', () => {
    const t = '{\r\n  "n": {\r\n    "a": 1\r\n  }\r\n}';
    const e = insertPropertiesEdit(t, objectAt(t, ['n']), [
      ['b', '2'],
      ['c', '"x"'],
    ])!;
    assert.equal(applyEdits(t, [e]), '{\r\n  "n": {\r\n    "a": 1,\r\n    "b": 2,\r\n    "c": "x"\r\n  }\r\n}');
  });

  test('inserts into an empty multi-line object, an inline object, and after a trailing comma', () => {
    const t = '{\n  "n": {}\n}';
    assert.equal(applyEdits(t, [insertPropertiesEdit(t, objectAt(t, ['n']), [['b', '2']])!]), '{\n  "n": {\n    "b": 2\n  }\n}');
    const inline = '{\n  "n": {"a": 1}\n}';
    assert.equal(applyEdits(inline, [insertPropertiesEdit(inline, objectAt(inline, ['n']), [['b', '2']])!]), '{\n  "n": {"a": 1, "b": 2}\n}');
    const trailing = '{\n  "n": {\n    "a": 1,\n  }\n}';
    const out = applyEdits(trailing, [insertPropertiesEdit(trailing, objectAt(trailing, ['n']), [['b', '2']])!]);
    assert.equal(out, '{\n  "n": {\n    "a": 1,\n    "b": 2,\n  }\n}');
  });

  test('removes a property with exactly one comma: first, middle, last, only', () => {
    const t = '{\n  "a": 1,\n  "b": 2,\n  "c": 3\n}';
    const rm = (k: string, text = t): string => applyEdits(text, [removePropertyEdit(text, propertyAt(text, [], k))!]);
    assert.equal(rm('a'), '{\n  "b": 2,\n  "c": 3\n}');
    assert.equal(rm('b'), '{\n  "a": 1,\n  "c": 3\n}');
    assert.equal(rm('c'), '{\n  "a": 1,\n  "b": 2\n}');
    assert.equal(rm('a', '{"x": {"a": 1}}'.slice(6, -1)), '{}');
    for (const k of ['a', 'b', 'c']) assert.doesNotThrow(() => JSON.parse(rm(k)));
  });

  test('renders values compactly and refuses overlapping edits', () => {
    assert.equal(renderValue(['4', 0]), '["4", 0]');
    assert.equal(renderValue({ a: [1, { b: 'x' }] }), '{"a": [1, {"b": "x"}]}');
    assert.equal(renderValue(undefined), 'null');
    assert.throws(() =>
      applyEdits('abcdef', [
        { offset: 0, length: 3, newText: '' },
        { offset: 2, length: 2, newText: '' },
      ]),
    );
    assert.equal(
      applyEdits('abcdef', [
        { offset: 4, length: 1, newText: 'E' },
        { offset: 0, length: 1, newText: 'A' },
      ]),
      'AbcdEf',
    );
  });
});

suite('did-you-mean ranking', () => {
  const files = ['SD1.5/v1-5-pruned-emaonly.safetensors', 'sdxl/sd_xl_base_1.0.safetensors', 'sdxl/sd_xl_refiner_1.0.safetensors', 'sd_xl_base_1.0.ckpt'];

  test('case-insensitive equal, then same basename, then same stem, then similar (unrelated refiner left out)', () => {
    assert.deepEqual(
      rankSuggestions('SDXL/SD_XL_BASE_1.0.safetensors', files).map((s) => [s.value, s.reason]),
      [
        ['sdxl/sd_xl_base_1.0.safetensors', 'case'],
        ['sd_xl_base_1.0.ckpt', 'stem'],
      ],
    );
    assert.deepEqual(
      rankSuggestions('sdxl/sd_xl_bse_1.0.safetensors', files).map((s) => [s.value, s.reason]),
      [
        ['sdxl/sd_xl_base_1.0.safetensors', 'similar'],
        ['sd_xl_base_1.0.ckpt', 'similar'],
      ],
    );
    assert.equal(rankSuggestions('sd_xl_base_1.0.safetensors', files)[0]!.reason, 'basename');
    assert.equal(rankSuggestions('v1-5-pruned-emaonly.ckpt', files)[0]!.value, 'SD1.5/v1-5-pruned-emaonly.safetensors');
  });

  test('typos within budget, nothing for unrelated values, limit respected', () => {
    assert.deepEqual(
      rankSuggestions('karas', ['simple', 'karras', 'exponential']).map((s) => s.value),
      ['karras'],
    );
    assert.deepEqual(rankSuggestions('qqqqqqqq', ['simple', 'karras']), []);
    assert.equal(rankSuggestions('a', ['b', 'c', 'd', 'e'], 2).length, 2);
    assert.deepEqual(rankSuggestions('x', []), []);
  });
});
