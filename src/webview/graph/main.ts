// Entry of the graph webview (bundled to dist/webview/graph.js). It draws the SVG tree the host posts (the core's
// SVG writer, theme `vscode` = the editor's colours) as one SVG built with createElementNS/textContent,
// pans and zooms by changing one CSS transform per animation frame, and posts back clicks and keys. It never talks
// to a server: thumbnails arrive as webview URIs of files the host cached.
//
// Large graphs (`npm run bench -- webview` measures first render, pan and zoom on 1,000 nodes; figures in
// docs/ARCHITECTURE.md):
// - The view is a CSS transform on a wrapper with `will-change: transform` while a gesture lasts, so a pan or zoom
//   moves painted tiles instead of repainting the SVG (the `transform` attribute of an SVG group repaints everything
//   in view each frame). `will-change` is dropped once the view rests, so the layer is painted sharp at the new zoom.
// - Level of detail, as ComfyUI's own canvas does: zoomed out on a large graph, labels too small to read are not
//   drawn.
import {
  decodeSvgTree,
  isGraphHostMessage,
  isThumbnail,
  type GraphHostMessage,
  type GraphPageMessage,
  type NodeRunState,
  type OutlineNode,
  type SceneOutline,
  type Thumbnail,
} from '../../shared/graphProtocol';
import { adoptStyle, SVG_NS, toDom } from './dom';
import './graph.css';

interface VsCodeApi {
  postMessage(message: GraphPageMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Below this zoom slot names, widget rows and class names are hidden (under 8 px on screen); below LOD_2 titles too. */
const LOD_1 = 0.6;
const LOD_2 = 0.35;
/** Graphs with fewer nodes keep every label at every zoom. */
const LOD_MIN_NODES = 150;

const vscode = acquireVsCodeApi();
const $ = (id: string): HTMLElement => document.getElementById(id) as HTMLElement;
const crumbs = $('crumbs');
const canvas = $('canvas');
const minimap = $('minimap');
const notice = $('notice');

let scene: SceneOutline | undefined;
let order: string[] = [];
/** Wraps the SVG; its CSS transform is the view. The SVG has the size of its viewBox (canvas units = CSS pixels). */
let stage: HTMLDivElement | undefined;
/** The viewBox origin: canvas point (x, y) is at (x - origin.x, y - origin.y) inside the stage. */
let origin = { x: 0, y: 0 };
let resting: ReturnType<typeof setTimeout> | undefined;
let nodeEls = new Map<string, SVGGElement>();
let view = { x: 0, y: 0, k: 1 };
let frame = 0;
let focused: string | undefined;
let highlighted: string | undefined;
let run: NodeRunState | undefined;
let thumbs: Thumbnail[] = [];

const post = (m: GraphPageMessage): void => vscode.postMessage(m);

function applyView(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    if (stage) {
      stage.classList.add('moving');
      stage.style.transform = `translate(${view.x + origin.x * view.k}px, ${view.y + origin.y * view.k}px) scale(${view.k})`;
      clearTimeout(resting);
      resting = setTimeout(() => stage?.classList.remove('moving'), 200);
      // Level of detail, as ComfyUI's own canvas does when zoomed out: in a large graph, text too small to read is not
      // drawn. A small graph paints fast at any zoom, so it keeps every label.
      const svg = stage.firstElementChild;
      const large = (scene?.nodes.length ?? 0) >= LOD_MIN_NODES;
      svg?.classList.toggle('lod-1', large && view.k < LOD_1);
      svg?.classList.toggle('lod-2', large && view.k < LOD_2);
    }
    drawMinimapViewport();
  });
}

function fit(): void {
  if (!scene) return;
  const b = scene.bounds;
  const w = canvas.clientWidth || 800,
    h = canvas.clientHeight || 600;
  const k = Math.min(2, Math.max(0.05, Math.min(w / (b.w + 80), h / (b.h + 80))));
  view = { k, x: (w - b.w * k) / 2 - b.x * k, y: (h - b.h * k) / 2 - b.y * k };
  applyView();
}

function zoomAt(factor: number, cx: number, cy: number): void {
  const k = Math.min(4, Math.max(0.05, view.k * factor));
  const f = k / view.k;
  view = { k, x: cx - (cx - view.x) * f, y: cy - (cy - view.y) * f };
  applyView();
}

