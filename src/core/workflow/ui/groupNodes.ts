// Legacy group nodes (frontend < 1.24): a node of type `workflow>Name` (later `workflow/Name`) whose inner graph
// is stored once in `extra.groupNodes[Name]`: inner nodes by `index`, links `[fromIndex, fromSlot, toIndex, toSlot, …]`
// and `external` (inner outputs kept visible although linked inside).
// Each instance is turned into a subgraph-like definition so the subgraph machinery resolves it; inner execution
// ids are `instance:index`, as ExecutableGroupNodeDTO makes them. Instance slots follow the frontend's
// GroupNodeConfig order: inner nodes by index, their inputs (outputs) not linked inside the group, in slot order;
// the instance's widgets_values are the inner nodes' values one after another.
import type { ObjectInfo } from '../../comfy/types';
import { isRecord, readGraph } from './graph';
import type { ConversionProblem, UiLink, UiNode, UiSubgraphDef } from './types';

const PREFIXES = ['workflow>', 'workflow/'];

export function isGroupNodeType(type: string): boolean {
  return PREFIXES.some((p) => type.startsWith(p) && type.length > p.length);
}

export function groupInstanceAsSubgraph(
  instance: UiNode,
  groupNodes: Record<string, unknown>,
  _objectInfo: ObjectInfo,
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
    links.set(id, { id, originId: String(from), originSlot: fromSlot, targetId: String(to), targetSlot: toSlot, type: String(type ?? '*'), path: [...defPath, 'links', i] });
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
  distributeWidgetValues(instance, ordered, problems);
  return { ...graph, links, id: `group:${name}`, name, inputs, outputs, ioByIndex: true };
}

/** The instance's widgets_values are the inner nodes' values back to back, each inner node taking as many as it saved. */
function distributeWidgetValues(instance: UiNode, inner: UiNode[], problems: ConversionProblem[]): void {
  const wv = instance.widgetsValues;
  if (!Array.isArray(wv)) return;
  const counts = inner.map((n) => (Array.isArray(n.widgetsValues) ? n.widgetsValues.length : 0));
  const total = counts.reduce((a, b) => a + b, 0);
  if (total !== wv.length) {
    problems.push({
      severity: 'warning',
      code: 'widgets_values_count',
      message: `Group node ${instance.id} has ${wv.length} widget values but its definition holds ${total}; the definition's values are used.`,
      path: [...instance.path, 'widgets_values'],
      nodeId: instance.id,
    });
    return;
  }
  let offset = 0;
  inner.forEach((n, i) => {
    const count = counts[i]!;
    const start = offset;
    n.widgetsValues = wv.slice(start, start + count);
    n.widgetPath = (k) => [...instance.path, 'widgets_values', start + Number(k)];
    offset += count;
  });
}
