// The editor adapters against mocks of their own (test/mock-comfyui: servers it stops, restarts and breaks, so the
// suite is not part of test:real): connection state and the status bar, node definitions fetched, cached per server,
// kept when a fetch fails, discarded when the cache is corrupt, refreshed on reconnect, and the one "no definitions"
// message when there is neither a server nor a cache.
import '../helpers/vscode-shim/register';
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { shim, vscode } from '../helpers/vscode-shim/control';
import { nextEvent, waitFor } from '../helpers/wait';
import { startMockComfy } from '../mock-comfyui/server';
import { activateExtension, type ActivatedExtension } from '../helpers/activation';
import type { EditorServices } from '../../src/vscode/api';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'editor');
const OBJECT_INFO = path.join(FIXTURES, 'object_info.json');
const TXT2IMG = readFileSync(path.join(FIXTURES, 'txt2img.api.json'), 'utf8');

let extension: ActivatedExtension | undefined;
let services: EditorServices;
const servers: { close(): Promise<void> }[] = [];

afterEach(async () => {
  extension?.deactivate();
  extension = undefined;
  for (const s of servers.splice(0)) await s.close();
});

async function mock(port = 0) {
  const m = await startMockComfy({ host: '127.0.0.1', port, objectInfo: OBJECT_INFO });
  servers.push(m);
  return m;
}

function startEditor(serverUrl: string, options: { globalStorageDir?: string } = {}): EditorServices {
  extension = activateExtension({ settings: { 'comfyui.serverUrl': serverUrl, 'comfyui.validation.debounceMs': 0 }, ...options });
  services = extension.services;
  return services;
}

const statusItem = () => shim.statusBarItem('comfyui.status')!;

test('connects, fetches and caches the server definitions, and the status bar shows the queue count', async () => {
  const server = await mock();
  startEditor(server.url);
  assert.equal(services.connection.state, 'connecting');
  assert.match(statusItem().text, /sync~spin/);
  await waitFor(() => services.store.current?.source === 'server', { message: 'definitions from the server' });
  const snap = services.store.current!;
  assert.equal(snap.classCount, 10);
  const version = server.comfyVersion === '0.3.64' ? '0.3.64' : '0.33.0';
  assert.equal(snap.serverVersion, version);
  assert.equal(services.connection.state, 'connected');
  assert.equal(shim.state.context.get('comfyui.connected'), true);
  assert.equal(shim.state.context.get('comfyui.serverState'), 'connected');
  assert.match(statusItem().text, /pass-filled\) ComfyUI/);
  assert.equal(statusItem().command, 'comfyui.showServerMenu');
  assert.ok(String((statusItem().tooltip as vscode.MarkdownString).value).includes(`10 classes from ComfyUI ${version}`));
  // The cache file exists and holds no secret-bearing name.
  await waitFor(() => existsSync(services.store.cacheFile(services.connection.displayUrl)));

  // Queue a prompt directly: the `status` broadcast drives the queue count in the status bar.
  const seen: string[] = [];
  const sub = services.connection.onDidChangeQueueRemaining((n) => {
    if (n > 0) seen.push(statusItem().text);
  });
  await services.connection.client!.queuePrompt({
    prompt: {
      '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
      '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'editor-test' } },
    },
    client_id: services.connection.clientId,
  });
  await waitFor(() => seen.length > 0, { message: 'a status message with a queue count' });
  sub.dispose();
  assert.match(seen[0]!, /list-ordered\) 1/);
  await waitFor(() => services.connection.queueRemaining === 0);
  assert.doesNotMatch(statusItem().text, /list-ordered/);
});

