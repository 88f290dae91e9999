// The semantic model of a workflow that diff, textconv and the Compare view work on: a map of nodes keyed by
// the id the file writes ("12", "5:3" inside subgraph instance 5), each with its class, title, mode and its
// inputs by name (a value, or a link to [origin id, output slot]). Layout (positions, sizes, colours, node order,
// view state, link ids) is kept apart as opaque per-item fingerprints, so it can be counted but never mistaken for
// a semantic change.
// UI workflows are read with the conversion's reader (ui/graph.ts) and its widget mapping; only the walk over
// subgraph instances is ours, because the diff must see inside muted and bypassed instances too.
import type { ObjectInfo } from '../comfy/types';
import { isObj, type JObj, type JVal } from './json';
import { isRecord } from '../util/guards';
import { detectValueFormat, detectWorkflowFormat, type ValueKind, type WorkflowFormat } from '../workflow/format';
import { readUiWorkflow } from '../workflow/ui/graph';
import { groupInstanceAsSubgraph, isGroupNodeType } from '../workflow/ui/groupNodes';
import { classLayout, type ClassLayout } from '../workflow/ui/nodeSchema';
import type { ConversionProblem, JsonPath, UiGraph, UiNode } from '../workflow/ui/types';
import { mapWidgetArray } from '../workflow/ui/widgets';
import { virtualRule } from '../workflow/ui/virtualNodes';

export type ModelInput = { kind: 'link'; origin: string; slot: number; output?: string } | { kind: 'value'; value: unknown };

export interface ModelNode {
  id: string;
  classType: string;
  title: string | null;
  /** LiteGraph mode: 0 always, 2 never (muted), 4 bypass. API prompts are always 0. */
  mode: number;
  inputs: Map<string, ModelInput>;
  /** JSON path of the node object (for "reveal in file"). */
  path: JsonPath;
  inputPaths: Map<string, JsonPath>;
}

export type ModelFormat = 'api' | 'request' | 'ui';

export interface WorkflowModel {
  format: ModelFormat;
  nodes: Map<string, ModelNode>;
  /** Some UI widget values are named by position (`widgets_values[3]`): no definitions for their class. */
  positional: boolean;
  /** Subgraph / group-node definitions: id → what instances expose (name, inputs, outputs). */
  definitions: Map<string, { name: string; signature: string; path: JsonPath }>;
  /** Layout items (a node's position and looks, node order, extra.ds, …) → fingerprint (and the node it is). */
  layout: Map<string, LayoutItem>;
}

/**
 * A layout item's fingerprint. `order` and `keyed` items compare only what both sides have (adding a node is
 * one semantic change, not also a change of node order or of link ids).
 */
export interface LayoutItem {
  fp: string;
  nodeId?: string;
  order?: string[];
  keyed?: Map<string, string>;
}

export class ModelError extends Error {
  override readonly name = 'ModelError';
}

/** Bounds for untrusted files: expanded nodes and subgraph nesting. */
const MAX_NODES = 100_000;
const MAX_NESTING = 64;
const MODE_KEYS = new Set(['id', 'type', 'title', 'mode', 'widgets_values']);
/** Counters the frontend bumps on every edit: bookkeeping, neither meaning nor layout. */
const BOOKKEEPING = new Set(['last_node_id', 'last_link_id', 'revision', 'state']);

/**
 * The format diff, textconv, the formatter and the merge driver work on: the one detector's answer
 * (`workflow/format.ts`), with `none` as "not a workflow", plus one rule of their own (`isEmptyPrompt`).
 */
function modelFormatOf(format: WorkflowFormat, emptyObject: boolean): ModelFormat | undefined {
  if (format !== 'none') return format;
  return emptyObject ? 'api' : undefined;
}

/**
 * Diff's rule on top of the detector: an empty object is an empty API prompt. The editor calls `{}` 'none' so it
 * does not claim every empty JSON file; a file someone chose to compare, merge or format is a workflow that has
 * no nodes yet (a new file starts as `{}`), and its next version must diff against it as nodes added.
 */
