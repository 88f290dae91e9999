// The assets download client (src/core/packs/assets.ts) against the mock server's POST /api/assets/download and
// /api/tasks routes: detection (flag + probe), the request it sends, refusals as typed errors, following a download
// by events and by polling, cancelling, and the servers without the API (0.3.64, assets off).
import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startMockComfy, type MockComfy } from '../mock-comfyui/server';
import { ComfyClient } from '../../src/core/comfy/client';
import { ComfySocket } from '../../src/core/comfy/socket';
import {
  AssetsDownloadError,
  cancelAssetTask,
  detectAssetsDownload,
  followAssetDownload,
  getAssetTask,
  parseAssetDownloadEvent,
  startAssetDownload,
  type AssetTaskState,
} from '../../src/core/packs/assets';

const URL_A = 'https://huggingface.co/org/repo/resolve/main/split_files/vae/new_vae.safetensors';

describe('assets download client against the mock', () => {
  let mock: MockComfy;
  let client: ComfyClient;
  before(async () => {
    mock = await startMockComfy({
      assets: { steps: 4, stepMs: 10, sizeBytes: 4000, failUrls: { 'https://example.com/broken.safetensors': 'HTTP 403 from the source' } },
    });
    client = new ComfyClient({ baseUrl: mock.url });
  });
  after(() => mock.close());

  it('detects the API from the feature flag and the task route’s own 404', async () => {
    assert.deepEqual(await detectAssetsDownload(client), { available: true });
    assert.deepEqual(await detectAssetsDownload(client, { assets: false }), { available: false, reason: 'disabled' });
    assert.deepEqual(await detectAssetsDownload(client, { supports_preview_metadata: true }), { available: false, reason: 'no-api' });
  });

  it('sends source_url, the folder tags and the file name; follows the download to completion', async () => {
    const start = await startAssetDownload(client, { url: URL_A, folder: 'vae', filename: 'sub/new_vae.safetensors' });
    assert.equal(start.kind, 'task');
    const req = mock.assets.requests().at(-1)!;
    assert.deepEqual(req.body, { source_url: URL_A, tags: ['models', 'model_type:vae', 'vae'], filename: 'sub/new_vae.safetensors' });
    const seen: AssetTaskState[] = [];
    const end = await followAssetDownload(client, start.kind === 'task' ? start.taskId : '', { pollMs: 15, onProgress: (s) => seen.push(s) });
    assert.equal(end.status, 'completed');
    assert.equal(end.name, 'sub/new_vae.safetensors');
    assert.equal(end.bytesDownloaded, 4000);
    assert.ok(existsSync(join(mock.dirs.models, 'vae', 'sub', 'new_vae.safetensors')));
    assert.ok(seen.length > 0);
  });

  it('refusals are typed errors with the server’s code: existing file, unknown folder, bad extension', async () => {
    const exists = await startAssetDownload(client, { url: URL_A, folder: 'vae', filename: 'vae-ft-mse-840000-ema-pruned.safetensors' }).catch(
      (e: unknown) => e,
    );
    assert.ok(exists instanceof AssetsDownloadError);
    assert.equal(exists.code, 'model_file_exists');
    assert.match(exists.message, /^The server already has a file of that name: /);
    const folder = await startAssetDownload(client, { url: URL_A, folder: 'custom_nodes' }).catch((e: unknown) => e);
    assert.ok(folder instanceof AssetsDownloadError);
    assert.equal(folder.code, 'UNKNOWN_MODEL_FOLDER');
    const ext = await startAssetDownload(client, { url: 'https://example.com/x.txt', folder: 'loras' }).catch((e: unknown) => e);
    assert.ok(ext instanceof AssetsDownloadError);
    assert.equal(ext.code, 'UNSUPPORTED_EXTENSION');
    // Never sent: a URL with credentials or another scheme, a folder with a path in it.
    const before = mock.assets.requests().length;
    await assert.rejects(startAssetDownload(client, { url: 'https://user:pw@example.com/a.safetensors', folder: 'loras' }), AssetsDownloadError);
    await assert.rejects(startAssetDownload(client, { url: 'file:///etc/passwd', folder: 'loras' }), AssetsDownloadError);
    await assert.rejects(startAssetDownload(client, { url: URL_A, folder: '../custom_nodes' }), AssetsDownloadError);
    assert.equal(mock.assets.requests().length, before);
  });

  it('a failing download ends failed with the server’s error; an unknown task is undefined', async () => {
    const start = await startAssetDownload(client, { url: 'https://example.com/broken.safetensors', folder: 'loras' });
    assert.equal(start.kind, 'task');
    const end = await followAssetDownload(client, start.kind === 'task' ? start.taskId : '', { pollMs: 15 });
    assert.equal(end.status, 'failed');
    assert.equal(end.error, 'HTTP 403 from the source');
    assert.equal(await getAssetTask(client, '11111111-2222-3333-4444-555555555555'), undefined);
  });

  it('follows by asset_download events over the WebSocket, and cancels', async () => {
    const socket = ComfySocket.forClient(client, { reconnect: { enabled: false } });
    try {
      socket.connect();
      await socket.whenOpen();
      const listeners = new Set<(s: AssetTaskState) => void>();
      const off = socket.on('message', (m) => {
        if (m.type !== 'unknown' || m.messageType !== 'asset_download') return;
        const s = parseAssetDownloadEvent(m.data);
        if (s) for (const l of listeners) l(s);
      });
      const start = await startAssetDownload(client, { url: 'https://example.com/evented.safetensors', folder: 'loras' });
      const events: AssetTaskState[] = [];
      const end = await followAssetDownload(client, start.kind === 'task' ? start.taskId : '', {
        pollMs: 60_000,
        onProgress: (s) => events.push(s),
        subscribe: (l) => {
          listeners.add(l);
          return () => listeners.delete(l);
        },
      });
      off.dispose();
      assert.equal(end.status, 'completed', 'an event ended the wait long before the next poll');
      assert.ok(events.some((e) => e.status === 'running' && e.fraction !== undefined && e.fraction > 0 && e.fraction < 1));
      assert.equal(events.at(-1)!.fraction, 1);

      const slow = await startMockComfy({ assets: { steps: 100, stepMs: 50 } });
      try {
        const c = new ComfyClient({ baseUrl: slow.url });
        const s = await startAssetDownload(c, { url: 'https://example.com/slow.safetensors', folder: 'loras' });
        const id = s.kind === 'task' ? s.taskId : '';
        assert.equal(await cancelAssetTask(c, id), true);
        assert.equal((await getAssetTask(c, id))?.status, 'cancelled');
        assert.equal(await cancelAssetTask(c, id), false, 'no longer cancellable');
      } finally {
        await slow.close();
      }
    } finally {
      await socket.close();
    }
  });
});

