// The client and the queue features against both server generations: the mock as ComfyUI 0.3.64 (no /api/jobs; 405
// on an unknown POST route) and as 0.33 (/api/jobs, cross-site refusal), or once against a real server with
// COMFYUI_TEST_URL (whatever version it is). Only core nodes that need no model files are used.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ComfyClient } from '../../src/core/comfy/client';
import { newClientId, newPromptId } from '../../src/core/comfy/ids';
import { ComfySocket } from '../../src/core/comfy/socket';
import { cancelPrompt } from '../../src/core/queue/submit';
import { QueueModel } from '../../src/core/queue/queueModel';
import { getTestServer, TEST_SERVER_URL, type TestServer } from '../helpers/server';
import { blockerPrompt, collectRun, invertPrompt, nextMessage } from './clientHelpers';

const VERSIONS: Array<'0.3.64' | '0.33' | undefined> = TEST_SERVER_URL ? [undefined] : ['0.3.64', '0.33'];

for (const version of VERSIONS) {
  describe(version ? `against the mock as ComfyUI ${version}` : `against ${TEST_SERVER_URL}`, () => {
    let server: TestServer;
    let client: ComfyClient;
    let socket: ComfySocket;

    before(async () => {
      server = await getTestServer(version ? { comfyVersion: version, nodeDelayMs: 100 } : {});
      client = new ComfyClient({ baseUrl: server.url, timeoutMs: 30_000 });
      socket = ComfySocket.forClient(client, { clientId: newClientId() });
      await socket.whenOpen();
    });
    after(async () => {
      await socket?.close();
      await server?.close();
    });

    test('a fresh client finds out whether /api/jobs exists; cancelling an unknown prompt cancels nothing', async () => {
      const fresh = new ComfyClient({ baseUrl: server.url, timeoutMs: 30_000 });
      // The first jobs call is a cancel: on 0.3.64 that POST is answered 405, which must read as "no jobs API".
      const res = await fresh.cancelPrompt(newPromptId());
      const hasJobs = await fresh.hasJobsApi();
      if (version) assert.equal(hasJobs, version === '0.33');
      assert.deepEqual(res, { cancelled: false, via: hasJobs ? 'jobs-api' : 'none' });
      assert.equal(await fresh.getJob(newPromptId()).catch(() => undefined), undefined);
      const listing = await fresh.listJobs({ limit: 2 });
      assert.equal(listing.source, hasJobs ? 'jobs-api' : 'queue-history');
      assert.ok(listing.jobs.length <= 2);
    });

    test('a finished prompt: the same job through /api/jobs or /queue + /history, and it cannot be cancelled', async () => {
      const promptId = newPromptId();
      const run = collectRun(socket);
      run.setPromptId(promptId);
      await client.queuePrompt({ prompt: invertPrompt(8, 8, Date.now() % 0xffffff, 'cw_versions'), client_id: socket.clientId, prompt_id: promptId });
      await run.done;
      const listing = await client.listJobs({ status: ['completed'], limit: 50 });
      const job = listing.jobs.find((j) => j.id === promptId);
      assert.ok(job, `${promptId} in ${listing.source}`);
      assert.equal(job.status, 'completed');
      assert.equal(job.outputs_count, 1);
      if (listing.source === 'jobs-api') {
        const one = await client.getJob(promptId);
        assert.equal(one?.status, 'completed');
        assert.ok(one?.outputs && one.workflow?.prompt, 'a finished job carries its outputs and prompt');
      }
      assert.equal(await cancelPrompt(client, promptId), 'not-found');
      assert.equal((await client.cancelPrompt(promptId)).cancelled, false);
    });

    test('Cancel (core cancelPrompt) dequeues a pending prompt and interrupts a running one; the queue model follows', async () => {
      const running = newPromptId();
      const pending = newPromptId();
      const run = collectRun(socket);
      run.setPromptId(running);
      const started = nextMessage(socket, (m) => m.type === 'executing' && m.data.prompt_id === running && m.data.node !== null);
      await client.queuePrompt({ prompt: blockerPrompt(40), client_id: socket.clientId, prompt_id: running });
      await client.queuePrompt({ prompt: invertPrompt(8, 8, Date.now() % 0xffffff, 'cw_versions'), client_id: socket.clientId, prompt_id: pending });
      await started;

      const model = new QueueModel(client, { pageSize: 20, refreshWindow: 5 });
      await model.reload();
      assert.equal(model.offline, undefined);
      assert.deepEqual(
        model.running.map((e) => e.id),
        [running],
      );
      assert.ok(model.pending.some((e) => e.id === pending));

      assert.equal(await cancelPrompt(client, pending), 'dequeued');
      assert.equal(await cancelPrompt(client, running), 'interrupted');
      const msgs = await run.done;
      assert.ok(
        msgs.some((m) => m.type === 'execution_interrupted'),
        msgs.map((m) => m.type).join(),
      );

      await model.refresh();
      assert.deepEqual(model.running, []);
      assert.ok(!model.pending.some((e) => e.id === pending));
      assert.equal(model.history[0]?.id, running);
      assert.equal(model.history[0]?.status, 'interrupted');
      const listed = await client.listJobs({ status: ['cancelled'], limit: 5 });
      assert.ok(listed.jobs.some((j) => j.id === running));
    });

    test('nothing the client sends looks cross-site; a browser-marked cross-site request is refused by 0.33 only', async () => {
      // Everything above went through ComfyClient/ComfySocket: on 0.33 that already proves it. Check the rule is on.
      const res = await fetch(`${server.url}/system_stats`, { headers: { 'Sec-Fetch-Site': 'cross-site' } });
      await res.arrayBuffer();
      if (version) assert.equal(res.status, version === '0.33' ? 403 : 200);
      assert.equal(typeof (await client.getSystemStats()).system.comfyui_version, 'string');
      // A second socket, like a reconnect, is accepted too.
      const again = ComfySocket.forClient(client, { clientId: newClientId() });
      await again.whenOpen();
      await again.close();
    });
  });
}
