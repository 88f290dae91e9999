// Several servers, credentials, workspace trust and workflow safety, through the whole extension (activate() with
// the vscode shim) against mocks that behave like an authenticating reverse proxy (fault `requireAuth`).
import '../helpers/vscode-shim/register';
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { shim, vscode } from '../helpers/vscode-shim/control';
import { waitFor } from '../helpers/wait';
import { startMockComfy, type MockComfy } from '../mock-comfyui/server';
import { activateExtension, type ActivatedExtension } from '../helpers/activation';
import type { EditorServices } from '../../src/vscode/api';
import { ServerRegistry } from '../../src/vscode/serverRegistry/registry';
import { probeServer } from '../../src/vscode/serverRegistry/dispatch';
import { SAFETY_COLLECTION } from '../../src/vscode/language/unsafeNodeDiagnostics';
import { invertPrompt } from './clientHelpers';

type PickItem = { label: string; entry?: { name: string } };
type Diag = vscode.Diagnostic;

const TOKEN = 'tok-9f1c2e7d-SECRET-4b8a';
const mocks: MockComfy[] = [];
let extension: ActivatedExtension | undefined;

async function mock(options: Parameters<typeof startMockComfy>[0] = {}): Promise<MockComfy> {
  const m = await startMockComfy(options);
  mocks.push(m);
  return m;
}

function start(): EditorServices {
  extension = activateExtension();
  return extension.services;
}

afterEach(async () => {
  extension?.deactivate();
  extension = undefined;
  await Promise.all(mocks.splice(0).map((m) => m.close()));
  shim.reset();
});

/** Answers the credentials command: one server (the active one), a bearer token. */
function answerBearer(token: string): void {
  shim.state.quickPick = (items: PickItem[]) => items.find((i) => i.label === 'Bearer token') ?? items[0];
  shim.state.inputBox = () => token;
}

