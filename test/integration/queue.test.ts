// Queueing from the editor against the mock server, through the vscode shim: queue → progress → history → outputs,
// cancelling a running and a pending prompt, a 400 turned into diagnostics in an API file and a UI file, an
// execution_error on its node, and seeds that follow their control mode.
import '../helpers/vscode-shim/register';
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shim, vscode } from '../helpers/vscode-shim/control';
import { waitUntil } from '../helpers/wait';
import { mockOnly, getTestServer, type TestServer } from '../helpers/server';
import { ServerConnection } from '../../src/vscode/host/connection';
import { startRunAndQueueView, type RunAndQueueView } from '../helpers/runAndQueueView';
import { prepareNodeDefs, type NodeDefs } from '../../src/core/workflow/nodeDefs';
import type { RunState } from '../../src/core/queue/runTracker';
import type { TreeNode } from '../../src/core/queue/treeModel';
import { REPO_ROOT } from '../helpers/shared';
import { nullLogger } from '../../src/core/util/logger';

const UI_TEXT = readFileSync(join(REPO_ROOT, 'test/fixtures/queue/txt2img.ui.json'), 'utf8');

function apiPrompt(overrides: { steps?: number; ckpt?: string; seed?: number; prefix?: string } = {}) {
  return {
    '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: overrides.ckpt ?? 'v1-5-pruned-emaonly.safetensors' } },
    '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
    '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a cat', clip: ['4', 1] } },
    '7': { class_type: 'CLIPTextEncode', inputs: { text: '', clip: ['4', 1] } },
    '3': {
      class_type: 'KSampler',
      inputs: {
        seed: overrides.seed ?? 1,
        steps: overrides.steps ?? 3,
        cfg: 8,
        sampler_name: 'euler',
        scheduler: 'normal',
        denoise: 1,
        model: ['4', 0],
        positive: ['6', 0],
        negative: ['7', 0],
        latent_image: ['5', 0],
      },
      _meta: { title: 'Sampler' },
    },
    '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
    '9': { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: overrides.prefix ?? 'vscode_api' } },
  };
}

const logLines: string[] = [];
const log = {
  ...nullLogger,
  info: (...a: unknown[]) => void logLines.push(a.map(String).join(' ')),
  warn: (...a: unknown[]) => void logLines.push(a.map(String).join(' ')),
  error: (...a: unknown[]) => void logLines.push(a.map(String).join(' ')),
  shown: 0,
  show() {
    this.shown++;
  },
};

let server: TestServer;
let connection: ServerConnection;
let features: RunAndQueueView;
let defs: NodeDefs;

function nextFinish(): Promise<RunState> {
  return new Promise((resolve) => {
    const sub = features.monitor.onDidFinish((f) => {
      sub.dispose();
      resolve(f.state);
    });
  });
}

function labels(nodes: TreeNode[]): string[] {
  return nodes.map((n) => {
    const d = features.tree.describe(n);
    return `${d.label} | ${d.description ?? ''} | ${d.contextValue}`;
  });
}

before(async () => {
  server = await getTestServer({ msPerStep: 30 });
});
after(async () => {
  await server?.close();
});

beforeEach(async () => {
  shim.reset();
  logLines.length = 0;
  connection = new ServerConnection({ logger: nullLogger, reconnect: { initialMs: 50, maxMs: 200 } });
  connection.setServer(server.url);
  defs = prepareNodeDefs(await connection.client!.getObjectInfo());
  features = startRunAndQueueView({ connection, defs: () => defs, log, refresh: { debounceMs: 20, pollMs: 200 }, pageSize: 50 });
  await waitUntil('the socket', () => connection.state === 'connected');
});
afterEach(async () => {
  features.dispose();
  connection.dispose();
  await server.mock?.idle();
});

