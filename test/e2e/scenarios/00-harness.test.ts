// Self-test of the page helpers against VS Code's built-in features (JSON schema validation, completion and hover;
// the Markdown preview webview), so a red feature scenario can be told apart from a broken harness.
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { scenario, useE2E } from '../harness/scenario';

function png(width: number, height: number): Buffer {
  const img = new PNG({ width, height });
  img.data.fill(200);
  return PNG.sync.write(img);
}

const env = useE2E({
  name: 'harness',
  mock: false,
  extraFiles: {
    'check/schema.json': JSON.stringify({
      type: 'object',
      properties: {
        size: { type: 'integer', description: 'How big the thing is.' },
        mode: { enum: ['fast', 'slow'] },
      },
    }),
    'check/data.json': '{\n  "$schema": "./schema.json",\n  "size": "big",\n  "mode": ""\n}\n',
    'check/notes.md': '# Notes\n\n![pixel](pixel.png)\n',
    'check/pixel.png': png(64, 48),
  },
});

scenario('harness: problems, completion and hover of the built-in JSON support', env, async ({ wb }) => {
  await wb.openFile('check/data.json');
  const rows = await wb.waitForProblems((r) => r.some((t) => /Incorrect type/i.test(t)));
  assert.ok(
    rows.some((t) => /integer/.test(t) && /Ln 3/.test(t)),
    rows.join('\n'),
  );

  await wb.gotoText('"mode": "');
  const labels = await wb.triggerSuggest();
  assert.ok(
    labels.some((l) => l.includes('slow')),
    labels.join(', '),
  );
  await wb.page.keyboard.type('sl');
  await wb.page.keyboard.press('Enter');
  assert.match(await wb.waitForEditorText(/"mode": "slow"/), /"mode": "slow"/);

  await wb.gotoText('"size"', 2);
  assert.match(await wb.hoverAtCursor(), /How big the thing is/);
  await wb.page.keyboard.press('Escape');
});

scenario('harness: explorer tree rows and a webview image', env, async ({ wb }) => {
  const texts = await wb.treeTexts(/workspace/i);
  assert.ok(
    texts.some((t) => t.includes('invert.api.json')),
    texts.join(' | '),
  );

  await wb.openFile('check/notes.md');
  await wb.runCommand('Markdown: Open Preview to the Side');
  const frame = await wb.webviewFrame('img');
  const img = frame.locator('img').first();
  await img.waitFor({ state: 'visible' });
  await frame.waitForFunction(() => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): { complete: boolean; naturalWidth: number } | null } }).document;
    const el = doc.querySelector('img');
    return !!el && el.complete && el.naturalWidth > 0;
  });
  const size = await img.evaluate((el) => {
    const i = el as unknown as { naturalWidth: number; naturalHeight: number };
    return [i.naturalWidth, i.naturalHeight];
  });
  assert.deepEqual(size, [64, 48]);
});
