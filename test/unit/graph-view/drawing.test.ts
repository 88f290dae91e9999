// The graph panel's drawing (src/core/graph-view/drawing.ts), what the validation worker answers to a `scene`
// request: the SVG tree as bytes that read back to the writer's tree, an outline with the boxes, drill steps and
// problem marks of every node (no messages: those are in the tree), the execution order, and undefined for texts
// that cannot be drawn.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attachProblems, executionOrder, sceneOfText, sceneToSvgTree } from '../../../src/core/graph-view';
import { drawWorkflowText } from '../../../src/core/graph-view/drawing';
import { decodeSvgTree } from '../../../src/shared/graphProtocol';

const ROOT = join(__dirname, '..', '..', '..');
const showcase = readFileSync(join(ROOT, 'test', 'fixtures', 'graph', 'showcase.ui.json'), 'utf8');
const objectInfo = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'ui', 'object_info.json'), 'utf8')) as Record<string, unknown>;
const options = { objectInfo, level: [] as string[], problems: [], theme: 'vscode' as const, fluid: true };

it('draws the same tree as the SVG writer, with the outline and order of the same scene', () => {
  const problems = [
    { severity: 'error' as const, message: 'Value <0> too small', code: 'value_smaller_than_min', nodeId: '3', range: { offset: 42, length: 1 } },
  ];
  const drawing = drawWorkflowText(showcase, { ...options, problems })!;
  const scene = sceneOfText(showcase, { objectInfo })!;
  attachProblems(scene, problems);
  assert.deepEqual(decodeSvgTree(drawing.tree), sceneToSvgTree(scene, { theme: 'vscode', fluid: true }));
  assert.deepEqual(drawing.order, executionOrder(scene));
  assert.deepEqual(
    drawing.outline.nodes.map((n) => [n.id, n.path, n.x, n.y, n.w, n.h, n.drill]),
    scene.nodes.map((n) => [n.id, n.path, n.x, n.y, n.w, n.h, n.drill]),
  );
  assert.deepEqual(drawing.outline.bounds, scene.bounds);
  assert.deepEqual(drawing.outline.nodes.find((n) => n.id === '3')!.problems, [{ severity: 'error', code: 'value_smaller_than_min', offset: 42 }]);
  assert.ok(
    drawing.outline.nodes.some((n) => n.drill !== undefined),
    'the showcase has a subgraph instance to open',
  );
});

it('opens a level, and cuts a level that does not exist back to the deepest one that does', () => {
  const inner = drawWorkflowText(showcase, { ...options, level: ['10'] })!;
  assert.deepEqual(
    inner.outline.breadcrumb.map((b) => b.step),
    ['10'],
  );
  assert.deepEqual(drawWorkflowText(showcase, { ...options, level: ['10', 'no-such-node'] })!.outline.breadcrumb.length, 1);
});

it('cannot draw a half-typed UI file or a text that is not a workflow', () => {
  assert.equal(drawWorkflowText(showcase.slice(0, showcase.length / 2), options), undefined);
  assert.equal(drawWorkflowText('{"hello": "world"}', options), undefined);
});