export function isEmptyPrompt(json: unknown): boolean {
  return isRecord(json) && Object.keys(json).length === 0;
}

/** The model format of a parsed value; undefined when it is not a workflow. */
export function diffFormat(json: unknown): ModelFormat | undefined {
  return modelFormatOf(detectValueFormat(json), isEmptyPrompt(json));
}

/** The model format of an order-keeping JSON object (formatter, merge driver). */
export function diffFormatOfJson(o: JObj): ModelFormat | undefined {
  const last = new Map<string, JVal>(o.entries); // the last duplicate wins, as in JSON.parse
  const kindOf = (v: JVal): ValueKind => (Array.isArray(v) ? 'array' : isObj(v) ? 'object' : 'other');
  const format = detectWorkflowFormat({
    keys: () => last.keys(),
    kind: (k) => {
      const v = last.get(k);
      return v === undefined ? undefined : kindOf(v);
    },
    childHasKey: (k, names) => {
      const v = last.get(k);
      return isObj(v) && v.entries.some(([key]) => names.includes(key));
    },
  });
  return modelFormatOf(format, o.entries.length === 0);
}

/**
 * Builds the model from parsed JSON; throws ModelError when it is not a workflow. `layout: false` skips the
 * layout fingerprints and `paths: false` the JSON paths of inputs (textconv shows neither).
 */
export function buildModel(json: unknown, objectInfo?: ObjectInfo, options: { layout?: boolean; paths?: boolean } = {}): WorkflowModel {
  const format = diffFormat(json);
  if (!format) throw new ModelError('This is not a ComfyUI workflow (neither an API prompt, a /prompt body nor a UI workflow).');
  if (format === 'ui') return uiModel(json as Record<string, unknown>, objectInfo, options.layout !== false, options.paths !== false);
  const prompt = format === 'request' ? (json as { prompt: Record<string, unknown> }).prompt : (json as Record<string, unknown>);
  return apiModel(prompt, format, objectInfo, format === 'request' ? ['prompt'] : []);
}

function isLinkValue(v: unknown): v is [string | number, number] {
  return Array.isArray(v) && v.length === 2 && (typeof v[0] === 'string' || typeof v[0] === 'number') && Number.isInteger(v[1]);
}

function apiModel(prompt: Record<string, unknown>, format: ModelFormat, objectInfo: ObjectInfo | undefined, base: JsonPath): WorkflowModel {
  const nodes = new Map<string, ModelNode>();
  for (const [id, raw] of Object.entries(prompt)) {
    if (nodes.size >= MAX_NODES) break;
    if (!isRecord(raw) || typeof raw.class_type !== 'string') continue;
    const inputs = new Map<string, ModelInput>();
    const inputPaths = new Map<string, JsonPath>();
    const rawInputs = isRecord(raw.inputs) ? raw.inputs : {};
    for (const [name, v] of Object.entries(rawInputs)) {
      inputPaths.set(name, [...base, id, 'inputs', name]);
      if (isLinkValue(v)) {
        const origin = String(v[0]);
        const cls = prompt[origin];
        const outName = isRecord(cls) && typeof cls.class_type === 'string' ? objectInfo?.[cls.class_type]?.output_name?.[v[1]] : undefined;
        inputs.set(name, { kind: 'link', origin, slot: v[1], ...(typeof outName === 'string' ? { output: outName } : {}) });
      } else inputs.set(name, { kind: 'value', value: v });
    }
    const meta = isRecord(raw._meta) ? raw._meta : {};
    nodes.set(id, {
      id,
      classType: raw.class_type,
      title: typeof meta.title === 'string' ? meta.title : null,
      mode: 0,
      inputs,
      path: [...base, id],
      inputPaths,
    });
  }
  return { format, nodes, positional: false, definitions: new Map(), layout: new Map() };
}

