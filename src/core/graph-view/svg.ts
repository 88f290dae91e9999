// Scene → SVG. Every node is `<g class="node" data-node-id="<id as in the file>">`, every link
// `<path class="link" data-from="<id>:<slot>" data-to="<id>:<input name>">`; all file text is XML-escaped text.
// Themes: `light`/`dark` carry their own colours (standalone files); `vscode` uses the editor's CSS variables
// (the webview), so the graph follows the user's colour theme.
import { MAX_WIDGET_ROWS, SLOT_H, TITLE_H, WIDGET_H, slotY, type Scene, type SceneLink, type SceneNode } from './scene';
import { el, serialize, type SvgElement } from './svgTree';
import { typeColor } from './typeColors';

export type GraphTheme = 'light' | 'dark' | 'vscode';

interface Palette {
  background: string;
  node: string;
  title: string;
  text: string;
  muted: string;
  border: string;
  group: string;
  error: string;
  warning: string;
  info: string;
}

const PALETTES: Record<GraphTheme, Palette> = {
  dark: {
    background: '#202020',
    node: '#353535',
    title: '#2b2b2b',
    text: '#e0e0e0',
    muted: '#9a9a9a',
    border: '#111',
    group: '#3f789e',
    error: '#f14c4c',
    warning: '#cca700',
    info: '#3794ff',
  },
  light: {
    background: '#f7f7f7',
    node: '#ffffff',
    title: '#e8e8e8',
    text: '#1f1f1f',
    muted: '#666',
    border: '#b0b0b0',
    group: '#3f789e',
    error: '#e51400',
    warning: '#bf8803',
    info: '#1a85ff',
  },
  vscode: {
    background: 'var(--vscode-editor-background)',
    node: 'var(--vscode-editorWidget-background)',
    title: 'var(--vscode-sideBarSectionHeader-background, var(--vscode-editorGroupHeader-tabsBackground))',
    text: 'var(--vscode-editor-foreground)',
    muted: 'var(--vscode-descriptionForeground)',
    border: 'var(--vscode-editorWidget-border, var(--vscode-contrastBorder, #555))',
    group: 'var(--vscode-textLink-foreground)',
    error: 'var(--vscode-editorError-foreground)',
    warning: 'var(--vscode-editorWarning-foreground)',
    info: 'var(--vscode-editorInfo-foreground)',
  },
};

export interface SvgOptions {
  theme?: GraphTheme;
  /** Omit width/height (the webview sizes the SVG itself). */
  fluid?: boolean;
}

const PAD = 40;

function style(p: Palette): string {
  return [
    `.graph-bg{fill:${p.background}}`,
    `.node-body{fill:${p.node};stroke:${p.border};stroke-width:1}`,
    `.node-title{fill:${p.title}}`,
    `text{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;font-size:12px;fill:${p.text}}`,
    `.node-title-text{font-weight:600;font-size:13px}`,
    `.node-class,.widget-name,.more{fill:${p.muted};font-size:11px}`,
    `.slot-name{font-size:11px}`,
    `.group-rect{fill-opacity:.15;stroke-opacity:.6}`,
    `.group-title{font-size:16px;font-weight:600}`,
    `.link{fill:none;stroke-width:2.5;stroke-opacity:.9}`,
    `.mode-muted{opacity:.45}`,
    `.mode-bypassed .node-body{fill:#7a3f8f;fill-opacity:.6}`,
    `.kind-reroute .node-body{rx:12}`,
    `.drill-hint{fill:${p.muted};font-size:11px}`,
    `.badge-error circle{fill:${p.error}}.badge-warning circle{fill:${p.warning}}.badge-information circle,.badge-hint circle{fill:${p.info}}`,
    `.badge text{fill:#fff;font-size:11px;font-weight:700}`,
  ].join('');
}

/** Cubic curve between two slot points, bending horizontally like the web UI's spline links. */
export function linkPath(points: readonly (readonly [number, number])[]): string {
  if (points.length < 2) return '';
  let d = `M${r(points[0]![0])},${r(points[0]![1])}`;
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1]!;
    const [x1, y1] = points[i]!;
    const k = Math.max(Math.abs(x1 - x0) * 0.5, 40);
    d += ` C${r(x0 + k)},${r(y0)} ${r(x1 - k)},${r(y1)} ${r(x1)},${r(y1)}`;
  }
  return d;
}

const r = (n: number): number => Math.round(n * 10) / 10;

function worstSeverity(node: SceneNode): string {
  const order = ['error', 'warning', 'information', 'hint'];
  let best = 3;
  for (const p of node.problems) best = Math.min(best, order.indexOf(p.severity));
  return order[best]!;
}

