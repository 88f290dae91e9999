// RunMonitor with a scripted connection: messages that arrive before POST /prompt answered are replayed, the status
// bar and the notification follow the run, and the end of a run is read from /history when the socket is down.
import '../helpers/vscode-shim/register';
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { shim } from '../helpers/vscode-shim/control';
import { runMonitorFixture } from '../helpers/runMonitor';

const prompt = { '1': { class_type: 'EmptyImage', inputs: {} }, '2': { class_type: 'SaveImage', inputs: { images: ['1', 0] }, _meta: { title: 'Save' } } };

const setup = (state = 'connected') => runMonitorFixture({ state });

beforeEach(() => shim.reset());

test('a run that finished before POST /prompt answered is still reported', async () => {
  const { monitor, api, send, ended } = setup();
  send('execution_start', { prompt_id: 'p1' });
  send('execution_cached', { prompt_id: 'p1', nodes: ['1', '2'] });
  send('executed', { prompt_id: 'p1', node: '2', output: { images: [{ filename: 'a.png', subfolder: '', type: 'output' }] } });
  send('execution_success', { prompt_id: 'p1' });
  monitor.track('p1', prompt, api);
  assert.deepEqual(
    ended.map((s) => [s.promptId, s.status, s.cachedNodes.length, s.outputs.length]),
    [['p1', 'success', 2, 1]],
  );
  assert.equal(monitor.active.length, 0);
  monitor.dispose();
});

test('status bar and notification follow the current node; the end closes both', async () => {
  const { monitor, api, send, ended } = setup();
  monitor.track('p2', prompt, api);
  send('execution_start', { prompt_id: 'p2' });
  send('executing', { prompt_id: 'p2', node: '2' });
  send('progress', { prompt_id: 'p2', node: '2', value: 3, max: 10 });
  const item = shim.statusBarItem('comfyui.run')!;
  assert.equal(item.visible, true);
  assert.equal(shim.state.context.get('comfyui.runActive'), true);
  assert.match(item.text, /^\$\(sync~spin\) Save \(1\/2\) · step 3\/10 · 0:0\d$/);
  assert.equal(item.command, 'comfyui.cancelRun');
  const progress = shim.state.progress.at(-1)!;
  assert.match(String((progress.reports.at(-1) as { message: string }).message), /Save \(1\/2\) · step 3\/10/);
  send('execution_success', { prompt_id: 'p2' });
  assert.equal(ended.length, 1);
  assert.equal(item.visible, false);
  assert.equal(shim.state.context.get('comfyui.runActive'), false);
  await new Promise((r) => setImmediate(r));
  assert.equal(progress.done, true);
  monitor.dispose();
});

test('cancelling from the notification dequeues a pending prompt and ends it as interrupted', async () => {
  const { monitor, api, ended } = setup();
  await api.queuePrompt({ prompt, prompt_id: 'p3' });
  monitor.track('p3', prompt, api);
  const finished = new Promise((resolve) => monitor.onDidFinish(resolve));
  shim.state.progress.at(-1)!.source.cancel();
  await finished;
  assert.deepEqual(
    api.calls.filter((c) => c.startsWith('delete')),
    ['deleteFromQueue(p3)'],
  );
  assert.deepEqual(
    ended.map((s) => s.status),
    ['interrupted'],
  );
  monitor.dispose();
});

test('without a socket, the end of a run comes from /history', async () => {
  const { monitor, api, ended } = setup('offline');
  await api.queuePrompt({ prompt, prompt_id: 'p4' });
  monitor.track('p4', prompt, api);
  api.start('p4');
  api.finish('error');
  await monitor.pollOnce();
  assert.deepEqual(
    ended.map((s) => [s.status, s.failure?.message]),
    [['error', 'boom']],
  );
  monitor.dispose();
});