function centerOn(n: OutlineNode): void {
  const w = canvas.clientWidth,
    h = canvas.clientHeight;
  const sx = n.x * view.k + view.x,
    sy = n.y * view.k + view.y;
  if (sx >= 0 && sy >= 0 && sx + n.w * view.k <= w && sy + n.h * view.k <= h) return;
  view = { ...view, x: w / 2 - (n.x + n.w / 2) * view.k, y: h / 2 - (n.y + n.h / 2) * view.k };
  applyView();
}

function renderScene(m: Extract<GraphHostMessage, { type: 'scene' }>): void {
  // The tree comes as UTF-8 JSON bytes (one buffer through the host); the outline next to it has the boxes.
  const decoded = decodeSvgTree(m.tree);
  if (!decoded) return;
  scene = m.scene;
  order = m.order;
  notice.hidden = true;
  const tree = { ...decoded, attrs: { ...decoded.attrs } };
  // The page pans with a CSS transform on a wrapper: the SVG keeps its viewBox at one CSS pixel per canvas unit, and
  // loses the canvas-sized background (the page's own background shows through).
  const style = (tree.children ?? []).find((c) => c.tag === 'style');
  if (style?.text) adoptStyle(document, style.text);
  tree.children = (tree.children ?? []).filter((c) => c.attrs.class !== 'graph-bg' && c.tag !== 'style');
  const [vx = 0, vy = 0, vw = 1, vh = 1] = String(tree.attrs.viewBox ?? '')
    .split(' ')
    .map(Number)
    .map((n) => (Number.isFinite(n) ? n : 0));
  origin = { x: vx, y: vy };
  const el = toDom(document, tree) as SVGSVGElement;
  el.setAttribute('width', String(Math.max(1, vw)));
  el.setAttribute('height', String(Math.max(1, vh)));
  el.setAttribute('tabindex', '0');
  stage = document.createElement('div');
  stage.id = 'stage';
  stage.appendChild(el);
  canvas.replaceChildren(stage);
  nodeEls = new Map();
  for (const g of el.querySelectorAll<SVGGElement>('g[data-node-id]')) nodeEls.set(g.getAttribute('data-node-id')!, g);
  renderCrumbs(m.title);
  drawMinimap();
  applyRun();
  applyThumbs();
  setHighlight(highlighted);
  if (focused && nodeEls.has(focused)) nodeEls.get(focused)!.classList.add('focused');
  if (m.keepViewport) applyView();
  else fit();
}

function renderCrumbs(title: string): void {
  const items: HTMLElement[] = [];
  const root = document.createElement('button');
  root.textContent = title;
  root.addEventListener('click', () => post({ type: 'up', depth: 0 }));
  items.push(root);
  scene?.breadcrumb.forEach((b, i) => {
    const sep = document.createElement('span');
    sep.textContent = ' › ';
    const btn = document.createElement('button');
    btn.textContent = b.title;
    btn.addEventListener('click', () => post({ type: 'up', depth: i + 1 }));
    items.push(sep, btn);
  });
  crumbs.replaceChildren(...items);
}

// ---- minimap -------------------------------------------------------------------------------------------------

let miniScale = 1;
let miniView: SVGRectElement | undefined;

function drawMinimap(): void {
  if (!scene) return;
  const b = scene.bounds;
  const W = 180,
    H = 120;
  miniScale = Math.min(W / Math.max(b.w, 1), H / Math.max(b.h, 1));
  const m = document.createElementNS(SVG_NS, 'svg');
  m.setAttribute('width', String(W));
  m.setAttribute('height', String(H));
  const g = document.createElementNS(SVG_NS, 'g');
  g.setAttribute('transform', `scale(${miniScale}) translate(${-b.x},${-b.y})`);
  for (const n of scene.nodes) {
    const r = document.createElementNS(SVG_NS, 'rect');
    r.setAttribute('x', String(n.x));
    r.setAttribute('y', String(n.y));
    r.setAttribute('width', String(n.w));
    r.setAttribute('height', String(n.h));
    r.setAttribute('class', `mini-node${n.problems.length ? ' mini-problem' : ''}`);
    g.appendChild(r);
  }
  miniView = document.createElementNS(SVG_NS, 'rect');
  miniView.setAttribute('class', 'mini-view');
  g.appendChild(miniView);
  m.appendChild(g);
  minimap.replaceChildren(m);
  drawMinimapViewport();
}

