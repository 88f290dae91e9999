// The pack view of one parsed workflow document: its own pack/model records and "which class is node N".
// Cached per document object (a new version is a new object), so the editor pays for it once per edit at most.
import { getNodeValue } from 'jsonc-parser';
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
    if (doc.format === 'request' && doc.root) value = getNodeValue(doc.root);
    for (const n of doc.nodes) if (n.classType) classes.add(n.classType);
    return { info: readWorkflowPackInfo(value), classOf: (id) => doc.nodeById.get(id)?.classType, classes };
  }
  const value: unknown = doc.root ? getNodeValue(doc.root) : undefined;
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
