// UI workflows (LiteGraph saves) → scene, with the file's own geometry. The graph is read by the same reader the
// conversion uses (../workflow/ui/graph.ts); this module only adds what drawing needs from the raw JSON.
// A subgraph instance or legacy group node is one node with `drill` set; `level` opens it (its interior becomes
// the scene, with the definition's input/output nodes as `io` nodes).
import type { ObjectInfo } from '../comfy/types';
import { groupInstanceAsSubgraph, isGroupNodeType } from '../workflow/ui/groupNodes';
import { readUiWorkflow } from '../workflow/ui/graph';
import { classLayout } from '../workflow/ui/nodeSchema';
import type { ConversionProblem, UiGraph, UiNode, UiWorkflow } from '../workflow/ui/types';
import { mapWidgetArray } from '../workflow/ui/widgets';
import { layoutLayered } from './layout';
import { at, finite, isRecord, pair, quad, safeColor, str } from './rawJson';
import {
  computeBounds,
  displayValue,
  inputPoint,
  MAX_WIDGET_ROWS,
  naturalHeight,
  outputPoint,
  TITLE_H,
  type BreadcrumbStep,
  type NodeMode,
  type Scene,
  type SceneGroup,
  type SceneLink,
  type SceneNode,
  type SceneOptions,
  type SceneReroute,
  type SceneWidget,
} from './scene';

const SUBGRAPH_INPUT_ID = '-10';
const SUBGRAPH_OUTPUT_ID = '-20';
/** Reroute chains longer than this are cut (a hostile file could loop them). */
const MAX_REROUTE_CHAIN = 64;

interface Level {
  graph: UiGraph;
  /** The raw object holding `nodes`/`links`/`groups` of this level. */
  raw: Record<string, unknown>;
  io?: { inputs: { name: string; type: string }[]; outputs: { name: string; type: string }[]; rawDef: Record<string, unknown> };
  /** Group-node interiors carry no positions. */
  positioned: boolean;
}

export function uiScene(json: unknown, options: SceneOptions = {}): Scene {
  const problems: ConversionProblem[] = [];
  const wf = readUiWorkflow(json, problems);
  const objectInfo = options.objectInfo as ObjectInfo | undefined;
  if (!wf) return emptyScene();
  let level: Level = { graph: wf.root, raw: isRecord(json) ? json : {}, positioned: true };
  const breadcrumb: BreadcrumbStep[] = [];
  for (const step of options.level ?? []) {
    const instance = level.graph.nodes.get(step);
    const next = instance ? openInstance(wf, instance, json, objectInfo) : undefined;
    if (!instance || !next) break;
    breadcrumb.push({ step, title: instance.title ?? subgraphName(wf, instance) ?? groupNodeName(instance) ?? instance.type });
    level = next;
  }
  return buildLevel(wf, level, json, objectInfo, breadcrumb);
}

function emptyScene(): Scene {
  return { format: 'ui', automatic: false, nodes: [], links: [], groups: [], reroutes: [], breadcrumb: [], bounds: computeBounds([], [], []) };
}

function subgraphName(wf: UiWorkflow, n: UiNode): string | undefined {
  return wf.subgraphs.get(n.type)?.name;
}

/** `workflow>Name` / `workflow/Name` → `Name`. */
function groupNodeName(n: UiNode): string | undefined {
  return isGroupNodeType(n.type) ? n.type.slice('workflow>'.length) : undefined;
}

function openInstance(wf: UiWorkflow, instance: UiNode, json: unknown, objectInfo: ObjectInfo | undefined): Level | undefined {
  const def = wf.subgraphs.get(instance.type);
  if (def) {
    const rawDef = at(json, def.path);
    if (!isRecord(rawDef)) return undefined;
    return { graph: def, raw: rawDef, positioned: true, io: { inputs: def.inputs, outputs: def.outputs, rawDef } };
  }
  if (isGroupNodeType(instance.type)) {
    const g = groupInstanceAsSubgraph(instance, wf.groupNodes, objectInfo ?? {}, []);
    if (!g) return undefined;
    return { graph: g, raw: {}, positioned: false };
  }
  return undefined;
}

function modeOf(mode: number): NodeMode {
  return mode === 2 ? 'muted' : mode === 4 ? 'bypassed' : 'normal';
}

function widgetsOf(n: UiNode, objectInfo: ObjectInfo | undefined): SceneWidget[] {
  const wv = n.widgetsValues;
  if (wv === undefined) return [];
  const layout = objectInfo ? classLayout(objectInfo, n.type) : undefined;
  if (Array.isArray(wv)) {
    if (layout && layout.widgets.length > 0) {
      const mapping = mapWidgetArray(layout.widgets, wv, () => []);
      const out: SceneWidget[] = [];
      for (const [name, v] of mapping.values) out.push({ name, value: displayValue(v.value) });
      return out;
    }
    return wv.slice(0, MAX_WIDGET_ROWS + 1).map((v) => ({ name: '', value: displayValue(v) }));
  }
  const out: SceneWidget[] = [];
  for (const k of Object.keys(wv)) {
    out.push({ name: k, value: displayValue(wv[k]) });
    if (out.length > MAX_WIDGET_ROWS) break;
  }
  return out;
}

