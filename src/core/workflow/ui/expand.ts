// THE expansion of a UI workflow (issue 13, deliverable 3): every node of every graph level as the frontend executes
// it — subgraph instances and legacy group nodes (extra.groupNodes) flattened to `outer:inner` ids, primitives,
// reroutes and other virtual nodes (Set/Get, rgthree) classified, muted and bypassed nodes marked. The converter,
// validation, the unsafe-node check, seed control and server dispatch all read a UI graph through this (or through
// ExecGraph, which it wraps), so they can no longer disagree about which nodes a workflow has.
import type { ObjectInfo } from '../../comfy/types';
import { ExecGraph, isSentToServer, type ExecKind } from './execGraph';
import { readUiWorkflow } from './graph';
import type { ConversionProblem, JsonPath, UiNode } from './types';
import type { VirtualRule } from './virtualNodes';

export interface ExpandedNode {
  /** Execution id (`instance:inner` inside subgraphs and group nodes): the API node id when it is sent. */
  id: string;
  /** The node's `type` (its class when it is a real node). */
  type: string;
  kind: ExecKind;
  virtual?: VirtualRule;
  /** True when the node becomes a node of the API prompt (see `isSentToServer`). */
  sent: boolean;
  /** Where the node object lives in the file (inside definitions.subgraphs[] or extra.groupNodes for inner nodes). */
  path: JsonPath;
  /** Where its `type` string lives in the file. */
  typePath: JsonPath;
  /** The normalized node (widget values of a group node's inner node already point at the instance). */
  node: UiNode;
}

export interface UiExpansion {
  /** Every expanded node once per instance, in the order the converter visits them. */
  nodes: ExpandedNode[];
  /** What the expansion itself found (missing subgraph or group definitions, recursion, size caps). */
  problems: ConversionProblem[];
}

/**
 * Expands a parsed UI workflow. `objectInfo` decides which custom virtual types are real classes on that server
 * (a backend class always wins) and how group-node widgets line up; without it every non-virtual node counts as a
 * class the server must have. Never throws; bounded by the UI node and expansion caps.
 */
export function expandUiWorkflow(workflow: unknown, objectInfo: ObjectInfo = {}): UiExpansion {
  const problems: ConversionProblem[] = [];
  const ui = readUiWorkflow(workflow, problems);
  if (!ui) return { nodes: [], problems };
  const graph = new ExecGraph(ui, objectInfo, problems);
  const nodes: ExpandedNode[] = [];
  for (const dto of graph.nodes.values()) {
    nodes.push({
      id: dto.id,
      type: dto.node.type,
      kind: dto.kind,
      ...(dto.virtual ? { virtual: dto.virtual } : {}),
      sent: isSentToServer(dto),
      path: dto.node.path,
      typePath: [...dto.node.path, 'type'],
      node: dto.node,
    });
  }
  return { nodes, problems };
}

/**
 * The classes a UI workflow needs on a server: the types of the nodes that are sent, deduplicated, in first-use
 * order. Virtual nodes (Note, PrimitiveNode, Reroute, SetNode/GetNode, rgthree's…), subgraph and group-node
 * instances, muted and bypassed nodes are left out; classes used only inside subgraphs or group nodes are in.
 * Pass the server's /object_info to let a server that defines a "virtual" type as a real class count it.
 */
export function requiredClassesOfUiWorkflow(workflow: unknown, objectInfo?: ObjectInfo): string[] {
  const out = new Set<string>();
  for (const n of expandUiWorkflow(workflow, objectInfo).nodes) if (n.sent) out.add(n.type);
  return [...out];
}
