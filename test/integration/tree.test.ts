// The Queue & History view against the mock: its contents after each server event, visibility-gated polling while
// the socket is down, the offline state, and a 10,000-entry history (lazy pages; the time to show it is printed,
// never asserted — performance belongs to `npm run bench`).
import '../helpers/vscode-shim/register';
import { test, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { shim, vscode } from '../helpers/vscode-shim/control';
import { waitUntil } from '../helpers/wait';
import { samplerPrompt } from '../helpers/prompts';
import { mockOnly, getTestServer, type TestServer } from '../helpers/server';
import { ServerConnection } from '../../src/vscode/host/connection';
import { startRunAndQueueView, type RunAndQueueView } from '../helpers/runAndQueueView';
import type { TreeNode } from '../../src/core/queue/treeModel';
import { nullLogger } from '../../src/core/util/logger';

const log = { ...nullLogger, show() {} };
const servers: TestServer[] = [];
let features: RunAndQueueView | undefined;
let connection: ServerConnection | undefined;

async function setup(
  mockOptions: Parameters<typeof getTestServer>[0] = {},
  pageSize = 100,
): Promise<{ server: TestServer; f: RunAndQueueView; c: ServerConnection }> {
  shim.reset();
  const server = await getTestServer(mockOptions);
  servers.push(server);
  connection = new ServerConnection({ logger: nullLogger, reconnect: { initialMs: 50, maxMs: 200 } });
  connection.setServer(server.url);
  features = startRunAndQueueView({ connection, defs: () => undefined, log, refresh: { debounceMs: 10, pollMs: 100 }, pageSize });
  await waitUntil('the socket', () => connection!.state === 'connected');
  return { server, f: features, c: connection };
}

function snapshot(f: RunAndQueueView): string[] {
  const out: string[] = [];
  const walk = (nodes: TreeNode[], depth: number) => {
    for (const n of nodes) {
      const item = f.provider.getTreeItem(n);
      out.push(`${'  '.repeat(depth)}${String(item.label)}${item.description ? ` [${String(item.description).replace(/\d+(\.\d+)? (ms|s)/, 'T')}]` : ''}`);
      if (item.collapsibleState !== vscode.TreeItemCollapsibleState.None && depth < 1) walk(f.provider.getChildren(n), depth + 1);
    }
  };
  walk(f.provider.getChildren(), 0);
  return out;
}

const prompt = samplerPrompt;

afterEach(async () => {
  features?.dispose();
  connection?.dispose();
  features = undefined;
  connection = undefined;
});
after(async () => {
  for (const s of servers) await s.close();
});

test(
  'tree contents follow the server: queued, running, finished (driven by socket events, no polling)',
  { skip: mockOnly('slow sampler steps (msPerStep), to see queued and running states') },
  async () => {
    const { f, c } = await setup({ msPerStep: 40 });
    await f.refresh.manual();
    assert.deepEqual(snapshot(f), ['Running [0]', 'Pending [0]', 'History [0]']);
    // Another client queues two prompts (no client_id: only `status` broadcasts reach us).
    const client = c.client!;
    const a = await client.queuePrompt({ prompt: prompt('first', 30) });
    const b = await client.queuePrompt({ prompt: prompt('second', 1) });
    await waitUntil('running + pending', () => f.model.running.length === 1 && f.model.pending.length === 1);
    assert.deepEqual(snapshot(f), ['Running [1]', '  first [running · 6 nodes]', 'Pending [1]', '  second [pending · 6 nodes]', 'History [0]']);
    await waitUntil('both in history', () => f.model.history.length === 2, 15_000);
    assert.deepEqual(snapshot(f), ['Running [0]', 'Pending [0]', 'History [2]', '  second [done · T · 6 nodes]', '  first [done · T · 6 nodes]']);
    assert.deepEqual(
      f.model.history.map((e) => e.id),
      [b.prompt_id, a.prompt_id],
    );
    assert.equal(f.refresh.isPolling, false, 'no polling while the socket is up');
    assert.ok(f.refresh.history.filter((r) => r === 'event').length >= 2, 'refreshes came from socket events');
  },
);

test(
  'offline: the view empties for its welcome text (Retry), polls only while visible; HTTP failures show "Server offline"',
  { skip: mockOnly('server it may stop') },
  async () => {
    const { f, server, c } = await setup();
    await f.refresh.manual();
    assert.equal(f.provider.getChildren().length, 3);
    await server.close();
    await waitUntil('offline state', () => c.state === 'offline');
    assert.deepEqual(f.provider.getChildren(), [], 'empty, so viewsWelcome "not reachable … Retry" shows');
    assert.equal(f.refresh.isPolling, true, 'polls while visible and disconnected');
    (f.view as unknown as { setVisible(v: boolean): void }).setVisible(false);
    assert.equal(f.refresh.isPolling, false, 'no polling while hidden');
    (f.view as unknown as { setVisible(v: boolean): void }).setVisible(true);
    assert.equal(f.refresh.isPolling, true);
    // The tree's own offline item covers failures the socket does not see (a proxy failing HTTP only, a bad URL).
    await f.refresh.manual();
    assert.match(f.model.offline ?? '', /refused|reach|closed|reset/i);
    const [node] = f.tree.roots();
    assert.equal(node?.kind, 'offline');
    const item = f.provider.getTreeItem(node!);
    assert.equal(item.label, 'Server offline');
    assert.equal(item.command?.command, 'comfyui.queue.refresh');
  },
);

test(
  '10,000 history entries: the first page shows at once, "Load more" pages through all without duplicates',
  { skip: mockOnly('syntheticHistory fault (10,000 entries)') },
  async () => {
    const { f } = await setup({ faults: { syntheticHistory: 10_000 } }, 200);
    const t0 = performance.now();
    await f.refresh.manual();
    const [, , hist] = f.provider.getChildren();
    const firstPage = f.provider.getChildren(hist).map((n) => f.provider.getTreeItem(n));
    const tFirst = performance.now() - t0;
    assert.equal(firstPage.length, 201, '200 entries plus "Load more…"');
    assert.equal(firstPage.at(-1)!.label, 'Load more…');
    assert.equal(String(f.provider.getTreeItem(hist!).description), '200+');

    const t1 = performance.now();
    let pages = 0;
    while (f.model.hasMoreHistory) {
      await vscode.commands.executeCommand('comfyui.queue.loadMore');
      pages++;
      assert.ok(pages < 100, 'paging terminates');
    }
    const tAll = performance.now() - t1;
    // What the editor does to render the group: children + one TreeItem each (no network involved).
    const t3 = performance.now();
    const items = f.provider.getChildren(hist).map((n) => f.provider.getTreeItem(n));
    const tRender = performance.now() - t3;
    assert.equal(items.length, 10_000);
    assert.equal(new Set(items.map((i) => i.id)).size, 10_000, 'stable, unique ids');
    // An event afterwards costs one small refresh, not a reload of 10,000 entries.
    const t2 = performance.now();
    await f.model.refresh();
    const tEvent = performance.now() - t2;
    assert.equal(f.model.history.length, 10_000);
    console.log(
      `[tree] 10,000-entry history: first page (200) shown in ${tFirst.toFixed(0)} ms (mostly the server's /history answer); ` +
        `all 10,000 via ${pages} "Load more" in ${tAll.toFixed(0)} ms; building all 10,000 tree items ${tRender.toFixed(0)} ms; ` +
        `an event refresh afterwards ${tEvent.toFixed(0)} ms`,
    );
  },
);
