import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasDynamicSyntax, processDynamicPrompt } from '../../../src/core/workflow/ui/dynamicPrompts';

const pick = (...choices: number[]) => {
  let i = 0;
  return () => choices[i++ % choices.length]!;
};

test('picks one option per group, nested groups inside the pick', () => {
  assert.equal(processDynamicPrompt('a {b|c} d', pick(0)), 'a b d');
  assert.equal(processDynamicPrompt('a {b|c} d', pick(0.99)), 'a c d');
  assert.equal(processDynamicPrompt('{x {1|2}|y}', pick(0, 0.99)), 'x 2');
  assert.equal(processDynamicPrompt('{|empty}', pick(0)), '');
});

test('strips comments and keeps escaped braces literally', () => {
  assert.equal(processDynamicPrompt('cat /* hidden */dog // tail\nnext', pick(0)), 'cat dog \nnext');
  assert.equal(processDynamicPrompt('\\{not|a group\\}', pick(0)), '{not|a group}');
});

test('text without dynamic syntax is left alone', () => {
  assert.equal(hasDynamicSyntax('plain text, with commas (and parens)'), false);
  assert.equal(hasDynamicSyntax('a {b|c}'), true);
  assert.equal(hasDynamicSyntax('see http://x'), true);
});
