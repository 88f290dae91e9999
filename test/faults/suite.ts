// `npm run test:faults`: every fault switch of the mock against the real extension code paths (core + adapters via
// the vscode shim). Each scenario states what the user observes; the harness adds the checks every fault shares
// (at most one clear message, the editor keeps working, typed text survives, no unhandled rejection, no timer or
// socket left after dispose). Prints a table, then node's test-runner summary.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { invert, TXT2IMG, printTable, problemsShown, queueDoc, runOutcome, scenario, shim, vscode, waitFor, type Env } from './harness';
import { startMockComfy } from '../mock-comfyui/server';
import { QueueModel } from '../../src/core/queue/queueModel';
import { isTooLargeError } from '../../src/core/comfy/errors';

after(() => printTable());

const RUN_TIMEOUT = 30_000;

async function openWorkflow(prompt: Record<string, unknown>, name: string) {
  return shim.showDocument(JSON.stringify(prompt, null, 2), { path: `/workspace/${name}` });
}

async function connected(env: Env): Promise<void> {
  await waitFor(() => env.services.connection.state === 'connected', { timeoutMs: 10_000, message: 'connected' });
}

/** Waits for the automatic first fetch (so the next refresh really asks the server), then refreshes as the user. */
async function refreshInteractive(env: Env): Promise<void> {
  await waitFor(() => env.services.store.current?.source === 'server' && !env.services.store.refreshing, { timeoutMs: 10_000, message: 'first definitions' });
  const before = shim.state.messages.length;
  await vscode.commands.executeCommand('comfyui.refreshNodeDefinitions');
  assert.ok(shim.state.messages.length > before, 'the refresh reported something');
}

test('server down at start', { timeout: 60_000 }, () =>
  scenario('down at start', { down: true }, async (env) => {
    await waitFor(() => env.services.connection.state === 'offline', { timeoutMs: 10_000 });
    const notice = await waitFor(() => problemsShown()[0], { message: 'one notice' });
    assert.equal(env.services.connection.state, 'offline');
    return `offline; ${notice.message}`;
  }),
);

test('server killed mid-run, restarted on the same port', { timeout: 90_000 }, () =>
  scenario('killed mid-run', { mock: { nodeDelayMs: 800 } }, async (env) => {
    await connected(env);
    const doc = await openWorkflow(invert(11, 'killed'), 'killed.api.json');
    const [id] = await queueDoc(doc);
    assert.ok(id);
    await waitFor(() => shim.statusBarItem('comfyui.run')?.visible, { message: 'run started' });
    const port = env.mock!.port;
    await env.mock!.close();
    await waitFor(() => env.services.connection.state === 'offline', { timeoutMs: 10_000 });
    // The server comes back (empty: a restarted ComfyUI forgets its queue and history).
    env.mock = await startMockComfy({ port });
    await waitFor(() => env.services.connection.state === 'connected', { timeoutMs: 20_000, message: 'reconnected' });
    const outcome = await waitFor(() => runOutcome('killed.api.json'), { timeoutMs: RUN_TIMEOUT, message: 'the lost run is closed' });
    assert.ok(!shim.statusBarItem('comfyui.run')?.visible, 'no run left spinning');
    return `offline, reconnected to the restarted server (it forgot the run): ${outcome}`;
  }),
);

test('slow responses past the timeout', { timeout: 60_000 }, () =>
  scenario('slow responses', { timeoutSeconds: 1 }, async (env) => {
    await connected(env);
    await waitFor(() => env.services.store.current?.source === 'server' && !env.services.store.refreshing, { timeoutMs: 10_000 });
    const doc = await openWorkflow(invert(16, 'slow'), 'slow.api.json');
    env.mock!.setFaults({ latencyMs: 1500 });
    const ids = await queueDoc(doc);
    const shown = problemsShown();
    assert.equal(shown.length, 1, JSON.stringify(shown));
    env.mock!.setFaults({});
    return `queue command: ${ids.length} queued; ${shown[0]!.message}`;
  }),
);

test('500 with an HTML body', { timeout: 60_000 }, () =>
  scenario('500 HTML page', {}, async (env) => {
    await connected(env);
    await waitFor(() => env.services.store.current?.source === 'server' && !env.services.store.refreshing, { timeoutMs: 10_000 });
    env.mock!.setFaults({ html500: true });
    await refreshInteractive(env);
    const shown = problemsShown();
    assert.equal(shown.length, 1);
    assert.match(shown[0]!.message, /500/);
    return shown[0]!.message;
  }),
);

test('truncated JSON', { timeout: 60_000 }, () =>
  scenario('truncated JSON', {}, async (env) => {
    await connected(env);
    await waitFor(() => env.services.store.current?.source === 'server' && !env.services.store.refreshing, { timeoutMs: 10_000 });
    env.mock!.setFaults({ truncatedJson: ['/object_info'] });
    await refreshInteractive(env);
    const shown = problemsShown();
    assert.equal(shown.length, 1);
    return shown[0]!.message;
  }),
);