function buildLevel(wf: UiWorkflow, level: Level, json: unknown, objectInfo: ObjectInfo | undefined, breadcrumb: BreadcrumbStep[]): Scene {
  const { graph } = level;
  const nodes: SceneNode[] = [];
  const byId = new Map<string, SceneNode>();
  const unplaced: SceneNode[] = [];
  const linkedInputs = new Set<string>();
  for (const l of graph.links.values()) linkedInputs.add(`${l.targetId}:${l.targetSlot}`);

  for (const n of graph.nodeList) {
    const raw = at(json, n.path);
    const r = isRecord(raw) ? raw : {};
    const flags = isRecord(r.flags) ? r.flags : {};
    const collapsed = flags.collapsed === true;
    const sub = wf.subgraphs.get(n.type);
    const group = !sub && isGroupNodeType(n.type);
    const isReroute = n.type === 'Reroute';
    const layout = !sub && objectInfo ? classLayout(objectInfo, n.type) : undefined;
    const title = n.title ?? sub?.name ?? layout?.displayName ?? groupNodeName(n) ?? n.type;
    const all = widgetsOf(n, objectInfo);
    const widgets = isReroute ? [] : all.slice(0, MAX_WIDGET_ROWS);
    const inputs = n.inputs.map((s, i) => ({ name: s.name, type: s.type, linked: linkedInputs.has(`${n.id}:${i}`) || s.link !== null }));
    const outputs = n.outputs.map((s) => ({ name: s.name, type: s.type, linked: s.links.length > 0 }));
    const pos = level.positioned ? pair(r.pos) : undefined;
    const size = pair(r.size);
    const natural = naturalHeight(inputs.length, outputs.length, widgets.length);
    let w = isReroute ? 75 : Math.max(size?.[0] ?? 220, 60);
    let h = isReroute ? TITLE_H : Math.max((size?.[1] ?? natural - TITLE_H) + TITLE_H, TITLE_H);
    if (collapsed) {
      w = Math.min(w, Math.max(80, title.length * 7 + 40));
      h = TITLE_H;
    }
    const node: SceneNode = {
      id: n.id,
      kind: sub ? 'subgraph' : group ? 'groupNode' : isReroute ? 'reroute' : 'node',
      title,
      classType: n.type,
      x: pos ? pos[0] : 0,
      y: pos ? pos[1] - TITLE_H : 0,
      w,
      h,
      inputs,
      outputs,
      widgets,
      hiddenWidgets: Math.max(0, all.length - widgets.length),
      collapsed,
      mode: modeOf(n.mode),
      path: n.path,
      problems: [],
    };
    const color = safeColor(r.color);
    const bgcolor = safeColor(r.bgcolor);
    if (color) node.color = color;
    if (bgcolor) node.bgcolor = bgcolor;
    if (sub || group) node.drill = n.id;
    nodes.push(node);
    byId.set(n.id, node);
    if (!pos) unplaced.push(node);
  }

  if (level.io) addIoNodes(level, nodes, byId);

  const links: SceneLink[] = [];
  const reroutes = readReroutes(level.raw);
  const rerouteById = new Map(reroutes.map((r) => [r.id, r]));
  const parents = linkParents(level.raw);
  for (const l of graph.links.values()) {
    const from = byId.get(l.originId);
    const to = byId.get(l.targetId);
    if (!from || !to) continue;
    const target = graph.nodes.get(l.targetId);
    // A legacy Reroute node's one input has the name "": the slot index then names it (`data-to="13:0"`).
    const toInput = (to.kind === 'io' ? to.inputs[l.targetSlot]?.name : target?.inputs[l.targetSlot]?.name) || String(l.targetSlot);
    const type = l.type !== '*' ? l.type : (from.outputs[l.originSlot]?.type ?? '*');
    links.push({ from: from.id, fromSlot: l.originSlot, to: to.id, toSlot: l.targetSlot, toInput, type, points: [] });
    const via = rerouteChain(parents.get(String(l.id)), rerouteById);
    links[links.length - 1]!.points = [outputPoint(from, l.originSlot), ...via.map((r): [number, number] => [r.x, r.y]), inputPoint(to, l.targetSlot)];
  }

  const automatic = unplaced.length > 0 && unplaced.length === nodes.filter((n) => n.kind !== 'io').length;
  const unplacedSet = new Set(unplaced);
  if (unplaced.length > 0) {
    // Nodes without a saved position (group-node interiors, hand-written files): lay them out, then draw them
    // below everything that has a position so they never cover it.
    layoutLayered(
      unplaced,
      links.map((l) => ({ from: l.from, to: l.to })),
    );
    if (!automatic) {
      const placed = nodes.filter((n) => !unplacedSet.has(n));
      const b = computeBounds(placed, [], []);
      for (const n of unplaced) n.y += b.y + b.h + 80;
    } else if (level.io) {
      placeIoAround(nodes);
    }
    for (const l of links) {
      const from = byId.get(l.from)!,
        to = byId.get(l.to)!;
      l.points = [outputPoint(from, l.fromSlot), ...l.points.slice(1, -1), inputPoint(to, l.toSlot)];
    }
  }

  const groups = readGroups(level.raw);
  return { format: 'ui', automatic, nodes, links, groups, reroutes, breadcrumb, bounds: computeBounds(nodes, groups, reroutes) };
}

