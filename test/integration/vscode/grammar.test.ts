// The injection grammar's rules, checked with JavaScript regexes (these patterns use no Oniguruma-only syntax):
// class_type values and link tuples are recognised, and ordinary JSON is left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO } from './l10nStrings';

const grammar = JSON.parse(readFileSync(path.join(REPO, 'syntaxes', 'comfyui-workflow.injection.tmLanguage.json'), 'utf8'));
const classType = grammar.repository['class-type'];
const link = grammar.repository.link;

test('injected into JSON, outside comments and strings', () => {
  assert.equal(grammar.scopeName, 'comfyui.workflow.injection');
  assert.match(grammar.injectionSelector, /^L:source\.json/);
  assert.match(grammar.injectionSelector, /-comment/);
  assert.match(grammar.injectionSelector, /-string/);
});

test('class_type: the key starts the rule, the value string gets the class scope, the pair ends at , or }', () => {
  const begin = new RegExp(classType.begin);
  assert.ok(begin.test('"class_type": "KSampler"'));
  assert.ok(begin.test('"class_type" :"KSampler"'));
  assert.ok(!begin.test('"class_types": "x"'));
  const value = new RegExp(classType.patterns[0].match);
  const m = value.exec(' "CLIP Text \\"Encode\\""');
  assert.equal(m?.[2], 'CLIP Text \\"Encode\\"');
  assert.equal(classType.patterns[0].captures['2'].name, 'entity.name.type.class.comfyui');
  const end = new RegExp(classType.end);
  assert.equal(end.exec(', "inputs"')?.[1], ',');
  assert.ok(end.test('}'));
  // The value scope matches the JSON grammar's, so bracket matching and themes keep working.
  assert.equal(classType.name, 'meta.structure.dictionary.value.json');
  assert.equal(classType.endCaptures['1'].name, 'punctuation.separator.dictionary.pair.json');
});

test('link tuples ["id", slot] are recognised; other arrays are not', () => {
  const re = new RegExp(link.match);
  const m = re.exec('"model": ["4", 0],');
  assert.equal(m?.[4], '4');
  assert.equal(m?.[7], '0');
  assert.ok(re.test('["12:3", 2]'));
  assert.ok(!re.test('["a b", 0]'), 'ids have no spaces');
  assert.ok(!re.test('["4", 0, 1]'));
  assert.ok(!re.test('[4, 0]'));
  assert.ok(!re.test('["4", "0"]'));
});
