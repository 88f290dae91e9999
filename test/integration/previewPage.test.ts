// The webview page script itself (src/webview/preview/main.ts, bundled like the extension does) in a tiny DOM:
// it says `ready`, renders what the host posts, ignores malformed messages, persists its state for a reload and
// posts user actions back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { parseHTML } from 'linkedom';
import { renderPreviewHtml } from '../../src/vscode/preview/html';
import type { GalleryState } from '../../src/shared/previewProtocol';

async function bundle(): Promise<string> {
  const r = await esbuild.build({
    entryPoints: [join(__dirname, '../../src/webview/preview/main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outdir: '/tmp/preview-page-test',
    logLevel: 'silent',
  });
  const js = r.outputFiles.find((f) => f.path.endsWith('.js'));
  assert.ok(js);
  return js.text;
}

function boot(code: string, saved?: unknown, labels?: Record<string, string>) {
  const dom = parseHTML(
    renderPreviewHtml({ cspSource: 'vscode-resource:', scriptUri: 's.js', styleUri: 's.css', nonce: 'n', ...(labels ? { labels } : {}) }),
  ) as any;
  const posted: any[] = [];
  let state: unknown = saved;
  const api = { postMessage: (m: unknown) => posted.push(m), getState: () => state, setState: (s: unknown) => (state = s) };
  const listeners: ((e: { data: unknown }) => void)[] = [];
  const fakeWindow = {
    addEventListener: (type: string, fn: (e: { data: unknown }) => void) => {
      if (type === 'message') listeners.push(fn);
    },
  };
  // Run the bundle with the page's globals.
  new Function('window', 'document', 'acquireVsCodeApi', code)(fakeWindow, dom.document, () => api);
  const click = (el: any) => el.dispatchEvent(new dom.Event('click'));
  return { doc: dom.document, posted, click, state: () => state, send: (data: unknown) => listeners.forEach((l) => l({ data })) };
}

const state = (over: Partial<GalleryState> = {}): GalleryState => ({
  promptId: 'p1',
  title: 'Prompt p1',
  status: 'success',
  items: [
    { id: 'a', nodeId: '9', filename: '<img src=x onerror=alert(1)>.png', subfolder: '', type: 'output', kind: 'image', src: 'https://r/a.webp' },
    { id: 'b', nodeId: '9', filename: 'b.png', subfolder: '', type: 'output', kind: 'image', src: 'https://r/b.webp' },
  ],
  ...over,
});

test('the page says ready, renders posted state, and posts actions', async () => {
  const page = boot(await bundle());
  assert.deepEqual(page.posted, [{ type: 'ready' }]);
  page.send({ type: 'state', state: state() });
  const names = [...page.doc.querySelectorAll('#gallery .name')].map((n: any) => n.textContent);
  assert.deepEqual(names, ['<img src=x onerror=alert(1)>.png', 'b.png']);
  assert.equal(page.doc.querySelectorAll('#gallery img').length, 2);
  assert.deepEqual(page.state(), { promptId: 'p1', title: 'Prompt p1' });
  const save = [...page.doc.querySelectorAll('#gallery button')].find((b: any) => b.textContent === 'Save') as any;
  page.click(save);
  assert.deepEqual(page.posted.at(-1), { type: 'action', action: 'save', itemId: 'a' });
});

test('live previews and progress while running; compare two images; malformed messages are ignored', async () => {
  const page = boot(await bundle());
  page.send({ type: 'state', state: state({ status: 'running', items: [] }) });
  page.send({ type: 'progress', status: 'running', progress: { value: 3, max: 20, nodeTitle: 'KSampler' } });
  assert.equal(page.doc.querySelector('.progress-text').textContent, 'Step 3/20 · KSampler');
  page.send({ type: 'livePreview', src: 'data:image/jpeg;base64,AAAA' });
  assert.equal(page.doc.querySelector('#live img').getAttribute('src'), 'data:image/jpeg;base64,AAAA');
  page.send({ type: 'livePreview', src: 'javascript:alert(1)' });
  page.send({ type: 'state', state: { title: 1 } });
  page.send('<b>x</b>');
  assert.equal(page.doc.querySelector('#live img').getAttribute('src'), 'data:image/jpeg;base64,AAAA');
  page.send({ type: 'state', state: state() });
  assert.equal(page.doc.getElementById('live').hidden, true, 'no live preview once the run is over');
  for (const label of ['a', 'b']) {
    const fig = page.doc.querySelector(`figure[data-item-id="${label}"]`);
    const btn = [...fig.querySelectorAll('button')].find((b: any) => b.textContent === 'Compare') as any;
    page.click(btn);
  }
  assert.equal(page.doc.querySelectorAll('#compare img').length, 2);
  assert.deepEqual(page.posted.at(-1), { type: 'compare', left: 'a', right: 'b' });
  assert.deepEqual((page.state() as any).compare, ['a', 'b']);
});

test('after a reload the page starts from its saved state', async () => {
  const page = boot(await bundle(), { promptId: 'p1', title: 'Saved title', compare: ['a', 'b'] });
  assert.equal(page.doc.querySelector('.title').textContent, 'Saved title');
  page.send({ type: 'state', state: state() });
  assert.equal(page.doc.querySelectorAll('#compare img').length, 2, 'the comparison survives the reload');
});

test('deltas: items added, replaced and removed in place; the status; the note on outputs not shown, as text', async () => {
  const page = boot(await bundle());
  page.send({ type: 'state', state: state({ status: 'running' }) });
  page.send({
    type: 'items',
    items: [
      { id: 'b', nodeId: '9', filename: 'b.png', subfolder: '', type: 'output', kind: 'image', error: 'The server no longer has this file (404).' },
      { id: 'c', nodeId: '9', filename: 'c.png', subfolder: '', type: 'output', kind: 'image', loading: true },
    ],
    removed: ['a'],
    hidden: 1,
    hiddenNote: '<b>1</b> older output of this prompt is not shown.',
  });
  const names = [...page.doc.querySelectorAll('#gallery .name')].map((n: any) => n.textContent);
  assert.deepEqual(names, ['b.png', 'c.png']);
  assert.equal(page.doc.querySelector('figure[data-item-id="b"] .placeholder').textContent, 'The server no longer has this file (404).');
  const note = page.doc.querySelector('#gallery .hidden-note');
  assert.equal(note.textContent, '<b>1</b> older output of this prompt is not shown.');
  assert.equal(note.children.length, 0, 'the note is text, not markup');
  page.send({ type: 'status', status: 'success' });
  assert.equal(page.doc.querySelector('.status').textContent, 'Finished');
  assert.equal(page.doc.querySelectorAll('#gallery figure').length, 2, 'a status change keeps the items');
  page.send({ type: 'items', items: [{ id: 'x', nodeId: 1 }] });
  assert.equal(page.doc.querySelectorAll('#gallery figure').length, 2, 'a malformed delta is ignored');
});

test('the page speaks the editor’s language: labels from the host, English for anything missing or malformed', async () => {
  const labels = { success: '已完成', save: '保存', saveTitle: '保存到工作区', noOutputs: '还没有输出。', open: 42, close: '<b>关闭</b>' } as unknown as Record<
    string,
    string
  >;
  const page = boot(await bundle(), undefined, labels);
  page.send({ type: 'state', state: state() });
  assert.equal(page.doc.querySelector('.status').textContent, '已完成');
  const buttons = [...page.doc.querySelectorAll('#gallery figure')[0].querySelectorAll('button')];
  assert.deepEqual(
    buttons.slice(0, 2).map((b: any) => [b.textContent, b.title]),
    [
      ['Open', 'Open in an editor tab'],
      ['保存', '保存到工作区'],
    ],
    'a label that is not a string stays English',
  );
  page.send({ type: 'state', state: state({ items: [] }) });
  assert.equal(page.doc.querySelector('#gallery .empty').textContent, '还没有输出。');
  assert.equal(page.doc.querySelectorAll('b').length, 0, 'labels are text, never markup');
});
