// The graph panel draws through the validation worker (issue: the extension host is never blocked for more than
// 50 ms by a workflow): the panel asks the worker client for a `scene` and posts the worker's answer as it is, drops
// an answer a newer edit made stale, and says so when the drawing was cut short by the budget. A fake worker
// answers, with a drawing the host could not have built from the text itself (its node is not in the file).
import '../helpers/vscode-shim/register';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shim } from '../helpers/vscode-shim/control';
import { EventEmitter, Uri } from '../helpers/vscode-shim/base';
import { waitFor } from '../helpers/wait';
import { ManualClock } from '../../src/core/util/clock';
import { encodeSvgTree, type GraphDrawing } from '../../src/core/graph-view/drawing';
import { decodeSvgTree } from '../../src/shared/graphProtocol';
import type { HostToWorker, WorkerToHost } from '../../src/shared/validationProtocol';
import { ValidationWorkerClient, type WorkerLike } from '../../src/vscode/language/worker/workerClient';
import { graphDrawer } from '../../src/vscode/graphView/drawing';
import { GraphView, type GraphViewDeps } from '../../src/vscode/graphView/index';

type SceneRequest = Extract<HostToWorker, { type: 'scene' }>;

class FakeWorker implements WorkerLike {
  posted: HostToWorker[] = [];
  private listeners: Record<string, ((x: never) => void)[]> = {};
  postMessage(m: HostToWorker): void {
    this.posted.push(m);
  }
  on(event: string, listener: (x: never) => void): void {
    (this.listeners[event] ??= []).push(listener);
  }
  emit(m: WorkerToHost): void {
    for (const l of this.listeners.message ?? []) l(m as never);
  }
  terminate(): Promise<number> {
    return Promise.resolve(0);
  }
  scenes(): SceneRequest[] {
    return this.posted.filter((m): m is SceneRequest => m.type === 'scene');
  }
}

/** A drawing with one node, as the worker would answer it. */
function drawing(nodeId: string): GraphDrawing {
  return {
    outline: {
      nodes: [
        {
          id: nodeId,
          path: [nodeId],
          x: 0,
          y: 0,
          w: 200,
          h: 80,
          thumb: { x: 0, y: 86, w: 200, h: 200 },
          problems: [{ severity: 'error', code: 'from_worker', offset: 3 }],
        },
      ],
      breadcrumb: [],
      bounds: { x: 0, y: 0, w: 200, h: 80 },
    },
    tree: encodeSvgTree({ tag: 'svg', attrs: { class: 'comfy-graph' }, children: [{ tag: 'g', attrs: { 'data-node-id': nodeId } }] }),
    order: [nodeId],
  };
}

interface PostedScene {
  type: 'scene';
  scene: GraphDrawing['outline'];
  tree: Uint8Array;
  order: string[];
  keepViewport: boolean;
}

async function setup() {
  shim.reset();
  const clock = new ManualClock();
  const workers: FakeWorker[] = [];
  const client = new ValidationWorkerClient({ createWorker: () => (workers.push(new FakeWorker()), workers.at(-1)!), budgetMs: () => 3000, clock });
  const problemsChanged = new EventEmitter<unknown>();
  const never = new EventEmitter<never>();
  const deps: GraphViewDeps = {
    extensionUri: Uri.file('/ext') as unknown as GraphViewDeps['extensionUri'],
    cacheDir: Uri.file('/cache') as unknown as GraphViewDeps['extensionUri'],
    debounceMs: () => 0,
    parse: () => undefined,
    draw: graphDrawer(client, () => undefined),
    problems: () => [{ severity: 'warning', message: 'from the diagnostics', nodeId: '1', code: 'x', range: { offset: 5, length: 1 } }],
    onDidUpdateProblems: problemsChanged.event as unknown as GraphViewDeps['onDidUpdateProblems'],
    onMessage: never.event as unknown as GraphViewDeps['onMessage'],
    sourceOf: () => undefined,
    onDidRecordSource: never.event as unknown as GraphViewDeps['onDidRecordSource'],
    thumbnail: () => Promise.reject(new Error('no thumbnails here')),
  };
  const view = new GraphView(deps);
  const doc = await shim.showDocument('{"1": {"class_type": "A", "inputs": {}}}', { path: '/workspace/drawn.json' });
  await view.show(doc.uri as unknown as GraphViewDeps['extensionUri']);
  const panel = shim.state.webviewPanels.at(-1)!;
  panel.receive({ type: 'ready' });
  await waitFor(() => workers[0]?.scenes().length === 1, { message: 'a scene request to the worker' });
  workers[0]!.emit({ type: 'ready' });
  const scenes = () => panel.posted.filter((m): m is PostedScene => (m as { type?: string }).type === 'scene');
  const messages = () => panel.posted.filter((m): m is { type: 'message'; text: string } => (m as { type?: string }).type === 'message');
  return { clock, workers, client, view, doc, panel, scenes, messages, problemsChanged };
}

