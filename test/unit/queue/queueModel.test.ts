import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HistoryPager, probeHistoryLength } from '../../../src/core/queue/historyPager';
import { QueueModel } from '../../../src/core/queue/queueModel';
import { QueueTreeModel, type TreeNode } from '../../../src/core/queue/treeModel';
import { entryFromHistory } from '../../../src/core/queue/entries';
import { ComfyUnreachableError } from '../../../src/core/comfy/errors';
import { FakeJobsQueueApi, FakeQueueApi, historyItem } from './fakeApi';

test('probeHistoryLength finds the exact length with logarithmically many requests', async () => {
  for (const n of [0, 1, 2, 3, 99, 100, 101, 10_000]) {
    const api = new FakeQueueApi();
    api.addHistory(n);
    assert.equal(await probeHistoryLength(api, 0), n, `n=${n}`);
    assert.equal(await probeHistoryLength(api, Math.min(n, 37)), n, `n=${n} with a lower bound`);
    assert.equal(await probeHistoryLength(api, n + 5), n, `n=${n} with a wrong bound`);
  }
  const api = new FakeQueueApi();
  api.addHistory(10_000);
  await probeHistoryLength(api, 100);
  assert.ok(api.calls.length <= 30, `${api.calls.length} probes`);
});

test('HistoryPager pages newest first through all entries, without duplicates or gaps', async () => {
  const api = new FakeQueueApi();
  api.addHistory(250);
  const pager = new HistoryPager(api, 100);
  const first = await pager.newest();
  assert.equal(first.items[0]![0], 'h249');
  assert.equal(first.items.length, 100);
  assert.equal(first.hasMore, true);
  const ids = first.items.map(([id]) => id);
  let page = first;
  while (page.hasMore) {
    pager.setLoaded(ids.length, ids[ids.length - 1]);
    page = await pager.older();
    ids.push(...page.items.map(([id]) => id));
  }
  assert.deepEqual(
    ids,
    Array.from({ length: 250 }, (_, i) => `h${249 - i}`),
  );
});

test('HistoryPager survives new runs and deletions between pages', async () => {
  const api = new FakeQueueApi();
  api.addHistory(300);
  const pager = new HistoryPager(api, 100);
  const ids = (await pager.newest()).items.map(([id]) => id); // h299..h200
  pager.setLoaded(ids.length, ids[ids.length - 1]);
  ids.push(...(await pager.older()).items.map(([id]) => id)); // h199..h100
  // Meanwhile: two new runs (appended), and someone deletes 5 old entries below our window (shifts the offsets).
  api.addHistory(2, 300);
  for (let i = 10; i < 15; i++) api.history.delete(`h${i}`);
  pager.setLoaded(ids.length, ids[ids.length - 1]);
  const page = await pager.older();
  const got = page.items.map(([id]) => id);
  assert.equal(got[0], 'h99', 'continues right below the oldest entry we hold');
  assert.ok(!got.some((id) => ids.includes(id)));
});

test('QueueModel: reload, incremental refresh, load more, and local deletes', async () => {
  const api = new FakeQueueApi();
  api.addHistory(250);
  const model = new QueueModel(api, { pageSize: 100, refreshWindow: 10 });
  const changes: string[][] = [];
  model.onDidChange((c) => changes.push([...c.groups].sort()));
  await model.reload();
  assert.equal(model.history.length, 100);
  assert.equal(model.hasMoreHistory, true);
  // The first load also redraws the root, where the view shows its "Loading…" placeholder until then.
  assert.deepEqual(changes.pop(), ['history', 'pending', 'root', 'running']);
  await model.reload();
  assert.deepEqual(changes.pop(), ['history', 'pending', 'running'], 'later loads leave the root alone');

  // A new prompt is queued, runs and finishes: each refresh touches only what changed.
  await api.queuePrompt({ prompt: { '1': { class_type: 'EmptyImage', inputs: {} } }, prompt_id: 'new1' });
  await model.refresh();
  assert.deepEqual(changes.pop(), ['pending']);
  api.start('new1');
  await model.refresh();
  assert.deepEqual(changes.pop(), ['pending', 'running']);
  assert.equal(model.running[0]!.id, 'new1');
  api.finish();
  await model.refresh();
  assert.deepEqual(changes.pop(), ['history', 'running']);
  assert.equal(model.history[0]!.id, 'new1');
  assert.equal(model.history.length, 101);
  const callsBefore = api.calls.length;
  await model.refresh();
  assert.equal(changes.length, 0, 'a refresh without news fires no change');
  assert.deepEqual(api.calls.slice(callsBefore), ['getQueue', 'getHistory(10,)'], 'a refresh reads only /queue and a small window');

  await model.loadMore();
  await model.loadMore();
  assert.equal(model.history.length, 251);
  assert.equal(model.hasMoreHistory, false);
  assert.equal(new Set(model.history.map((e) => e.id)).size, 251);
  assert.equal(model.history[250]!.id, 'h0');

  model.forgetHistory(['h5']);
  assert.equal(model.entry('h5'), undefined);
  assert.equal(model.history.length, 250);
});

