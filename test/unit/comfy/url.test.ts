// URL building: path prefixes (reverse proxies), fixed query parameters (tokens), ws/wss, credentials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildUrl, displayServerUrl, parseServerUrl, segment, serverKey, shortServerUrl, urlSecrets, webSocketUrl } from '../../../src/core/comfy/url';
import { Redactor, secretHeaderValues } from '../../../src/core/comfy/redact';
import { ComfyClient } from '../../../src/core/comfy/client';

test('a bare origin gets a trailing slash and routes hang off it', () => {
  const ep = parseServerUrl('http://127.0.0.1:8188');
  assert.equal(ep.base.toString(), 'http://127.0.0.1:8188/');
  assert.equal(buildUrl(ep, 'prompt').toString(), 'http://127.0.0.1:8188/prompt');
  assert.equal(buildUrl(ep, '/queue').toString(), 'http://127.0.0.1:8188/queue');
});

test('a path prefix is kept, with or without a trailing slash', () => {
  for (const base of ['https://example.com/comfy', 'https://example.com/comfy/', '  https://example.com/comfy/  ']) {
    const ep = parseServerUrl(base);
    assert.equal(buildUrl(ep, 'history/abc').toString(), 'https://example.com/comfy/history/abc', base);
    assert.equal(webSocketUrl(ep, 'id-1').toString(), 'wss://example.com/comfy/ws?clientId=id-1', base);
  }
  const nested = parseServerUrl('http://h:81/a/b');
  assert.equal(buildUrl(nested, 'view', { filename: 'x.png' }).toString(), 'http://h:81/a/b/view?filename=x.png');
});

test('params are encoded, undefined ones left out, and the fixed query comes last on every URL', () => {
  const ep = parseServerUrl('http://h/p/?token=abc', { extra: '1' });
  const u = buildUrl(ep, 'view', { filename: 'a b&c.png', type: 'output', subfolder: undefined, preview: null, channel: 'rgb' });
  assert.equal(u.toString(), 'http://h/p/view?filename=a+b%26c.png&type=output&channel=rgb&token=abc&extra=1');
  assert.equal(u.searchParams.get('filename'), 'a b&c.png');
  assert.equal(webSocketUrl(ep, 'cid').toString(), 'ws://h/p/ws?clientId=cid&token=abc&extra=1');
  // The per-call parameter wins over a fixed one of the same name (no duplicate keys).
  assert.equal(buildUrl(ep, 'x', { token: 'override' }).searchParams.getAll('token').join(), 'override');
});

test('path segments with special characters are encoded', () => {
  const ep = parseServerUrl('http://h');
  assert.equal(buildUrl(ep, `object_info/${segment('Foo Bar/Baz?')}`).pathname, '/object_info/Foo%20Bar%2FBaz%3F');
});

test('ws:// and wss:// base URLs are accepted and mapped to http(s)', () => {
  assert.equal(parseServerUrl('ws://h:8188').base.toString(), 'http://h:8188/');
  assert.equal(parseServerUrl('wss://h/x').base.toString(), 'https://h/x/');
});

test('userinfo turns into a Basic Authorization header and is removed from the URL', () => {
  const ep = parseServerUrl('https://alice:p%40ss@h/comfy');
  assert.equal(ep.base.toString(), 'https://h/comfy/');
  assert.equal(ep.headers.authorization, `Basic ${Buffer.from('alice:p@ss').toString('base64')}`);
  assert.ok(ep.secrets.includes('p@ss'));
});

test('the client exposes the same URLs (and the socket reuses its headers)', () => {
  const c = new ComfyClient({ baseUrl: 'https://h/comfy', query: { token: 'T0KEN123' }, headers: { Authorization: 'Bearer xyz12345' } });
  assert.equal(c.url('prompt').toString(), 'https://h/comfy/prompt?token=T0KEN123');
  assert.equal(c.displayUrl, 'https://h/comfy/?token=***');
  assert.equal(c.requestHeaders.authorization, 'Bearer xyz12345');
  assert.equal(c.redact('see https://h/comfy/view?token=T0KEN123 and Bearer xyz12345'), 'see https://h/comfy/view?token=*** and ***');
});

test('the redactor masks secret-looking params, known values, and URL-encoded forms', () => {
  const r = new Redactor(['my secret/value']);
  assert.equal(r.url('http://u:pw@h/x?token=1&api_key=2&q=ok&x=my%20secret%2Fvalue'), 'http://***:***@h/x?token=***&api_key=***&q=ok&x=***');
  assert.equal(r.text('a my secret/value b my%20secret%2Fvalue c'), 'a *** b *** c');
  assert.equal(r.text('short secrets are not masked: abc'), 'short secrets are not masked: abc');
  assert.deepEqual(secretHeaderValues({ Authorization: 'Bearer abc123', 'Content-Type': 'x', 'X-Api-Key': 'k'.repeat(8) }), [
    'Bearer abc123',
    'abc123',
    'kkkkkkkk',
  ]);
});

test('displayServerUrl drops userinfo and query, also from text that is not a URL', () => {
  // A server URL shows as the server's identity (serverKey): the registry, the picker and the connection agree.
  assert.equal(displayServerUrl('http://user:hunter2@h:8188/comfy/?token=abc'), 'http://h:8188/comfy');
  assert.equal(displayServerUrl('wss://H/ws?clientId=1'), 'https://h/ws');
  assert.equal(displayServerUrl('http://h:80/'), serverKey('http://h:80/'));
  assert.equal(displayServerUrl('ftp://user:pw@h/x?token=1'), 'ftp://h/x');
  assert.equal(displayServerUrl('//user:pw@host:port?token=x#frag'), '//host:port');
  assert.equal(displayServerUrl('not a url'), 'not a url');
});

test('shortServerUrl: host, port and path prefix only, from any server URL or display URL', () => {
  assert.equal(shortServerUrl('http://127.0.0.1:8188/'), '127.0.0.1:8188');
  assert.equal(shortServerUrl('https://user:pw@h/comfy/?token=abc'), 'h/comfy');
  assert.equal(shortServerUrl('https://h/comfy/?token=***'), 'h/comfy');
  assert.equal(shortServerUrl('//user:pw@host:port?token=x'), '//host:port', 'not a URL: secrets dropped by pattern');
});

test('urlSecrets: userinfo decoded and as written, every query value; the client, the log and the CLI share it', () => {
  const url = 'https://al%69ce:p%40ss%2Fw0rd@h/comfy/?token=T0KEN123&x=a%20bc';
  assert.deepEqual(urlSecrets(url).sort(), ['T0KEN123', 'a bc', 'al%69ce', 'alice', 'p%40ss%2Fw0rd', 'p@ss/w0rd'].sort());
  assert.deepEqual(urlSecrets('not a url'), []);
  assert.deepEqual(urlSecrets('http://h:8188/'), []);
  // Malformed percent-encoding in the userinfo is a secret as written, not a crash.
  assert.deepEqual(urlSecrets('http://us%zz:pw%zzpw@h/'), ['us%zz', 'pw%zzpw']);
  const ep = parseServerUrl('http://us%zz:pw%zzpw@h/');
  assert.ok(ep.secrets.includes('pw%zzpw'));
  // The client's redactor (built from parseServerUrl) masks each of them, in either spelling.
  const c = new ComfyClient({ baseUrl: url, query: { extra: 'EXTRA-SECRET' } });
  for (const secret of [...urlSecrets(url), 'EXTRA-SECRET'])
    assert.doesNotMatch(c.redact(`failed: ${secret}.`), new RegExp(secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});