/** Everything a user or a bug report could see: the log, notifications (text and buttons), status bar texts. */
function visibleText(): string {
  return [
    ...shim.state.outputChannels.flatMap((c) => c.lines.map((l) => l.text)),
    ...shim.state.messages.flatMap((m) => [m.message, ...m.items]),
    ...shim.state.statusBarItems.map((i) => `${i.text} ${String(i.tooltip ?? '')}`),
  ].join('\n');
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

test('a bearer token from SecretStorage goes on HTTP and the WebSocket, and never reaches the log or a message', async () => {
  const m = await mock({ faults: { requireAuth: { value: `Bearer ${TOKEN}` } } });
  shim.setConfig('comfyui.serverUrl', m.url, 'user');
  const services = start();
  await waitFor(() => services.connection.state === 'offline', { message: 'the proxy rejects the socket without a token', timeoutMs: 10_000 });

  answerBearer(TOKEN);
  await vscode.commands.executeCommand('comfyui.setServerCredentials');
  await waitFor(() => services.connection.state === 'connected', { message: 'connected with the token', timeoutMs: 10_000 });
  assert.ok(await services.connection.client!.getQueue(), 'HTTP with the token');
  await waitFor(() => services.store.current?.source === 'server', { message: 'node definitions fetched with the token', timeoutMs: 10_000 });
  assert.equal(m.socketCount(), 1);

  // Errors while the token is in use: a proxy error page, then a wrong token. None may echo the secret.
  m.setFaults({ requireAuth: { value: `Bearer ${TOKEN}` }, html500: ['/object_info'] });
  await vscode.commands.executeCommand('comfyui.refreshNodeDefinitions');
  await waitFor(() => shim.state.messages.some((x) => x.level === 'error'), { message: 'one error notification' });
  // Anything that logs a header or the URL goes through the redactor.
  services.log.warn(`debug dump: Authorization: Bearer ${TOKEN}`);
  services.log.error(new Error(`request failed with ${TOKEN}`));
  const caught = await services.connection.client!.getObjectInfo().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(caught instanceof Error);
  assert.ok(!`${caught.message} ${String(caught.stack)}`.includes(TOKEN), 'the thrown error carries no token');
  const text = visibleText();
  assert.ok(text.includes('debug dump'), 'the log lines were written');
  assert.ok(!text.includes(TOKEN), 'the token is never visible');
  assert.ok(!text.includes(Buffer.from(TOKEN).toString('base64')));
});

test('a `token` query parameter for proxies goes on HTTP and the WebSocket URL, masked in the log', async () => {
  const m = await mock({ faults: { requireAuth: { query: 'token', value: TOKEN } } });
  shim.setConfig('comfyui.serverUrl', m.url, 'user');
  const services = start();
  shim.state.quickPick = (items: PickItem[]) => items.find((i) => i.label === 'Token query parameter') ?? items[0];
  const answers = ['token', TOKEN];
  shim.state.inputBox = () => answers.shift();
  await vscode.commands.executeCommand('comfyui.setServerCredentials');
  await waitFor(() => services.connection.state === 'connected', { message: 'connected with ?token=', timeoutMs: 10_000 });
  await waitFor(() => services.store.current?.source === 'server', { timeoutMs: 10_000 });
  services.log.info(`fetched ${services.connection.client!.url('/prompt')}`);
  assert.ok(!visibleText().includes(TOKEN));
  assert.ok(!services.connection.displayUrl.includes(TOKEN));
});

test('a workspace-supplied URL gets no secret until the user confirms it', async () => {
  const m = await mock({ faults: { requireAuth: { value: `Bearer ${TOKEN}` } } });
  shim.setConfig('comfyui.serverUrl', m.url, 'workspace');
  shim.state.respond = () => undefined; // the question is dismissed
  const services = start();
  answerBearer(TOKEN);
  await vscode.commands.executeCommand('comfyui.setServerCredentials');
  const asked = await waitFor(() => shim.state.messages.find((x) => x.message.includes('comes from this workspace')));
  assert.deepEqual(asked.items, ['Send Credentials']);
  await waitFor(() => services.connection.state === 'offline', { message: 'withheld: the proxy says 401', timeoutMs: 10_000 });
  const queued = await services.connection.client!.getQueue().then(
    () => 'ok',
    (e: Error) => e.message,
  );
  assert.match(queued, /401/, 'HTTP went without the token');

  // Confirmed in a new window session: the token is sent from then on.
  extension!.context.dispose(); // a new window session: same settings, fresh extension
  shim.state.messages = [];
  shim.state.respond = (msg) => (msg.message.includes('comes from this workspace') ? 'Send Credentials' : undefined);
  answerBearer(TOKEN);
  const again = start();
  await vscode.commands.executeCommand('comfyui.setServerCredentials');
  await waitFor(() => again.connection.state === 'connected', { message: 'connected after the confirmation', timeoutMs: 10_000 });
  assert.ok(!visibleText().includes(TOKEN));
});

test('untrusted workspace: workspace servers and headers are ignored, and queueing asks, naming the server', async () => {
  const m = await mock();
  shim.setTrusted(false);
  shim.setConfig('comfyui.servers', [{ name: 'mine', url: m.url, headers: { 'X-Route': 'gpu1', Authorization: 'Bearer leaked' } }], 'user');
  shim.setConfig('comfyui.servers', [{ name: 'theirs', url: 'http://203.0.113.9:8188' }], 'workspace');
  const registry = new ServerRegistry();
  assert.deepEqual(
    registry.list().map((e) => [e.name, e.origin]),
    [['mine', 'user']],
  );
  assert.deepEqual(registry.list()[0]!.headers, { 'X-Route': 'gpu1' }, 'credentials in settings are dropped');
  shim.setTrusted(true);
  assert.deepEqual(
    registry.list().map((e) => [e.name, e.origin]),
    [
      ['mine', 'user'],
      ['theirs', 'workspace'],
    ],
  );
  assert.equal(registry.originOf('http://203.0.113.9:8188/'), 'workspace');
  assert.equal(registry.originOf(m.url), 'user');
  registry.dispose();

  shim.setTrusted(false);
  shim.setConfig('comfyui.serverUrl', m.url, 'user');
  const services = start();
  await waitFor(() => services.connection.state === 'connected', { timeoutMs: 10_000 });
  const doc = await shim.showDocument(JSON.stringify(invertPrompt(8, 8, 1, 'untrusted'), null, 2), { path: '/workspace/untrusted.api.json' });
  const outcome = (await vscode.commands.executeCommand('comfyui.queueWorkflow', doc.uri)) as { promptIds: string[]; stopped?: string };
  assert.deepEqual(outcome, { promptIds: [], stopped: 'cancelled' });
  const question = shim.state.messages.find((x) => x.modal)!;
  assert.match(question.message, /not trusted.*untrusted\.api\.json.*127\.0\.0\.1/);
  assert.equal(Object.keys(await services.connection.client!.getHistory()).length, 0, 'nothing was sent');

  shim.state.respond = (msg) => (msg.modal ? 'Queue Anyway' : undefined);
  const ok = (await vscode.commands.executeCommand('comfyui.queueWorkflow', doc.uri)) as { promptIds: string[] };
  assert.equal(ok.promptIds.length, 1);
});

test('unsafe nodes: a warning diagnostic on the class, and exactly one confirmation before queueing', async () => {
  const m = await mock();
  shim.setConfig('comfyui.serverUrl', m.url, 'user');
  shim.setConfig('comfyui.safety.unsafeNodes', ['ImageInvert'], 'user');
  const services = start();
  await waitFor(() => services.connection.state === 'connected', { timeoutMs: 10_000 });
  const text = JSON.stringify({ ...invertPrompt(8, 8, 2, 'unsafe'), 9: { class_type: 'Terminal', inputs: { text: 'id' } } }, null, 2);
  const doc = await shim.showDocument(text, { path: '/workspace/unsafe.api.json' });
  const diags = await waitFor(
    () => {
      const d = (vscode.languages.getDiagnostics(doc.uri) as Diag[]).filter((x) => (typeof x.code === 'object' ? x.code.value : x.code) === 'unsafe_node');
      return d.length === 2 ? d : undefined;
    },
    { message: 'unsafe_node diagnostics' },
  );
  assert.ok(diags.every((d) => d.severity === vscode.DiagnosticSeverity.Warning));
  assert.ok(shim.state.diagnostics.has(SAFETY_COLLECTION));
  assert.deepEqual(diags.map((d) => doc.getText(d.range)).sort(), ['"ImageInvert"', '"Terminal"']);

  shim.state.respond = (msg) => (msg.modal ? 'Queue Anyway' : undefined);
  await vscode.commands.executeCommand('comfyui.queueWorkflow', doc.uri);
  const modals = shim.state.messages.filter((x) => x.modal);
  assert.equal(modals.length, 1, 'asked once');
  assert.match(modals[0]!.message, /“Terminal”/);
  assert.match(modals[0]!.message, /“ImageInvert”/);
});

test('opening, editing and saving never queue anything', async () => {
  const m = await mock();
  shim.setConfig('comfyui.serverUrl', m.url, 'user');
  const services = start();
  await waitFor(() => services.connection.state === 'connected', { timeoutMs: 10_000 });
  const doc = await shim.showDocument(JSON.stringify(invertPrompt(8, 8, 3, 'never'), null, 2), { path: '/workspace/never.api.json' });
  const validated = new Promise<void>((resolve) => services.diagnostics.onDidUpdate((u) => u.version >= doc.version && resolve()));
  shim.edit(doc, 0, 0, ' ');
  shim.state.events.saveDoc.fire(doc);
  // The edit was seen and validated: whatever an edit or a save could trigger has run by now.
  await validated;
  assert.deepEqual(await services.connection.client!.getQueue(), { queue_running: [], queue_pending: [] });
  assert.equal(Object.keys(await services.connection.client!.getHistory()).length, 0);
});

test('dispatch: least busy skips the unreachable server and the one lacking a class, then queues there', async () => {
  const busy = await mock({ nodeDelayMs: 1500 });
  const idle = await mock();
  const dead = `http://127.0.0.1:${await freePort()}`;
  shim.setConfig(
    'comfyui.servers',
    [
      { name: 'busy', url: busy.url },
      { name: 'dead', url: dead },
      { name: 'idle', url: idle.url },
    ],
    'user',
  );
  shim.setConfig('comfyui.serverUrl', busy.url, 'user');
  const services = start();
  await waitFor(() => services.connection.state === 'connected', { timeoutMs: 10_000 });
  // Keep `busy` busy: two slow prompts.
  for (const c of [4, 5]) await services.connection.client!.queuePrompt({ prompt: invertPrompt(8, 8, c, 'busy') });

  // The facts the choice is made from.
  const deps = { authFor: () => undefined, connection: { serverUrl: '', queueRemaining: undefined }, probeTimeoutMs: 2000 };
  const registry = new ServerRegistry();
  const [b, d, i] = registry.list();
  const facts = await Promise.all([
    probeServer(b!, ['EmptyImage'], deps),
    probeServer(d!, ['EmptyImage'], deps),
    probeServer(i!, ['EmptyImage', 'NoSuchNode'], deps),
  ]);
  registry.dispose();
  assert.ok(facts[0].reachable && (facts[0].queueRemaining ?? 0) >= 1, JSON.stringify(facts[0]));
  assert.equal(facts[1].reachable, false);
  assert.deepEqual(facts[2].missingClasses, ['NoSuchNode']);

  const doc = await shim.showDocument(JSON.stringify(invertPrompt(8, 8, 6, 'dispatched'), null, 2), { path: '/workspace/dispatch.api.json' });
  shim.state.quickPick = (items: PickItem[]) => items[0]; // "Least busy server"
  const chosen = await vscode.commands.executeCommand('comfyui.queueWorkflowOnServer', doc.uri);
  assert.equal(chosen, 'idle');
  assert.equal(vscode.workspace.getConfiguration('comfyui').get('serverUrl'), idle.url);
  await waitFor(async () => Object.keys(await services.connection.client!.getHistory()).length === 1 || undefined, {
    message: 'ran on idle',
    timeoutMs: 10_000,
  });
  // Followed live on the new server's socket: the outcome arrives without waiting for the stall poll.
  await waitFor(() => shim.state.messages.find((x) => x.message.startsWith('dispatch.api.json: Finished')), { message: 'run outcome', timeoutMs: 5000 });
  const log = shim
    .outputChannel('ComfyUI')!
    .lines.map((l) => l.text)
    .join('\n');
  assert.match(log, /Skipped dead/);
  assert.match(log, /Dispatching dispatch\.api\.json to idle/);
});

test('the server picker lists the configured servers and switches the active one', async () => {
  const a = await mock();
  const b = await mock();
  shim.setConfig(
    'comfyui.servers',
    [
      { name: 'A', url: a.url },
      { name: 'B', url: b.url },
    ],
    'user',
  );
  shim.setConfig('comfyui.serverUrl', a.url, 'user');
  const services = start();
  const item = shim.statusBarItem('comfyui.serverPicker')!;
  assert.equal(item.visible, true);
  assert.equal(item.text, '$(server) A');
  shim.state.quickPick = (items: PickItem[]) => items.find((i) => i.entry?.name === 'B');
  await vscode.commands.executeCommand('comfyui.switchServer');
  assert.equal(services.connection.serverUrl, b.url);
  await waitFor(() => item.text === '$(server) B');
  await waitFor(() => services.connection.state === 'connected', { timeoutMs: 10_000 });
});
