// The Queue & History view with several servers (two mocks): one node per server with its own Running / Pending /
// History, item commands acting on the item's own server, an offline server shown under its node only, and no extra
// level with a single server.
import '../helpers/vscode-shim/register';
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { shim, vscode } from '../helpers/vscode-shim/control';
import { waitUntil } from '../helpers/wait';
import { samplerPrompt } from '../helpers/prompts';
import { startMockComfy, type MockComfy } from '../mock-comfyui/server';
import { ComfyClient } from '../../src/core/comfy/client';
import { ServerConnection } from '../../src/vscode/host/connection';
import { startRunAndQueueView, type RunAndQueueView } from '../helpers/runAndQueueView';
import { ServerRegistry } from '../../src/vscode/serverRegistry/registry';
import { ServerQueues } from '../../src/vscode/queueView/serverQueues';
import type { TreeNode } from '../../src/core/queue/treeModel';
import { nullLogger } from '../../src/core/util/logger';
import { activateExtension } from '../helpers/activation';
import { ManualClock } from '../../src/core/util/clock';
import type { QueueModel } from '../../src/core/queue/queueModel';

const log = { ...nullLogger, show() {} };
const mocks: MockComfy[] = [];
const disposables: { dispose(): void }[] = [];

afterEach(async () => {
  for (const d of disposables.splice(0).reverse()) d.dispose();
  await Promise.all(mocks.splice(0).map((m) => m.close().catch(() => undefined)));
  shim.reset();
});

interface Setup {
  a: MockComfy;
  b: MockComfy;
  f: RunAndQueueView;
  queues: ServerQueues;
  c: ServerConnection;
}