test(
  'queue an API file: progress with node and steps, status bar, history entry with outputs, "Show Outputs"',
  { skip: mockOnly('slow sampler steps (msPerStep), for progress with step counts') },
  async () => {
    const doc = await shim.showDocument(JSON.stringify(apiPrompt({ steps: 8 }), null, 2), { path: '/workspace/portrait.json' });
    const finished = nextFinish();
    const reports: string[] = [];
    const sub = features.monitor.onDidUpdate((s) => reports.push(features.monitor.active.length ? String(s.status) : ''));
    const outcome = (await vscode.commands.executeCommand('comfyui.queueWorkflow')) as { promptIds: string[] };
    assert.equal(outcome.promptIds.length, 1);
    const id = outcome.promptIds[0]!;
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a canonical UUID prompt_id');

    // While it runs: the tree shows it as running, the status bar follows the sampler.
    await waitUntil('a running entry', () => features.model.running.some((e) => e.id === id) || features.model.history.some((e) => e.id === id));
    const state = await finished;
    sub.dispose();
    assert.equal(state.status, 'success');
    assert.ok(reports.includes('running'));

    const progress = shim.state.progress.at(-1)!;
    const messages = progress.reports.map((r) => (r as { message?: string }).message ?? '');
    assert.ok(
      messages.some((m) => /^Sampler \(\d\/7\) · step \d\/8/.test(m)),
      `progress shows the node title and steps: ${messages.join(' ‖ ')}`,
    );
    assert.ok(progress.done, 'the notification closes when the run ends');
    assert.equal(shim.statusBarItem('comfyui.run')?.visible, false);

    // History: the entry is labelled with the file name and has the saved image as a child.
    await waitUntil('the history entry', () => features.model.history[0]?.id === id);
    const [, , historyGroup] = features.provider.getChildren();
    const entries = features.provider.getChildren(historyGroup);
    assert.match(labels(entries)[0]!, /^portrait\.json \| done · .* · 7 nodes \| comfyui\.entry\.history\.success$/);
    const outputs = features.provider.getChildren(entries[0]);
    assert.deepEqual(labels(outputs), ['vscode_api_00001_.png |  | comfyui.output']);
    const item = features.provider.getTreeItem(outputs[0]!);
    assert.equal(item.command?.command, 'comfyui.queue.openOutput');

    // The end notification offers the outputs; without a preview panel the fallback opens a temp copy via /view.
    const done = await waitUntil('the end notification', () => shim.state.messages.find((m) => m.items.includes('Show Outputs')));
    assert.match(done.message, /^portrait\.json: Finished in .*, 1 output\(s\)\.$/);
    await vscode.commands.executeCommand('comfyui.queue.openOutput', outputs[0]);
    const opened = shim.state.executed.filter((e) => e.command === 'vscode.open').at(-1);
    assert.match(String((opened?.args[0] as { path: string }).path), /comfyui-outputs-[^/]+\/.*vscode_api_00001_\.png$/);
    void doc;
  },
);

test(
  'cancel a running prompt (targeted interrupt) and a pending one (queue delete)',
  { skip: mockOnly('slow sampler steps (msPerStep), to catch a prompt while it runs') },
  async () => {
    await shim.showDocument(JSON.stringify(apiPrompt({ steps: 400, prefix: 'slow' }), null, 2), { path: '/workspace/slow.json' });
    const r1 = (await vscode.commands.executeCommand('comfyui.queueWorkflowTimes', undefined, 2)) as { promptIds: string[] };
    assert.equal(r1.promptIds.length, 2);
    const [running, pending] = r1.promptIds as [string, string];
    await waitUntil('the first prompt running', () => features.monitor.active.find((r) => r.promptId === running && r.status === 'running'));
    await features.refresh.manual();
    const groups = features.provider.getChildren();
    const runNode = features.provider.getChildren(groups[0]).find((n) => n.kind === 'entry' && n.entry.id === running);
    const pendNode = features.provider.getChildren(groups[1]).find((n) => n.kind === 'entry' && n.entry.id === pending);
    assert.ok(runNode && pendNode, 'both appear in the tree');
    assert.equal(features.tree.describe(runNode).contextValue, 'comfyui.entry.running.running');
    assert.match(
      features.tree.describe(runNode).description ?? '',
      /^.+ \(\d\/7\)( · step \d+\/400)?( · \d cached)? · \d:\d\d · 7 nodes$/,
      'the running item shows live progress',
    );
    assert.equal(features.tree.describe(pendNode).contextValue, 'comfyui.entry.pending.pending');

    const ended: RunState[] = [];
    const sub = features.monitor.onDidFinish((f) => ended.push(f.state));
    await vscode.commands.executeCommand('comfyui.queue.cancel', pendNode);
    await vscode.commands.executeCommand('comfyui.queue.cancel', runNode);
    await waitUntil('both ends', () => ended.length === 2);
    sub.dispose();
    assert.deepEqual(
      ended.map((s) => [s.promptId, s.status]).sort(),
      [
        [pending, 'interrupted'],
        [running, 'interrupted'],
      ].sort(),
    );
    const client = connection.client!;
    const queue = await client.getQueue();
    assert.equal(queue.queue_pending.length + queue.queue_running.length, 0);
    const h = await client.getHistoryItem(running);
    assert.ok(
      h?.status?.messages.some((m) => m[0] === 'execution_interrupted'),
      'the running one was interrupted',
    );
    assert.equal(await client.getHistoryItem(pending), undefined, 'the pending one never ran');
    await waitUntil('the tree to show the interrupt', async () => {
      await features.refresh.manual();
      return features.model.history.find((e) => e.id === running)?.status === 'interrupted';
    });
  },
);

