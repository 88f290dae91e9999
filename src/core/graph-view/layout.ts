// Automatic left-to-right layered layout (API prompts, group-node interiors, nodes without a saved position) with
// @dagrejs/dagre: the Sugiyama pipeline (cycle removal, network-simplex ranking, barycentric crossing reduction,
// Brandes–Köpf placement) in 36 KB. In dist/extension.js the import resolves to a stand-in that loads dist/dagre.js
// on first use (src/vscode/bundle/plugins.mjs), so activation never pays for it.
//
// dagre's cost grows much faster than linearly with the size of one graph (crossing reduction sweeps every rank
// each time), while real prompts are mostly several independent chains (the bench's 500-node prompt is dozens of
// workflows). So each connected component is laid out on its own and the components are packed in columns, and
// dagre is used while the whole graph has at most DAGRE_MAX_NODES nodes (measured ≈ 1–1.5 ms of CPU per node
// on the bench machine); larger graphs get ./layered.ts, a linear-time layered layout of the same shape, so a
// 500-node prompt stays within its 100 ms budget.
import * as dagre from '@dagrejs/dagre';
import { layeredLayout } from './layered';
import type { SceneNode } from './scene';

export interface LayoutEdge {
  from: string;
  to: string;
}

const COMPONENT_GAP = 60;
export const DAGRE_MAX_NODES = 80;

/** Positions `nodes` (x/y) left to right along `edges`; w/h are kept. Edges to unknown ids are ignored. */
export function layoutLayered(nodes: SceneNode[], edges: readonly LayoutEdge[]): void {
  if (nodes.length === 0) return;
  const index = new Map<string, number>();
  nodes.forEach((n, i) => index.set(n.id, i));
  const parent = nodes.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const valid: [number, number][] = [];
  for (const e of edges) {
    const a = index.get(e.from),
      b = index.get(e.to);
    if (a === undefined || b === undefined || a === b) continue;
    valid.push([a, b]);
    parent[find(a)] = find(b);
  }
  const comps = new Map<number, { nodes: number[]; edges: [number, number][] }>();
  nodes.forEach((_, i) => {
    const root = find(i);
    let c = comps.get(root);
    if (!c) comps.set(root, (c = { nodes: [], edges: [] }));
    c.nodes.push(i);
  });
  for (const e of valid) comps.get(find(e[0]))!.edges.push(e);

  const boxes: { nodes: number[]; w: number; h: number }[] = [];
  const useDagre = nodes.length <= DAGRE_MAX_NODES;
  for (const c of comps.values()) {
    const size = useDagre ? layoutComponent(nodes, c.nodes, c.edges) : layeredLayout(nodes, c.nodes, c.edges);
    boxes.push({ nodes: c.nodes, ...size });
  }
  packColumns(nodes, boxes);
}

/** Lays one component out at the origin; returns its size. */
function layoutComponent(nodes: SceneNode[], members: number[], edges: [number, number][]): { w: number; h: number } {
  if (members.length === 1) {
    const n = nodes[members[0]!]!;
    n.x = 0;
    n.y = 0;
    return { w: n.w, h: n.h };
  }
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 70, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const i of members) g.setNode(String(i), { width: nodes[i]!.w, height: nodes[i]!.h });
  for (const [a, b] of edges) g.setEdge(String(a), String(b));
  dagre.layout(g);
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const i of members) {
    const n = nodes[i]!;
    const p = g.node(String(i)) as { x: number; y: number };
    n.x = Math.round(p.x - n.w / 2);
    n.y = Math.round(p.y - n.h / 2);
    x0 = Math.min(x0, n.x);
    y0 = Math.min(y0, n.y);
    x1 = Math.max(x1, n.x + n.w);
    y1 = Math.max(y1, n.y + n.h);
  }
  for (const i of members) {
    nodes[i]!.x -= x0;
    nodes[i]!.y -= y0;
  }
  return { w: x1 - x0, h: y1 - y0 };
}

/** Stacks component boxes top to bottom, starting a new column when a column gets taller than the whole is wide. */
function packColumns(nodes: SceneNode[], boxes: { nodes: number[]; w: number; h: number }[]): void {
  const area = boxes.reduce((s, b) => s + (b.w + COMPONENT_GAP) * (b.h + COMPONENT_GAP), 0);
  const maxColumnH = Math.max(Math.sqrt(area) * 0.8, ...boxes.map((b) => b.h));
  let x = 0,
    y = 0,
    columnW = 0;
  for (const b of boxes) {
    if (y > 0 && y + b.h > maxColumnH) {
      x += columnW + COMPONENT_GAP * 2;
      y = 0;
      columnW = 0;
    }
    for (const i of b.nodes) {
      nodes[i]!.x += x;
      nodes[i]!.y += y;
    }
    y += b.h + COMPONENT_GAP;
    columnW = Math.max(columnW, b.w);
  }
}