function drawMinimapViewport(): void {
  if (!miniView) return;
  miniView.setAttribute('x', String(-view.x / view.k));
  miniView.setAttribute('y', String(-view.y / view.k));
  miniView.setAttribute('width', String(canvas.clientWidth / view.k));
  miniView.setAttribute('height', String(canvas.clientHeight / view.k));
  miniView.setAttribute('stroke-width', String(2 / miniScale));
}

minimap.addEventListener('click', (e) => {
  if (!scene) return;
  const r = minimap.getBoundingClientRect();
  const x = (e.clientX - r.left) / miniScale + scene.bounds.x;
  const y = (e.clientY - r.top) / miniScale + scene.bounds.y;
  view = { ...view, x: canvas.clientWidth / 2 - x * view.k, y: canvas.clientHeight / 2 - y * view.k };
  applyView();
});

// ---- state overlays --------------------------------------------------------------------------------------------

function setHighlight(id: string | undefined): void {
  if (highlighted) nodeEls.get(highlighted)?.classList.remove('highlight');
  highlighted = id;
  const el = id ? nodeEls.get(id) : undefined;
  if (!el) return;
  el.classList.add('highlight');
  const n = scene?.nodes.find((x) => x.id === id);
  if (n) centerOn(n);
}

function applyRun(): void {
  for (const el of nodeEls.values()) {
    el.classList.remove('run-executing', 'run-cached', 'run-done', 'run-failed');
    el.querySelector('.run-progress')?.remove();
  }
  if (!run || !scene) return;
  const mark = (ids: string[], cls: string): void => {
    for (const id of ids) nodeEls.get(id)?.classList.add(cls);
  };
  mark(run.cached, 'run-cached');
  mark(run.done, 'run-done');
  mark(run.failed, 'run-failed');
  const ex = run.executing;
  const el = ex ? nodeEls.get(ex.nodeId) : undefined;
  const node = ex ? scene.nodes.find((n) => n.id === ex.nodeId) : undefined;
  if (!ex || !el || !node) return;
  el.classList.add('run-executing');
  const g = document.createElementNS(SVG_NS, 'g');
  g.setAttribute('class', 'run-progress');
  if (ex.max && ex.max > 0) {
    const bar = document.createElementNS(SVG_NS, 'rect');
    bar.setAttribute('x', '0');
    bar.setAttribute('y', String(node.h - 4));
    bar.setAttribute('height', '4');
    bar.setAttribute('width', String((node.w * Math.min(ex.value ?? 0, ex.max)) / ex.max));
    const label = document.createElementNS(SVG_NS, 'text');
    label.setAttribute('class', 'run-steps');
    label.setAttribute('x', String(node.w - 10));
    label.setAttribute('y', '-6');
    label.setAttribute('text-anchor', 'end');
    label.textContent = `${ex.value ?? 0}/${ex.max}`;
    g.append(bar, label);
  }
  el.appendChild(g);
}

function applyThumbs(): void {
  for (const el of nodeEls.values()) for (const t of el.querySelectorAll('.thumb, .thumb-count')) t.remove();
  if (!scene) return;
  for (const t of thumbs) {
    const el = nodeEls.get(t.nodeId);
    if (!el) continue;
    const img = document.createElementNS(SVG_NS, 'image');
    img.setAttribute('class', 'thumb');
    img.setAttribute('href', t.src);
    img.setAttribute('x', String(t.box.x));
    img.setAttribute('y', String(t.box.y));
    img.setAttribute('width', String(t.box.w));
    img.setAttribute('height', String(t.box.h));
    img.setAttribute('preserveAspectRatio', 'xMidYMin meet');
    el.appendChild(img);
    if (t.total > 1) {
      const more = document.createElementNS(SVG_NS, 'text');
      more.setAttribute('class', 'thumb-count');
      more.setAttribute('x', String(t.box.x + t.box.w - 4));
      more.setAttribute('y', String(t.box.y + 14));
      more.setAttribute('text-anchor', 'end');
      more.textContent = `1/${t.total}`;
      el.appendChild(more);
    }
  }
}