test('QueueModel: a run that finished between the parallel /queue and /history reads shows once, in history', async () => {
  const api = new FakeQueueApi();
  api.addHistory(3);
  const model = new QueueModel(api, { pageSize: 20, refreshWindow: 5 });
  await model.reload();
  await api.queuePrompt({ prompt: { '1': { class_type: 'EmptyImage', inputs: {} } }, prompt_id: 'slow' });
  api.start('slow');
  await model.refresh();
  assert.equal(model.running[0]?.id, 'slow');
  // /queue answers while the run is still going; the interrupt lands before /history answers.
  const getHistory = api.getHistory.bind(api);
  api.getHistory = async (q) => {
    api.finish('interrupted');
    return getHistory(q);
  };
  await model.refresh();
  assert.equal(model.history[0]?.id, 'slow');
  assert.deepEqual(model.running, [], 'the stale /queue copy of a finished run is dropped');
  api.getHistory = getHistory;
  await model.reload();
  assert.deepEqual(model.running, []);
  assert.equal(model.history.filter((e) => e.id === 'slow').length, 1);
});

test('QueueModel: more new runs than the refresh window reload the first page', async () => {
  const api = new FakeQueueApi();
  api.addHistory(50);
  const model = new QueueModel(api, { pageSize: 20, refreshWindow: 5 });
  await model.reload();
  api.addHistory(30, 50);
  await model.refresh();
  assert.deepEqual(
    model.history.slice(0, 3).map((e) => e.id),
    ['h79', 'h78', 'h77'],
  );
  assert.equal(model.history.length, 20);
});

test('QueueModel with the jobs API (0.33): refreshes list ids and read only new entries; paging needs no probes', async () => {
  const api = new FakeJobsQueueApi();
  api.addHistory(250);
  const model = new QueueModel(api, { pageSize: 100, refreshWindow: 10 });
  await model.reload();
  assert.equal(model.history[0]!.id, 'h249');

  await api.queuePrompt({ prompt: { '1': { class_type: 'EmptyImage', inputs: {} } }, prompt_id: 'new1' });
  api.start('new1');
  api.finish();
  const before = api.calls.length;
  await model.refresh();
  assert.equal(model.history[0]!.id, 'new1');
  assert.equal(model.history[0]!.status, 'success');
  assert.equal(model.history.length, 101);
  assert.deepEqual(
    api.calls
      .slice(before)
      .filter((c) => c !== 'hasJobsApi')
      .sort(),
    ['getHistoryItem', 'getJobs(completed|failed|cancelled,10)', 'getQueue'].sort(),
  );
  const quiet = api.calls.length;
  await model.refresh();
  assert.ok(!api.calls.slice(quiet).some((c) => c.startsWith('getHistory')), 'nothing new: no history read at all');

  const probes = api.calls.length;
  await model.loadMore();
  await model.loadMore();
  assert.equal(model.history.length, 251);
  assert.equal(model.hasMoreHistory, false);
  assert.equal(new Set(model.history.map((e) => e.id)).size, 251);
  assert.ok(
    !api.calls.slice(probes).some((c) => c === 'getHistory(1,' || /^getHistory\(1,\d+\)$/.test(c)),
    'the length comes from the jobs total, not from probing',
  );

  // More new runs than the window: the first page is reloaded, as without the jobs API.
  api.addHistory(30, 300);
  await model.refresh();
  assert.equal(model.history[0]!.id, 'h329');
  assert.equal(model.history.length, 100);
  // History cleared elsewhere.
  await api.clearHistory();
  await model.refresh();
  assert.equal(model.history.length, 0);
});