function uiModel(json: Record<string, unknown>, objectInfo: ObjectInfo | undefined, layout: boolean, paths: boolean): WorkflowModel {
  const problems: ConversionProblem[] = [];
  const ui = readUiWorkflow(json, problems);
  if (!ui) throw new ModelError('This is not a UI workflow: the top level must be an object with a "nodes" array.');
  const info: ObjectInfo = objectInfo ?? {};
  const model: WorkflowModel = { format: 'ui', nodes: new Map(), positional: false, definitions: new Map(), layout: new Map() };

  const walk = (graph: UiGraph, prefix: string[], stack: string[], io?: { inputs: { name: string }[] }): void => {
    // Ids inside subgraph instances are prefixed ("5:3"); built once per graph, not per node and link.
    const idPrefix = prefix.length === 0 ? '' : `${prefix.join(':')}:`;
    for (const node of graph.nodeList) {
      if (model.nodes.size >= MAX_NODES) return;
      const id = idPrefix + node.id;
      const def = ui.subgraphs.get(node.type);
      const inner = def ?? (isGroupNodeType(node.type) ? groupInstanceAsSubgraph(node, ui.groupNodes, info, problems) : undefined);
      // A group node whose values went to its inner nodes carries none itself (each edit is reported once).
      const distributed = !def && inner !== undefined && inner.nodeList.some((n) => n.widgetPath !== undefined);
      const m: ModelNode = { id, classType: node.type, title: node.title ?? null, mode: node.mode, inputs: new Map(), path: node.path, inputPaths: new Map() };
      if (!distributed) addWidgets(m, node, info, model, paths);
      node.inputs.forEach((slot, i) => {
        if (slot.link === null) return;
        const link = graph.links.get(String(slot.link));
        if (!link) return;
        let name = slot.widgetName ?? slot.name;
        if (name === '' || m.inputs.get(name)?.kind === 'link') name = `inputs[${i}]`;
        const output = link.originId === '-10' ? io?.inputs[link.originSlot]?.name : graph.nodes.get(link.originId)?.outputs[link.originSlot]?.name;
        const input: ModelInput = { kind: 'link', origin: idPrefix + link.originId, slot: link.originSlot };
        if (output) input.output = output;
        m.inputs.set(name, input);
        if (paths) m.inputPaths.set(name, slot.path);
      });
      model.nodes.set(id, m);
      if (!inner) continue;
      const key = def ? def.id : `group:${node.type}`;
      if (stack.includes(key) || stack.length >= MAX_NESTING) continue;
      walk(inner, [...prefix, node.id], [...stack, key], inner);
    }
  };
  walk(ui.root, [], []);

  for (const def of ui.subgraphs.values()) {
    const signature = JSON.stringify({ name: def.name, inputs: def.inputs.map((i) => [i.name, i.type]), outputs: def.outputs.map((o) => [o.name, o.type]) });
    model.definitions.set(def.id, { name: def.name, signature, path: def.path });
  }
  const groupNodes = isRecord(json.extra) && isRecord(json.extra.groupNodes) ? json.extra.groupNodes : {};
  for (const [name, raw] of Object.entries(groupNodes)) {
    // Group-node definitions are expanded per instance (inner edits show on each instance's nodes); the
    // definition itself only appears or disappears.
    void raw;
    model.definitions.set(`workflow>${name}`, { name, signature: JSON.stringify({ name }), path: ['extra', 'groupNodes', name] });
  }
  if (layout) collectLayout(json, model.layout);
  return model;
}