function focusNode(id: string | undefined): void {
  if (focused) nodeEls.get(focused)?.classList.remove('focused');
  focused = id;
  if (!id) return;
  nodeEls.get(id)?.classList.add('focused');
  const n = scene?.nodes.find((x) => x.id === id);
  if (n) centerOn(n);
}

// ---- input --------------------------------------------------------------------------------------------------

const nodeIdOf = (t: EventTarget | null): string | undefined =>
  t instanceof Element ? (t.closest('g[data-node-id]')?.getAttribute('data-node-id') ?? undefined) : undefined;

let drag: { x: number; y: number; vx: number; vy: number; moved: boolean } | undefined;

canvas.addEventListener('pointerdown', (e) => {
  drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false };
  canvas.setPointerCapture(e.pointerId);
});
canvas.addEventListener('pointermove', (e) => {
  if (!drag) return;
  const dx = e.clientX - drag.x,
    dy = e.clientY - drag.y;
  if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
  if (!drag.moved) return;
  view = { ...view, x: drag.vx + dx, y: drag.vy + dy };
  applyView();
});
canvas.addEventListener('pointerup', (e) => {
  const wasDrag = drag?.moved;
  drag = undefined;
  if (wasDrag) return;
  const target = document.elementFromPoint(e.clientX, e.clientY);
  const badge = target instanceof Element ? target.closest('.badge') : null;
  const id = nodeIdOf(target);
  if (!id) return;
  focusNode(id);
  const node = scene?.nodes.find((n) => n.id === id);
  const offset = node?.problems.find((p) => p.offset !== undefined)?.offset;
  if (badge && offset !== undefined) post({ type: 'problem', offset });
  else post({ type: 'reveal', nodeId: id });
});
canvas.addEventListener('dblclick', (e) => {
  // The pointer is captured by the canvas (pointerdown), so the event's target is the canvas: ask what is under it.
  const id = nodeIdOf(document.elementFromPoint(e.clientX, e.clientY));
  const node = id ? scene?.nodes.find((n) => n.id === id) : undefined;
  if (node?.drill !== undefined) post({ type: 'open', nodeId: node.drill });
});
canvas.addEventListener(
  'wheel',
  (e) => {
    e.preventDefault();
    const r = canvas.getBoundingClientRect();
    zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
  },
  { passive: false },
);

document.addEventListener('keydown', (e) => {
  if (e.key === 'Tab' && order.length > 0) {
    e.preventDefault();
    const i = focused ? order.indexOf(focused) : -1;
    const next = e.shiftKey ? (i <= 0 ? order.length - 1 : i - 1) : (i + 1) % order.length;
    focusNode(order[next]);
  } else if (e.key === 'Enter' && focused) {
    const node = scene?.nodes.find((n) => n.id === focused);
    if (e.altKey && node?.drill !== undefined) post({ type: 'open', nodeId: node.drill });
    else post({ type: 'reveal', nodeId: focused });
  } else if ((e.key === 'Backspace' || e.key === 'Escape') && scene && scene.breadcrumb.length > 0) {
    post({ type: 'up', depth: scene.breadcrumb.length - 1 });
  } else if (e.key === 'f' || e.key === '0') fit();
  else if (e.key === '+' || e.key === '=') zoomAt(1.2, canvas.clientWidth / 2, canvas.clientHeight / 2);
  else if (e.key === '-') zoomAt(1 / 1.2, canvas.clientWidth / 2, canvas.clientHeight / 2);
});

$('fit').addEventListener('click', fit);
$('zoomIn').addEventListener('click', () => zoomAt(1.2, canvas.clientWidth / 2, canvas.clientHeight / 2));
$('zoomOut').addEventListener('click', () => zoomAt(1 / 1.2, canvas.clientWidth / 2, canvas.clientHeight / 2));
window.addEventListener('resize', () => drawMinimapViewport());

window.addEventListener('message', (ev: MessageEvent) => {
  const m: unknown = ev.data;
  if (!isGraphHostMessage(m)) return;
  switch (m.type) {
    case 'scene':
      renderScene(m);
      break;
    case 'highlight':
      setHighlight(m.nodeId);
      break;
    case 'run':
      run = m.state;
      applyRun();
      break;
    case 'thumbnails':
      thumbs = m.items.filter(isThumbnail);
      applyThumbs();
      break;
    case 'message':
      notice.textContent = m.text;
      notice.hidden = false;
      break;
  }
});

post({ type: 'ready' });
