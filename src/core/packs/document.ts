// The pack view of one parsed workflow document: its own pack/model records and "which class is node N".
// Cached per document object (a new version is a new object), so the editor pays for it once per edit at most.
import { getNodeValue, type Node as JsonNode } from 'jsonc-parser';
import type { WorkflowDocument } from '../workflow/document';
import { isRecord } from '../util/guards';
import { readWorkflowPackInfo, type WorkflowPackInfo } from './workflowInfo';

export interface DocumentPackView {
  info: WorkflowPackInfo;
  /** Class of a node id: API ids, UI ids, and UI execution ids `outer:inner` (inner nodes of subgraphs). */
  classOf(nodeId: string): string | undefined;
  /** Every class the document uses (for "requirements"). */
  classes: Set<string>;
}

/** ComfyUI's own frontend-only node types: nothing to install. */
const FRONTEND_ONLY = ['Note', 'MarkdownNote', 'PrimitiveNode', 'Reroute'];

const cache = new WeakMap<WorkflowDocument, DocumentPackView>();

export function documentPackView(doc: WorkflowDocument): DocumentPackView {
  let view = cache.get(doc);
  if (!view) cache.set(doc, (view = build(doc)));
  return view;
}

function build(doc: WorkflowDocument): DocumentPackView {
  const classes = new Set<string>();
  if (doc.format !== 'ui') {
    // API prompts carry no pack records, but a /prompt body may embed its UI workflow.
    let value: unknown;
    if (doc.format === 'request' && doc.root) {
      const wf = child(child(child(doc.root, 'extra_data'), 'extra_pnginfo'), 'workflow');
      if (wf) value = { extra_data: { extra_pnginfo: { workflow: skeleton(wf) } } };
    }
    for (const n of doc.nodes) if (n.classType) classes.add(n.classType);
    return { info: readWorkflowPackInfo(value), classOf: (id) => doc.nodeById.get(id)?.classType, classes };
  }
  const value: unknown = doc.root ? skeleton(doc.root) : undefined;
  const top = new Map<string, string>();
  const inner = new Map<string, string>();
  if (isRecord(value)) {
    const add = (nodes: unknown, into: Map<string, string>): void => {
      if (!Array.isArray(nodes)) return;
      for (const n of nodes.slice(0, 100_000)) {
        if (!isRecord(n) || typeof n.type !== 'string') continue;
        if (typeof n.id === 'string' || typeof n.id === 'number') into.set(String(n.id), n.type);
        classes.add(n.type);
      }
    };
    add(value.nodes, top);
    if (isRecord(value.definitions) && Array.isArray(value.definitions.subgraphs)) {
      for (const sg of value.definitions.subgraphs.slice(0, 1000)) if (isRecord(sg)) add(sg.nodes, inner);
      // A subgraph instance's type is its definition's id, not a class.
      for (const sg of value.definitions.subgraphs.slice(0, 1000)) if (isRecord(sg) && typeof sg.id === 'string') classes.delete(sg.id);
    }
    for (const c of FRONTEND_ONLY) classes.delete(c);
  }
  return {
    info: readWorkflowPackInfo(value),
    classOf: (id) => {
      const i = id.lastIndexOf(':');
      return i < 0 ? top.get(id) : inner.get(id.slice(i + 1));
    },
    classes,
  };
}

/** The value of an object's property, without converting anything else. */
function child(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.type !== 'object') return undefined;
  let found: JsonNode | undefined;
  for (const p of node.children ?? []) if (p.children?.[0]?.value === key) found = p.children[1];
  return found;
}

/**
 * Only what the pack view reads (node ids, types and properties; subgraph ids and nodes; the models list) as plain
 * values. Converting the whole tree (widgets, links, positions) would cost tens of milliseconds per keystroke on
 * large workflows.
 */
function skeleton(root: JsonNode): Record<string, unknown> | undefined {
  if (root.type !== 'object') return undefined;
  const nodesOf = (arr: JsonNode | undefined): unknown[] | undefined =>
    arr?.type === 'array'
      ? (arr.children ?? []).map((n) => {
          const id = child(n, 'id');
          const type = child(n, 'type');
          const props = child(n, 'properties');
          return {
            ...(id && (id.type === 'string' || id.type === 'number') ? { id: id.value as unknown } : {}),
            ...(type?.type === 'string' ? { type: type.value as unknown } : {}),
            ...(props?.type === 'object' ? { properties: getNodeValue(props) as unknown } : {}),
          };
        })
      : undefined;
  const out: Record<string, unknown> = {};
  const nodes = nodesOf(child(root, 'nodes'));
  if (nodes) out.nodes = nodes;
  const subgraphs = child(child(root, 'definitions'), 'subgraphs');
  if (subgraphs?.type === 'array') {
    out.definitions = {
      subgraphs: (subgraphs.children ?? []).map((sg) => {
        const id = child(sg, 'id');
        return { ...(id?.type === 'string' ? { id: id.value as unknown } : {}), nodes: nodesOf(child(sg, 'nodes')) ?? [] };
      }),
    };
  }
  const models = child(root, 'models');
  if (models?.type === 'array') out.models = getNodeValue(models) as unknown;
  return out;
}