/** Widget values by input name (with definitions) or by position (`widgets_values[i]`, without). */
function addWidgets(m: ModelNode, node: UiNode, objectInfo: ObjectInfo, model: WorkflowModel, paths: boolean): void {
  const wv = node.widgetsValues;
  const pathOf = node.widgetPath ?? ((k: number | string): JsonPath => [...node.path, 'widgets_values', k]);
  if (wv === undefined) return;
  if (!Array.isArray(wv)) {
    for (const [k, v] of Object.entries(wv)) {
      m.inputs.set(k, { kind: 'value', value: v });
      if (paths) m.inputPaths.set(k, pathOf(k));
    }
    return;
  }
  const layout = classLayout(objectInfo, node.type);
  const named = layout ? widgetNames(layout, wv) : new Map<number, string>();
  // Frontend-only nodes have no server definition: name their few values as the frontend's widgets are named.
  const virtual = layout ? undefined : virtualRule(node.type, false);
  if (virtual === 'primitive') {
    named.set(0, 'value');
    named.set(1, 'value.control_after_generate');
  } else if (virtual === 'inert' && wv.length === 1) named.set(0, 'text');
  wv.forEach((value, i) => {
    let name = named.get(i);
    if (name === undefined && virtual !== undefined) name = `widgets_values[${i}]`;
    if (name === undefined) {
      // Values the widgets do not take: a seed's control mode right after it, else a plain position.
      const prev = named.get(i - 1);
      const spec = prev !== undefined ? layout?.widgets.find((w) => w.name === prev) : undefined;
      name = spec && spec.control !== 'none' ? `${prev}.control_after_generate` : `widgets_values[${i}]`;
      if (!spec || spec.control === 'none') model.positional = true;
    }
    m.inputs.set(name, { kind: 'value', value });
    if (paths) m.inputPaths.set(name, pathOf(i));
  });
}

const namesCache = new WeakMap<ClassLayout, Map<string, Map<number, string>>>();

/**
 * Which saved value each widget takes (index → input name). The alignment only looks at each value's kind and at
 * a few short literals (control and upload values), so it is cached per class and value signature: big workflows
 * repeat the same nodes many times.
 */
function widgetNames(layout: ClassLayout, wv: unknown[]): Map<number, string> {
  const compute = (): Map<number, string> => {
    const named = new Map<number, string>();
    for (const [name, v] of mapWidgetArray(layout.widgets, wv, (k) => [k]).values) if (typeof v.path?.[0] === 'number') named.set(v.path[0], name);
    return named;
  };
  // Dynamic combos choose sub-widgets by the exact value: no signature covers that.
  if (layout.widgets.some((w) => w.dynamicOptions)) return compute();
  const sig = wv
    .map((v) =>
      v === null
        ? 'n'
        : typeof v === 'string'
          ? v.length <= 12
            ? `s${JSON.stringify(v)}`
            : 's'
          : typeof v === 'boolean'
            ? String(v)
            : typeof v === 'number'
              ? 'd'
              : 'o',
    )
    .join(',');
  let perLayout = namesCache.get(layout);
  if (!perLayout) namesCache.set(layout, (perLayout = new Map()));
  let named = perLayout.get(sig);
  if (!named) {
    named = compute();
    if (perLayout.size < 1000) perLayout.set(sig, named);
  }
  return named;
}

/**
 * Layout fingerprints of a UI workflow: per node (root and inside definitions) everything but its meaning
 * (type, title, mode, values, link ids), node order per graph, and every other top-level or `extra` member.
 */
