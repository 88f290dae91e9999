// Issue 13 (untrusted input), the extension-host findings: Save stays inside the workspace (symlinks resolved,
// restricted setting), output files go to a private temp folder that follows no symlink.
import '../helpers/vscode-shim/register';
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shim, vscode } from '../helpers/vscode-shim/control';
import { nullLogger } from '../../src/core/util/logger';
import { ItemActions } from '../../src/vscode/preview/itemActions';
import { readSaveFolder } from '../../src/vscode/preview/previewService';
import { writeTempOutput } from '../../src/vscode/run/outputs';
import { NodeDefsStore } from '../../src/vscode/host/nodeDefsStore';
import { createQueueGuard } from '../../src/vscode/run/queueGuard';
import { registerQueueViewCommands } from '../../src/vscode/queueView/queueViewCommands';
import { unsafeNodeList } from '../../src/core/safety/unsafeNodes';
import { prepareNodeDefs } from '../../src/core/workflow/nodeDefs';
import { objectInfoFor } from '../../src/vscode/run/queueWorkflow';
import { registerPreviewFeatures } from '../../src/vscode/preview/index';
import type { ComfyMessage } from '../../src/core/comfy/messages';
import type { GalleryItem } from '../../src/shared/previewProtocol';

const scratch = mkdtempSync(join(tmpdir(), 'untrusted-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function fixture(name: string): { workspace: string; outside: string; source: string } {
  const base = join(scratch, name);
  const workspace = join(base, 'ws');
  const outside = join(base, 'outside');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(outside, { recursive: true });
  const source = join(base, 'cached.png');
  writeFileSync(source, 'PNGDATA');
  shim.reset();
  shim.state.workspaceFolders = [{ uri: vscode.Uri.file(workspace), name: 'ws', index: 0 }];
  return { workspace, outside, source };
}

const item = (filename: string, subfolder = ''): GalleryItem => ({ id: 'i1', filename, subfolder, type: 'output' }) as unknown as GalleryItem;

function actions(source: string, saveFolder: string): ItemActions {
  return new ItemActions({ fetchFull: async () => ({ path: source }) as never, settings: () => ({ saveFolder }), log: nullLogger });
}

test('finding 8: Save refuses a symlinked save folder that leads outside the workspace', async () => {
  const { workspace, outside, source } = fixture('symlink');
  symlinkSync(outside, join(workspace, 'outputs'));
  await assert.rejects(actions(source, 'outputs').save(item('a.png')), /outside the workspace/);
  assert.deepEqual(readdirSync(outside), [], 'nothing was written through the symlink');
});

test('finding 8: Save refuses an absolute save folder outside the workspace, writes inside it otherwise', async () => {
  const { workspace, outside, source } = fixture('absolute');
  await assert.rejects(actions(source, outside).save(item('a.png')), /outside the workspace/);
  assert.deepEqual(readdirSync(outside), []);
  const uri = await actions(source, join(workspace, 'saved')).save(item('a.png', 'sub'));
  assert.equal(uri?.fsPath, join(workspace, 'saved', 'sub', 'a.png'));
});

test('finding 8: a dangling symlink planted at the target name is not written through', async () => {
  const { workspace, outside, source } = fixture('dangling');
  mkdirSync(join(workspace, 'outputs'));
  symlinkSync(join(outside, 'victim.txt'), join(workspace, 'outputs', 'a.png'));
  const uri = await actions(source, 'outputs').save(item('a.png'));
  assert.equal(uri?.fsPath, join(workspace, 'outputs', 'a (1).png'));
  assert.equal(existsSync(join(outside, 'victim.txt')), false);
});

test('finding 8: saveFolder from an untrusted workspace is ignored (restricted setting)', () => {
  const config = {
    get: <T>() => '../../../etc' as unknown as T,
    inspect: <T>() => ({ key: 'comfyui.preview.saveFolder', defaultValue: 'comfyui-outputs' as T, workspaceValue: '../../../etc' as T }),
  } as unknown as Parameters<typeof readSaveFolder>[0];
  assert.equal(readSaveFolder(config, false), 'comfyui-outputs');
  assert.equal(readSaveFolder(config, true), '../../../etc');
});

test('finding 18: outputs go to a private (0700, unpredictable) temp folder and follow no planted symlink', async () => {
  const root = join(scratch, 'tmp');
  mkdirSync(root);
  // An attacker pre-creates the old predictable path with a symlink to a file of the victim.
  const victim = join(scratch, 'victim.txt');
  writeFileSync(victim, 'keep');
  mkdirSync(join(root, 'comfyui-outputs', 'p1'), { recursive: true });
  symlinkSync(victim, join(root, 'comfyui-outputs', 'p1', 'x.png'));
  const file = { filename: 'x.png', subfolder: '', type: 'output' };
  const target = await writeTempOutput('p1', file, new Uint8Array([1, 2, 3]), root);
  assert.equal(readFileSync(victim, 'utf8'), 'keep');
  assert.notEqual(target, join(root, 'comfyui-outputs', 'p1', 'x.png'));
  const dir = readdirSync(root).find((n) => n.startsWith('comfyui-outputs-'));
  assert.ok(dir, 'a mkdtemp folder');
  if (process.platform !== 'win32') assert.equal(statSync(join(root, dir)).mode & 0o777, 0o700);
  assert.deepEqual([...readFileSync(target)], [1, 2, 3]);
  // A symlink planted later inside our folder (same user) is replaced, not followed.
  rmSync(target);
  symlinkSync(victim, target);
  const again = await writeTempOutput('p1', file, new Uint8Array([4]), root);
  assert.equal(again, target);
  assert.equal(lstatSync(target).isSymbolicLink(), false);
  assert.equal(readFileSync(victim, 'utf8'), 'keep');
});

test('finding 21: a cache write still landing when the store is disposed and its folder removed is harmless', async () => {
  const storage = join(scratch, 'storage');
  mkdirSync(storage);
  const warnings: unknown[][] = [];
  const log = { ...nullLogger, warn: (...a: unknown[]) => void warnings.push(a) };
  const store = new NodeDefsStore(storage, log);
  const objectInfo = {
    KSampler: { input: { required: {} }, output: [], output_name: [], name: 'KSampler', display_name: 'KSampler', category: 'x', output_node: false },
  };
  await store.useServer('http://127.0.0.1:1', { getObjectInfo: async () => objectInfo, getSystemStats: async () => ({}) as never });
  const r = await store.refresh();
  assert.equal(r.ok, true);
  // Deactivation (the shim's context.dispose()) while the cache write is in flight: the folder goes away at once.
  const disposed = store.dispose();
  rmSync(storage, { recursive: true, force: true });
  assert.ok(disposed instanceof Promise, 'dispose() lets deactivation wait for the write');
  await disposed;
  assert.deepEqual(warnings, [], 'no "could not write" warning after deactivation');
  assert.equal(existsSync(storage), false, 'the late write did not re-create the storage folder');
});

test('finding 17: Queue Again from the history asks the unsafe-node question; declining sends nothing', async () => {
  shim.reset();
  const sent: unknown[] = [];
  const api = {
    queuePrompt: async (body: { prompt_id?: string }) => (sent.push(body), { prompt_id: body.prompt_id ?? 'x', number: 1, node_errors: {} }),
    getQueue: async () => ({ queue_running: [], queue_pending: [] }),
    getHistoryItem: async () => undefined,
  };
  const guard = createQueueGuard({ unsafeNodes: () => unsafeNodeList(), server: () => 'http://127.0.0.1:8188', trusted: () => true });
  const disposables = registerQueueViewCommands({
    model: {} as never,
    refresh: { schedule: () => {} } as never,
    monitor: { track: () => {} } as never,
    sources: { name: () => 'from-history.json', get: () => undefined, record: () => {} } as never,
    log: nullLogger as never,
    client: () => api as never,
    clientId: () => 'c1',
    selection: () => [],
    beforeQueue: guard,
  });
  try {
    const entry = {
      id: 'p1',
      status: 'success',
      number: 1,
      prompt: { '1': { class_type: 'Terminal', inputs: { command: 'id' } } },
      extraData: {},
      nodeCount: 1,
      outputs: [],
      errors: [],
    };
    shim.state.respond = () => undefined; // the user dismisses the modal question
    await vscode.commands.executeCommand('comfyui.queue.requeue', { kind: 'entry', entry });
    const asked = shim.state.messages.find((m) => m.modal);
    assert.ok(asked, 'a modal question was asked');
    assert.match(asked.message, /Terminal/);
    assert.deepEqual(sent, [], 'nothing was queued');
    shim.state.respond = (m) => (m.items.includes('Queue Anyway') ? 'Queue Anyway' : undefined);
    await vscode.commands.executeCommand('comfyui.queue.requeue', { kind: 'entry', entry });
    assert.equal(sent.length, 1, 'queued after "Queue Anyway"');
  } finally {
    for (const d of disposables) d.dispose();
  }
});

test("finding 5: the classes of a legacy group node's inner nodes are passed to the conversion", () => {
  const defs = prepareNodeDefs(JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'editor', 'object_info.json'), 'utf8')));
  const workflow = {
    nodes: [{ id: 10, type: 'workflow>MyGroup', inputs: [], outputs: [], widgets_values: [1, 20, 8, 'euler', 'normal', 1] }],
    links: [],
    extra: {
      groupNodes: {
        MyGroup: {
          nodes: [
            { index: 0, type: 'KSampler', inputs: [], outputs: [], widgets_values: [1, 'fixed', 20, 8, 'euler', 'normal', 1] },
            { index: 1, type: 'VAEDecode' },
          ],
          links: [],
          external: [],
        },
      },
    },
  };
  const info = objectInfoFor(workflow, defs);
  assert.deepEqual(Object.keys(info).sort(), ['KSampler', 'VAEDecode']);
});

