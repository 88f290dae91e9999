// The pure parts of the assets download client: the request body it sends and the `asset_download` events it reads
// (untrusted: bounded, controls removed, nonsense ignored).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AssetsDownloadError, assetDownloadBody, parseAssetDownloadEvent } from '../../../src/core/packs/assets';

describe('assetDownloadBody', () => {
  it('sends the URL, the frontend’s model tags and the file name', () => {
    assert.deepEqual(assetDownloadBody({ url: 'https://example.com/a/b.safetensors', folder: 'loras', filename: 'sub/b.safetensors' }), {
      source_url: 'https://example.com/a/b.safetensors',
      tags: ['models', 'model_type:loras', 'loras'],
      filename: 'sub/b.safetensors',
    });
  });
  it('refuses URLs with credentials or other schemes and folders with a path', () => {
    for (const url of ['https://u:p@example.com/a.safetensors', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url'])
      assert.throws(() => assetDownloadBody({ url, folder: 'loras' }), AssetsDownloadError);
    for (const folder of ['', '../custom_nodes', 'a/b', 'a\\b'])
      assert.throws(() => assetDownloadBody({ url: 'https://example.com/a.safetensors', folder }), AssetsDownloadError);
  });
});

describe('parseAssetDownloadEvent', () => {
  it('reads progress from bytes when the total is known, else from the 0–1 fraction', () => {
    assert.deepEqual(
      parseAssetDownloadEvent({ task_id: 't', asset_name: 'a.safetensors', bytes_total: 200, bytes_downloaded: 50, progress: 0.9, status: 'running' }),
      { taskId: 't', status: 'running', name: 'a.safetensors', bytesDownloaded: 50, bytesTotal: 200, fraction: 0.25 },
    );
    assert.equal(parseAssetDownloadEvent({ task_id: 't', bytes_total: 0, bytes_downloaded: 0, progress: 0.5, status: 'running' })!.fraction, 0.5);
    assert.equal(parseAssetDownloadEvent({ task_id: 't', status: 'completed', progress: 0 })!.fraction, 1);
  });
  it('ignores what is not an event and nonsense values; bounds and cleans text', () => {
    for (const bad of [null, 'x', [], {}, { task_id: 't' }, { task_id: 't', status: 'exploded' }, { task_id: 5, status: 'running' }])
      assert.equal(parseAssetDownloadEvent(bad), undefined);
    const e = parseAssetDownloadEvent({ task_id: 't', status: 'failed', progress: 250, bytes_downloaded: -3, error: `bad\u001b[31m${'x'.repeat(5000)}` })!;
    assert.equal(e.fraction, undefined, 'a percentage is not a fraction');
    assert.equal(e.bytesDownloaded, undefined);
    assert.ok(e.error!.length <= 300);
    assert.ok(!/\u001b/.test(e.error!));
  });
});
