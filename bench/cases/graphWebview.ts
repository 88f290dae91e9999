// The graph webview on 1,000 nodes, in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core, no
// GPU: software rasterisation, slower than VS Code's own webviews). The page is the shipped one (dist/webview/graph.js
// and graph.css, the same HTML and CSP as the panel), served from loopback; `acquireVsCodeApi` is a stub, and the
// scene message is the one the host posts for the bench's 1,000-node UI workflow (./graph.ts).
//
// Three lines:
// - first render: from posting the scene message to the first frame after it was drawn (SVG built, minimap, fit);
// - pan: frame intervals while the mouse drags the canvas for about four seconds, after zooming in and a pause;
// - zoom: frame intervals while the wheel zooms in and out.
// "Smooth" here means frames keep coming at the display rate: median interval ≤ 17 ms (60 fps), p95 ≤ 33 ms.
// Runs when the bench filter is empty or names "webview"; without Chromium or a build it prints why it skipped.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import type { BenchInputs } from '../inputs';
import { drawWorkflowText } from '../../src/core/graph-view/drawing';
import type { ObjectInfo } from '../../src/core/comfy/types';
import { renderGraphHtml } from '../../src/vscode/graphView/html';
import { CHROMIUM_ARGS } from '../../test/e2e/harness/env';
import { CHROMIUM_PATH } from '../../test/e2e/harness/paths';
import { thousandNodeUiDocument } from './graph';
import { quantile, round } from '../stats';

const DIST = resolve(__dirname, '..', '..', 'dist', 'webview');
const NAME = 'graph webview';
const NONCE = 'benchbenchbenchbenchbe==';
// In-page code is plain JavaScript text: tsx would compile functions passed to page.evaluate with helpers (`__name`)
// that do not exist in the page. The stub records what the page posts; the loop records every animation frame.
const PAGE_STUB = `
  window.__posted = [];
  window.__frames = [];
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => undefined });
  const loop = (t) => { window.__frames.push(t); requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
  window.__firstRender = (m) => new Promise((done, fail) => {
    document.getElementById('canvas').replaceChildren();
    m = { ...m, tree: new Uint8Array(m.tree) };
    setTimeout(() => fail(new Error('the page drew nothing within 60 s')), 60000);
    const t0 = performance.now();
    window.postMessage(m, '*');
    const check = () => {
      if (document.querySelector('#canvas svg')) requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
      else setTimeout(check, 0);
    };
    setTimeout(check, 0);
  });
`;

export async function register(inputs: BenchInputs): Promise<void> {
  const filter = process.argv[2];
  if (filter && !filter.split(',').some((f) => ['first render', 'pan', 'zoom'].some((c) => `${NAME}: ${c}`.includes(f)))) return;
  const missing = [join(DIST, 'graph.js'), join(DIST, 'graph.css'), CHROMIUM_PATH].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    console.log(JSON.stringify({ case: `${NAME}: skipped`, reason: `missing ${missing.join(', ')} (npm run build; apt-get install chromium)` }));
    return;
  }
  const objectInfo = JSON.parse(inputs.objectInfoText) as ObjectInfo;
  const { doc } = thousandNodeUiDocument(inputs, objectInfo);
  // What the panel posts: the worker's drawing (the tree as UTF-8 JSON bytes, sent here as a plain array and turned
  // back into a Uint8Array in the page before the clock starts).
  const drawing = drawWorkflowText(doc.text, { objectInfo: objectInfo as Record<string, unknown>, level: [], problems: [], theme: 'vscode', fluid: true })!;
  const message = { type: 'scene', scene: drawing.outline, tree: Array.from(drawing.tree), order: drawing.order, keepViewport: false, title: 'bench.json' };

  const server = await serve();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    await page.addInitScript(PAGE_STUB);
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await page.goto(`${origin}/`);
    await page.waitForFunction('window.__posted.some((m) => m.type === "ready")');

    const renders: number[] = [];
    for (let i = 0; i < 6; i++) renders.push(await firstRender(page, message));
    const nodes = await page.evaluate<number>('document.querySelectorAll("#canvas g[data-node-id]").length');
    print(`${NAME}: first render of a ${nodes}-node UI workflow (scene message → drawn, fitted and painted)`, renders.slice(1), { maxMedianMs: 500 });

    // Zoom in first so the drag moves a dense part of the graph across the view, not a speck; then pause as a user
    // does (the page paints the new zoom level once the view rests).
    await page.mouse.move(640, 420);
    for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -120);
    await page.waitForTimeout(1500);
    const pan = await frameIntervals(page, async () => {
      await page.mouse.down();
      for (let i = 0; i < 4; i++) {
        await page.mouse.move(640 + (i % 2 ? 0 : -500), 420 + (i % 2 ? 0 : -250), { steps: 60 });
      }
      await page.mouse.up();
    });
    print(`${NAME}: pan on ${nodes} nodes (frame interval while dragging)`, pan.intervals, { maxMedianMs: 17, maxP95Ms: 33 }, pan.extra);
    const zoom = await frameIntervals(page, async () => {
      for (let i = 0; i < 40; i++) {
        await page.mouse.wheel(0, i < 20 ? 60 : -60);
        await page.waitForTimeout(16);
      }
    });
    print(`${NAME}: zoom on ${nodes} nodes (frame interval while the wheel turns)`, zoom.intervals, { maxMedianMs: 17, maxP95Ms: 33 }, zoom.extra);
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

/** Posts the scene and waits for the first animation frame after the SVG is in the page; returns the time taken. */
async function firstRender(page: Page, message: unknown): Promise<number> {
  return page.evaluate((m) => (globalThis as unknown as { __firstRender(m: unknown): Promise<number> }).__firstRender(m), message);
}

/** rAF timestamps recorded by the page while `act` runs → the intervals between consecutive frames. */
async function frameIntervals(page: Page, act: () => Promise<void>): Promise<{ intervals: number[]; extra: Record<string, number> }> {
  const start = await page.evaluate<number>('window.__frames.length');
  const t0 = Date.now();
  await act();
  const ms = Date.now() - t0;
  const frames = await page.evaluate<number[]>(`window.__frames.slice(${start})`);
  const intervals = frames.slice(1).map((t, i) => t - frames[i]!);
  return { intervals, extra: { frames: frames.length, duration_ms: ms, slow_frames_over_33ms: intervals.filter((d) => d > 33.4).length } };
}

function print(name: string, times: number[], target: Record<string, number>, extra: Record<string, number> = {}): void {
  const sorted = [...times].sort((a, b) => a - b);
  const q = (p: number): number => quantile(sorted, p);
  console.log(
    JSON.stringify({
      case: name,
      median_ms: round(q(0.5)),
      p95_ms: round(q(0.95)),
      baseline: null,
      baseline_median_ms: null,
      ratio: null,
      target,
      max_ms: round(sorted.at(-1) ?? NaN),
      ...extra,
    }),
  );
}

/** Loopback server for the page: the panel's HTML (CSP and nonce as in the product) and the two built files. */
function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    const file = req.url === '/graph.js' ? 'graph.js' : req.url === '/graph.css' ? 'graph.css' : undefined;
    if (file) {
      res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/css' });
      res.end(readFileSync(join(DIST, file)));
      return;
    }
    const html = renderGraphHtml({
      cspSource: origin,
      scriptUri: `${origin}/graph.js`,
      styleUri: `${origin}/graph.css`,
      nonce: NONCE,
      labels: { fit: 'Fit', zoomIn: 'Zoom in', zoomOut: 'Zoom out', minimap: 'Minimap' },
    });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}