export function nodeElement(n: SceneNode): SvgElement {
  const children: SvgElement[] = [];
  const bodyAttrs: Record<string, string | number> = { class: 'node-body', x: 0, y: 0, width: r(n.w), height: r(n.h), rx: 6 };
  if (n.bgcolor) bodyAttrs.style = `fill:${n.bgcolor}`;
  children.push(el('rect', bodyAttrs));
  const titleAttrs: Record<string, string | number> = { class: 'node-title', x: 0, y: 0, width: r(n.w), height: TITLE_H, rx: 6 };
  if (n.color) titleAttrs.style = `fill:${n.color}`;
  if (n.kind !== 'reroute') children.push(el('rect', titleAttrs));
  children.push(el('text', { class: 'node-title-text', x: 10, y: 19 }, n.kind === 'reroute' ? '' : n.title));
  if (!n.collapsed) {
    n.inputs.forEach((s, i) => {
      const y = slotY(n, i) - n.y;
      children.push(
        el('circle', {
          class: 'slot slot-in',
          cx: 0,
          cy: r(y),
          r: 4.5,
          fill: s.linked ? typeColor(s.type) : 'none',
          stroke: typeColor(s.type),
          'stroke-width': 1.5,
        }),
      );
      if (n.kind !== 'reroute') children.push(el('text', { class: 'slot-name', x: 10, y: r(y + 4) }, s.name));
    });
    n.outputs.forEach((s, i) => {
      const y = slotY(n, i) - n.y;
      children.push(
        el('circle', {
          class: 'slot slot-out',
          cx: r(n.w),
          cy: r(y),
          r: 4.5,
          fill: s.linked ? typeColor(s.type) : 'none',
          stroke: typeColor(s.type),
          'stroke-width': 1.5,
        }),
      );
      if (n.kind !== 'reroute') children.push(el('text', { class: 'slot-name', x: r(n.w - 10), y: r(y + 4), 'text-anchor': 'end' }, s.name));
    });
    let y = TITLE_H + SLOT_H * Math.max(n.inputs.length, n.outputs.length) + 14;
    const maxRows = Math.min(MAX_WIDGET_ROWS, Math.floor((n.h - y + 4) / WIDGET_H) + 1);
    const rows = n.widgets.slice(0, Math.max(0, maxRows));
    for (const w of rows) {
      const t = el('text', { class: 'widget', x: 10, y: r(y) }, []);
      if (w.name) t.children!.push(el('tspan', { class: 'widget-name' }, `${w.name}: `));
      t.children!.push(el('tspan', { class: 'widget-value' }, w.value));
      children.push(t);
      y += WIDGET_H;
    }
    const more = n.hiddenWidgets + n.widgets.length - rows.length;
    if (more > 0 && y < n.h + 4) children.push(el('text', { class: 'more', x: 10, y: r(y) }, `+${more} more`));
    if (n.classType !== n.title && n.kind !== 'reroute' && n.kind !== 'io') {
      children.push(el('text', { class: 'node-class', x: r(n.w - 8), y: r(n.h - 6), 'text-anchor': 'end' }, n.classType));
    }
  }
  if (n.drill !== undefined) children.push(el('text', { class: 'drill-hint', x: r(n.w - 10), y: 19, 'text-anchor': 'end' }, '⤢'));
  if (n.problems.length > 0) {
    const sev = worstSeverity(n);
    const messages = n.problems.map((p) => p.message).join('\n');
    children.push(
      el('g', { class: `badge badge-${sev}`, transform: `translate(${r(n.w)},0)` }, [
        el('title', {}, messages),
        el('circle', { cx: 0, cy: 0, r: 10 }),
        el('text', { x: 0, y: 4, 'text-anchor': 'middle' }, String(n.problems.length)),
      ]),
    );
  }
  const cls = `node kind-${n.kind} mode-${n.mode}${n.collapsed ? ' collapsed' : ''}${n.problems.length ? ' has-problems' : ''}`;
  return el('g', { class: cls, 'data-node-id': n.id, transform: `translate(${r(n.x)},${r(n.y)})` }, children);
}

export function linkElement(l: SceneLink): SvgElement {
  return el('path', {
    class: 'link',
    'data-from': `${l.from}:${l.fromSlot}`,
    'data-to': `${l.to}:${l.toInput}`,
    d: linkPath(l.points),
    stroke: typeColor(l.type),
  });
}

/** The scene as an SVG element tree (the content inside the viewport group is in canvas coordinates). */
export function sceneToSvgTree(scene: Scene, options: SvgOptions = {}): SvgElement {
  const p = PALETTES[options.theme ?? 'dark'];
  const b = scene.bounds;
  const vx = r(b.x - PAD),
    vy = r(b.y - PAD),
    vw = r(b.w + 2 * PAD),
    vh = r(b.h + 2 * PAD);
  const groups = scene.groups.map((g) =>
    el('g', { class: 'group' }, [
      el('rect', { class: 'group-rect', x: r(g.x), y: r(g.y), width: r(g.w), height: r(g.h), fill: g.color ?? p.group, stroke: g.color ?? p.group, rx: 4 }),
      el('text', { class: 'group-title', x: r(g.x + 10), y: r(g.y + 22) }, g.title),
    ]),
  );
  const reroutes = scene.reroutes.map((x) => el('circle', { class: 'reroute', 'data-reroute-id': x.id, cx: r(x.x), cy: r(x.y), r: 5, fill: p.muted }));
  const attrs: Record<string, string | number> = {
    xmlns: 'http://www.w3.org/2000/svg',
    class: `comfy-graph theme-${options.theme ?? 'dark'}`,
    viewBox: `${vx} ${vy} ${vw} ${vh}`,
  };
  if (!options.fluid) {
    attrs.width = vw;
    attrs.height = vh;
  }
  return el('svg', attrs, [
    el('style', {}, style(p)),
    el('rect', { class: 'graph-bg', x: vx, y: vy, width: vw, height: vh }),
    el('g', { class: 'viewport' }, [
      el('g', { class: 'groups' }, groups),
      el('g', { class: 'links' }, scene.links.map(linkElement)),
      el('g', { class: 'reroutes' }, reroutes),
      el('g', { class: 'nodes' }, scene.nodes.map(nodeElement)),
    ]),
  ]);
}

export function renderSvg(scene: Scene, options: SvgOptions = {}): string {
  return `${serialize(sceneToSvgTree(scene, options))}\n`;
}
