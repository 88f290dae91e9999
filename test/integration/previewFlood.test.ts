// Issue 13, finding 6: a run with many outputs. The host posts deltas (one item added or updated per message; the
// whole gallery only when the shown run changes or the page asks), so the bytes posted grow with the outputs, not
// with their square; and it fetches and shows at most MAX_GALLERY_ITEMS of them (the newest), with a line saying
// how many are not shown.
import '../helpers/vscode-shim/register';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shim, vscode } from '../helpers/vscode-shim/control';
import { waitFor } from '../helpers/wait';
import { nullLogger } from '../../src/core/util/logger';
import type { ComfyMessage } from '../../src/core/comfy/messages';
import type { PreviewFrame } from '../../src/core/comfy/socket';
import { PreviewService, type PreviewConnection } from '../../src/vscode/preview/previewService';
import { MAX_GALLERY_ITEMS } from '../../src/vscode/preview/galleryModel';
import { applyHostMessage, type GalleryState, type HostToWebview } from '../../src/shared/previewProtocol';

// A 1×1 PNG: every thumbnail the fake server serves.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const OUTPUTS = 1000;

function fakeConnection(): { connection: PreviewConnection; fire: (m: ComfyMessage) => void; fetched: string[]; dispose: () => void } {
  const messages = new vscode.EventEmitter<ComfyMessage>();
  const previews = new vscode.EventEmitter<PreviewFrame>();
  const server = new vscode.EventEmitter<unknown>();
  const fetched: string[] = [];
  const client = {
    view: async (file: { filename: string }) => {
      fetched.push(file.filename);
      await new Promise((r) => setImmediate(r));
      return { bytes: new Uint8Array(PNG), contentType: 'image/png' };
    },
  };
  return {
    connection: {
      client: client as never,
      displayUrl: 'http://fake:8188',
      onMessage: messages.event,
      onPreview: previews.event,
      onDidChangeServer: server.event,
    },
    fire: (m) => messages.fire(m),
    fetched,
    dispose: () => {
      messages.dispose();
      previews.dispose();
      server.dispose();
    },
  };
}

test(`${OUTPUTS} outputs in one run: linear traffic to the page, at most ${MAX_GALLERY_ITEMS} fetched and shown`, async (t) => {
  shim.reset();
  const ctx = shim.createExtensionContext();
  const fake = fakeConnection();
  const service = new PreviewService({
    connection: fake.connection,
    extensionUri: ctx.extensionUri,
    storageUri: ctx.globalStorageUri,
    log: nullLogger,
    settings: () => ({ openOnRun: 'never', cacheSizeMB: 64, maxImageMB: 50, saveFolder: 'outputs' }),
    liveIntervalMs: 0,
  });
  try {
    await service.show();
    const panel = shim.state.webviewPanels.at(-1)!;
    panel.receive({ type: 'ready' });
    const promptId = 'p-flood';
    fake.fire({ type: 'execution_start', data: { prompt_id: promptId } } as ComfyMessage);
    for (let i = 0; i < OUTPUTS; i++) {
      const filename = `out_${String(i).padStart(5, '0')}_.png`;
      fake.fire({ type: 'executed', data: { node: '9', prompt_id: promptId, output: { images: [{ filename, subfolder: '', type: 'output' }] } } });
    }
    fake.fire({ type: 'execution_success', data: { prompt_id: promptId } } as ComfyMessage);

    // The page's view of the gallery: every message folded in, as the page does it.
    const view = (): GalleryState =>
      (panel.posted as HostToWebview[]).reduce<GalleryState>((s, m) => applyHostMessage(s, m), { title: '', status: 'idle', items: [] });
    const s = await waitFor(
      () => {
        const v = view();
        return v.status === 'success' && v.items.length > 0 && v.items.every((i) => !i.loading) ? v : undefined;
      },
      { timeoutMs: 60_000, message: 'every shown thumbnail arrived' },
    );
    const bytes = (panel.posted as unknown[]).reduce<number>((n, m) => n + JSON.stringify(m).length, 0);
    t.diagnostic(`${panel.posted.length} messages, ${bytes} bytes posted; ${fake.fetched.length} thumbnails fetched`);
    // Each output costs its item once when added and once when its thumbnail arrives (≈ 2 × 300 bytes), plus one
    // small message per output that the cap drops. Quadratic traffic (the whole gallery per thumbnail) was ~150 MB.
    assert.ok(bytes < 2_000_000, `posted ${bytes} bytes for ${OUTPUTS} outputs`);
    // The cap, plus at most the three fetches that had started before the newer outputs pushed their items out.
    assert.ok(fake.fetched.length <= MAX_GALLERY_ITEMS + 3, `fetched ${fake.fetched.length} thumbnails`);
    assert.equal(s.items.length, MAX_GALLERY_ITEMS);
    assert.equal(s.items[0]!.filename, `out_${String(OUTPUTS - MAX_GALLERY_ITEMS).padStart(5, '0')}_.png`, 'the newest outputs are shown');
    assert.equal(s.items.at(-1)!.filename, `out_${String(OUTPUTS - 1).padStart(5, '0')}_.png`);
    assert.ok(
      s.items.every((i) => i.src),
      'every shown item has its thumbnail',
    );
    assert.equal(s.hidden, OUTPUTS - MAX_GALLERY_ITEMS);
    assert.match(s.hiddenNote ?? '', new RegExp(`${OUTPUTS - MAX_GALLERY_ITEMS}`));

    // A page that reloads gets the same gallery in one state message.
    const before = panel.posted.length;
    panel.receive({ type: 'ready' });
    const reloaded = panel.posted.slice(before) as HostToWebview[];
    assert.equal(reloaded[0]!.type, 'state');
    assert.deepEqual(applyHostMessage({ title: '', status: 'idle', items: [] }, reloaded[0]!), s);
  } finally {
    service.dispose();
    fake.dispose();
    ctx.dispose();
  }
});