test('WebSocket closed mid-run: the run is recovered from /history', { timeout: 90_000 }, () =>
  scenario('socket closed mid-run', { mock: { nodeDelayMs: 300, faults: { dropSockets: true } } }, async (env) => {
    await connected(env);
    const doc = await openWorkflow(invert(12, 'dropped'), 'dropped.api.json');
    const [id] = await queueDoc(doc);
    assert.ok(id);
    const outcome = await waitFor(() => runOutcome('dropped.api.json'), { timeoutMs: RUN_TIMEOUT, message: 'run outcome after the drop' });
    env.mock!.setFaults({});
    return `reconnected; ${outcome}`;
  }),
);

test('WebSocket open but silent: stall detection, then /history polling', { timeout: 90_000 }, () =>
  scenario('silent socket', { mock: { faults: { silentSocket: true } } }, async (env) => {
    await connected(env);
    const doc = await openWorkflow(invert(13, 'silent'), 'silent.api.json');
    const [id] = await queueDoc(doc);
    assert.ok(id);
    const outcome = await waitFor(() => runOutcome('silent.api.json'), { timeoutMs: RUN_TIMEOUT, message: 'run outcome by polling' });
    return `no socket messages; ${outcome}`;
  }),
);

test('malformed binary frames', { timeout: 90_000 }, () =>
  scenario('malformed binary frames', { mock: { faults: { malformedBinary: true } } }, async (env) => {
    await connected(env);
    const doc = await openWorkflow(TXT2IMG, 'malformed.api.json');
    await queueDoc(doc);
    const outcome = await waitFor(() => runOutcome('malformed.api.json'), { timeoutMs: RUN_TIMEOUT });
    const dropped = shim.outputChannel('ComfyUI')!.lines.filter((l) => l.text.includes('malformed')).length;
    assert.ok(dropped > 0, 'the broken frames were noticed');
    return `${dropped} frames dropped (logged); ${outcome}`;
  }),
);

test('20 MB /object_info', { timeout: 120_000 }, () =>
  scenario('20 MB /object_info', { mock: { faults: { hugeObjectInfo: 34_000 } } }, async (env) => {
    await connected(env);
    await waitFor(() => env.services.store.current?.source === 'server' && env.services.store.current.classCount > 34_000, {
      timeoutMs: 60_000,
      message: 'huge definitions loaded',
    });
    const bytes = Buffer.byteLength(JSON.stringify(env.services.store.current!.objectInfo));
    assert.ok(bytes > 20e6, `${bytes} bytes`);
    return `${env.services.store.current!.classCount} classes (${(bytes / 1e6).toFixed(1)} MB) loaded`;
  }),
);

test('10,000 history items', { timeout: 90_000 }, () =>
  scenario('10,000 history items', { mock: { faults: { syntheticHistory: 10_000 } } }, async (env) => {
    await connected(env);
    const model = new QueueModel(env.services.connection.client!);
    await model.reload();
    const first = model.history.length;
    assert.ok(first > 0 && first <= 200, `${first} entries on the first page`);
    assert.ok(model.hasMoreHistory);
    await model.loadMore();
    const more = model.history.length;
    assert.ok(more > first);
    return `first page ${first} entries, then ${more} after Load More`;
  }),
);

test('50 MB image', { timeout: 120_000 }, () =>
  scenario('50 MB image', { mock: { faults: { hugeImage: { width: 4200, height: 3800, noise: true } } } }, async (env) => {
    await connected(env);
    const doc = await openWorkflow(invert(14, 'huge'), 'huge.api.json');
    const [id] = await queueDoc(doc);
    const outcome = await waitFor(() => runOutcome('huge.api.json'), { timeoutMs: 60_000 });
    const client = env.services.connection.client!;
    const item = await client.getHistoryItem(id!);
    const image = (item!.outputs['3'] as { images: { filename: string; subfolder: string; type: string }[] }).images[0]!;
    const full = await client.view(image);
    assert.ok(full.bytes.length > 50e6, `${full.bytes.length} bytes`);
    // A caller with a smaller cap gets a typed, clear refusal instead of a half-read buffer.
    const capped = await client.view(image, { maxBytes: 16 * 1024 * 1024 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(isTooLargeError(capped), String(capped));
    return `${outcome}; ${(full.bytes.length / 1e6).toFixed(1)} MB fetched within the 64 MB /view cap; a 16 MB cap refuses: ${(capped as Error).message}`;
  }),
);

test('file names with ../ and HTML', { timeout: 90_000 }, () =>
  scenario('hostile file names', { mock: { faults: { hostileFilenames: true } } }, async (env) => {
    await connected(env);
    const doc = await openWorkflow(invert(15, 'hostile'), 'hostile.api.json');
    await queueDoc(doc);
    const outcome = await waitFor(() => runOutcome('hostile.api.json'), { timeoutMs: RUN_TIMEOUT });
    assert.doesNotMatch(outcome, /<script|<img/i);
    return outcome;
  }),
);
