// Editor features as a user meets them in VS Code, against the mock ComfyUI server's node definitions:
// problems with the server's error codes and a quick fix, completion of classes and combo values, hovers.
import assert from 'node:assert/strict';
import { scenario, useE2E } from '../harness/scenario';

const env = useE2E({ name: 'editor' });

const has = (rows: string[], code: string): boolean => rows.some((r) => r.includes(code));

scenario('problems carry the server error codes, and a quick fix removes its problem', env, async ({ wb, screenshot }) => {
  await wb.openFile('broken.api.json');
  // broken.api.json: node 1 lacks "height", node 2's blur_radius is past its max, node 3's class is misspelt.
  // The first check waits for the node definitions to arrive from the server.
  const rows = await wb.waitForProblems((r) => has(r, 'required_input_missing') && has(r, 'value_bigger_than_max') && has(r, 'missing_node_type'), 60_000);
  assert.ok(
    rows.some((r) => /missing_node_type/.test(r) && /ImageInvrt/.test(r)),
    rows.join('\n'),
  );
  assert.ok(
    rows.some((r) => /required_input_missing/.test(r) && /height/.test(r)),
    rows.join('\n'),
  );
  await screenshot('problems', { docs: true });

  await wb.gotoText('"ImageInvrt', 3);
  const fixes = await wb.quickFixes();
  assert.ok(
    fixes.some((f) => f.includes('ImageInvert')),
    `quick fixes offered: ${fixes.join(' | ')}`,
  );
  await screenshot('quick-fix', { docs: true });
  await wb.applyQuickFix('ImageInvert');

  await wb.waitForEditorText(/"class_type": "ImageInvert"/);
  const after = await wb.waitForProblems((r) => !has(r, 'missing_node_type') && has(r, 'required_input_missing'));
  assert.ok(has(after, 'value_bigger_than_max'), 'the other problems stay');
});

scenario('completion lists node classes and combo values, and accepting one edits the file', env, async ({ wb, page, screenshot }) => {
  await wb.openFile('draft.api.json');

  // Node 2 has an empty class_type: complete it.
  await wb.gotoText('"class_type": ""', '"class_type": "'.length);
  await page.keyboard.type('ImageInv');
  const classes = await wb.triggerSuggest();
  assert.ok(
    classes.some((l) => l.includes('ImageInvert')),
    `class completions: ${classes.join(', ')}`,
  );
  await wb.acceptSuggestion('ImageInvert');
  await wb.waitForEditorText(/"class_type": "ImageInvert"/);

  // Node 3 (KSampler) has an empty sampler_name: its combo values are proposed.
  await wb.gotoText('"sampler_name": ""', '"sampler_name": "'.length);
  const values = await wb.triggerSuggest();
  assert.ok(
    values.some((l) => l.includes('euler')),
    `combo completions: ${values.join(', ')}`,
  );
  await page.keyboard.type('euler_anc');
  await wb.suggestWidget.locator('.monaco-list-row', { hasText: 'euler_ancestral' }).first().waitFor({ timeout: 10_000 });
  await screenshot('completion', { docs: true });
  await wb.acceptSuggestion('euler_ancestral');
  await wb.waitForEditorText(/"sampler_name": "euler_ancestral"/);
});

scenario('hover explains a node class and an input', env, async ({ wb, page, screenshot }) => {
  await wb.openFile('invert.api.json');

  await wb.gotoText('"EmptyImage"', 3);
  const classHover = await wb.hoverAtCursor();
  assert.match(classHover, /Empty ?Image/);
  assert.match(classHover, /IMAGE/, 'the hover lists what the node outputs');
  await screenshot('hover', { docs: true });
  await page.keyboard.press('Escape');

  await wb.gotoText('"width"', 3);
  const inputHover = await wb.hoverAtCursor();
  assert.match(inputHover, /INT/);
  assert.match(inputHover, /16384/, 'the hover shows the allowed range');
  await page.keyboard.press('Escape');
});
