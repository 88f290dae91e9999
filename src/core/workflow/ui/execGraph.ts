// The executable view of a UI workflow, after ComfyUI_frontend's ExecutableNodeDTO: every node of every graph
// level gets an execution id (`instance:inner` inside subgraphs), and each input link is resolved through
// subgraph boundaries, bypassed nodes and virtual nodes to the real node that produces the value.
// Where the frontend throws (bad links, cycles, missing slots) this reports a problem and leaves the input unset.
import type { ObjectInfo } from '../../comfy/types';
import { typesMatch } from '../nodeDefs';
import { classLayout, type ClassLayout } from './nodeSchema';
import { groupInstanceAsSubgraph, isGroupNodeType } from './groupNodes';
import type { ConversionProblem, JsonPath, UiGraph, UiNode, UiSubgraphDef, UiWorkflow } from './types';
import { virtualRule, type VirtualRule } from './virtualNodes';

export const MODE_NEVER = 2;
export const MODE_BYPASS = 4;
/** Subgraph input / output node ids inside a definition. */
const SUBGRAPH_INPUT_ID = '-10';
const SUBGRAPH_OUTPUT_ID = '-20';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * Bound on expanded nodes so a maliciously nested file cannot blow up memory (a subgraph instanced 10× inside one
 * instanced 10×…). The API prompt of this many nodes stays under the document model's size limits.
 */
export const MAX_EXEC_NODES = 15_000;
/** Bounds on recursion (subgraph nesting, hops along one link chain) so no file can overflow the stack. */
const MAX_NESTING = 64;
const MAX_HOPS = 2_000;

export type ExecKind = 'real' | 'missing' | 'virtual' | 'subgraph';

export interface ExecNode {
  /** Execution id: the ids of the enclosing subgraph instances and the node's own id, joined by ':'. */
  id: string;
  node: UiNode;
  graph: UiGraph;
  /** Execution ids of the enclosing instances (the prefix of `id`). */
  prefix: string[];
  /** The subgraph instance this node sits in. */
  instance?: ExecNode;
  kind: ExecKind;
  virtual?: VirtualRule;
  /** For subgraph / group node instances: the definition, when it was expanded. */
  subgraph?: UiSubgraphDef;
  layout?: ClassLayout;
}

export type Resolved = { kind: 'link'; originId: string; originSlot: number; origin: ExecNode } | { kind: 'widget'; value: unknown; path?: JsonPath };

/** LiteGraph.isValidConnection: wildcards, case-insensitive, comma unions overlap (the frontend's type rules). */
export function isValidConnection(a: string, b: string): boolean {
  return typesMatch(a, b, 'frontend');
}

/**
 * True when the node becomes a node of the API prompt: not virtual, not a subgraph/group instance (its inner nodes
 * are sent instead), not muted or bypassed. The converter, the required classes and the safety check all use this.
 */
export function isSentToServer(dto: ExecNode): boolean {
  return dto.kind !== 'virtual' && dto.kind !== 'subgraph' && dto.node.mode !== MODE_NEVER && dto.node.mode !== MODE_BYPASS;
}

export class ExecGraph {
  readonly nodes = new Map<string, ExecNode>();
  private tooBig = false;

  constructor(
    readonly workflow: UiWorkflow,
    readonly objectInfo: ObjectInfo,
    readonly problems: ConversionProblem[],
  ) {
    this.addGraph(workflow.root, [], undefined, []);
  }

  private report(p: ConversionProblem): void {
    this.problems.push(p);
  }