function collectLayout(json: Record<string, unknown>, out: WorkflowModel['layout']): void {
  const graphLayout = (g: Record<string, unknown>, label: string): void => {
    const nodes = Array.isArray(g.nodes) ? g.nodes : [];
    const order: string[] = [];
    for (const n of nodes) {
      if (!isRecord(n)) continue;
      const id = String(n.id);
      order.push(id);
      const rest: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(n)) {
        if (MODE_KEYS.has(k)) continue;
        if ((k === 'inputs' || k === 'outputs') && Array.isArray(v)) {
          rest[k] = v.map((s) => (isRecord(s) ? Object.fromEntries(Object.entries(s).filter(([sk]) => sk !== 'link' && sk !== 'links')) : s));
        } else rest[k] = v;
      }
      // Native stringify (fast on big files): a member reordered inside a node object counts as layout, which it is.
      out.set(`${label}node ${id}`, { fp: JSON.stringify(rest), nodeId: id });
    }
    out.set(`${label}order of nodes`, { fp: '', order });
    // Link ids renumbered without rewiring: the table changes, the wiring (compared semantically) does not.
    const links = Array.isArray(g.links) ? g.links : [];
    const keyed = new Map<string, string>();
    for (const l of links) {
      const f = Array.isArray(l) ? l : isRecord(l) ? [l.id, l.origin_id, l.origin_slot, l.target_id, l.target_slot] : [];
      keyed.set(f.slice(1, 5).join('/'), String(f[0]));
    }
    out.set(`${label}link ids`, { fp: '', keyed });
    for (const [k, v] of Object.entries(g)) {
      if (k === 'nodes' || k === 'links' || k === 'definitions' || k === 'extra' || BOOKKEEPING.has(k)) continue;
      if (label && (k === 'id' || k === 'name' || k === 'inputs' || k === 'outputs')) {
        // A definition's inputs/outputs: names and types are its signature; the rest (positions, link ids) is layout.
        if (k === 'inputs' || k === 'outputs')
          out.set(`${label}${k}`, { fp: stableStringify(Array.isArray(v) ? v.map((s) => (isRecord(s) ? { ...s, linkIds: undefined } : s)) : v) });
        continue;
      }
      out.set(`${label}${k}`, { fp: stableStringify(v) });
    }
    if (isRecord(g.extra)) for (const [k, v] of Object.entries(g.extra)) if (k !== 'groupNodes') out.set(`${label}extra.${k}`, { fp: stableStringify(v) });
  };
  graphLayout(json, '');
  const defs = isRecord(json.definitions) && Array.isArray(json.definitions.subgraphs) ? json.definitions.subgraphs : [];
  for (const d of defs) if (isRecord(d) && typeof d.id === 'string') graphLayout(d, `subgraph ${d.id}: `);
}

/** JSON with object keys sorted, so key order never counts as a difference. */
export function stableStringify(v: unknown): string {
  const seen: string[] = [];
  const walk = (x: unknown, depth: number): void => {
    if (depth > 256) {
      seen.push('null');
      return;
    }
    if (Array.isArray(x)) {
      seen.push('[');
      x.forEach((e, i) => {
        if (i) seen.push(',');
        walk(e, depth + 1);
      });
      seen.push(']');
    } else if (isRecord(x)) {
      seen.push('{');
      let first = true;
      for (const k of Object.keys(x).sort()) {
        if (x[k] === undefined) continue;
        if (!first) seen.push(',');
        first = false;
        seen.push(JSON.stringify(k), ':');
        walk(x[k], depth + 1);
      }
      seen.push('}');
    } else seen.push(JSON.stringify(x) ?? 'null');
  };
  walk(v, 0);
  return seen.join('');
}

/** Node ids in reading order (compareIds), each id split once: sorting thousands of ids stays cheap. */
export function sortIds(ids: Iterable<string>): string[] {
  const keyed = [...ids].map((id) => ({ id, parts: id.split(':').map((p) => (p !== '' && Number.isFinite(Number(p)) ? Number(p) : p)) }));
  keyed.sort((a, b) => {
    const n = Math.min(a.parts.length, b.parts.length);
    for (let i = 0; i < n; i++) {
      const x = a.parts[i]!;
      const y = b.parts[i]!;
      if (x === y) continue;
      if (typeof x === 'number' && typeof y === 'number') return x - y;
      return String(x) < String(y) ? -1 : 1;
    }
    return a.parts.length - b.parts.length;
  });
  return keyed.map((k) => k.id);
}

/** Orders node ids the way people read them: "2" < "10" < "10:3", segment by segment, numbers numerically. */
export function compareIds(a: string, b: string): number {
  const as = a.split(':');
  const bs = b.split(':');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const x = as[i]!;
    const y = bs[i]!;
    if (x === y) continue;
    const nx = Number(x);
    const ny = Number(y);
    if (x !== '' && y !== '' && Number.isFinite(nx) && Number.isFinite(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return as.length - bs.length;
}
