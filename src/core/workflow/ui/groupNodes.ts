// Legacy group nodes (frontend < 1.24): a node of type `workflow>Name` (later `workflow/Name`) whose inner graph
// is stored once in `extra.groupNodes[Name]`: inner nodes by `index`, links `[fromIndex, fromSlot, toIndex, toSlot, …]`
// and `external` (inner outputs kept visible although linked inside).
// Each instance is turned into a subgraph-like definition so the subgraph machinery resolves it; inner execution
// ids are `instance:index`, as ExecutableGroupNodeDTO makes them. Instance slots follow the frontend's
// GroupNodeConfig order: inner nodes by index, their inputs (outputs) not linked inside the group, in slot order;
// the instance's widgets_values are the inner nodes' widget values one after another.
import type { ObjectInfo } from '../../comfy/types';
import { isRecord } from '../../util/guards';
import { readGraph } from './graph';
import { classLayout, type WidgetSpec } from './nodeSchema';
import type { ConversionProblem, JsonPath, UiLink, UiNode, UiSubgraphDef } from './types';
import { mapWidgetArray, type WidgetValue } from './widgets';

const PREFIXES = ['workflow>', 'workflow/'];

export function isGroupNodeType(type: string): boolean {
  return PREFIXES.some((p) => type.startsWith(p) && type.length > p.length);
}

export function groupInstanceAsSubgraph(
  instance: UiNode,
  groupNodes: Record<string, unknown>,
  objectInfo: ObjectInfo,
  problems: ConversionProblem[],
): UiSubgraphDef | undefined {
  const name = instance.type.slice('workflow>'.length);
  const raw = groupNodes[name];
  const defPath = ['extra', 'groupNodes', name];
  if (!isRecord(raw) || !Array.isArray(raw.nodes)) {
    problems.push({
      severity: 'error',
      code: 'group_node_missing',
      message: `Group node type "${instance.type}" has no definition in extra.groupNodes; node ${instance.id} cannot be converted.`,
      path: instance.path,
      nodeId: instance.id,
      ...(instance.title !== undefined ? { title: instance.title } : {}),
    });
    return undefined;
  }
  // Inner nodes get their `index` as id; the definition's own links use indexes too.
  const nodesWithIds = raw.nodes.map((n, i) => (isRecord(n) ? { ...n, id: typeof n.index === 'number' ? n.index : i } : n));
  const graph = readGraph({ nodes: nodesWithIds, links: [] }, defPath, []);
  // readGraph gave each node a path under extra.groupNodes; keep it (the definition is where the node lives).
  const links = new Map<string, UiLink>();
  const linkedInside = new Set<string>();
  const outputsUsedInside = new Set<string>();
  const rawLinks = Array.isArray(raw.links) ? raw.links : [];
  rawLinks.forEach((l, i) => {
    if (!Array.isArray(l)) return;
    const [from, fromSlot, to, toSlot, , type] = l;
    if (typeof fromSlot !== 'number' || typeof toSlot !== 'number') return;
    const target = graph.nodes.get(String(to));
    if (!graph.nodes.has(String(from)) || !target?.inputs[toSlot]) return;
    const id = `g${i}`;
    links.set(id, {
      id,
      originId: String(from),
      originSlot: fromSlot,
      targetId: String(to),
      targetSlot: toSlot,
      type: String(type ?? '*'),
      path: [...defPath, 'links', i],
    });
    target.inputs[toSlot]!.link = id;
    linkedInside.add(`${to}:${toSlot}`);
    outputsUsedInside.add(`${from}:${fromSlot}`);
  });
  const external = new Set<string>();
  if (Array.isArray(raw.external)) for (const e of raw.external) if (Array.isArray(e)) external.add(`${e[0]}:${e[1]}`);

  const inputs: UiSubgraphDef['inputs'] = [];
  const outputs: UiSubgraphDef['outputs'] = [];
  const ordered = [...graph.nodeList].sort((a, b) => Number(a.id) - Number(b.id));
  for (const node of ordered) {
    node.inputs.forEach((input, slot) => {
      if (linkedInside.has(`${node.id}:${slot}`) || input.widgetName !== undefined) return;
      const k = inputs.length;
      const id = `gi${node.id}:${slot}`;
      links.set(id, { id, originId: '-10', originSlot: k, targetId: node.id, targetSlot: slot, type: input.type, path: input.path });
      input.link = id;
      inputs.push({ name: input.name, type: input.type, linkIds: [id] });
    });
    node.outputs.forEach((output, slot) => {
      const key = `${node.id}:${slot}`;
      if (outputsUsedInside.has(key) && !external.has(key)) return;
      const k = outputs.length;
      const id = `go${key}`;
      links.set(id, { id, originId: node.id, originSlot: slot, targetId: '-20', targetSlot: k, type: output.type, path: output.path });
      outputs.push({ name: output.name, type: output.type, linkIds: [id] });
    });
  }
  const linkedFrom = new Set([...outputsUsedInside].map((k) => k.split(':')[0]!));
  distributeWidgetValues(instance, ordered, linkedFrom, objectInfo, problems);
  return { ...graph, links, id: `group:${name}`, name, inputs, outputs, ioByIndex: true };
}

