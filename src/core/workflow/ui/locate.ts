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
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (node) return focus(node);
  }
  return { offset: root.offset, length: Math.min(1, root.length) };
}

/** Inside an object, points at its most telling property: an input slot's `link`, a node's `type`. */
function focus(node: JsonNode): OffsetRange {
  if (node.type === 'object') {
    for (const key of ['link', 'type']) {
      const value = findNodeAtLocation(node, [key]);
      if (value) return { offset: value.offset, length: value.length };
    }
  }
  return { offset: node.offset, length: node.length };
}
