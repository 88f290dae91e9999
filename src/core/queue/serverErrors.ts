// Server verdicts placed in the file: each `node_errors` entry of a 400 from POST /prompt, and an `execution_error`,
// becomes a problem on the exact node and input it names. Positions go through JSON paths: for API files the path is
// the node's input; for UI files the caller supplies the conversion's source map (API node id + input → UI JSON path).
import { findNodeAtLocation, parseTree, type JSONPath, type Node as JsonNode } from 'jsonc-parser';
import type { PromptErrorBody } from '../comfy/types';
import type { OffsetRange } from '../workflow/document';

export type { OffsetRange };

export interface ServerProblem {
  /** The server's error type, e.g. `value_not_in_list`, `execution_error`. */
  code: string;
  message: string;
  nodeId?: string;
  inputName?: string;
  range: OffsetRange;
  /** Longer text (e.g. a traceback) for hovers and the output channel. */
  detail?: string;
}

/**
 * Maps an API node id (and optionally an input name) to the JSON path that holds it in the file. Return the most
 * precise path available; `undefined` when the node is unknown.
 */
export type PathResolver = (nodeId: string, inputName?: string) => JSONPath | undefined;

/** Paths into an API prompt, or into a /prompt body when `prefix` is `['prompt']`. */
export function apiPathResolver(prefix: JSONPath = []): PathResolver {
  return (nodeId, inputName) => (inputName !== undefined ? [...prefix, nodeId, 'inputs', inputName] : [...prefix, nodeId]);
}

/**
 * Paths into a UI workflow when no conversion source map is at hand: the node object by `id` (root graph), and for an
 * input its slot in `inputs[]` (a linked or socket input). Widget values need the map, so they fall back to the node.
 */
export function uiFallbackResolver(workflow: unknown): PathResolver {
  const nodes = typeof workflow === 'object' && workflow !== null ? (workflow as { nodes?: unknown }).nodes : undefined;
  return (nodeId, inputName) => {
    if (!Array.isArray(nodes)) return undefined;
    const ni = nodes.findIndex((n) => typeof n === 'object' && n !== null && String((n as { id?: unknown }).id) === nodeId);
    if (ni < 0) return undefined;
    if (inputName !== undefined) {
      const inputs = (nodes[ni] as { inputs?: unknown }).inputs;
      const si = Array.isArray(inputs) ? inputs.findIndex((s) => typeof s === 'object' && s !== null && (s as { name?: unknown }).name === inputName) : -1;
      if (si >= 0) return ['nodes', ni, 'inputs', si];
    }
    return ['nodes', ni];
  };
}

/** The best range for a path, walking up to the nearest part that exists. */
function rangeForPath(tree: JsonNode | undefined, path: JSONPath): OffsetRange | undefined {
  if (!tree) return undefined;
  for (let len = path.length; len > 0; len--) {
    const node = findNodeAtLocation(tree, path.slice(0, len));
    if (!node) continue;
    const prop = node.parent?.type === 'property' ? node.parent : undefined;
    // A node object is marked on its key ("5": {…}) or, inside an array, on its "name" (UI slots) or "type" (UI nodes); values on themselves.
    if (node.type === 'object') {
      if (prop) return { offset: prop.offset, length: prop.children![0]!.length };
      const t = findNodeAtLocation(node, ['name']) ?? findNodeAtLocation(node, ['type']) ?? findNodeAtLocation(node, ['id']);
      if (t) return { offset: t.offset, length: t.length };
    }
    return { offset: node.offset, length: node.length };
  }
  return undefined;
}

/** Parsed once per conversion batch. */
export class ProblemLocator {
  private readonly tree: JsonNode | undefined;
  constructor(
    text: string,
    private readonly resolve: PathResolver,
  ) {
    this.tree = parseTree(text, [], { allowTrailingComma: true });
  }

  locate(nodeId: string | undefined, inputName?: string): OffsetRange {
    if (nodeId !== undefined) {
      if (inputName !== undefined) {
        const p = this.resolve(nodeId, inputName);
        const r = p && rangeForPath(this.tree, p);
        if (r) return r;
      }
      const p = this.resolve(nodeId);
      const r = p && rangeForPath(this.tree, p);
      if (r) return r;
    }
    // Nothing to point at: the first character, so the problem is still listed for the file.
    return { offset: this.tree?.offset ?? 0, length: 1 };
  }
}