  private addGraph(graph: UiGraph, prefix: string[], instance: ExecNode | undefined, stack: string[]): void {
    for (const node of graph.nodeList) {
      if (this.nodes.size >= MAX_EXEC_NODES) {
        if (!this.tooBig) {
          this.tooBig = true;
          this.report({
            severity: 'error',
            code: 'workflow_too_large',
            message: `The workflow expands to more than ${MAX_EXEC_NODES.toLocaleString('en-US')} nodes (subgraphs and group nodes included); conversion stopped there.`,
            path: node.path,
          });
        }
        return;
      }
      const id = [...prefix, node.id].join(':');
      const dto: ExecNode = { id, node, graph, prefix, kind: 'real', ...(instance ? { instance } : {}) };
      const layout = classLayout(this.objectInfo, node.type);
      const rule = virtualRule(node.type, layout !== undefined);
      const def = this.workflow.subgraphs.get(node.type);
      if (rule) {
        dto.kind = 'virtual';
        dto.virtual = rule;
      } else if (def || isGroupNodeType(node.type)) {
        dto.kind = 'subgraph';
      } else if (layout) {
        dto.layout = layout;
      } else {
        dto.kind = 'missing';
        if (UUID.test(node.type)) {
          // A subgraph instance whose definition is not in the file: nothing inside it can be sent.
          dto.kind = 'subgraph';
          this.report({
            severity: 'error',
            code: 'subgraph_missing',
            message: `Node ${id} is an instance of subgraph ${node.type}, which is not in definitions.subgraphs; its nodes cannot be converted.`,
            path: node.path,
            nodeId: id,
            ...(node.title !== undefined ? { title: node.title } : {}),
          });
        }
      }
      this.nodes.set(id, dto);
      if (dto.kind !== 'subgraph' || (!def && !isGroupNodeType(node.type))) continue;
      // A muted or bypassed instance contributes no inner nodes: muted drops it, bypass forwards its inputs.
      if (node.mode === MODE_NEVER || node.mode === MODE_BYPASS) continue;
      // Past the cap nothing more is expanded (reading a group definition per instance would cost instances × size).
      if (this.tooBig) return;
      const innerDef = def ?? groupInstanceAsSubgraph(node, this.workflow.groupNodes, this.objectInfo, this.problems);
      if (!innerDef) continue;
      const key = def ? def.id : `group:${node.type}`;
      if (stack.includes(key) || stack.length >= MAX_NESTING) {
        this.report({
          severity: 'error',
          code: 'subgraph_recursion',
          message: stack.includes(key)
            ? `Subgraph "${innerDef.name}" contains itself (through node ${id}); this instance is not expanded.`
            : `Subgraphs are nested more than ${MAX_NESTING} deep at node ${id}; this instance is not expanded.`,
          path: node.path,
          nodeId: id,
          ...(node.title !== undefined ? { title: node.title } : {}),
        });
        continue;
      }
      dto.subgraph = innerDef;
      this.addGraph(innerDef, [...prefix, node.id], dto, [...stack, key]);
    }
  }

  private cycle(dto: ExecNode, what: string, path: JsonPath): undefined {
    this.report({
      severity: 'error',
      code: 'link_cycle',
      message: `Circular (or over ${MAX_HOPS} hops long) link chain while resolving ${what} of node ${dto.id}${dto.node.title ? ` (${dto.node.title})` : ''}.`,
      path,
      nodeId: dto.id,
    });
    return undefined;
  }

  /** Resolves input `slot` of `dto` to the real producer (or to a widget value of an enclosing instance). */
  resolveInput(dto: ExecNode, slot: number, visited = new Set<string>(), type?: string): Resolved | undefined {
    const key = `${dto.id}[I]${slot}`;
    if (visited.has(key) || visited.size > MAX_HOPS) return this.cycle(dto, `input ${slot}`, dto.node.inputs[slot]?.path ?? dto.node.path);
    visited.add(key);
    const input = dto.node.inputs[slot];
    if (!input) {
      this.report({ severity: 'error', code: 'slot_out_of_range', message: `Node ${dto.id} has no input slot ${slot}.`, path: dto.node.path, nodeId: dto.id });
      return undefined;
    }
    if (input.link === null) return undefined;
    const link = dto.graph.links.get(String(input.link));
    if (!link) {
      this.report({
        severity: 'error',
        code: 'dangling_link',
        message: `Input "${input.name}" of node ${dto.id} refers to link ${input.link}, which does not exist.`,
        path: input.path,
        nodeId: dto.id,
        inputName: input.name,
      });
      return undefined;
    }
    const inst = dto.instance;
    if (inst?.subgraph && link.originId === SUBGRAPH_INPUT_ID) {
      return this.resolveFromInstanceInput(dto, inst, inst.subgraph, link.originSlot, input.path, visited);
    }
    const origin = this.nodes.get([...dto.prefix, link.originId].join(':'));
    if (!origin) {
      this.report({
        severity: 'error',
        code: 'dangling_link',
        message: `Link ${link.id} into "${input.name}" of node ${dto.id} comes from node ${link.originId}, which does not exist.`,
        path: input.path,
        nodeId: dto.id,
        inputName: input.name,
      });
      return undefined;
    }
    // The frontend sends such a link as it is (the server then rejects it); say so where the link is.
    const outputs = origin.layout?.outputTypes.length ?? Infinity;
    if (link.originSlot >= outputs) {
      this.report({
        severity: 'warning',
        code: 'slot_out_of_range',
        message: `Link ${link.id} leaves output ${link.originSlot} of node ${origin.id} (${origin.node.type}), which has only ${outputs} output(s) on this server.`,
        path: link.path,
        nodeId: dto.id,
        inputName: input.name,
      });
    }
    return this.resolveOutput(origin, link.originSlot, type ?? input.type, visited);
  }

