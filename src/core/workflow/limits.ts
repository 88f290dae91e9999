// Size guards that run before anything builds a tree from a file's text (issue 13, findings 3 and 4). A syntax tree
// costs ~100 bytes of heap per JSON value and the tree walkers recurse per nesting level, so a small file of arrays
// (`[0,0,0,…]`) or of deep brackets must be turned away by a linear scan, never by running out of memory or stack.
import { endOfString } from '../util/jsonScan';

/** Above this many JSON values (scalars and containers, estimated by commas and brackets) a file is not parsed. */
export const DEFAULT_MAX_VALUES = 600_000;
/** Above this nesting depth a file is not parsed (real workflows nest < 20 levels; recursion must stay shallow). */
export const DEFAULT_MAX_DEPTH = 512;
/** Above this many nodes (nodes[], subgraph definitions and group-node definitions together) a UI file is not converted. */
export const MAX_UI_NODES = 20_000;

export interface TextLimits {
  maxValues?: number;
  maxDepth?: number;
}

export type LimitExceeded = { kind: 'values'; count: number; limit: number } | { kind: 'depth'; depth: number; limit: number; offset: number };

/**
 * One pass over the text, outside string literals: counts values (commas + opening brackets + 1) and tracks the
 * nesting depth. Returns what was exceeded first, or undefined. Linear; never allocates per character.
 */
export function checkTextLimits(text: string, limits: TextLimits = {}): LimitExceeded | undefined {
  const maxValues = limits.maxValues ?? DEFAULT_MAX_VALUES;
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  let values = 1;
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i = endOfString(text, i);
    } else if (c === 44 /* , */) {
      if (++values > maxValues) return { kind: 'values', count: values, limit: maxValues };
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++values > maxValues) return { kind: 'values', count: values, limit: maxValues };
      if (++depth > maxDepth) return { kind: 'depth', depth, limit: maxDepth, offset: i };
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (depth > 0) depth--;
    }
  }
  return undefined;
}

/** Nodes a parsed UI workflow declares (top level, subgraph definitions, legacy group-node definitions). */
export function countUiNodes(workflow: unknown): number {
  if (typeof workflow !== 'object' || workflow === null) return 0;
  const w = workflow as Record<string, unknown>;
  let n = Array.isArray(w.nodes) ? w.nodes.length : 0;
  const defs = typeof w.definitions === 'object' && w.definitions !== null ? (w.definitions as Record<string, unknown>).subgraphs : undefined;
  if (Array.isArray(defs))
    for (const d of defs)
      if (typeof d === 'object' && d !== null && Array.isArray((d as { nodes?: unknown }).nodes)) n += (d as { nodes: unknown[] }).nodes.length;
  const extra = typeof w.extra === 'object' && w.extra !== null ? (w.extra as Record<string, unknown>).groupNodes : undefined;
  if (typeof extra === 'object' && extra !== null) {
    for (const g of Object.values(extra))
      if (typeof g === 'object' && g !== null && Array.isArray((g as { nodes?: unknown }).nodes)) n += (g as { nodes: unknown[] }).nodes.length;
  }
  return n;
}
