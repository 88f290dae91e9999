// Finds nodes of unsafe classes in a workflow, in any of the three formats: API prompts and /prompt bodies
// (`class_type`), and UI workflows (`type` of `nodes[]`, including the nodes inside subgraph definitions, which run
// just the same). Works on the jsonc tree so it gives ranges for diagnostics, and on plain values for the queue
// confirmation. Never throws: it runs on half-typed files.
import type { Node as JsonNode } from 'jsonc-parser';
import { parseWorkflowDocument, rangeOf, type OffsetRange, type WorkflowDocument } from '../workflow/document';
import type { UnsafeNodeEntry, UnsafeNodeList } from './unsafeNodes';
import { isRecord } from '../util/guards';

export interface UnsafeNodeHit {
  /** The node id (API key, or the UI node's `id` as text). */
  nodeId: string;
  classType: string;
  entry: UnsafeNodeEntry;
  /** The class name literal in the text. */
  range: OffsetRange;
}

/** The diagnostic code of an unsafe node (a warning: the server will run it if it is installed). */
export const UNSAFE_NODE_CODE = 'unsafe_node';

export interface UnsafeNodeProblem {
  severity: 'warning';
  code: typeof UNSAFE_NODE_CODE;
  message: string;
  nodeId: string;
  range: OffsetRange;
  data: { classType: string; source: string };
}

export function findUnsafeNodes(doc: WorkflowDocument | string, list: UnsafeNodeList): UnsafeNodeHit[] {
  const parsed = typeof doc === 'string' ? parseWorkflowDocument(doc) : doc;
  const hits: UnsafeNodeHit[] = [];
  if (parsed.format === 'api' || parsed.format === 'request') {
    for (const node of parsed.nodes) {
      if (node.classType === undefined || !node.classTypeNode) continue;
      const entry = list.get(node.classType);
      if (entry) hits.push({ nodeId: node.id, classType: node.classType, entry, range: rangeOf(node.classTypeNode) });
    }
    return hits;
  }
  if (parsed.format === 'ui' && parsed.root) {
    visitUiNodes(parsed.root, (id, typeNode) => {
      const classType = typeNode.value as string;
      const entry = list.get(classType);
      if (entry) hits.push({ nodeId: id, classType, entry, range: rangeOf(typeNode) });
    });
  }
  return hits;
}

/** Problems for the editor: one warning per unsafe node, on its class name. */
export function unsafeNodeProblems(doc: WorkflowDocument | string, list: UnsafeNodeList): UnsafeNodeProblem[] {
  return findUnsafeNodes(doc, list).map((h) => ({
    severity: 'warning',
    code: UNSAFE_NODE_CODE,
    message: `“${h.classType}” can run arbitrary code on the server: it ${h.entry.reason}. Queue this workflow only if you trust where it came from.`,
    nodeId: h.nodeId,
    range: h.range,
    data: { classType: h.classType, source: h.entry.source },
  }));
}

/** The distinct unsafe classes of a parsed value (what is about to be queued), for the confirmation. */
export function unsafeClassesIn(value: unknown, list: UnsafeNodeList): UnsafeNodeEntry[] {
  const found = new Map<string, UnsafeNodeEntry>();
  const check = (c: unknown) => {
    if (typeof c !== 'string') return;
    const e = list.get(c);
    if (e) found.set(c, e);
  };
  if (!isRecord(value)) return [];
  if (Array.isArray(value.nodes)) {
    const visitNodes = (nodes: unknown) => {
      if (Array.isArray(nodes)) for (const n of nodes) if (isRecord(n)) check(n.type);
    };
    visitNodes(value.nodes);
    const defs = isRecord(value.definitions) ? value.definitions.subgraphs : undefined;
    if (Array.isArray(defs)) for (const sg of defs) if (isRecord(sg)) visitNodes(sg.nodes);
    return [...found.values()];
  }
  const prompt = isRecord(value.prompt) ? value.prompt : value;
  for (const node of Object.values(prompt)) if (isRecord(node)) check(node.class_type);
  return [...found.values()];
}

function visitUiNodes(root: JsonNode, visit: (id: string, typeNode: JsonNode) => void): void {
  const visitArray = (arr: JsonNode | undefined) => {
    if (arr?.type !== 'array') return;
    for (const n of arr.children ?? []) {
      if (n.type !== 'object') continue;
      const typeNode = property(n, 'type');
      if (typeNode?.type !== 'string') continue;
      const idNode = property(n, 'id');
      visit(idNode && (idNode.type === 'number' || idNode.type === 'string') ? String(idNode.value) : '?', typeNode);
    }
  };
  if (root.type !== 'object') return;
  visitArray(property(root, 'nodes'));
  const defs = property(root, 'definitions');
  const subgraphs = defs?.type === 'object' ? property(defs, 'subgraphs') : undefined;
  if (subgraphs?.type === 'array') for (const sg of subgraphs.children ?? []) if (sg.type === 'object') visitArray(property(sg, 'nodes'));
}

function property(obj: JsonNode, key: string): JsonNode | undefined {
  let found: JsonNode | undefined;
  // The last duplicate wins, like JSON.parse.
  for (const p of obj.children ?? []) if (p.type === 'property' && p.children?.[0]?.value === key) found = p.children[1];
  return found;
}

