// The webview's rendering code in a tiny DOM (linkedom): hostile file names and titles end up as text, never as
// elements; the generated page carries the CSP and loads only its nonce'd script.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { contentSecurityPolicy, renderPreviewHtml } from '../../src/vscode/preview/html';
import type { GalleryItem } from '../../src/shared/previewProtocol';
import { isHostToWebview, isWebviewToHost } from '../../src/shared/previewProtocol';

// render.ts is browser code (DOM types, own tsconfig): loaded at run time so the Node type-check does not follow it.
const RENDER = '../../src/webview/preview/render';
async function loadRender(): Promise<any> {
  return import(RENDER);
}

const HOSTILE = '<img src=x onerror=alert(1)>&"quote"\'.png';

function page() {
  const html = renderPreviewHtml({
    cspSource: 'https://*.vscode-cdn.net',
    scriptUri: 'https://x/preview.js',
    styleUri: 'https://x/preview.css',
    nonce: 'abc123==',
  });
  const win = parseHTML(html) as any;
  return { html, document: win.document as any };
}

const item = (over: Partial<GalleryItem> = {}): GalleryItem => ({
  id: `9/output//${HOSTILE}`,
  nodeId: '9',
  nodeTitle: '<b>Save</b>',
  filename: HOSTILE,
  subfolder: '<script>alert(2)</script>',
  type: 'output',
  kind: 'image',
  src: 'https://file+.vscode-resource.vscode-cdn.net/cache/abc.webp',
  width: 512,
  height: 512,
  ...over,
});

test('the page has the strict CSP, a nonce on its only script, and no inline code', () => {
  const { html, document } = page();
  const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  assert.ok(meta);
  assert.equal(
    meta.getAttribute('content'),
    "default-src 'none'; img-src https://*.vscode-cdn.net blob: data:; style-src https://*.vscode-cdn.net; script-src 'nonce-abc123=='",
  );
  const scripts = [...document.querySelectorAll('script')];
  assert.equal(scripts.length, 1);
  assert.equal(scripts[0]!.getAttribute('nonce'), 'abc123==');
  assert.equal(scripts[0]!.textContent, '');
  assert.doesNotMatch(html, /\son\w+=/i);
  assert.equal(contentSecurityPolicy('S', 'N').split('; ')[0], "default-src 'none'");
});

test('a file name and title holding HTML are rendered as text', async () => {
  const { renderGallery } = await loadRender();
  const { document } = page();
  const root = document.getElementById('gallery')!;
  const clicks: string[] = [];
  renderGallery(document, root, [item(), item({ id: 'other', kind: 'video', src: undefined, filename: 'clip<i>.mp4' })], [], {
    action: (a: string, id: string) => clicks.push(`${a}:${id}`),
    toggleCompare: () => undefined,
  });
  // No element came from the names: one thumbnail <img>, no <script>/<b>/<i>.
  assert.equal(root.querySelectorAll('img').length, 1);
  assert.equal(root.querySelectorAll('script, b, i').length, 0);
  const img = root.querySelector('img')!;
  assert.equal(img.getAttribute('onerror'), null);
  assert.equal(img.getAttribute('src'), item().src);
  const names = [...root.querySelectorAll('.name')].map((n: any) => n.textContent);
  assert.deepEqual(names, [`<script>alert(2)</script>/${HOSTILE}`, '<script>alert(2)</script>/clip<i>.mp4']);
  assert.match(root.querySelector('.meta')!.textContent!, /^<b>Save<\/b> · 512×512$/);
  // Serialized, the names are escaped text (attribute values such as alt= hold them verbatim, which is inert).
  assert.match(root.querySelector('.name')!.innerHTML, /^&lt;script&gt;alert\(2\)&lt;\/script&gt;\/&lt;img src=x/);
  // Buttons post actions with the item id.
  const open = [...root.querySelectorAll('button')].find((b: any) => b.textContent === 'Open') as any;
  open.dispatchEvent(new document.defaultView.Event('click'));
  assert.deepEqual(clicks, [`openInEditor:${item().id}`]);
});

test('errors, live preview, progress and the comparison render as text too', async () => {
  const { renderGallery, renderHeader, renderLive, renderCompare } = await loadRender();
  const { document } = page();
  const gallery = document.getElementById('gallery')!;
  renderGallery(document, gallery, [item({ src: undefined, error: 'The server refused this file (403). <b>x</b>' })], [], {
    action: () => undefined,
    toggleCompare: () => undefined,
  });
  assert.equal(gallery.querySelector('.placeholder.error')!.textContent, 'The server refused this file (403). <b>x</b>');
  assert.ok([...gallery.querySelectorAll('button')].some((b: any) => b.textContent === 'Retry'));

  const header = document.getElementById('header')!;
  renderHeader(document, header, { title: '<h1>t</h1>', status: 'running' }, { value: 7, max: 20, nodeId: '3', nodeTitle: 'KSampler' });
  assert.equal(header.querySelector('.title')!.textContent, '<h1>t</h1>');
  assert.equal(header.querySelector('.progress-text')!.textContent, 'Step 7/20 · KSampler');
  assert.equal(header.querySelectorAll('h1').length, 1);

  const live = document.getElementById('live')!;
  renderLive(document, live, 'data:image/jpeg;base64,AAAA', { value: 7, max: 20 });
  assert.equal(live.hidden, false);
  assert.equal(live.querySelector('img')!.getAttribute('src'), 'data:image/jpeg;base64,AAAA');
  renderLive(document, live, undefined, undefined);
  assert.equal(live.hidden, true);

  const cmp = document.getElementById('compare')!;
  const a = item({ id: 'a' });
  const b = item({ id: 'b', filename: 'b.png', subfolder: '' });
  renderCompare(document, cmp, [a, b], ['a', 'b'], () => undefined);
  assert.equal(cmp.querySelectorAll('img').length, 2);
  assert.deepEqual(
    [...cmp.querySelectorAll('.name')].map((n: any) => n.textContent),
    [`<script>alert(2)</script>/${HOSTILE}`, 'b.png'],
  );
});

test('the webview code never parses strings as HTML', () => {
  const dir = join(__dirname, '../../src/webview/preview');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    assert.doesNotMatch(readFileSync(join(dir, f), 'utf8'), /innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment/, f);
  }
});

test('the protocol guards reject malformed or foreign messages', () => {
  assert.equal(isWebviewToHost({ type: 'ready' }), true);
  assert.equal(isWebviewToHost({ type: 'action', action: 'save', itemId: 'x' }), true);
  assert.equal(isWebviewToHost({ type: 'action', action: 'rm -rf', itemId: 'x' }), false);
  assert.equal(isWebviewToHost({ type: 'action', action: 'save' }), false);
  assert.equal(isWebviewToHost('ready'), false);
  assert.equal(isHostToWebview({ type: 'livePreview', src: 'javascript:alert(1)' }), false);
  assert.equal(isHostToWebview({ type: 'livePreview', src: 'data:image/jpeg;base64,AAAA' }), true);
  assert.equal(isHostToWebview({ type: 'state', state: { title: 't', status: 'idle', items: [{ id: 1 }] } }), false);
});
