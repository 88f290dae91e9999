// The validation worker's answer to a `scene` request (the real worker thread, from the sources through tsx): the
// drawing the graph panel posts, built in the worker with the definitions it holds — the same bytes, outline and
// order as `drawWorkflowText` in-process — its tree bytes moved to the host, and undefined for a half-typed file.
import '../helpers/vscode-shim/register';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drawWorkflowText } from '../../src/core/graph-view/drawing';
import { prepareNodeDefs } from '../../src/core/workflow/nodeDefs';
import { createValidator } from '../../src/vscode/language/validation';

const ROOT = join(__dirname, '..', '..');
const objectInfo = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'editor', 'object_info.json'), 'utf8')) as Record<string, unknown>;
const prompt = JSON.stringify({
  '1': { class_type: 'EmptyImage', inputs: { width: 0, height: 16, batch_size: 1, color: 0 } },
  '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
  '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'x' } },
});
const problems = [{ severity: 'error' as const, message: 'width too small', code: 'value_smaller_than_min', nodeId: '1', range: { offset: 40, length: 1 } }];
const request = { text: prompt, level: [], problems, theme: 'vscode' as const, fluid: true };

test('the worker draws a prompt with the definitions it holds, exactly as the in-process fallback does', async () => {
  const validator = createValidator({ budgetMs: () => 60_000 });
  try {
    assert.ok(validator.client, 'the worker can start from the sources');
    const defs = prepareNodeDefs(objectInfo);
    const outcome = await validator.client.scene(request, { objectInfo });
    assert.equal(outcome.kind, 'done');
    const drawing = outcome.kind === 'done' ? outcome.drawing : undefined;
    assert.ok(drawing, 'a drawing');
    const local = drawWorkflowText(prompt, { ...request, objectInfo, defs })!;
    assert.deepEqual(drawing.outline, local.outline);
    assert.deepEqual(drawing.order, ['1', '2', '3']);
    assert.equal(Buffer.from(drawing.tree).toString('utf8'), Buffer.from(local.tree).toString('utf8'), 'the same SVG tree');
    assert.match(Buffer.from(drawing.tree).toString('utf8'), /IMAGE/, 'slot types from the definitions');
    assert.deepEqual(drawing.outline.nodes.find((n) => n.id === '1')!.problems, [{ severity: 'error', code: 'value_smaller_than_min', offset: 40 }]);

    const without = await validator.client.scene(request, undefined);
    assert.ok(without.kind === 'done' && without.drawing, 'drawn without definitions too');
    const half = await validator.client.scene({ ...request, text: '{"nodes": [' }, { objectInfo });
    assert.deepEqual(half.kind === 'done' ? half.drawing : 'not done', undefined, 'a half-typed UI file cannot be drawn');
  } finally {
    validator.dispose();
  }
});