function joinMessage(message: string, details: string | undefined): string {
  const d = (details ?? '').trim();
  const m = message.trim().replace(/[.:]$/, '');
  return d && !m.includes(d) ? `${m}: ${d}` : m;
}

/** Node id named in a top-level error's details, e.g. 0.3.64's `"Node ID '#5'"` for an unknown class. */
function nodeIdInDetails(details: string | undefined, extra: Record<string, unknown> | undefined): string | undefined {
  if (extra && (typeof extra.node_id === 'string' || typeof extra.node_id === 'number')) return String(extra.node_id);
  const m = /Node ID '#([^']+)'/.exec(details ?? '');
  return m?.[1];
}

/** Problems for a 400 from POST /prompt. */
export function promptErrorProblems(body: PromptErrorBody, locator: ProblemLocator): ServerProblem[] {
  const out: ServerProblem[] = [];
  for (const [nodeId, ne] of Object.entries(body.node_errors ?? {})) {
    const errors = Array.isArray(ne?.errors) ? ne.errors : [];
    for (const err of errors) {
      const extra = err.extra_info ?? {};
      const inputName = typeof extra.input_name === 'string' ? extra.input_name : undefined;
      const p: ServerProblem = {
        code: err.type,
        message: joinMessage(err.message, err.details),
        nodeId,
        range: locator.locate(nodeId, inputName),
      };
      if (inputName !== undefined) p.inputName = inputName;
      if (typeof extra.traceback === 'string' || Array.isArray(extra.traceback)) p.detail = [extra.traceback].flat().join('');
      out.push(p);
    }
  }
  // A top-level error with no per-node entries (unknown class, no outputs…) still belongs in the file.
  if (out.length === 0 && body.error) {
    const nodeId = nodeIdInDetails(body.error.details, body.error.extra_info);
    const p: ServerProblem = { code: body.error.type, message: joinMessage(body.error.message, body.error.details), range: locator.locate(nodeId) };
    if (nodeId !== undefined) p.nodeId = nodeId;
    out.push(p);
  }
  return out;
}

export interface ExecutionErrorData {
  node_id?: unknown;
  node_type?: unknown;
  exception_message?: unknown;
  exception_type?: unknown;
  traceback?: unknown;
}

/** The problem for a runtime failure (`execution_error` message or a failed history entry). */
export function executionErrorProblem(data: ExecutionErrorData, locator: ProblemLocator): ServerProblem {
  const nodeId = data.node_id === undefined || data.node_id === null ? undefined : String(data.node_id);
  const type = typeof data.exception_type === 'string' && data.exception_type ? data.exception_type : 'Error';
  const msg = typeof data.exception_message === 'string' ? data.exception_message.trim() : 'Execution failed';
  const node = typeof data.node_type === 'string' && data.node_type ? ` in ${data.node_type}` : '';
  const p: ServerProblem = { code: 'execution_error', message: `${type}${node}: ${msg}`, range: locator.locate(nodeId) };
  if (nodeId !== undefined) p.nodeId = nodeId;
  if (Array.isArray(data.traceback)) p.detail = data.traceback.map(String).join('');
  return p;
}

export interface TextChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

/**
 * Keeps problem ranges on their text while the user edits: a problem whose span (or an edge of it) is touched by a
 * change is dropped — the user is fixing that spot and the server's verdict no longer applies — and problems after a
 * change move by its length delta. Changes are applied in order, as editors report them.
 */
export function trackProblems<T extends { range: OffsetRange }>(problems: readonly T[], changes: readonly TextChange[]): T[] {
  let out = [...problems];
  for (const c of changes) {
    const start = c.rangeOffset;
    const end = c.rangeOffset + c.rangeLength;
    const delta = c.text.length - c.rangeLength;
    out = out.flatMap((p) => {
      const pStart = p.range.offset;
      const pEnd = pStart + p.range.length;
      if (end < pStart) return [{ ...p, range: { offset: pStart + delta, length: p.range.length } }];
      if (start > pEnd) return [p];
      return [];
    });
  }
  return out;
}