test('a 400 becomes diagnostics on the exact inputs of an API file (after "Queue Anyway")', async () => {
  const text = JSON.stringify(apiPrompt({ steps: -5, ckpt: 'missing.safetensors' }), null, 2);
  const doc = await shim.showDocument(text, { path: '/workspace/bad.json' });
  shim.state.respond = (m) => (m.items.includes('Queue Anyway') ? 'Queue Anyway' : undefined);
  const outcome = (await vscode.commands.executeCommand('comfyui.queueWorkflow')) as { promptIds: string[]; stopped?: string };
  assert.deepEqual(outcome, { promptIds: [], stopped: 'server-rejected' });
  assert.ok(
    shim.state.messages.some((m) => m.items.includes('Queue Anyway')),
    'the local check warned first',
  );
  const diags = features.diagnostics.collection.get(doc.uri) ?? [];
  const got = diags.map((d) => [d.source, d.code, doc.getText(d.range)]).sort();
  assert.deepEqual(got, [
    ['comfyui-server', 'value_not_in_list', '"missing.safetensors"'],
    ['comfyui-server', 'value_smaller_than_min', '-5'],
  ]);
  assert.match(shim.lastMessage()!.message, /rejected bad\.json/);

  // Editing that spot removes its diagnostic; the other one stays where it is.
  const at = doc.getText().indexOf('-5');
  shim.edit(doc, at, 2, '5');
  assert.deepEqual(
    (features.diagnostics.collection.get(doc.uri) ?? []).map((d) => doc.getText(d.range)),
    ['"missing.safetensors"'],
  );
  // A successful queue clears the rest.
  shim.setText(doc, JSON.stringify(apiPrompt({ steps: 2 }), null, 2));
  const finished = nextFinish();
  const ok = (await vscode.commands.executeCommand('comfyui.queueWorkflow')) as { promptIds: string[] };
  assert.equal(ok.promptIds.length, 1);
  assert.equal((features.diagnostics.collection.get(doc.uri) ?? []).length, 0);
  await finished;
});

test(
  'local problems: "Show Problems" opens the Problems panel and queues nothing',
  { skip: mockOnly('fixture definitions (the local check needs them)') },
  async () => {
    await shim.showDocument(JSON.stringify(apiPrompt({ steps: -5 }), null, 2), { path: '/workspace/local.json' });
    shim.state.respond = (m) => (m.items.includes('Show Problems') ? 'Show Problems' : undefined);
    const before = (await connection.client!.getHistory({})) as object;
    const outcome = (await vscode.commands.executeCommand('comfyui.queueWorkflow')) as { promptIds: string[]; stopped?: string };
    assert.deepEqual(outcome, { promptIds: [], stopped: 'local-problems' });
    assert.ok(shim.state.executed.some((e) => e.command === 'workbench.actions.view.problems'));
    const queue = await connection.client!.getQueue();
    assert.equal(queue.queue_pending.length + queue.queue_running.length, 0);
    assert.equal(Object.keys(await connection.client!.getHistory({})).length, Object.keys(before).length);
  },
);