  /** A link inside a subgraph that starts at the input node: continue on the instance's matching input. */
  private resolveFromInstanceInput(
    dto: ExecNode,
    inst: ExecNode,
    def: UiSubgraphDef,
    defSlot: number,
    path: JsonPath,
    visited: Set<string>,
  ): Resolved | undefined {
    const defInput = def.inputs[defSlot];
    if (!defInput) {
      this.report({
        severity: 'error',
        code: 'slot_out_of_range',
        message: `Subgraph "${def.name}" has no input ${defSlot} (used by node ${dto.id}).`,
        path,
        nodeId: dto.id,
      });
      return undefined;
    }
    const idx = instanceInputIndex(inst.node, def, defSlot);
    const instInput = idx >= 0 ? inst.node.inputs[idx] : undefined;
    if (!instInput || instInput.link === null) return promotedValue(inst, def, defSlot);
    return this.resolveInput(inst, idx, visited);
  }

  resolveOutput(dto: ExecNode, slot: number, type: string, visited: Set<string>): Resolved | undefined {
    const key = `${dto.id}[O]${slot}`;
    if (visited.has(key) || visited.size > MAX_HOPS) return this.cycle(dto, `output ${slot}`, dto.node.path);
    visited.add(key);
    if (dto.node.mode === MODE_BYPASS) {
      const idx = isGroupNodeType(dto.node.type) && dto.kind === 'subgraph' ? groupBypassIndex(dto.node, slot, type) : bypassSlotIndex(dto.node, slot, type);
      if (idx === -1) {
        this.report({
          severity: 'information',
          code: 'bypass_unresolved',
          message: `Bypassed node ${dto.id} has no input matching type ${type}; the frontend leaves the input it feeds unset.`,
          path: dto.node.path,
          nodeId: dto.id,
        });
        return undefined;
      }
      return this.resolveInput(dto, idx, visited);
    }
    if (dto.kind === 'subgraph') return this.resolveSubgraphOutput(dto, slot, type, visited);
    if (dto.kind === 'virtual') return this.resolveVirtualOutput(dto, slot, type, visited);
    return { kind: 'link', originId: dto.id, originSlot: slot, origin: dto };
  }

  private resolveVirtualOutput(dto: ExecNode, slot: number, type: string, visited: Set<string>): Resolved | undefined {
    if (dto.virtual === 'get') {
      const set = findSetNode(dto, this.nodes);
      return set ? this.resolveInput(set, 0, visited, type) : undefined;
    }
    if (dto.virtual === 'passthrough' || dto.virtual === 'set') {
      return dto.node.inputs[slot] ? this.resolveInput(dto, slot, visited, type) : undefined;
    }
    // Primitive values were pushed into their targets' widgets beforehand; other virtual nodes carry nothing.
    return undefined;
  }

  private resolveSubgraphOutput(dto: ExecNode, slot: number, type: string, visited: Set<string>): Resolved | undefined {
    const def = dto.subgraph;
    // Not expanded (muted, missing definition, recursion): point at the instance; its link is dropped later.
    if (!def) return { kind: 'link', originId: dto.id, originSlot: slot, origin: dto };
    const out = def.outputs[slot];
    const linkId = out?.linkIds[0];
    const link =
      (linkId !== undefined ? def.links.get(String(linkId)) : undefined) ??
      [...def.links.values()].find((l) => l.targetId === SUBGRAPH_OUTPUT_ID && l.targetSlot === slot);
    if (!link) return undefined;
    if (link.originId === SUBGRAPH_INPUT_ID) {
      // Output wired straight to an input: continue outside, on the instance's input.
      const idx = instanceInputIndex(dto.node, def, link.originSlot);
      return idx >= 0 ? this.resolveInput(dto, idx, visited) : undefined;
    }
    const inner = this.nodes.get([...dto.prefix, dto.node.id, link.originId].join(':'));
    if (!inner) {
      this.report({
        severity: 'error',
        code: 'dangling_link',
        message: `Output ${slot} of subgraph "${def.name}" comes from node ${link.originId}, which is not in the subgraph.`,
        path: dto.node.path,
        nodeId: dto.id,
      });
      return undefined;
    }
    return this.resolveOutput(inner, link.originSlot, type, visited);
  }
}

