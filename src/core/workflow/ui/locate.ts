// JSON paths of the UI document → offsets in its text, so problems land on the exact element the editor should
// underline: a widgets_values entry, the `link` of an input slot, or the `type` of a node (not the whole node,
// which can span dozens of lines).
import { findNodeAtLocation, type Node as JsonNode } from 'jsonc-parser';
import type { OffsetRange } from '../document';
import type { JsonPath } from './types';

/** The range of `path` in the tree, falling back to the nearest ancestor that exists. */
export function locatePath(root: JsonNode | undefined, path: JsonPath): OffsetRange {
  if (!root) return { offset: 0, length: 0 };
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    const node = findNodeAtLocation(root, sub);
    if (node) return focus(node, sub[sub.length - 2]);
  }
  return { offset: root.offset, length: Math.min(1, root.length) };
}

/** A node object is shown at its `type`, an input slot at its `link`; anything else as it is. */
function focus(node: JsonNode, container: string | number | undefined): OffsetRange {
  const key = container === 'nodes' ? 'type' : container === 'inputs' ? 'link' : undefined;
  const value = key && node.type === 'object' ? findNodeAtLocation(node, [key]) : undefined;
  const target = value ?? node;
  return { offset: target.offset, length: target.length };
}
