// Completion and hover for newer-schema inputs, on our own V3 definitions (test/fixtures/workflow/v3_object_info.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_DIR } from '../../fixtures/workflow/fixtures';
import { parseWorkflowDocument } from '../../../src/core/workflow/document';
import { getCompletions } from '../../../src/core/workflow/complete';
import { getHover } from '../../../src/core/workflow/hover';
import { prepareNodeDefs } from '../../../src/core/workflow/nodeDefs';

const defs = prepareNodeDefs(JSON.parse(readFileSync(join(FIXTURE_DIR, 'v3_object_info.json'), 'utf8')));

/** `@` marks the cursor. */
function at(text: string): { doc: ReturnType<typeof parseWorkflowDocument>; offset: number } {
  const offset = text.indexOf('@');
  return { doc: parseWorkflowDocument(text.replace('@', '')), offset };
}

test('input keys: the chosen option’s nested inputs, with their defaults as snippets; the next autogrow entry', () => {
  let { doc, offset } = at('{"10": {"class_type": "Resize", "inputs": {"image": ["1", 0], "resize_type": "scale dimensions", @}}}');
  let items = getCompletions(doc, defs, offset).items;
  const width = items.find((i) => i.label === 'resize_type.width');
  assert.ok(width, JSON.stringify(items.map((i) => i.label)));
  assert.equal(width.insertText, '"resize_type.width": ${1:512}');
  assert.ok(!items.some((i) => i.label === 'resize_type.multiplier'), 'another option’s input is not proposed');
  ({ doc, offset } = at('{"10": {"class_type": "Batch", "inputs": {"images.image0": ["1", 0], @}}}'));
  items = getCompletions(doc, defs, offset).items;
  assert.ok(items.some((i) => i.label === 'images.image1'));
  assert.ok(!items.some((i) => i.label === 'images'), 'the bare autogrow name is not a key');
});

test('a selector’s value: the option keys; its key proposed as a choice snippet', () => {
  let { doc, offset } = at('{"10": {"class_type": "Resize", "inputs": {"resize_type": @}}}');
  const labels = getCompletions(doc, defs, offset).items.map((i) => i.label);
  assert.deepEqual(labels.slice(0, 2), ['scale dimensions', 'scale by multiplier']);
  ({ doc, offset } = at('{"10": {"class_type": "Resize", "inputs": {@}}}'));
  const sel = getCompletions(doc, defs, offset).items.find((i) => i.label === 'resize_type')!;
  assert.equal(sel.insertText, '"resize_type": "${1|scale dimensions,scale by multiplier|}"');
  // Three levels deep.
  ({ doc, offset } = at(
    '{"10": {"class_type": "Save", "inputs": {"format": "mp4", "format.codec": "h264", "format.codec.encoding": "re-encode", "format.codec.encoding.crf": @}}}',
  ));
  assert.ok(getCompletions(doc, defs, offset).items.some((i) => i.label === '23' && i.detail === 'default'));
});

test('hover: a nested key shows its own spec; the selector shows the chosen option’s inputs', () => {
  const text = '{"10": {"class_type": "Resize", "inputs": {"image": ["1", 0], "resize_type": "scale by multiplier", "resize_type.multiplier": 2}}}';
  const doc = parseWorkflowDocument(text);
  const key = getHover(doc, defs, text.indexOf('"resize_type.multiplier"') + 2)!;
  assert.match(key.contents, /FLOAT/);
  assert.match(key.contents, /8/); // its max
  const sel = getHover(doc, defs, text.indexOf('"scale by multiplier"') + 2)!;
  assert.match(sel.contents, /Option `scale by multiplier` adds:\n- `resize_type\.multiplier`: `FLOAT`, default `1`/);
  const bad = parseWorkflowDocument(text.replace('"scale by multiplier"', '"fit"'));
  assert.match(getHover(bad, defs, text.indexOf('"scale by multiplier"') + 2)!.contents, /fails when it runs/);
});
