// Node replacements a server registers (GET /node_replacements, ComfyUI 0.33+): an old class, the class that
// replaces it, how its inputs map (`old_id` → `new_id`, or a fixed `set_value`; new ids may be dotted:
// `images.image0`, `resize_type.multiplier`) and how its outputs map (`old_idx` → `new_idx`).
// A prompt that uses a *missing* class with a registered replacement makes 0.33 answer 500 "Server got itself in
// trouble" (text/plain) instead of a validation error: `explainReplacementCrash` names the node.
import { isRecord } from '../util/guards';
import type { WorkflowDocument } from './document';
import type { TextEdit } from './edits';
import { renderValue } from './edits';

export interface InputMapping {
  newId: string;
  /** The old input whose value moves to `newId`. */
  oldId?: string;
  /** A fixed value for `newId` (when the old class had no such input). */
  setValue?: unknown;
}

export interface NodeReplacement {
  oldClass: string;
  newClass: string;
  /** Undefined: the inputs keep their names. */
  inputs?: InputMapping[];
  /** Undefined: outputs keep their indexes. */
  outputs?: { oldIdx: number; newIdx: number }[];
}

/** Old class → its replacement (the first one the server lists). */
export type NodeReplacements = ReadonlyMap<string, NodeReplacement>;

const MAX_ENTRIES = 10_000;
const MAX_MAPPINGS = 500;

/** Reads a /node_replacements body; anything malformed is skipped. Never throws. */
export function parseNodeReplacements(body: unknown): Map<string, NodeReplacement> {
  const out = new Map<string, NodeReplacement>();
  if (!isRecord(body)) return out;
  for (const [oldClass, list] of Object.entries(body).slice(0, MAX_ENTRIES)) {
    const first = Array.isArray(list) ? list.find(isRecord) : undefined;
    if (!first || typeof first.new_node_id !== 'string' || first.new_node_id === '') continue;
    const r: NodeReplacement = { oldClass, newClass: first.new_node_id };
    if (Array.isArray(first.input_mapping)) {
      r.inputs = first.input_mapping.slice(0, MAX_MAPPINGS).flatMap((m): InputMapping[] => {
        if (!isRecord(m) || typeof m.new_id !== 'string') return [];
        if ('set_value' in m) return [{ newId: m.new_id, setValue: m.set_value }];
        return typeof m.old_id === 'string' ? [{ newId: m.new_id, oldId: m.old_id }] : [];
      });
    }
    if (Array.isArray(first.output_mapping)) {
      r.outputs = first.output_mapping
        .slice(0, MAX_MAPPINGS)
        .flatMap((m) =>
          isRecord(m) && Number.isInteger(m.old_idx) && Number.isInteger(m.new_idx) ? [{ oldIdx: m.old_idx as number, newIdx: m.new_idx as number }] : [],
        );
    }
    out.set(oldClass, r);
  }
  return out;
}

/**
 * Edits that turn node `nodeId` into its replacement: the class, the inputs as mapped (values and links kept as
 * written), and the output index of every link that points at the node.
 */
export function replaceNodeEdits(doc: WorkflowDocument, nodeId: string, r: NodeReplacement): TextEdit[] {
  const node = doc.nodeById.get(nodeId);
  if (!node?.classTypeNode) return [];
  const edits: TextEdit[] = [{ offset: node.classTypeNode.offset, length: node.classTypeNode.length, newText: JSON.stringify(r.newClass) }];
  if (r.inputs && node.inputsNode?.type === 'object') {
    const parts: string[] = [];
    for (const m of r.inputs) {
      const old = m.oldId !== undefined ? node.inputs.get(m.oldId) : undefined;
      let text: string | undefined;
      if (m.oldId === undefined) text = renderValue(m.setValue);
      else if (old) text = doc.text.slice(old.valueRange.offset, old.valueRange.offset + old.valueRange.length);
      if (text !== undefined) parts.push(`${JSON.stringify(m.newId)}: ${text}`);
    }
    edits.push({ offset: node.inputsNode.offset, length: node.inputsNode.length, newText: `{ ${parts.join(', ')} }`.replace('{  }', '{}') });
  }
  if (r.outputs) {
    const moved = new Map(r.outputs.map((o) => [o.oldIdx, o.newIdx]));
    for (const other of doc.nodeById.values()) {
      for (const input of other.inputs.values()) {
        const link = input.link;
        if (!link || link.sourceId !== nodeId || typeof link.slot !== 'number' || !link.slotRange) continue;
        const to = moved.get(link.slot);
        if (to !== undefined && to !== link.slot) edits.push({ ...link.slotRange, newText: String(to) });
      }
    }
  }
  return edits;
}

export interface ReplacementCrash {
  nodeId: string;
  classType: string;
  replacement: string;
}

/**
 * Whether a POST /prompt failure is 0.33's crash on a missing class that has a registered replacement, and on which
 * node: a 500 whose text is "Server got itself in trouble" (or any 500 when such a node is in the prompt).
 * `hasClass` says whether the server has a class (its /object_info).
 */
export function explainReplacementCrash(
  status: number,
  prompt: unknown,
  replacements: NodeReplacements,
  hasClass: (classType: string) => boolean,
): ReplacementCrash | undefined {
  if (status !== 500 || !isRecord(prompt) || replacements.size === 0) return undefined;
  for (const [id, node] of Object.entries(prompt)) {
    const classType = isRecord(node) ? node.class_type : undefined;
    if (typeof classType !== 'string' || hasClass(classType)) continue;
    const r = replacements.get(classType);
    if (r) return { nodeId: id, classType, replacement: r.newClass };
  }
  return undefined;
}