test('offline: the last definitions stay in use and say so; a reconnect refreshes them', async () => {
  const first = await mock();
  const port = first.port;
  startEditor(first.url);
  await waitFor(() => services.store.current?.source === 'server');
  const fetchedAt = services.store.current!.fetchedAt;

  const wentOffline = nextEvent(services.connection.onDidChangeState, (s) => s === 'offline', 10_000);
  await first.close();
  servers.splice(servers.indexOf(first), 1);
  await wentOffline;
  assert.match(statusItem().text, /debug-disconnect\) ComfyUI offline/);
  assert.equal(shim.state.context.get('comfyui.serverState'), 'offline');
  assert.equal(services.store.current?.source, 'server', 'the last good definitions are kept');

  // Validation still works offline, and the code lens and hovers say where the definitions come from.
  const doc = shim.openDocument(TXT2IMG.replace('"euler"', '"eulr"'), { path: '/workspace/offline.json' });
  await waitFor(() => shim.diagnostics(doc).length === 1);
  assert.equal((shim.diagnostics(doc)[0]!.code as { value: string }).value, 'value_not_in_list');
  const [lens] = await shim.codeLenses(doc);
  assert.match(lens!.command!.title, /offline · checking with definitions fetched just now/);
  const [hover] = await shim.hover(doc, doc.positionAt(TXT2IMG.indexOf('"KSampler"') + 2));
  assert.match((hover!.contents.at(-1) as vscode.MarkdownString).value, /Offline: node definitions fetched/);

  // The server comes back on the same port; "Retry" reconnects at once and the definitions are fetched again.
  // A new snapshot (not a later timestamp: both fetches may fall in the same millisecond) fetched from the server.
  const offlineSnapshot = services.store.current;
  await mock(port);
  const refreshed = nextEvent(services.store.onDidChange, (s) => s !== undefined && s !== offlineSnapshot && s.source === 'server', 10_000);
  await vscode.commands.executeCommand('comfyui.reconnect');
  await waitFor(() => services.connection.state === 'connected', { timeoutMs: 10_000 });
  try {
    assert.ok((await refreshed)!.fetchedAt >= fetchedAt);
  } catch (e) {
    console.log(
      shim
        .outputChannel('ComfyUI')!
        .lines.map((l) => `${l.level} ${l.text}`)
        .join('\n'),
    );
    throw e;
  }
  assert.match(statusItem().text, /pass-filled/);
});

test('a failed fetch keeps the last good definitions and offers Retry', async () => {
  const server = await mock();
  startEditor(server.url);
  await waitFor(() => services.store.current?.source === 'server');
  // A refresh started by the connection itself may still be running; a manual refresh would join it.
  await waitFor(() => !services.store.refreshing);
  const before = services.store.current;

  server.setFaults({ html500: ['/object_info'] });
  shim.state.respond = () => undefined; // dismiss the notification
  const ok = await vscode.commands.executeCommand<boolean>('comfyui.refreshNodeDefinitions');
  assert.equal(ok, false);
  assert.equal(services.store.current, before, 'still the same snapshot');
  const m = shim.lastMessage()!;
  assert.equal(m.level, 'error');
  assert.match(m.message, /Could not fetch node definitions/);
  assert.match(m.message, /Keeping the definitions fetched/);
  assert.deepEqual(m.items, ['Retry', 'Configure Server']);
  assert.ok(services.store.lastError);
  assert.match(String((statusItem().tooltip as vscode.MarkdownString).value), /500|HTML|proxy/i);

  // Truncated JSON is a failure too, and again nothing is lost.
  server.setFaults({ truncatedJson: ['/object_info'] });
  assert.equal(await vscode.commands.executeCommand<boolean>('comfyui.refreshNodeDefinitions'), false);
  assert.equal(services.store.current, before);

  // Healthy again: "Retry" works.
  server.setFaults({});
  shim.state.respond = () => undefined;
  assert.equal(await vscode.commands.executeCommand<boolean>('comfyui.refreshNodeDefinitions'), true);
  assert.notEqual(services.store.current, before);
  assert.equal(services.store.lastError, undefined);
});

