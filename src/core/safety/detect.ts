// Finds nodes of unsafe classes in a workflow, in any of the three formats: API prompts and /prompt bodies
// (`class_type`), and UI workflows (every node of the shared expansion: `nodes[]`, subgraph instances and legacy
// group nodes, whose inner nodes run just the same). Works on the jsonc tree so it gives ranges for diagnostics, and on plain values for the queue
// confirmation. Never throws: it runs on half-typed files.
import { findNodeAtLocation, getNodeValue } from 'jsonc-parser';
import { parseWorkflowDocument, rangeOf, type OffsetRange, type WorkflowDocument } from '../workflow/document';
import type { UnsafeNodeEntry, UnsafeNodeList } from './unsafeNodes';
import { isRecord } from '../util/guards';
import { detectValueFormat } from '../workflow/format';
import { expandUiWorkflow } from '../workflow/ui/expand';

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
    // The one expansion of the UI graph: nodes, subgraph instances and legacy group nodes (extra.groupNodes) alike.
    // Muted and bypassed nodes count too (one click turns them back on); a definition used twice is reported once.
    const seen = new Set<string>();
    for (const n of expandUiWorkflow(getNodeValue(parsed.root)).nodes) {
      if (n.kind === 'virtual' || n.kind === 'subgraph') continue;
      const entry = list.get(n.type);
      if (!entry) continue;
      const typeNode = findNodeAtLocation(parsed.root, n.typePath);
      const key = typeNode ? String(typeNode.offset) : n.typePath.join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      hits.push({ nodeId: n.id, classType: n.type, entry, range: typeNode ? rangeOf(typeNode) : { offset: 0, length: 0 } });
    }
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

/** An unsafe node of the API prompt that is about to be sent. */
export interface PromptUnsafeNode {
  nodeId: string;
  classType: string;
  entry: UnsafeNodeEntry;
}

/**
 * The unsafe nodes of the prompt actually sent (an API prompt: for UI files, the converter's output). This is what
 * the queue confirmation must judge: whatever the file looks like, these are the classes the server will run.
 */
export function unsafeNodesOfPrompt(prompt: unknown, list: UnsafeNodeList): PromptUnsafeNode[] {
  const out: PromptUnsafeNode[] = [];
  if (!isRecord(prompt)) return out;
  for (const [nodeId, node] of Object.entries(prompt)) {
    const c = isRecord(node) ? node.class_type : undefined;
    if (typeof c !== 'string') continue;
    const entry = list.get(c);
    if (entry) out.push({ nodeId, classType: c, entry });
  }
  return out;
}

/**
 * The distinct unsafe classes of a parsed workflow file (what is about to be queued), for the confirmation. UI
 * workflows go through the shared expansion (nodes that are sent, including those inside subgraphs and group nodes);
 * API prompts and /prompt bodies by `class_type`. Prefer `unsafeNodesOfPrompt` on the converted prompt when there is one.
 */
export function unsafeClassesIn(value: unknown, list: UnsafeNodeList): UnsafeNodeEntry[] {
  const found = new Map<string, UnsafeNodeEntry>();
  if (!isRecord(value)) return [];
  if (detectValueFormat(value) === 'ui') {
    for (const n of expandUiWorkflow(value).nodes) {
      const e = n.sent ? list.get(n.type) : undefined;
      if (e) found.set(n.type, e);
    }
    return [...found.values()];
  }
  const prompt = isRecord(value.prompt) ? value.prompt : value;
  for (const h of unsafeNodesOfPrompt(prompt, list)) found.set(h.classType, h.entry);
  return [...found.values()];
}