test('a 400 for a UI file lands on the widget value through the conversion source map', async () => {
  const bad = UI_TEXT.replace('"widgets_values": [156680208700286, "randomize", 3,', '"widgets_values": [156680208700286, "randomize", -5,');
  assert.notEqual(bad, UI_TEXT);
  const doc = await shim.showDocument(bad, { path: '/workspace/graph.json' });
  shim.state.respond = (m) => (m.items.includes('Queue Anyway') ? 'Queue Anyway' : undefined);
  const outcome = (await vscode.commands.executeCommand('comfyui.queueWorkflow')) as { stopped?: string };
  assert.equal(outcome.stopped, 'server-rejected');
  assert.ok(
    shim.state.messages.some((m) => /graph\.json has 1 problem/.test(m.message)),
    'the local check of the UI file warned first',
  );
  const diags = features.diagnostics.collection.get(doc.uri) ?? [];
  assert.equal(diags.length, 1);
  assert.equal(diags[0]!.code, 'value_smaller_than_min');
  assert.equal(doc.getText(diags[0]!.range), '-5');
  const line = doc.lineAt(diags[0]!.range.start.line).text;
  assert.match(line, /"widgets_values": \[156680208700286, "randomize", -5,/);
});

test(
  'execution_error: a diagnostic on the failing node, the traceback in the log, "Show Traceback"',
  { skip: mockOnly('failClasses fault (a node that fails at run time)') },
  async () => {
    server.mock!.setFaults({ failClasses: { VAEDecode: { message: 'out of memory', type: 'torch.OutOfMemoryError' } } });
    try {
      const doc = await shim.showDocument(JSON.stringify(apiPrompt({ steps: 1, prefix: 'err' }), null, 2), { path: '/workspace/oom.json' });
      shim.state.respond = (m) => (m.items.includes('Show Traceback') ? 'Show Traceback' : undefined);
      const finished = nextFinish();
      await vscode.commands.executeCommand('comfyui.queueWorkflow');
      const state = await finished;
      assert.equal(state.status, 'error');
      assert.equal(state.failure?.nodeId, '8');
      const diag = await waitUntil('the runtime diagnostic', () => (features.diagnostics.collection.get(doc.uri) ?? [])[0]);
      assert.equal(diag.code, 'execution_error');
      assert.equal(doc.getText(diag.range), '"8"');
      assert.match(diag.message, /out of memory/);
      await waitUntil('the traceback', () => log.shown > 0);
      assert.ok(logLines.some((l) => l.includes('failed in node #8 (VAEDecode)')));
      assert.ok(shim.state.messages.some((m) => /oom\.json failed in node #8/.test(m.message)));
      // The failed run's tree entry lists the node error as a child.
      await waitUntil('the failed entry', async () => {
        await features.refresh.manual();
        return features.model.history.find((e) => e.id === state.promptId)?.status === 'error';
      });
      const [, , hist] = features.provider.getChildren();
      const entry = features.provider.getChildren(hist).find((n) => n.kind === 'entry' && n.entry.id === state.promptId)!;
      assert.deepEqual(labels(features.provider.getChildren(entry)), ['#8 VAEDecode | out of memory | comfyui.nodeError']);
    } finally {
      server.mock!.setFaults({});
    }
  },
);

test('Queue N times on a UI file: seeds follow "randomize", the workflow is attached, the file gets the next seed', async () => {
  const doc = await shim.showDocument(UI_TEXT, { path: '/workspace/seeds.json' });
  const ends: RunState[] = [];
  const sub = features.monitor.onDidFinish((f) => ends.push(f.state));
  const outcome = (await vscode.commands.executeCommand('comfyui.queueWorkflowTimes', undefined, 3)) as { promptIds: string[] };
  assert.equal(outcome.promptIds.length, 3);
  await waitUntil('three runs', () => ends.length === 3, 20_000);
  sub.dispose();
  const client = connection.client!;
  const items = await Promise.all(outcome.promptIds.map((id) => client.getHistoryItem(id)));
  const seeds = items.map((h) => (h!.prompt[2]['3']!.inputs as { seed: number }).seed);
  assert.equal(seeds[0], 156680208700286, 'the first run uses the value in the file');
  assert.equal(new Set(seeds).size, 3, `each run got its own seed: ${seeds}`);
  assert.ok(items.every((h) => (h!.prompt[3] as { extra_pnginfo?: { workflow?: { nodes?: unknown[] } } }).extra_pnginfo?.workflow?.nodes?.length === 7));
  const newSeed = JSON.parse(doc.getText()).nodes[0].widgets_values[0];
  assert.ok(!seeds.includes(newSeed) && Number.isSafeInteger(newSeed), 'the file now holds the seed for the next run');
  assert.equal(doc.getText().replace(String(newSeed), '156680208700286'), UI_TEXT, 'only the seed literal changed');
});
