// The graph panel on the extension host, through the vscode shim and the whole activated extension against the mock:
// what it posts to its page (the scene with problem badges, a new scene after an edit, the run marks and thumbnail of
// a prompt queued from its file) and what the page's messages do (a click selects the node's JSON in the editor).
// The page itself is covered by the e2e scenario 05-graph.
import '../helpers/vscode-shim/register';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shim, vscode } from '../helpers/vscode-shim/control';
import { waitFor } from '../helpers/wait';
import { activationAgainstMock } from '../helpers/activatedMock';
import { GRAPH_VIEW_TYPE } from '../../src/vscode/graphView/graphPanel';
import { isThumbnail, type Thumbnail } from '../../src/shared/graphProtocol';

interface PostedScene {
  type: 'scene';
  scene: { nodes: { id: string; title: string; problems: { severity: string; code?: string }[] }[] };
}
interface PostedRun {
  type: 'run';
  state?: { done: string[]; failed: string[]; cached: string[]; executing?: { nodeId: string } };
}

const start = activationAgainstMock();

const prompt = (width: number) => ({
  '1': { class_type: 'EmptyImage', inputs: { width, height: 16, batch_size: 1, color: 0 } },
  '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
  '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'graph-view-test' } },
});

test('the graph panel posts scenes with problem badges, follows edits and runs, and a click reveals the node', async () => {
  const { services } = await start();
  const doc = await shim.showDocument(JSON.stringify(prompt(0), null, 2), { path: '/workspace/graph-view.json' });
  await waitFor(() => (services.diagnostics.collection.get(doc.uri) ?? []).length > 0, { message: 'the problem of width 0' });

  await vscode.commands.executeCommand('comfyui.showWorkflowGraph');
  const panel = shim.state.webviewPanels.find((p) => p.viewType === GRAPH_VIEW_TYPE);
  assert.ok(panel, 'a graph panel opened');
  assert.equal(panel.posted.length, 0, 'nothing is posted before the page says it is ready');
  panel.receive({ type: 'ready' });
  const scenes = () => panel.posted.filter((m): m is PostedScene => (m as { type?: string }).type === 'scene');
  await waitFor(() => scenes().length > 0, { message: 'a scene' });
  const first = scenes()[0]!.scene;
  assert.deepEqual(first.nodes.map((n) => n.id).sort(), ['1', '2', '3']);
  assert.deepEqual(
    first.nodes.find((n) => n.id === '1')!.problems.map((p) => [p.severity, p.code]),
    [['error', 'value_smaller_than_min']],
  );
  assert.deepEqual(
    first.nodes.filter((n) => n.id !== '1').flatMap((n) => n.problems),
    [],
  );

  // An edit fixes the value: a new scene without the badge.
  const at = doc.getText().indexOf('"width": 0') + '"width": '.length;
  shim.edit(doc, at, 1, '16');
  await waitFor(
    () =>
      scenes().length > 1 &&
      scenes()
        .at(-1)!
        .scene.nodes.every((n) => n.problems.length === 0),
    { message: 'a scene without problems' },
  );

  // The page's click on node 2 selects its key in the editor.
  panel.receive({ type: 'reveal', nodeId: '2' });
  await waitFor(
    () => {
      const editor = vscode.window.activeTextEditor;
      return editor !== undefined && editor.document.getText(editor.selection) === '"2"';
    },
    { message: 'the node key selected' },
  );

  // Queued from this file: run marks end with every node done, and the saved image's thumbnail.
  shim.state.respond = () => undefined;
  const outcome = (await vscode.commands.executeCommand('comfyui.queueWorkflow')) as { promptIds: string[] };
  assert.equal(outcome.promptIds.length, 1);
  const runs = () => panel.posted.filter((m): m is PostedRun => (m as { type?: string }).type === 'run');
  await waitFor(() => runs().some((r) => r.state !== undefined && ['1', '2', '3'].every((id) => r.state!.done.includes(id) || r.state!.cached.includes(id))), {
    message: 'every node done',
    timeoutMs: 20_000,
  });
  assert.ok(
    runs().some((r) => r.state?.executing !== undefined),
    'a node was marked running on the way',
  );
  await waitFor(
    () =>
      panel.posted.some(
        (m) =>
          (m as { type?: string; items?: { nodeId: string }[] }).type === 'thumbnails' &&
          (m as { items: { nodeId: string }[] }).items.some((t) => t.nodeId === '3'),
      ),
    { message: 'the thumbnail of SaveImage', timeoutMs: 20_000 },
  );
  const thumbs = panel.posted.filter((m): m is { type: 'thumbnails'; items: Thumbnail[] } => (m as { type?: string }).type === 'thumbnails').at(-1)!;
  const thumb = thumbs.items.find((t) => t.nodeId === '3')!;
  assert.ok(isThumbnail(thumb), 'a thumbnail the page accepts (box and count)');
  assert.equal(thumb.total, 1);
});
