// Every timer of the adapters runs on the Clock it was built with (issue 12): each test drives one with a
// ManualClock and sees it fire only when that clock moves. With a global setTimeout/setInterval none of them would.
import '../helpers/vscode-shim/register';
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { shim, vscode } from '../helpers/vscode-shim/control';
import { waitFor } from '../helpers/wait';
import { ManualClock } from '../../src/core/util/clock';
import { nullLogger } from '../../src/core/util/logger';
import type { QueueModel } from '../../src/core/queue/queueModel';
import type { SocketMessage } from '../../src/core/queue/runTracker';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import { prepareNodeDefs } from '../../src/core/workflow/nodeDefs';
import { validateWorkflow } from '../../src/core/workflow/validate';
import { RefreshController } from '../../src/vscode/queueView/refreshController';
import { ServerStatusBar, STATUS_ITEM_ID } from '../../src/vscode/host/statusBar';
import type { NodeDefsSnapshot } from '../../src/vscode/host/nodeDefsStore';
import { ServerConnection } from '../../src/vscode/host/connection';
import { registerHost } from '../../src/vscode/host/index';
import { WorkflowDispatcher } from '../../src/vscode/serverRegistry/dispatch';
import { ServerRegistry } from '../../src/vscode/serverRegistry/registry';
import { PackService } from '../../src/vscode/missingNodes/packService';
import type { LiveWorkflow } from '../../src/vscode/language/diagnostics';
import { startFakeRegistry } from '../mock-comfyui/registry';
import { runMonitorFixture } from '../helpers/runMonitor';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
  shim.reset();
});

test('the Queue view polls on its clock while visible and disconnected', () => {
  const clock = new ManualClock();
  const reasons: string[] = [];
  const model = { loaded: true, offline: undefined, reload: async () => void reasons.push('reload'), refresh: async () => void reasons.push('refresh') };
  const source = {
    state: 'offline',
    onMessage: new vscode.EventEmitter<SocketMessage>().event,
    onResync: new vscode.EventEmitter<unknown>().event,
    onDidChangeState: new vscode.EventEmitter<unknown>().event,
  };
  const view = { visible: true, onDidChangeVisibility: new vscode.EventEmitter<{ visible: boolean }>().event };
  const refresh = new RefreshController(model as unknown as QueueModel, source, view, { clock, pollMs: 5000 });
  assert.equal(refresh.isPolling, true);
  clock.advance(4999);
  assert.deepEqual(refresh.history, []);
  clock.advance(10_001);
  assert.deepEqual(refresh.history, ['poll', 'poll', 'poll']);
  refresh.dispose();
  assert.equal(clock.pending, 0, 'disposing stops the poller');
});

test('a followed run ticks on the monitor’s clock: offline, its end is read from /history every two ticks', async () => {
  const clock = new ManualClock();
  const { monitor, api, ended } = runMonitorFixture({ state: 'offline', clock });
  cleanup.push(() => monitor.dispose());
  const prompt = { '1': { class_type: 'EmptyImage', inputs: {} } };
  await api.queuePrompt({ prompt, prompt_id: 'p1' });
  monitor.track('p1', prompt, api);
  api.start('p1');
  api.finish('success');
  assert.equal(clock.pending, 1, 'the ticker waits on the injected clock');
  clock.advance(2000);
  await waitFor(() => ended.length === 1, { message: 'the run ends from /history' });
  assert.equal(ended[0]!.status, 'success');
  assert.equal(clock.pending, 0, 'the ticker stops with the last run');
});

test('the status bar’s definitions age moves with its clock, without any event', () => {
  const clock = new ManualClock();
  const never = new vscode.EventEmitter<never>().event;
  const connection = {
    state: 'connected' as const,
    displayUrl: 'http://127.0.0.1:8188',
    queueRemaining: 0,
    lastError: undefined,
    onDidChangeState: never,
    onDidChangeQueueRemaining: never,
  };
  const snapshot = { source: 'server', origin: 'http://127.0.0.1:8188', serverVersion: '0.3.64', fetchedAt: 0, classCount: 3 } as unknown as NodeDefsSnapshot;
  const bar = new ServerStatusBar(connection, { current: snapshot, lastError: undefined, onDidChangeStatus: never }, () => false, clock);
  cleanup.push(() => bar.dispose());
  const tooltip = () => (shim.statusBarItem(STATUS_ITEM_ID)!.tooltip as vscode.MarkdownString).value;
  assert.match(tooltip(), /just now/);
  clock.advance(120_000);
  assert.match(tooltip(), /2 min ago/);
  bar.dispose();
  assert.equal(clock.pending, 0);
});

test('the connection connects its socket on the next turn of its clock', () => {
  const clock = new ManualClock();
  const connection = new ServerConnection({ logger: nullLogger, clock });
  cleanup.push(() => connection.dispose());
  connection.setServer('http://127.0.0.1:9');
  assert.equal(connection.socket!.state, 'idle', 'not during setServer');
  clock.advance(0);
  assert.notEqual(connection.socket!.state, 'idle');
});

test('dispatching waits for the new server’s socket on the dispatcher’s clock, then queues anyway', async () => {
  shim.setConfig('comfyui.servers', [{ name: 'B', url: 'http://127.0.0.1:9' }], 'user');
  shim.setConfig('comfyui.serverUrl', 'http://127.0.0.1:8', 'user');
  const clock = new ManualClock();
  const registry = new ServerRegistry();
  cleanup.push(() => registry.dispose());
  const queued: string[] = [];
  const dispatcher = new WorkflowDispatcher({
    registry,
    authFor: () => undefined,
    connection: { serverUrl: 'http://127.0.0.1:8', queueRemaining: undefined, state: 'connecting', onDidChangeState: new vscode.EventEmitter<unknown>().event },
    connectWaitMs: 5000,
    clock,
    log: nullLogger,
    queue: async (uri) => void queued.push(uri!.path),
  });
  shim.state.quickPick = (items: { entry?: { name: string } }[]) => items.find((i) => i.entry?.name === 'B');
  const chosen = dispatcher.command(vscode.Uri.file('/workspace/wf.api.json'));
  await waitFor(() => clock.pending === 1, { message: 'the wait for the socket' });
  assert.deepEqual(queued, []);
  clock.advance(5000);
  assert.equal(await chosen, 'B');
  assert.deepEqual(queued, ['/workspace/wf.api.json']);
});

test('registry questions are batched on the pack service’s clock', async () => {
  const fake = await startFakeRegistry({});
  cleanup.push(() => fake.close());
  shim.setConfig('comfyui.registry.enabled', true, 'user');
  shim.setConfig('comfyui.registry.url', fake.url, 'user');
  shim.setConfig('comfyui.serverUrl', 'http://127.0.0.1:9', 'user');
  const context = shim.createExtensionContext();
  cleanup.push(() => context.dispose());
  const clock = new ManualClock();
  const packs = new PackService(registerHost(context), clock);
  cleanup.push(() => packs.dispose());
  const doc = parseWorkflowDocument('{"1": {"class_type": "NoSuchPackNode", "inputs": {}}}');
  const problems = validateWorkflow(doc, prepareNodeDefs({}));
  packs.enrich({ parsed: doc } as LiveWorkflow, problems, 'en');
  assert.equal(clock.pending, 1, 'the batch waits on the injected clock');
  assert.deepEqual(fake.requests, []);
  clock.advance(300);
  await waitFor(() => fake.requests.length === 1, { message: 'the registry is asked' });
  assert.deepEqual(fake.requests, ['NoSuchPackNode']);
});
