// Credentials as they go on the wire, and which values the log must mask.
import '../../helpers/vscode-shim/register';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyCredential, credentialSecrets, CredentialStore } from '../../../src/vscode/serverRegistry/credentials';
import { serverKey } from '../../../src/core/comfy/url';
import { shim } from '../../helpers/vscode-shim/control';

test('each kind becomes the right header or query parameter; setting headers are kept', () => {
  assert.deepEqual(applyCredential({ kind: 'bearer', secret: 's3cret' }, { 'X-Route': 'a' }), { headers: { 'X-Route': 'a', Authorization: 'Bearer s3cret' } });
  assert.deepEqual(applyCredential({ kind: 'basic', username: 'ann', secret: 'pw:1' }), {
    headers: { Authorization: `Basic ${Buffer.from('ann:pw:1').toString('base64')}` },
  });
  assert.deepEqual(applyCredential({ kind: 'header', name: 'X-API-Key', secret: 'k' }), { headers: { 'X-API-Key': 'k' } });
  assert.deepEqual(applyCredential({ kind: 'query', secret: 'q' }), { headers: {}, query: { token: 'q' } });
  assert.deepEqual(applyCredential({ kind: 'query', name: 'key', secret: 'q' }).query, { key: 'q' });
});

test('the masked values include the encoded forms (URL-encoded, Basic base64)', () => {
  const values = credentialSecrets({ kind: 'basic', username: 'u', secret: 'a b&c' });
  assert.ok(values.includes('a b&c'));
  assert.ok(values.includes('a%20b%26c'));
  assert.ok(values.includes(Buffer.from('u:a b&c').toString('base64')));
});

test('serverKey ignores userinfo, query, trailing slash, default ports and ws schemes', () => {
  assert.equal(serverKey('http://user:pw@Host:80/comfy/?token=x'), 'http://host/comfy');
  assert.equal(serverKey('wss://h:443/'), 'https://h');
  assert.equal(serverKey('http://127.0.0.1:8188'), 'http://127.0.0.1:8188');
  assert.equal(serverKey('ftp://h'), undefined);
  assert.equal(serverKey('not a url'), undefined);
});

test('the store keeps records per server, withholds them from unconfirmed workspace URLs, and survives a reload', async () => {
  shim.reset();
  const ctx = shim.createExtensionContext();
  try {
    const store = new CredentialStore({ secrets: ctx.secrets, globalState: ctx.globalState });
    await store.ready;
    await store.set('http://h:8188/', { kind: 'bearer', secret: 'tok1' });
    assert.equal(store.get('http://h:8188')?.secret, 'tok1');
    assert.equal(store.authFor('http://h:8188', 'user').auth.headers?.Authorization, 'Bearer tok1');
    const withheld = store.authFor('http://h:8188', 'workspace');
    assert.equal(withheld.withheld, true);
    assert.equal(withheld.auth.headers?.Authorization, undefined);
    await store.confirm('http://h:8188');
    assert.equal(store.authFor('http://h:8188', 'workspace').auth.headers?.Authorization, 'Bearer tok1');
    assert.deepEqual(store.secretValues().includes('tok1'), true);
    // A new window: records are read back from SecretStorage through the index in globalState.
    const again = new CredentialStore({ secrets: ctx.secrets, globalState: ctx.globalState });
    await again.ready;
    assert.equal(again.get('http://h:8188')?.secret, 'tok1');
    await again.set('http://h:8188', undefined);
    assert.equal(again.get('http://h:8188'), undefined);
    assert.equal(await ctx.secrets.get('comfyui.credentials:http://h:8188'), undefined);
    store.dispose();
    again.dispose();
  } finally {
    ctx.dispose();
  }
});
