// The output cache: thumbnails through /view?preview=webp;90 with a fallback, one download per file, a byte cap
// with least-recently-used eviction that also counts files left by earlier sessions, and server answers that are
// not images refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputCache, type ViewFetcher } from '../../src/vscode/preview/outputCache';
import { ComfyHttpError } from '../../src/core/comfy/errors';
import { encodePng, encodeWebp, solidImage } from '../mock-comfyui/images';

type Call = { filename: string; preview?: string };

function fakeServer(size: number, opts: { rejectPreview?: boolean; html?: boolean } = {}) {
  const calls: Call[] = [];
  const fetcher: ViewFetcher = {
    async view(file) {
      calls.push({ filename: file.filename, ...(file.preview ? { preview: file.preview } : {}) });
      // Simulated network time (not a wait before an assert): keeps concurrent gets of one file overlapping.
      await new Promise((r) => setTimeout(r, 5));
      if (opts.html) return { bytes: new TextEncoder().encode('<html>login</html>'), contentType: 'text/html' };
      if (file.preview && opts.rejectPreview) throw new ComfyHttpError('http://x/view', 'GET', 500, 'Internal Server Error', '');
      const img = solidImage(size, size, 0x112233);
      return file.preview ? { bytes: encodeWebp(img), contentType: 'image/webp' } : { bytes: encodePng(img), contentType: 'image/png' };
    },
  };
  return { calls, fetcher };
}

const ref = (filename: string) => ({ filename, subfolder: '', type: 'output' });

test('thumbnails use preview=webp;90, full files do not; concurrent gets share one download', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cache-'));
  try {
    const cache = new OutputCache({ dir, capBytes: 10 * 1024 * 1024, maxPreviewBytes: 1024 * 1024, maxFullBytes: 1024 * 1024 });
    const { calls, fetcher } = fakeServer(8);
    const [a, b] = await Promise.all([cache.get(fetcher, 's', ref('a.png'), 'thumb'), cache.get(fetcher, 's', ref('a.png'), 'thumb')]);
    assert.equal(a, b);
    assert.equal(a.mimeType, 'image/webp');
    assert.equal(a.width, 8);
    const full = await cache.get(fetcher, 's', ref('a.png'), 'full');
    assert.equal(full.mimeType, 'image/png');
    await cache.get(fetcher, 's', ref('a.png'), 'full');
    // GIFs may be animated: fetched as they are even for a thumbnail.
    await cache.get(fetcher, 's', ref('anim.gif'), 'thumb').catch(() => undefined);
    assert.deepEqual(calls, [{ filename: 'a.png', preview: 'webp;90' }, { filename: 'a.png' }, { filename: 'anim.gif' }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a server rejecting preview= (500) gets plain requests from then on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cache-'));
  try {
    const cache = new OutputCache({ dir, capBytes: 10 * 1024 * 1024, maxPreviewBytes: 1024 * 1024, maxFullBytes: 1024 * 1024 });
    const { calls, fetcher } = fakeServer(4, { rejectPreview: true });
    const t = await cache.get(fetcher, 's', ref('a.png'), 'thumb');
    assert.equal(t.mimeType, 'image/png');
    await cache.get(fetcher, 's', ref('b.png'), 'thumb');
    assert.deepEqual(
      calls.map((c) => c.preview ?? '-'),
      ['webp;90', '-', '-'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an "image" that is really HTML (a login page) is refused and not cached', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cache-'));
  try {
    const cache = new OutputCache({ dir, capBytes: 1024 * 1024, maxPreviewBytes: 1024 * 1024, maxFullBytes: 1024 * 1024 });
    const { fetcher } = fakeServer(4, { html: true });
    await assert.rejects(cache.get(fetcher, 's', ref('a.png'), 'thumb'), /not an image the preview can show \(the server sent text\/html\)/);
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the byte cap evicts the least recently used files, including files of an earlier session', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cache-'));
  try {
    // A file left by an earlier session (oldest), and a foreign file the cache must not touch.
    const old = 'f'.repeat(40) + '.png';
    writeFileSync(join(dir, old), encodePng(solidImage(32, 32, 0)));
    utimesSync(join(dir, old), new Date(2020, 0, 1), new Date(2020, 0, 1));
    writeFileSync(join(dir, 'README.txt'), 'not ours');
    const { fetcher } = fakeServer(32);
    const one = (await cache0()).size;
    const cache = new OutputCache({ dir, capBytes: one * 3 + 10, maxPreviewBytes: 1024 * 1024, maxFullBytes: 1024 * 1024 });
    const a = await cache.get(fetcher, 's', ref('a.png'), 'full');
    const b = await cache.get(fetcher, 's', ref('b.png'), 'full');
    await cache.get(fetcher, 's', ref('a.png'), 'full'); // a is now more recent than b
    const c = await cache.get(fetcher, 's', ref('c.png'), 'full');
    const files = readdirSync(dir).sort();
    assert.ok(!files.includes(old), 'the old session file went first');
    assert.ok(files.includes('README.txt'));
    assert.deepEqual(files.filter((f) => f !== 'README.txt').sort(), [a, b, c].map((x) => x.path.split('/').pop()!).sort());
    const d = await cache.get(fetcher, 's', ref('d.png'), 'full');
    const after = readdirSync(dir);
    assert.ok(!after.includes(b.path.split('/').pop()!), 'b (least recently used) was evicted');
    assert.ok(after.includes(a.path.split('/').pop()!) && after.includes(d.path.split('/').pop()!));
    assert.ok(cache.totalBytes <= one * 3 + 10);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  async function cache0() {
    const tmp = mkdtempSync(join(tmpdir(), 'cache-size-'));
    try {
      return await new OutputCache({ dir: tmp, capBytes: 1 << 30, maxPreviewBytes: 1 << 20, maxFullBytes: 1 << 20 }).get(
        fakeServer(32).fetcher,
        's',
        ref('x.png'),
        'full',
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
});