test('the panel asks the worker for the drawing and posts its answer (the host does not build the scene)', async () => {
  const { workers, view, doc, scenes } = await setup();
  const request = workers[0]!.scenes()[0]!;
  assert.equal(request.text, doc.getText());
  assert.deepEqual(request.level, []);
  assert.deepEqual(
    request.problems,
    [{ severity: 'warning', message: 'from the diagnostics', nodeId: '1', code: 'x', range: { offset: 5, length: 1 } }],
    'the problems to badge go with the request',
  );
  assert.equal(request.theme, 'vscode');
  workers[0]!.emit({ type: 'scene', id: request.id, drawing: drawing('worker-node'), durationMs: 1 });
  const posted = await waitFor(() => scenes()[0], { message: 'the posted scene' });
  assert.deepEqual(
    posted.scene.nodes.map((n) => n.id),
    ['worker-node'],
  );
  assert.deepEqual(posted.order, ['worker-node']);
  assert.equal(posted.keepViewport, false);
  assert.deepEqual(decodeSvgTree(posted.tree)?.children?.[0]?.attrs, { 'data-node-id': 'worker-node' }, 'the tree bytes are posted as the worker built them');
  view.dispose();
});

test("an answer a newer edit made stale is dropped, and the latest text is drawn with the panel's viewport kept", async () => {
  const { workers, view, doc, scenes } = await setup();
  const first = workers[0]!.scenes()[0]!;
  // An edit while the worker draws the first text: the first request is not abandoned (the worker would restart).
  shim.edit(doc, 1, 0, ' ');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(workers[0]!.scenes().length, 1, 'one drawing in flight at a time');
  workers[0]!.emit({ type: 'scene', id: first.id, drawing: drawing('old'), durationMs: 1 });
  const second = await waitFor(() => workers[0]!.scenes()[1], { message: 'a request for the edited text' });
  assert.equal(second.text, doc.getText());
  assert.equal(workers.length, 1, 'the worker was not restarted');
  workers[0]!.emit({ type: 'scene', id: second.id, drawing: drawing('new'), durationMs: 1 });
  await waitFor(() => scenes().length > 0, { message: 'a scene' });
  assert.deepEqual(
    scenes().map((s) => s.scene.nodes[0]!.id),
    ['new'],
    'the stale answer was never posted',
  );
  assert.equal(scenes()[0]!.keepViewport, false, 'the page never showed the first drawing, so it fits this one');
  view.dispose();
});

test('a drawing past its budget ends in a clear message, and the next edit is drawn by a fresh worker', async () => {
  const { clock, workers, view, doc, scenes, messages } = await setup();
  clock.advance(3001);
  const notice = await waitFor(() => messages()[0], { message: 'the cut-short message' });
  assert.match(notice.text, /cut short after 3 seconds/);
  assert.match(notice.text, /comfyui-workflow render/);
  assert.equal(scenes().length, 0);
  shim.edit(doc, 1, 0, ' ');
  const again = await waitFor(() => workers[1]?.scenes()[0], { message: 'a request to the new worker' });
  workers[1]!.emit({ type: 'ready' });
  workers[1]!.emit({ type: 'scene', id: again.id, drawing: drawing('after'), durationMs: 1 });
  await waitFor(() => scenes().length === 1, { message: 'the scene after the restart' });
  view.dispose();
});

test('a text that cannot be drawn gets the message instead of a graph', async () => {
  const { workers, view, messages } = await setup();
  const request = workers[0]!.scenes()[0]!;
  workers[0]!.emit({ type: 'scene', id: request.id, drawing: undefined, durationMs: 1 });
  const notice = await waitFor(() => messages()[0], { message: 'the message' });
  assert.match(notice.text, /cannot be drawn yet/);
  view.dispose();
});

test('without a worker the same drawing is built in-process (the fallback), and an aborted request is stale', async () => {
  const draw = graphDrawer(undefined, () => undefined);
  const request = { text: '{"1": {"class_type": "A", "inputs": {}}}', level: [], problems: [], theme: 'vscode' as const, fluid: true };
  const outcome = await draw(request);
  assert.equal(outcome.kind, 'done');
  assert.deepEqual(outcome.kind === 'done' ? outcome.drawing?.outline.nodes.map((n) => n.id) : [], ['1']);
  assert.deepEqual(await draw(request, AbortSignal.abort()), { kind: 'stale' });
});