test('finding 7: a flood of execution_start messages makes at most two GET /queue at a time, with no listener build-up', async () => {
  shim.reset();
  const ctx = shim.createExtensionContext();
  const messages = new vscode.EventEmitter<ComfyMessage>();
  let calls = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const release: (() => void)[] = [];
  const client = {
    getQueue: (opts: { signal?: AbortSignal }) => {
      calls++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise((resolve) => release.push(() => (inFlight--, resolve({ queue_running: [], queue_pending: [] })))).finally(() => void opts);
    },
  };
  const connection = {
    client,
    displayUrl: 'http://x',
    onMessage: messages.event,
    onPreview: new vscode.EventEmitter<never>().event,
    onDidChangeServer: new vscode.EventEmitter<unknown>().event,
  };
  const features = registerPreviewFeatures({
    connection: connection as never,
    extensionUri: ctx.extensionUri,
    storageUri: ctx.globalStorageUri,
    log: nullLogger,
    settings: () => ({ openOnRun: 'start', cacheSizeMB: 64, maxImageMB: 50, saveFolder: 'o' }),
    liveIntervalMs: 0,
  });
  try {
    for (let i = 0; i < 1000; i++) messages.fire({ type: 'execution_start', data: { prompt_id: `p${i}`, timestamp: i } } as ComfyMessage);
    assert.equal(calls, 1, 'one request while the first is in flight');
    release.shift()!();
    await new Promise((r) => setImmediate(r));
    assert.equal(calls, 2, 'then one more, for the latest prompt');
    release.shift()!();
    await new Promise((r) => setImmediate(r));
    assert.equal(calls, 2);
    assert.equal(maxInFlight, 1);
  } finally {
    features.dispose();
    ctx.dispose();
  }
});
