// Error classification of the HTTP client against a loopback server: every failure mode maps to one typed error
// with an actionable message, and no secret ever reaches a message.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ComfyClient } from '../../../src/core/comfy/client';
import {
  ComfyAbortError,
  ComfyConfigError,
  ComfyHttpError,
  ComfyProtocolError,
  ComfyTimeoutError,
  ComfyTooLargeError,
  ComfyUnreachableError,
  isCancellation,
  isComfyError,
  isPromptValidationError,
  isTransient,
} from '../../../src/core/comfy/errors';
import { freePort, json, startLocalServer, type LocalServer } from './localServer';

let server: LocalServer;
before(async () => {
  server = await startLocalServer();
});
after(() => server.close());

const SECRET = 's3cr3t-t0ken-value';

function client(extra: Partial<ConstructorParameters<typeof ComfyClient>[0]> = {}): ComfyClient {
  return new ComfyClient({ baseUrl: server.url, timeoutMs: 5000, ...extra });
}

function assertOneSentence(message: string): void {
  assert.match(message, /^[A-Z].*[.?]$/s, message);
  assert.doesNotMatch(message, /\n/, message);
}

test('a refused connection is ComfyUnreachableError(refused) naming the URL', async () => {
  const port = await freePort();
  const c = new ComfyClient({ baseUrl: `http://127.0.0.1:${port}/prefix/` });
  const err = await c.getQueue().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof ComfyUnreachableError, String(err));
  assert.equal(err.reason, 'refused');
  assert.equal(err.code, 'ECONNREFUSED');
  assert.equal(err.url, `http://127.0.0.1:${port}/prefix/queue`);
  assert.match(err.message, /refused the connection/);
  assert.ok(err.message.includes(`127.0.0.1:${port}`));
  assertOneSentence(err.message);
  assert.ok(isTransient(err));
  assert.ok(!isCancellation(err));
});

test('an unresolvable host is ComfyUnreachableError(dns)', async () => {
  const c = new ComfyClient({ baseUrl: 'http://comfyui.invalid:8188' });
  const err = await c.getQueue().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof ComfyUnreachableError, String(err));
  // Sandboxes without DNS report EAI_AGAIN instead of ENOTFOUND; both are name-resolution failures.
  assert.equal(err.reason, 'dns', `code ${err.code}`);
  assertOneSentence(err.message);
});

test('a connection reset before any answer is ComfyUnreachableError(reset)', async () => {
  server.handle((req) => req.socket.destroy());
  const err = await client()
    .getQueue()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(err instanceof ComfyUnreachableError, String(err));
  assert.ok(err.reason === 'reset' || err.reason === 'closed', err.reason);
  assertOneSentence(err.message);
});

test('a 500 with an HTML body is ComfyHttpError without the HTML in the message', async () => {
  server.handle((_req, res) => {
    res.writeHead(500, { 'content-type': 'text/html' });
    res.end('<!doctype html><html><body><h1>Internal Server Error</h1><p>lots of markup</p></body></html>');
  });
  const err = await client()
    .getObjectInfo()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(err instanceof ComfyHttpError, String(err));
  assert.equal(err.status, 500);
  assert.equal(err.method, 'GET');
  assert.equal(typeof err.body, 'string');
  assert.doesNotMatch(err.message, /<html|markup/);
  assert.match(err.message, /HTTP 500 \(an HTML page\).*server log/);
  assertOneSentence(err.message);
});

test("a 500 text body like ComfyUI's own is summarized", async () => {
  server.handle((_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('500 Internal Server Error\n\nServer got itself in trouble');
  });
  const err = await client()
    .getHistory({ maxItems: 1 })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(err instanceof ComfyHttpError);
  assert.match(err.message, /HTTP 500 \(500 Internal Server Error Server got itself in trouble\)/);
});

