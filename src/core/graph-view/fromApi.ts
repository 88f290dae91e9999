// API prompts and /prompt request bodies → scene, laid out left to right by ./layout.ts. Slots are the linked
// inputs (plus, with definitions, every socket input and the class's outputs); the other inputs are widget rows.
import { prepareNodeDefs, type NodeDef, type NodeDefs } from '../workflow/nodeDefs';
import type { WorkflowDocument } from '../workflow/document';
import { layoutLayered } from './layout';
import {
  computeBounds,
  displayValue,
  inputPoint,
  MAX_WIDGET_ROWS,
  naturalHeight,
  outputPoint,
  type Scene,
  type SceneLink,
  type SceneNode,
  type SceneOptions,
  type SceneSlot,
  type SceneWidget,
} from './scene';

const NODE_W = 240;
const MAX_OUTPUT_SLOTS = 64;

interface PendingLink {
  from: string;
  fromSlot: number;
  to: string;
  toInput: string;
}

export function apiScene(doc: WorkflowDocument, options: SceneOptions = {}): Scene {
  const defs = options.defs ?? definitionsOf(options.objectInfo);
  const prefix = doc.promptPath ?? [];
  const nodes: SceneNode[] = [];
  const byId = new Map<string, SceneNode>();
  const pending: PendingLink[] = [];
  const maxSlotUsed = new Map<string, number>();

  for (const n of doc.nodeById.values()) {
    const def = n.classType !== undefined ? defs?.get(n.classType) : undefined;
    const inputs: SceneSlot[] = [];
    const widgets: SceneWidget[] = [];
    const seen = new Set<string>();
    const visit = (name: string): void => {
      const input = n.inputs.get(name);
      if (!input) return;
      seen.add(name);
      const link = input.link;
      if (
        link &&
        link.arity === 2 &&
        (typeof link.sourceId === 'string' || typeof link.sourceId === 'number') &&
        typeof link.slot === 'number' &&
        Number.isInteger(link.slot) &&
        link.slot >= 0
      ) {
        const from = String(link.sourceId);
        inputs.push({ name, type: socketType(def, name), linked: true });
        pending.push({ from, fromSlot: link.slot, to: n.id, toInput: name });
        maxSlotUsed.set(from, Math.max(maxSlotUsed.get(from) ?? -1, Math.min(link.slot, MAX_OUTPUT_SLOTS - 1)));
      } else {
        widgets.push({ name, value: displayValue(input.value) });
      }
    };
    // Definition order first (reads like the web UI), then what the file has beyond it.
    if (def) {
      for (const d of def.inputs) {
        if (n.inputs.has(d.name)) visit(d.name);
        else if (d.kind === 'socket') inputs.push({ name: d.name, type: d.type, linked: false });
      }
    }
    for (const name of n.inputs.keys()) if (!seen.has(name)) visit(name);
    const outputs: SceneSlot[] = def ? def.outputs.map((o) => ({ name: o.name, type: o.type, linked: false })) : [];
    const shown = widgets.slice(0, MAX_WIDGET_ROWS);
    const node: SceneNode = {
      id: n.id,
      kind: 'node',
      title: n.title ?? def?.displayName ?? n.classType ?? '?',
      classType: n.classType ?? '?',
      x: 0,
      y: 0,
      w: NODE_W,
      h: 0,
      inputs,
      outputs,
      widgets: shown,
      hiddenWidgets: widgets.length - shown.length,
      collapsed: false,
      mode: 'normal',
      path: [...prefix, n.id],
      problems: [],
    };
    nodes.push(node);
    byId.set(n.id, node);
  }
  // Without definitions a node's outputs are only known from the links that use them.
  for (const [id, max] of maxSlotUsed) {
    const node = byId.get(id);
    if (!node) continue;
    while (node.outputs.length <= max) node.outputs.push({ name: `#${node.outputs.length}`, type: '*', linked: false });
  }
  const links: SceneLink[] = [];
  for (const p of pending) {
    const from = byId.get(p.from);
    const to = byId.get(p.to);
    if (!from || !to) continue;
    const out = from.outputs[p.fromSlot];
    if (out) out.linked = true;
    const toSlot = to.inputs.findIndex((s) => s.name === p.toInput);
    const type = out?.type && out.type !== '*' ? out.type : (to.inputs[toSlot]?.type ?? '*');
    links.push({ from: p.from, fromSlot: p.fromSlot, to: p.to, toSlot, toInput: p.toInput, type, points: [] });
  }
  for (const n of nodes) n.h = naturalHeight(n.inputs.length, n.outputs.length, n.widgets.length + (n.hiddenWidgets > 0 ? 1 : 0));
  layoutLayered(nodes, links);
  for (const l of links) l.points = [outputPoint(byId.get(l.from)!, l.fromSlot), inputPoint(byId.get(l.to)!, l.toSlot)];
  return {
    format: doc.format === 'request' ? 'request' : 'api',
    automatic: true,
    nodes,
    links,
    groups: [],
    reroutes: [],
    breadcrumb: [],
    bounds: computeBounds(nodes, [], []),
  };
}

function socketType(def: NodeDef | undefined, name: string): string {
  const d = def?.inputByName.get(name);
  return d ? d.type : '*';
}

const defsCache = new WeakMap<object, NodeDefs>();

function definitionsOf(objectInfo: Record<string, unknown> | undefined): NodeDefs | undefined {
  if (!objectInfo) return undefined;
  let defs = defsCache.get(objectInfo);
  if (!defs) {
    defs = prepareNodeDefs(objectInfo);
    defsCache.set(objectInfo, defs);
  }
  return defs;
}