function addIoNodes(level: Level, nodes: SceneNode[], byId: Map<string, SceneNode>): void {
  const io = level.io!;
  const make = (id: string, title: string, rawKey: string, slots: { name: string; type: string }[], side: 'in' | 'out'): void => {
    const b = quad(isRecord(io.rawDef[rawKey]) ? (io.rawDef[rawKey] as Record<string, unknown>).bounding : undefined);
    const list = slots.map((s) => ({ name: s.name, type: s.type, linked: true }));
    const node: SceneNode = {
      id,
      kind: 'io',
      title,
      classType: title,
      x: b ? b[0] : 0,
      y: b ? b[1] : 0,
      w: b ? Math.max(b[2], 80) : 120,
      h: naturalHeight(list.length, 0, 0),
      inputs: side === 'out' ? list : [],
      outputs: side === 'in' ? list : [],
      widgets: [],
      hiddenWidgets: 0,
      collapsed: false,
      mode: 'normal',
      path: [...level.graph.path, rawKey],
      problems: [],
    };
    nodes.push(node);
    byId.set(id, node);
  };
  make(SUBGRAPH_INPUT_ID, 'Inputs', 'inputNode', io.inputs, 'in');
  make(SUBGRAPH_OUTPUT_ID, 'Outputs', 'outputNode', io.outputs, 'out');
}

/** After an automatic layout of a subgraph interior: inputs left of everything, outputs right of it. */
function placeIoAround(nodes: SceneNode[]): void {
  const inner = nodes.filter((n) => n.kind !== 'io');
  const b = computeBounds(inner, [], []);
  for (const n of nodes) {
    if (n.id === SUBGRAPH_INPUT_ID) {
      n.x = b.x - n.w - 80;
      n.y = b.y;
    }
    if (n.id === SUBGRAPH_OUTPUT_ID) {
      n.x = b.x + b.w + 80;
      n.y = b.y;
    }
  }
}

function readGroups(raw: Record<string, unknown>): SceneGroup[] {
  const list = Array.isArray(raw.groups) ? raw.groups : [];
  const out: SceneGroup[] = [];
  for (const g of list) {
    if (!isRecord(g)) continue;
    const b = quad(g.bounding);
    if (!b) continue;
    const group: SceneGroup = { title: str(g.title) ?? '', x: b[0], y: b[1], w: Math.max(b[2], 0), h: Math.max(b[3], 0) };
    const color = safeColor(g.color);
    if (color) group.color = color;
    out.push(group);
  }
  return out;
}

/** Native reroutes: `reroutes` (schema 1) or `extra.reroutes` (0.4). */
function readReroutes(raw: Record<string, unknown>): (SceneReroute & { parentId?: string })[] {
  const extra = isRecord(raw.extra) ? raw.extra : {};
  const list = Array.isArray(raw.reroutes) ? raw.reroutes : Array.isArray(extra.reroutes) ? extra.reroutes : [];
  const out: (SceneReroute & { parentId?: string })[] = [];
  for (const r of list) {
    if (!isRecord(r)) continue;
    const id = finite(r.id) ?? str(r.id);
    const p = pair(r.pos);
    if (id === undefined || !p) continue;
    const parent = finite(r.parentId) ?? str(r.parentId);
    out.push({ id: String(id), x: p[0], y: p[1], ...(parent !== undefined ? { parentId: String(parent) } : {}) });
  }
  return out;
}

/** Link id → the reroute nearest its target: `parentId` on schema-1 link objects, `extra.linkExtensions` in 0.4. */
function linkParents(raw: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  const take = (l: unknown): void => {
    if (!isRecord(l)) return;
    const id = finite(l.id) ?? str(l.id);
    const parent = finite(l.parentId) ?? str(l.parentId);
    if (id !== undefined && parent !== undefined) out.set(String(id), String(parent));
  };
  if (Array.isArray(raw.links)) for (const l of raw.links) take(l);
  const extra = isRecord(raw.extra) ? raw.extra : {};
  if (Array.isArray(extra.linkExtensions)) for (const l of extra.linkExtensions) take(l);
  return out;
}

/** The reroutes a link passes, from its origin side to its target side. */
function rerouteChain(parent: string | undefined, byId: Map<string, SceneReroute & { parentId?: string }>): SceneReroute[] {
  const chain: SceneReroute[] = [];
  let id = parent;
  while (id !== undefined && chain.length < MAX_REROUTE_CHAIN) {
    const r = byId.get(id);
    if (!r || chain.includes(r)) break;
    chain.push(r);
    id = r.parentId;
  }
  return chain.reverse();
}