describe('servers without the assets download API', () => {
  it('0.33 with assets off: the flag says so and POST answers 503 SERVICE_DISABLED as a typed error', async () => {
    const mock = await startMockComfy();
    try {
      const client = new ComfyClient({ baseUrl: mock.url });
      assert.deepEqual(await detectAssetsDownload(client), { available: false, reason: 'disabled' });
      // Even with a lying flag, the probe meets the 503 envelope.
      assert.deepEqual(await detectAssetsDownload(client, { assets: true }), { available: false, reason: 'disabled' });
      const e = await startAssetDownload(client, { url: URL_A, folder: 'vae' }).catch((x: unknown) => x);
      assert.ok(e instanceof AssetsDownloadError);
      assert.equal(e.status, 503);
      assert.equal(e.code, 'SERVICE_DISABLED');
      mock.assets.setEnabled(true);
      assert.deepEqual(await detectAssetsDownload(client), { available: true });
    } finally {
      await mock.close();
    }
  });

  it('0.3.64: no assets flag, and no route behind a lying one', async () => {
    const mock = await startMockComfy({ comfyVersion: '0.3.64' });
    try {
      const client = new ComfyClient({ baseUrl: mock.url });
      assert.deepEqual(await detectAssetsDownload(client), { available: false, reason: 'no-api' });
      assert.deepEqual(await detectAssetsDownload(client, { assets: true }), { available: false, reason: 'no-api' });
    } finally {
      await mock.close();
    }
  });
});
