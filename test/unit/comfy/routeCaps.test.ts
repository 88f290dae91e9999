// Issue 13, finding 13: per-route response caps. The polled /queue (and every small route) refuses a huge answer
// long before the client-wide 256 MB cap; /object_info keeps the full cap; the message names no setting.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ComfyClient, routeCap } from '../../../src/core/comfy/client';
import { ComfyTooLargeError } from '../../../src/core/comfy/errors';
import { startLocalServer, type LocalServer } from './localServer';

let server: LocalServer;
before(async () => {
  server = await startLocalServer();
});
after(() => server.close());

test('a /queue answer declaring 40 MB is refused by its own cap, with a message that names no setting', async () => {
  server.handle((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(40 * 1024 * 1024) });
    res.write('{"queue_running": [');
    // The rest never comes: the client must refuse on the declared length, not wait for it.
    setTimeout(() => res.destroy(), 2000).unref();
  });
  const client = new ComfyClient({ baseUrl: server.url, timeoutMs: 10_000 });
  const error = await client.getQueue().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof ComfyTooLargeError, String(error));
  assert.equal(error.limitBytes, 32 * 1024 * 1024);
  assert.doesNotMatch(error.message, /raise|setting|comfyui\./i);
});

test('route caps: big routes keep the client cap, small routes get a few MB, none exceed maxJsonBytes', () => {
  const MB = 1024 * 1024;
  const max = 256 * MB;
  assert.equal(routeCap('object_info', max), max);
  assert.equal(routeCap('history', max), max);
  assert.equal(routeCap('queue', max), 32 * MB);
  assert.equal(routeCap('system_stats', max), 8 * MB);
  assert.equal(routeCap('embeddings', max), 8 * MB);
  assert.equal(routeCap('prompt', max), 8 * MB);
  assert.equal(routeCap('queue', 1 * MB), 1 * MB);
});