/** The instance input that feeds definition input `defSlot`: by name (saved instances drop unlinked widget slots). */
function instanceInputIndex(instance: UiNode, def: UiSubgraphDef, defSlot: number): number {
  if (def.ioByIndex) return defSlot < instance.inputs.length ? defSlot : -1;
  const name = def.inputs[defSlot]?.name;
  const byName = instance.inputs.findIndex((i) => i.name === name);
  if (byName >= 0) return byName;
  return instance.inputs.length === def.inputs.length ? defSlot : -1;
}

/**
 * The value of an unlinked subgraph input that has a widget on the instance, when the instance saved one:
 * - with `properties.proxyWidgets` (current frontends), entries `["-1", name]` are the instance's own widgets for
 *   subgraph inputs and their values are in widgets_values, in that order; other entries only mirror an inner
 *   widget, whose own value is used;
 * - earlier subgraph instances saved one value per widget-backed input, in input order.
 * Otherwise nothing is returned and the inner widget keeps its own value.
 */
function promotedValue(inst: ExecNode, def: UiSubgraphDef, defSlot: number): Resolved | undefined {
  const wv = inst.node.widgetsValues;
  if (!Array.isArray(wv) || wv.length === 0 || def.ioByIndex) return undefined;
  const name = def.inputs[defSlot]?.name;
  const proxies = inst.node.properties.proxyWidgets;
  let names: (string | undefined)[];
  if (Array.isArray(proxies)) {
    names = proxies.filter((e): e is unknown[] => Array.isArray(e) && String(e[0]) === '-1').map((e) => (typeof e[1] === 'string' ? e[1] : undefined));
  } else {
    names = def.inputs.filter((input) => input.linkIds.some((id) => targetIsWidget(def, id))).map((input) => input.name);
  }
  const pos = names.indexOf(name);
  if (pos < 0 || names.length !== wv.length) return undefined;
  return { kind: 'widget', value: wv[pos], path: [...inst.node.path, 'widgets_values', pos] };
}

function targetIsWidget(def: UiSubgraphDef, linkId: unknown): boolean {
  const link = def.links.get(String(linkId));
  if (!link) return false;
  const target = def.nodes.get(link.targetId);
  const slot = target?.inputs.find((i) => i.link !== null && String(i.link) === String(linkId));
  return slot?.widgetName !== undefined;
}

/** ExecutableNodeDTO#getBypassSlotIndex. */
function bypassSlotIndex(node: UiNode, slot: number, type: string): number {
  const inputs = node.inputs;
  const outputType = node.outputs[slot]?.type ?? '*';
  if (type === '*' || type === '') return inputs.length > slot ? slot : 0;
  const opposite = inputs[slot];
  if (opposite && isValidConnection(opposite.type, outputType) && isValidConnection(opposite.type, type)) return slot;
  const exact = inputs.findIndex((i) => i.type === type);
  if (exact !== -1) return exact;
  return inputs.findIndex((i) => isValidConnection(i.type, outputType) && isValidConnection(i.type, type));
}

/** ExecutableGroupNodeDTO: same slot first, then the first input of exactly that type. */
function groupBypassIndex(node: UiNode, slot: number, type: string): number {
  const order = [slot, ...node.inputs.keys()];
  return order.find((i) => node.inputs[i]?.type === type) ?? -1;
}

/** KJNodes GetNode → the SetNode of the same graph level whose name (widgets_values[0]) matches. */
function findSetNode(get: ExecNode, nodes: Map<string, ExecNode>): ExecNode | undefined {
  const name = Array.isArray(get.node.widgetsValues) ? get.node.widgetsValues[0] : undefined;
  for (const n of get.graph.nodeList) {
    if (n.type !== 'SetNode' || !Array.isArray(n.widgetsValues) || n.widgetsValues[0] !== name) continue;
    return nodes.get([...get.prefix, n.id].join(':'));
  }
  return undefined;
}