/** Two mocks "Alpha" (active) and "Beta" in comfyui.servers. */
async function setup(options: { servers?: 'both' | 'active-only'; clock?: ManualClock } = {}): Promise<Setup> {
  shim.reset();
  const a = await startMockComfy({ msPerStep: 30 });
  const b = await startMockComfy({ msPerStep: 30 });
  mocks.push(a, b);
  const list =
    options.servers === 'active-only'
      ? [{ name: 'Alpha', url: a.url }]
      : [
          { name: 'Alpha', url: a.url },
          { name: 'Beta', url: b.url },
        ];
  shim.setConfig('comfyui.servers', list, 'user');
  shim.setConfig('comfyui.serverUrl', a.url, 'user');
  const c = new ServerConnection({ logger: nullLogger, reconnect: { initialMs: 50, maxMs: 200 } });
  c.setServer(a.url);
  const f = startRunAndQueueView({ connection: c, defs: () => undefined, log, refresh: { debounceMs: 10, pollMs: 100 } });
  const registry = new ServerRegistry();
  const queues = new ServerQueues({
    provider: f.provider,
    refresh: f.refresh,
    view: f.view,
    registry,
    connection: c,
    authFor: () => undefined,
    pollMs: 100,
    pollTimeoutMs: 2000,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  disposables.push(c, f, registry, queues);
  await waitUntil('the socket', () => c.state === 'connected');
  return { a, b, f, queues, c };
}

const prompt = samplerPrompt;

/** Labels with descriptions, two levels below each root (servers → groups → entries). */
function snapshot(f: RunAndQueueView, depthLimit = 2): string[] {
  const out: string[] = [];
  const walk = (nodes: TreeNode[], depth: number) => {
    for (const n of nodes) {
      const item = f.provider.getTreeItem(n);
      const desc = item.description
        ? ` [${String(item.description)
            .replace(/127\.0\.0\.1:\d+/, 'HOST')
            .replace(/\d+(\.\d+)? (ms|s)/, 'T')}]`
        : '';
      out.push(`${'  '.repeat(depth)}${String(item.label)}${desc}`);
      if (item.collapsibleState !== vscode.TreeItemCollapsibleState.None && depth < depthLimit) walk(f.provider.getChildren(n), depth + 1);
    }
  };
  walk(f.provider.getChildren(), 0);
  return out;
}

function serverNode(f: RunAndQueueView, name: string): TreeNode {
  const node = f.provider.getChildren().find((n) => n.kind === 'server' && n.server?.name === name);
  assert.ok(node, `server node ${name}`);
  return node;
}

function groupOf(f: RunAndQueueView, server: string, group: 'running' | 'pending' | 'history'): TreeNode[] {
  const g = f.provider.getChildren(serverNode(f, server)).find((n) => n.kind === 'group' && n.group === group);
  return g ? f.provider.getChildren(g) : [];
}

function allIds(f: RunAndQueueView): string[] {
  const ids: string[] = [];
  const walk = (nodes: TreeNode[]) => {
    for (const n of nodes) {
      ids.push(String(f.provider.getTreeItem(n).id));
      walk(f.provider.getChildren(n));
    }
  };
  walk(f.provider.getChildren());
  return ids;
}

test('grouped: one node per server with its own queue and history; a prompt queued on B shows only under B', async () => {
  const { b, f, a } = await setup();
  await f.refresh.manual();
  await waitUntil('Beta loaded', () => !snapshot(f).some((l) => l.includes('loading')));
  assert.deepEqual(snapshot(f), [
    'Alpha [HOST · active · idle]',
    '  Running [0]',
    '  Pending [0]',
    '  History [0]',
    'Beta [HOST · idle]',
    '  Running [0]',
    '  Pending [0]',
    '  History [0]',
  ]);
  const [alpha, beta] = f.provider.getChildren().map((n) => f.provider.getTreeItem(n));
  assert.equal((alpha!.iconPath as { id: string }).id, 'server-environment');
  assert.equal((beta!.iconPath as { id: string }).id, 'server');

  const clientB = new ComfyClient({ baseUrl: b.url });
  const clientA = new ComfyClient({ baseUrl: a.url });
  const runB = await clientB.queuePrompt({ prompt: prompt('on-b', 40) });
  await clientB.queuePrompt({ prompt: prompt('on-b-next', 1) });
  await waitUntil('B running + pending in the tree', () => groupOf(f, 'Beta', 'running').length === 1 && groupOf(f, 'Beta', 'pending').length === 1);
  assert.deepEqual(groupOf(f, 'Alpha', 'running'), []);
  assert.deepEqual(groupOf(f, 'Alpha', 'pending'), []);
  assert.equal(groupOf(f, 'Beta', 'running')[0]!.kind === 'entry' && (groupOf(f, 'Beta', 'running')[0] as { entry: { id: string } }).entry.id, runB.prompt_id);
  assert.match(String(f.provider.getTreeItem(serverNode(f, 'Beta')).description), /2 queued/);

  // A prompt on A lands under A (socket-driven) and not under B.
  await clientA.queuePrompt({ prompt: prompt('on-a', 1) });
  await waitUntil('A history', () => groupOf(f, 'Alpha', 'history').length === 1);
  await waitUntil('B finished both', () => groupOf(f, 'Beta', 'history').length === 2, 15_000);
  assert.equal(groupOf(f, 'Alpha', 'history').length, 1);
  assert.deepEqual(
    groupOf(f, 'Beta', 'history').map((n) => String(f.provider.getTreeItem(n).label)),
    ['on-b-next', 'on-b'],
  );

  // Ids: unique across servers, stable across refreshes, and parents resolve for reveal().
  const ids = allIds(f);
  assert.equal(new Set(ids).size, ids.length, 'unique ids');
  await f.refresh.manual();
  assert.deepEqual(allIds(f), ids, 'stable ids');
  const entry = groupOf(f, 'Beta', 'history')[0]!;
  const group = f.provider.getParent(entry)!;
  assert.equal(group.kind, 'group');
  assert.equal(f.provider.getParent(group), serverNode(f, 'Beta'));
});

test('commands on a non-active server item act on that server: delete pending, cancel running, delete history, requeue', async () => {
  const { a, b, f } = await setup();
  const clientB = new ComfyClient({ baseUrl: b.url });
  const clientA = new ComfyClient({ baseUrl: a.url });
  const running = await clientB.queuePrompt({ prompt: prompt('long', 400) });
  const pending = await clientB.queuePrompt({ prompt: prompt('waiting', 400) });
  await waitUntil('B in the tree', () => groupOf(f, 'Beta', 'running').length === 1 && groupOf(f, 'Beta', 'pending').length === 1);

  await vscode.commands.executeCommand('comfyui.queue.deletePending', groupOf(f, 'Beta', 'pending')[0]);
  const qB = await clientB.getQueue();
  assert.deepEqual(qB.queue_pending, [], 'B dequeued it');
  assert.equal(groupOf(f, 'Beta', 'pending').length, 0);
  assert.equal(await clientB.getHistoryItem(pending.prompt_id), undefined);

  await vscode.commands.executeCommand('comfyui.queue.cancel', groupOf(f, 'Beta', 'running')[0]);
  await waitUntil('B stopped the run', async () => (await clientB.getQueue()).queue_running.length === 0);
  await waitUntil('B history shows it', () => groupOf(f, 'Beta', 'history').length === 1);
  assert.equal((await clientA.getQueue()).queue_running.length, 0, 'A was not involved');

  // Delete from B's history (the confirmation is answered), then re-queue goes to B, not A.
  shim.state.respond = (m) => (m.items.includes('Delete') ? 'Delete' : undefined);
  const hist = groupOf(f, 'Beta', 'history')[0]!;
  await vscode.commands.executeCommand('comfyui.queue.requeue', hist);
  await waitUntil(
    're-queued on B',
    () => groupOf(f, 'Beta', 'running').length + groupOf(f, 'Beta', 'pending').length + groupOf(f, 'Beta', 'history').length === 2,
  );
  assert.equal(groupOf(f, 'Alpha', 'running').length + groupOf(f, 'Alpha', 'pending').length + groupOf(f, 'Alpha', 'history').length, 0, 'nothing on A');
  await vscode.commands.executeCommand('comfyui.queue.cancel', [...groupOf(f, 'Beta', 'running'), ...groupOf(f, 'Beta', 'pending')][0]);
  await waitUntil('B idle', async () => {
    const q = await clientB.getQueue();
    return q.queue_running.length + q.queue_pending.length === 0;
  });
  await vscode.commands.executeCommand('comfyui.queue.deleteHistory', hist);
  assert.equal(await clientB.getHistoryItem(running.prompt_id), undefined, 'deleted on B');
  assert.ok(!groupOf(f, 'Beta', 'history').some((n) => n.kind === 'entry' && n.entry.id === running.prompt_id));
});

test('a server going down shows "offline" under its node only, with a retry; a retry re-reads that server only', async () => {
  const { b, f } = await setup();
  await f.refresh.manual();
  await waitUntil('Beta loaded', () => groupOf(f, 'Beta', 'history').length === 0 && f.provider.getChildren(serverNode(f, 'Beta')).length === 3);
  await b.close();
  await waitUntil('Beta offline', () => f.provider.getChildren(serverNode(f, 'Beta'))[0]?.kind === 'offline', 10_000);
  const [offline] = f.provider.getChildren(serverNode(f, 'Beta'));
  const item = f.provider.getTreeItem(offline!);
  assert.equal(item.label, 'Server offline');
  assert.equal(item.command?.command, 'comfyui.queue.refresh');
  assert.match(String(f.provider.getTreeItem(serverNode(f, 'Beta')).description), /offline/);
  // Alpha is unaffected.
  assert.deepEqual(
    f.provider.getChildren(serverNode(f, 'Alpha')).map((n) => n.kind),
    ['group', 'group', 'group'],
  );
  assert.equal(f.model.offline, undefined);
  // The retry re-reads Beta only (still down): it stays offline under Beta, Alpha still fine.
  await vscode.commands.executeCommand('comfyui.queue.refresh', offline);
  assert.equal(f.provider.getChildren(serverNode(f, 'Beta'))[0]?.kind, 'offline');
  assert.equal(f.model.offline, undefined);
});

/** Records every read of `model` (a poll or a reload) so a test can await the reads a clock tick started. */
function trackReads(model: QueueModel): Promise<void>[] {
  const reads: Promise<void>[] = [];
  for (const method of ['refresh', 'reload'] as const) {
    const original = model[method].bind(model);
    model[method] = (...args: Parameters<QueueModel['refresh']>) => {
      const p = original(...args);
      reads.push(p);
      return p;
    };
  }
  return reads;
}

test('polling of other servers runs only while the view is visible; changing the list disposes them', async () => {
  const clock = new ManualClock();
  const { f, queues, b } = await setup({ clock });
  const view = f.view as unknown as { setVisible(v: boolean): void };
  await waitUntil('Beta loaded', () => queues.inactive[0]?.model.loaded);
  const model = queues.inactive[0]!.model;
  const reads = trackReads(model);
  assert.equal(clock.pending, 1, 'visible: the next poll is scheduled');
  // Control: while visible, a tick of the clock polls (the tracking sees it, and the read completes).
  clock.advance(100);
  assert.equal(reads.length, 1, 'visible: a tick polls');
  await Promise.all(reads);
  view.setVisible(false);
  assert.equal(clock.pending, 0, 'hidden: no poll is scheduled');
  const clientB = new ComfyClient({ baseUrl: b.url });
  await clientB.queuePrompt({ prompt: prompt('hidden', 1) });
  await waitUntil('B done', async () => Object.keys(await clientB.getHistory({})).length === 1);
  clock.advance(10_000);
  assert.equal(reads.length, 1, 'no poll while hidden');
  await Promise.all(reads);
  assert.equal(model.history.length, 0, 'nothing read while hidden');
  view.setVisible(true);
  await waitUntil('visible again: read at once', () => model.history.length === 1);
  assert.equal(reads.length, 2);

  shim.setConfig('comfyui.servers', [{ name: 'Alpha', url: mocks[0]!.url }], 'user');
  assert.equal(queues.inactive.length, 0, 'Beta dropped');
  assert.deepEqual(snapshot(f, 0), ['Running [0]', 'Pending [0]', 'History [0]'], 'single server: no extra level');
  // The dropped model is no longer polled.
  await clientB.queuePrompt({ prompt: prompt('after', 1) });
  assert.equal(clock.pending, 0, 'the dropped server has no poll scheduled');
  await waitUntil('B done again', async () => Object.keys(await clientB.getHistory({})).length === 2);
  clock.advance(10_000);
  assert.equal(reads.length, 2, 'the dropped server is not read');
  await Promise.all(reads);
  assert.equal(model.history.length, 1);
});

test('single server (the list holds only the active one): the tree has no server level', async () => {
  const { f, queues } = await setup({ servers: 'active-only' });
  await f.refresh.manual();
  assert.equal(queues.inactive.length, 0);
  assert.deepEqual(snapshot(f, 0), ['Running [0]', 'Pending [0]', 'History [0]']);
  assert.deepEqual(
    f.provider.getChildren().map((n) => f.provider.getTreeItem(n).id),
    ['group:running', 'group:pending', 'group:history'],
  );
});

test('activate(): with two configured servers the Queue view is grouped by server (composition root wiring)', async () => {
  shim.reset();
  const a = await startMockComfy();
  const b = await startMockComfy();
  mocks.push(a, b);
  shim.setConfig(
    'comfyui.servers',
    [
      { name: 'Alpha', url: a.url },
      { name: 'Beta', url: b.url },
    ],
    'user',
  );
  shim.setConfig('comfyui.serverUrl', a.url, 'user');
  const extension = activateExtension();
  disposables.push({ dispose: () => extension.deactivate() });
  const entry = shim.state.providers.other.find((p) => (p.selector as { view?: string }).view === 'comfyui.queue');
  assert.ok(entry, 'the Queue view is registered');
  const provider = (entry.provider as { treeDataProvider: { getChildren(n?: TreeNode): TreeNode[]; getTreeItem(n: TreeNode): { label?: unknown } } })
    .treeDataProvider;
  assert.deepEqual(
    provider.getChildren().map((n) => String(provider.getTreeItem(n).label)),
    ['Alpha', 'Beta'],
  );
  await waitUntil('Beta read', () => provider.getChildren(provider.getChildren()[1]).length === 3);
  // Back to one server: the plain tree.
  shim.setConfig('comfyui.servers', [], 'user');
  assert.ok(provider.getChildren().every((n) => n.kind !== 'server'));
});
