// A linear-time layered layout for graphs too large for dagre's budget (see ./layout.ts): longest-path ranks
// (back edges of cycles ignored), a few barycentre sweeps to reduce crossings, columns per rank, and each node
// pulled toward its sources' centre without breaking the order or overlapping its neighbours.
import type { SceneNode } from './scene';

const RANK_GAP = 70;
const NODE_GAP = 30;
const SWEEPS = 4;

/** Lays out one connected component at the origin (x/y set); returns its size. */
export function layeredLayout(nodes: SceneNode[], members: number[], edges: [number, number][]): { w: number; h: number } {
  const local = new Map<number, number>();
  members.forEach((m, i) => local.set(m, i));
  const n = members.length;
  const succ: number[][] = Array.from({ length: n }, () => []);
  const pred: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) {
    const u = local.get(a)!,
      v = local.get(b)!;
    succ[u]!.push(v);
    pred[v]!.push(u);
  }
  // Cycle-free order: iterative DFS; an edge to a node still on the stack is a back edge and is dropped.
  const state = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const topo: number[] = [];
  const forward: number[][] = Array.from({ length: n }, () => []);
  for (let s = 0; s < n; s++) {
    if (state[s]) continue;
    const stack: [number, number][] = [[s, 0]];
    state[s] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const [u, i] = top;
      if (i < succ[u]!.length) {
        top[1]++;
        const v = succ[u]![i]!;
        if (state[v] === 1) continue;
        forward[u]!.push(v);
        if (state[v] === 0) {
          state[v] = 1;
          stack.push([v, 0]);
        }
      } else {
        state[u] = 2;
        topo.push(u);
        stack.pop();
      }
    }
  }
  topo.reverse();
  const rank = new Int32Array(n);
  for (const u of topo) for (const v of forward[u]!) rank[v] = Math.max(rank[v]!, rank[u]! + 1);
  // Pull sources right next to their first consumer (a loader feeding rank 5 should sit at rank 4, not 0).
  for (let k = topo.length - 1; k >= 0; k--) {
    const u = topo[k]!;
    if (forward[u]!.length === 0) continue;
    let min = Infinity;
    for (const v of forward[u]!) min = Math.min(min, rank[v]!);
    if (pred[u]!.length === 0) rank[u] = min - 1;
  }
  let maxRank = 0;
  for (let i = 0; i < n; i++) maxRank = Math.max(maxRank, rank[i]!);
  const layers: number[][] = Array.from({ length: maxRank + 1 }, () => []);
  for (const u of topo) layers[rank[u]!]!.push(u);
  const pos = new Float64Array(n);
  const renumber = (layer: number[]): void => layer.forEach((u, i) => (pos[u] = i));
  layers.forEach(renumber);
  const bary = (u: number, nb: number[][]): number => {
    const list = nb[u]!;
    if (list.length === 0) return pos[u]!;
    let s = 0;
    for (const v of list) s += pos[v]!;
    return s / list.length;
  };
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const down = sweep % 2 === 0;
    const order = down ? layers : [...layers].reverse();
    for (const layer of order) {
      const key = new Map(layer.map((u) => [u, bary(u, down ? pred : succ)]));
      layer.sort((a, b) => key.get(a)! - key.get(b)! || pos[a]! - pos[b]!);
      renumber(layer);
    }
  }
  // Coordinates: columns by rank; within a column stack in order, each node pulled toward the centre of its sources.
  let x = 0;
  let height = 0;
  const cy = new Float64Array(n);
  for (const layer of layers) {
    let colW = 0;
    let y = 0;
    for (const u of layer) {
      const node = nodes[members[u]!]!;
      let want = y;
      if (pred[u]!.length > 0) {
        let s = 0;
        for (const p of pred[u]!) s += cy[p]!;
        want = s / pred[u]!.length - node.h / 2;
      }
      node.x = x;
      node.y = Math.round(Math.max(y, want));
      cy[u] = node.y + node.h / 2;
      y = node.y + node.h + NODE_GAP;
      colW = Math.max(colW, node.w);
    }
    height = Math.max(height, y - NODE_GAP);
    x += colW + RANK_GAP;
  }
  let minY = Infinity;
  for (const m of members) minY = Math.min(minY, nodes[m]!.y);
  for (const m of members) nodes[m]!.y -= minY;
  return { w: Math.max(0, x - RANK_GAP), h: height - minY };
}