test('a 200 HTML page where JSON was due (proxy login page) is ComfyProtocolError', async () => {
  server.handle((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<html><body>Please log in</body></html>');
  });
  const err = await client()
    .getObjectInfo()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(err instanceof ComfyProtocolError, String(err));
  assert.match(err.detail, /HTML page/);
  assert.match(err.message, /not at a proxy or login page/);
  assertOneSentence(err.message);
});

test('truncated JSON is ComfyProtocolError', async () => {
  server.handle((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"KSampler": {"input": {"required": {"seed": ["INT", {"default": 0');
  });
  const err = await client()
    .getObjectInfo()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(err instanceof ComfyProtocolError, String(err));
  assert.match(err.detail, /truncated or malformed JSON/);
});

test('a body cut off mid-transfer (declared length not reached) is not reported as success', async () => {
  server.handle((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    res.write('{"queue_running": [');
    setTimeout(() => res.socket?.destroy(), 20);
  });
  const err = await client()
    .getQueue()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(isComfyError(err), String(err));
  assert.ok(err instanceof ComfyUnreachableError || err instanceof ComfyProtocolError, err.constructor.name);
});

test('JSON of the wrong shape is ComfyProtocolError', async () => {
  server.handle((_req, res) => json(res, 200, ['not', 'a', 'queue']));
  const err = await client()
    .getQueue()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(err instanceof ComfyProtocolError, String(err));
  assert.match(err.detail, /unexpected answer to GET \/queue \(an array of 3\)/);
});

test('a server that never answers yields ComfyTimeoutError with the budget in the message', async () => {
  server.handle(() => {
    /* never respond */
  });
  const err = await client()
    .getQueue({ timeoutMs: 150 })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(err instanceof ComfyTimeoutError, String(err));
  assert.equal(err.timeoutMs, 150);
  assert.match(err.message, /did not answer within 150 ms/);
  assert.ok(isTransient(err));
  assertOneSentence(err.message);
});

test('a body that stalls after the headers also times out', async () => {
  server.handle((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"queue_running": [], ');
  });
  const err = await client()
    .getQueue({ timeoutMs: 150 })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(err instanceof ComfyTimeoutError, String(err));
});

test('aborting while waiting is ComfyAbortError, recognized by isCancellation', async () => {
  server.handle(() => {});
  const ac = new AbortController();
  const p = client().getQueue({ signal: ac.signal });
  setTimeout(() => ac.abort(), 30);
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof ComfyAbortError, String(err));
  assert.ok(isCancellation(err));
  assert.ok(!isTransient(err));
  assertOneSentence(err.message);
});

test('an already-aborted signal fails fast without sending a request', async () => {
  const before = server.requests.length;
  const ac = new AbortController();
  ac.abort();
  const err = await client()
    .getQueue({ signal: ac.signal })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(err instanceof ComfyAbortError);
  assert.equal(server.requests.length, before);
});

test('a bare AbortError also counts as cancellation; other errors do not', () => {
  const e = new Error('x');
  e.name = 'AbortError';
  assert.ok(isCancellation(e));
  assert.ok(!isCancellation(new Error('boom')));
  assert.ok(!isCancellation(undefined));
});

test('the POST /prompt 400 body becomes a typed promptError', async () => {
  const body = {
    error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '', extra_info: {} },
    node_errors: {
      '3': {
        errors: [{ type: 'required_input_missing', message: 'Required input is missing', details: 'images', extra_info: { input_name: 'images' } }],
        dependent_outputs: ['3'],
        class_type: 'SaveImage',
      },
    },
  };
  server.handle((_req, res) => json(res, 400, body));
  const err = await client()
    .queuePrompt({ prompt: {} })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(isPromptValidationError(err), String(err));
  assert.equal(err.status, 400);
  assert.deepEqual(err.promptError.node_errors, body.node_errors);
  assert.equal(err.promptError.error.type, 'prompt_outputs_failed_validation');
  assert.equal(err.message, 'ComfyUI rejected the prompt: Prompt outputs failed validation; 1 node has errors.');
});

test('a 400 that is not a prompt error body has no promptError', async () => {
  server.handle((_req, res) => json(res, 400, { error: 'status must be one of pending, in_progress' }));
  const err = await client()
    .getJobs({})
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(err instanceof ComfyHttpError);
  assert.equal(err.promptError, undefined);
  assert.match(err.message, /HTTP 400 \(status must be one of pending, in_progress\)/);
});

test('a body over the cap is ComfyTooLargeError (declared length and streamed)', async () => {
  server.handle((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(4096) });
    res.end(Buffer.alloc(4096));
  });
  const declared = await client()
    .view({ filename: 'a.png' }, { maxBytes: 1000 })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(declared instanceof ComfyTooLargeError, String(declared));
  assert.equal(declared.limitBytes, 1000);

  server.handle((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' }); // chunked: no declared length
    for (let i = 0; i < 8; i++) res.write(Buffer.alloc(512));
    res.end();
  });
  const streamed = await client()
    .view({ filename: 'a.png' }, { maxBytes: 1000 })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(streamed instanceof ComfyTooLargeError, String(streamed));
  assert.match(streamed.message, /larger than the 1000 bytes limit/);
});

test('secrets in the query, headers and userinfo never reach messages, urls or bodies', async () => {
  server.handle((req, res) => {
    // A hostile or careless proxy echoing the credentials back in its error page.
    res.writeHead(401, { 'content-type': 'text/plain' });
    res.end(`denied for ${req.headers.authorization} at ${req.url}`);
  });
  const c = client({ query: { token: SECRET }, headers: { Authorization: `Bearer ${SECRET}-hdr` } });
  const err = await c.getQueue().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof ComfyHttpError, String(err));
  assert.equal(err.status, 401);
  for (const text of [err.message, err.url, String(err.body), err.stack ?? '']) {
    assert.ok(!text.includes(SECRET), text);
  }
  assert.match(err.message, /auth token or headers/);
  // ...while the request itself did carry them.
  const last = server.requests.at(-1)!;
  assert.ok(last.url.includes(`token=${SECRET}`));
  assert.equal(last.headers.authorization, `Bearer ${SECRET}-hdr`);

  const port = await freePort();
  const withUserinfo = new ComfyClient({ baseUrl: `http://alice:${SECRET}@127.0.0.1:${port}/?api_key=${SECRET}2` });
  const err2 = await withUserinfo.getQueue().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err2 instanceof ComfyUnreachableError);
  assert.ok(!err2.message.includes(SECRET) && !err2.message.includes('alice'), err2.message);
  assert.ok(!withUserinfo.displayUrl.includes(SECRET));
});

test('an unusable server URL is ComfyConfigError without its credentials', () => {
  assert.throws(() => new ComfyClient({ baseUrl: 'not a url' }), ComfyConfigError);
  assert.throws(
    () => new ComfyClient({ baseUrl: `ftp://bob:${SECRET}@host/?token=${SECRET}` }),
    (e: unknown) => e instanceof ComfyConfigError && !e.message.includes(SECRET) && /unsupported scheme ftp:/.test(e.message),
  );
});

test('a redirect (auth proxy, http→https) is reported as such, with the target redacted', async () => {
  server.handle((_req, res) => {
    res.writeHead(302, { location: `https://login.example.com/sso?token=${SECRET}&next=/queue` });
    res.end();
  });
  const err = await client()
    .getQueue()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(err instanceof ComfyHttpError, String(err));
  assert.equal(err.status, 302);
  assert.match(err.message, /was redirected to https:\/\/login\.example\.com\/sso\?token=\*\*\*&next=%2Fqueue \(HTTP 302\)/);
  assert.ok(!err.message.includes(SECRET) && !String(err.body).includes(SECRET));
  assertOneSentence(err.message);
});