test('QueueModel goes offline on connection errors and back online on the next success', async () => {
  const api = new FakeQueueApi();
  const model = new QueueModel(api);
  api.failQueue = new ComfyUnreachableError('http://127.0.0.1:1/queue', 'refused', 'ECONNREFUSED');
  await model.reload();
  assert.match(model.offline ?? '', /refused the connection/);
  const tree = new QueueTreeModel(model);
  assert.deepEqual(
    tree.roots().map((n) => n.kind),
    ['offline'],
  );
  assert.equal(tree.describe(tree.roots()[0]!).label, 'Server offline');
  assert.equal(tree.describe(tree.roots()[0]!).command?.command, 'comfyui.queue.refresh');
  api.failQueue = undefined;
  await model.reload();
  assert.equal(model.offline, undefined);
  assert.deepEqual(
    tree.roots().map((n) => n.kind),
    ['group', 'group', 'group'],
  );
});

test('entryFromHistory: status, timestamps, outputs and errors (interrupt recorded as status_str error)', () => {
  const ok = entryFromHistory('a', historyItem('a', 1, { t: 1000 }));
  assert.equal(ok.status, 'success');
  assert.equal(ok.startedAt, 1000);
  assert.equal(ok.endedAt, 1500);
  assert.deepEqual(ok.outputs, [{ nodeId: '2', kind: 'images', filename: 'run1_00001_.png', subfolder: '', type: 'output' }]);
  const bad = entryFromHistory('b', historyItem('b', 2, { status: 'error' }));
  assert.equal(bad.status, 'error');
  assert.deepEqual(
    bad.errors.map((e) => [e.nodeId, e.message, e.exceptionType]),
    [['2', 'boom', 'RuntimeError']],
  );
  assert.equal(entryFromHistory('c', historyItem('c', 3, { status: 'interrupted' })).status, 'interrupted');
  assert.equal(entryFromHistory('d', {} as never).status, 'unknown', 'malformed items do not throw');
});

test('tree contents: groups, items with label/description/icon/context, children, load more', async () => {
  const api = new FakeQueueApi();
  api.addHistory(3);
  api.history.set('bad', historyItem('bad', 3, { status: 'error' }));
  const model = new QueueModel(api, { pageSize: 3 });
  await api.queuePrompt({
    prompt: { '1': { class_type: 'EmptyImage', inputs: {} } },
    prompt_id: 'run',
    extra_data: { extra_pnginfo: { workflow: { nodes: [] } } },
  });
  await api.queuePrompt({ prompt: { '1': { class_type: 'EmptyImage', inputs: {} } }, prompt_id: 'wait' });
  api.start('run');
  await model.reload();
  const tree = new QueueTreeModel(
    model,
    (id) => (id === 'run' ? 'portrait.json' : undefined),
    () => 0,
  );
  const show = (n: TreeNode) => {
    const d = tree.describe(n);
    return [d.id, d.label, d.description ?? '', d.icon?.id ?? '', d.contextValue, d.collapsible].join(' | ');
  };
  const groups = tree.children();
  assert.deepEqual(groups.map(show), [
    'group:running | Running | 1 | play-circle | comfyui.group.running.nonEmpty | expanded',
    'group:pending | Pending | 1 | clock | comfyui.group.pending.nonEmpty | expanded',
    'group:history | History | 3+ | history | comfyui.group.history.nonEmpty | expanded',
  ]);
  assert.deepEqual(tree.children(groups[0]).map(show), [
    'running:run | portrait.json | running · 1 node | sync~spin | comfyui.entry.running.running.workflow | none',
  ]);
  assert.deepEqual(tree.children(groups[1]).map(show), ['pending:wait | EmptyImage | pending · 1 node | clock | comfyui.entry.pending.pending | none']);
  const hist = tree.children(groups[2]);
  assert.deepEqual(hist.map(show), [
    'history:bad | run3 | failed · 400 ms · 2 nodes | error | comfyui.entry.history.error | collapsed',
    'history:h2 | run2 | done · 500 ms · 2 nodes | pass | comfyui.entry.history.success | collapsed',
    'history:h1 | run1 | done · 500 ms · 2 nodes | pass | comfyui.entry.history.success | collapsed',
    'history:loadMore | Load more… |  | more | comfyui.loadMore | none',
  ]);
  assert.deepEqual(tree.children(hist[0]).map(show), ['error:bad:0 | #2 SaveImage | boom | error | comfyui.nodeError | none']);
  const out = tree.children(hist[1]);
  assert.deepEqual(out.map(show), ['output:h2:0 | run2_00001_.png |  | file-media | comfyui.output | none']);
  assert.equal(tree.describe(out[0]!).command?.command, 'comfyui.queue.openOutput');
  assert.match(tree.describe(hist[1]!).tooltip ?? '', /Prompt h2\n.*\n.*\nStarted: 2023/);
  // Stable node objects: the same entry yields the same node, so a provider can refresh precisely.
  assert.equal(tree.children(groups[2])[1], hist[1]);
});
