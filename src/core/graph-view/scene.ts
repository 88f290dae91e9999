// The positioned scene: what the SVG writer and the webview draw. Pure data (no DOM), built from a workflow by
// ./fromUi.ts (UI workflows keep their own geometry) or ./fromApi.ts (API prompts and /prompt bodies, laid out by
// ./layout.ts). Coordinates are canvas units; a node box includes its title bar.
import type { NodeDefs } from '../workflow/nodeDefs';
import type { JsonPath } from '../workflow/ui/types';

export const TITLE_H = 30;
export const SLOT_H = 20;
export const WIDGET_H = 20;
/** Widget rows a node shows at most (the rest is summarised as "+N more"). */
export const MAX_WIDGET_ROWS = 8;
/** Characters of a widget value that fit on a row before it is cut with "…". */
export const MAX_VALUE_CHARS = 40;

export type NodeMode = 'normal' | 'muted' | 'bypassed';
export type NodeKind = 'node' | 'reroute' | 'subgraph' | 'groupNode' | 'io';
export type ProblemSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface SceneSlot {
  name: string;
  /** Socket type ('*' when unknown). */
  type: string;
  linked: boolean;
}

export interface SceneWidget {
  /** Empty when the widget's name is unknown (a UI file rendered without node definitions). */
  name: string;
  /** Display text, already shortened to MAX_VALUE_CHARS. */
  value: string;
}

export interface SceneProblem {
  severity: ProblemSeverity;
  message: string;
  code?: string;
  /** Offset of the problem in the file (the editor goes there on a click). */
  offset?: number;
}

export interface SceneNode {
  /** The id as written in the file (`nodes[].id` or the prompt key). */
  id: string;
  kind: NodeKind;
  title: string;
  classType: string;
  x: number;
  y: number;
  w: number;
  h: number;
  inputs: SceneSlot[];
  outputs: SceneSlot[];
  widgets: SceneWidget[];
  /** Widgets not shown for lack of room. */
  hiddenWidgets: number;
  color?: string;
  bgcolor?: string;
  collapsed: boolean;
  mode: NodeMode;
  /** Where the node lives in the JSON (`['nodes', 3]`, `['4']`, `['prompt', '4']`, …). */
  path: JsonPath;
  /** Subgraph instances and legacy group nodes: the step to append to `SceneOptions.level` to open it. */
  drill?: string;
  problems: SceneProblem[];
}

export interface SceneLink {
  from: string;
  fromSlot: number;
  to: string;
  toSlot: number;
  /** Input name on the target (`data-to="<id>:<input name>"`). */
  toInput: string;
  type: string;
  /** Start, any reroute points, end. */
  points: [number, number][];
}

export interface SceneGroup {
  title: string;
  x: number;
  y: number;
  w: number;
  h: number;
  color?: string;
}

export interface SceneReroute {
  id: string;
  x: number;
  y: number;
}

export interface BreadcrumbStep {
  /** The step as given in `SceneOptions.level` (the instance's node id). */
  step: string;
  title: string;
}

export interface Scene {
  format: 'ui' | 'api' | 'request';
  /** Laid out automatically (API files, group-node interiors) or with the file's own positions. */
  automatic: boolean;
  nodes: SceneNode[];
  links: SceneLink[];
  groups: SceneGroup[];
  reroutes: SceneReroute[];
  /** The opened subgraph levels, outermost first; empty at the root. */
  breadcrumb: BreadcrumbStep[];
  bounds: { x: number; y: number; w: number; h: number };
}

export interface SceneOptions {
  /** `/object_info` (raw), for widget names, slot types and output names. */
  objectInfo?: Record<string, unknown>;
  /** The same definitions prepared (API prompts use them; prepared from `objectInfo` when absent). */
  defs?: NodeDefs;
  /** Instance node ids to descend through (subgraphs / group nodes), outermost first. */
  level?: readonly string[];
}

/** Y of the centre of slot `index` on a node (inputs and outputs share the rows). */
export function slotY(node: SceneNode, index: number): number {
  if (node.collapsed) return node.y + TITLE_H / 2;
  return node.y + TITLE_H + SLOT_H * index + SLOT_H / 2;
}

export function inputPoint(node: SceneNode, index: number): [number, number] {
  return [node.x, slotY(node, index)];
}

export function outputPoint(node: SceneNode, index: number): [number, number] {
  return [node.x + node.w, slotY(node, index)];
}

/** A box relative to a node's top-left corner. */
export interface NodeBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Smallest free area inside a node that takes an output thumbnail (below this it goes under the node). */
const MIN_THUMBNAIL_H = 64;

/**
 * Where an output node's thumbnail goes: inside the node when it has room below its slots and widget rows (UI files
 * keep the size ComfyUI gave the node for its preview), else under the node at the node's width.
 */
export function thumbnailBox(n: SceneNode): NodeBox {
  const rows = Math.min(n.widgets.length + (n.hiddenWidgets > 0 ? 1 : 0), MAX_WIDGET_ROWS + 1);
  const top = TITLE_H + SLOT_H * Math.max(n.inputs.length, n.outputs.length) + 4 + WIDGET_H * rows;
  const bottom = n.h - 18; // above the class name in the bottom-right corner
  if (!n.collapsed && bottom - top >= MIN_THUMBNAIL_H) return { x: 8, y: top, w: n.w - 16, h: bottom - top };
  return { x: 0, y: n.h + 6, w: n.w, h: n.w };
}

/** Shortens a value for display; linear in the kept length, never in the value's. */
export function displayValue(v: unknown): string {
  let s: string;
  if (typeof v === 'string') s = v.length > MAX_VALUE_CHARS * 2 ? v.slice(0, MAX_VALUE_CHARS * 2) : v;
  else if (typeof v === 'number' || typeof v === 'boolean' || v === null) s = String(v);
  else if (Array.isArray(v)) s = `[${v.length}]`;
  else if (typeof v === 'object') s = '{…}';
  else s = '';
  // Control characters (newlines in prompts) would break a one-line row.
  s = s.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS - 1)}…` : s;
}

/** Height a node needs for its slots and widgets (automatic layouts and files without sizes). */
export function naturalHeight(inputs: number, outputs: number, widgets: number): number {
  return TITLE_H + SLOT_H * Math.max(inputs, outputs) + WIDGET_H * Math.min(widgets, MAX_WIDGET_ROWS) + 10;
}

export function computeBounds(nodes: readonly SceneNode[], groups: readonly SceneGroup[], reroutes: readonly SceneReroute[]): Scene['bounds'] {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  const add = (x: number, y: number, w: number, h: number): void => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + w);
    y1 = Math.max(y1, y + h);
  };
  for (const n of nodes) add(n.x, n.y, n.w, n.h);
  for (const g of groups) add(g.x, g.y, g.w, g.h);
  for (const r of reroutes) add(r.x - 5, r.y - 5, 10, 10);
  if (x0 === Infinity) return { x: 0, y: 0, w: 100, h: 100 };
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