test('a corrupt cache is discarded and refetched; a good cache serves offline start-ups', async () => {
  const server = await mock();
  const storage = mkdtempSync(path.join(tmpdir(), 'comfyui-cache-test-'));
  servers.push({ close: async () => rmSync(storage, { recursive: true, force: true }) });
  // 1. First run fills the cache.
  startEditor(server.url, { globalStorageDir: storage });
  await waitFor(() => services.store.current?.source === 'server');
  const cacheFile = services.store.cacheFile(services.connection.displayUrl);
  await waitFor(() => existsSync(cacheFile));
  const display = services.connection.displayUrl;
  // Keep the storage dir for the next "session": dispose subscriptions only.
  extension!.context.disposeKeepingStorage();

  // 2. Offline start-up: the cache serves the definitions.
  await server.close();
  servers.splice(servers.indexOf(server), 1);
  startEditor(display, { globalStorageDir: storage });
  await services.ready;
  assert.equal(services.store.current?.source, 'cache');
  assert.equal(services.store.current?.classCount, 10);
  extension!.context.disposeKeepingStorage();

  // 3. A corrupt cache is dropped (no definitions, file deleted), then refetched once the server is back.
  mkdirSync(path.dirname(cacheFile), { recursive: true });
  writeFileSync(cacheFile, '{"format":1,"fetchedAt":1,"objectInfo":{"KSampler":');
  const port = Number(new URL(display).port);
  startEditor(display, { globalStorageDir: storage });
  await services.ready;
  assert.equal(services.store.current, undefined);
  assert.equal(existsSync(cacheFile), false, 'corrupt cache deleted');
  await mock(port);
  services.connection.reconnect();
  await waitFor(() => services.store.current?.source === 'server', { timeoutMs: 10_000 });
  await waitFor(() => existsSync(cacheFile));
  assert.equal(JSON.parse(readFileSync(cacheFile, 'utf8')).format, 1);
});

test('no server and no cache: one message with two ways out, and no false errors', async () => {
  startEditor('http://127.0.0.1:9');
  await services.ready;
  const doc = shim.openDocument(TXT2IMG.replace('"KSampler"', '"NoSuchNode"'), { path: '/workspace/nodefs.json' });
  await waitFor(() => shim.diagnostics(doc).length > 0);
  const diags = shim.diagnostics(doc);
  assert.equal(diags.length, 1);
  assert.equal(diags[0]!.severity, vscode.DiagnosticSeverity.Information);
  assert.equal((diags[0]!.code as { value: string }).value, 'no_node_definitions');
  await waitFor(() => services.connection.state === 'offline', { timeoutMs: 10_000 });
  await waitFor(() => shim.state.messages.some((m) => m.level === 'warning'));
  const warnings = shim.state.messages.filter((m) => m.level === 'warning');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!.message, /not reachable and no node definitions are cached/);
  assert.deepEqual(warnings[0]!.items, ['Configure Server', 'Use a Dump File']);
  // More workflows do not repeat it.
  const second = shim.openDocument(TXT2IMG, { path: '/workspace/nodefs2.json' });
  await waitFor(() => shim.diagnostics(second).length > 0, { message: 'the second workflow was checked' });
  assert.equal(shim.state.messages.filter((m) => m.level === 'warning').length, 1);
  // Completion still offers structure without definitions (and never throws).
  const list = await shim.completion(doc, doc.positionAt(1));
  // The next free node id (the file has 1…9), as a new-node snippet.
  assert.deepEqual(
    list.items.map((i) => i.label),
    ['New node "10"'],
  );
});

test('an invalid server URL is reported in the status bar, and switching servers reconnects', async () => {
  startEditor('ftp://nowhere');
  await services.ready;
  assert.equal(services.connection.state, 'invalid');
  assert.match(statusItem().text, /invalid server URL/);
  const server = await mock();
  shim.setConfig('comfyui.serverUrl', server.url);
  await waitFor(() => services.connection.state === 'connected', { timeoutMs: 10_000 });
  await waitFor(() => services.store.current?.source === 'server');
  assert.equal(services.connection.displayUrl, new URL(server.url).toString());
});