/**
 * The instance's widgets are the inner nodes' widgets one after another (GroupNodeConfig.processWidgetInputs):
 * per inner node, its widgets in definition order except those converted to inputs inside the group, each with
 * its control value after seeds; an inner PrimitiveNode contributes its "value". The instance's widgets_values are
 * aligned against that list, and each inner node gets its own values back (converted widgets keep the values the
 * definition saved). Values then point at the instance's widgets_values, where the user edits them.
 */
function distributeWidgetValues(instance: UiNode, inner: UiNode[], linkedFrom: Set<string>, objectInfo: ObjectInfo, problems: ConversionProblem[]): void {
  const wv = instance.widgetsValues;
  if (!Array.isArray(wv)) return;
  const combined: WidgetSpec[] = [];
  for (const n of inner) {
    if (n.type === 'PrimitiveNode') {
      // A primitive linked to nothing inside the group is skipped by GroupNodeConfig.
      if (linkedFrom.has(n.id)) combined.push(primitiveSpec(`${n.id}\u0000value`));
      continue;
    }
    if (n.type === 'Reroute') continue;
    const layout = classLayout(objectInfo, n.type);
    if (!layout) return; // an unknown inner class: its widget count is unknown, keep the definition's values
    const converted = new Set(n.inputs.map((i) => i.widgetName).filter((w) => w !== undefined));
    for (const w of layout.widgets) if (!converted.has(w.name) && !w.optionalValue) combined.push({ ...w, name: `${n.id}\u0000${w.name}` });
  }
  const pathOf = (i: number | string): JsonPath => [...instance.path, 'widgets_values', i];
  const m = mapWidgetArray(combined, wv, pathOf);
  if (m.extra > 0 || m.missing.length > 0) {
    problems.push({
      severity: 'warning',
      code: 'widgets_values_count',
      message: `Group node ${instance.id} has ${wv.length} widget values, which do not line up with the widgets of its inner nodes on this server; ${m.missing.length > 0 ? 'missing ones keep the values saved in the definition' : 'the extra values are ignored'}.`,
      path: [...instance.path, 'widgets_values'],
      nodeId: instance.id,
    });
  }
  for (const n of inner) {
    const own = new Map<string, { value: unknown; path: JsonPath }>();
    for (const [key, v] of m.values) {
      const [id, name] = key.split('\u0000');
      if (id === n.id && name !== undefined && v.path) own.set(name, { value: v.value, path: v.path });
    }
    if (own.size === 0) continue;
    if (n.type === 'PrimitiveNode') {
      const v = own.get('value')!;
      n.widgetsValues = [v.value];
      n.widgetPath = () => v.path;
      continue;
    }
    const layout = classLayout(objectInfo, n.type)!;
    const defPath = (k: number | string): JsonPath => [...n.path, 'widgets_values', k];
    const saved = Array.isArray(n.widgetsValues) ? mapWidgetArray(layout.widgets, n.widgetsValues, defPath).values : new Map<string, WidgetValue>();
    const values: Record<string, unknown> = {};
    const paths = new Map<string, JsonPath>();
    for (const [name, v] of saved) {
      values[name] = v.value;
      if (v.path) paths.set(name, v.path);
    }
    for (const [name, v] of own) {
      values[name] = v.value;
      paths.set(name, v.path);
    }
    n.widgetsValues = values;
    n.widgetPath = (k) => paths.get(String(k)) ?? defPath(k);
  }
}

/** The "value" widget an inner PrimitiveNode shows on the group node (with a control value when numeric). */
function primitiveSpec(name: string): WidgetSpec {
  return { name, kind: 'CUSTOM', optionalValue: false, control: 'value', upload: false, dynamicPrompts: false, required: true };
}
