// The link graph of an API prompt, resolved against node definitions: which links are broken, which types clash,
// which nodes the server actually validates (it walks from every output node along links and never looks at the rest),
// and cycles.
import type { WorkflowDocument, WorkflowInput, WorkflowNode } from './document';
import { inputDefForNodeKey } from './dynamicInputs';
import { typesMatch, type InputDef, type NodeDef, type NodeDefs } from './nodeDefs';

export type LinkStatus =
  /** The link resolves and the types match. */
  | 'ok'
  /** Not `[id, slot]` with 2 elements, a string id and a non-negative integer slot (schema problems cover it). */
  | 'malformed'
  /** The source id is not a node of the prompt. */
  | 'missing_node'
  /** The source node's class is unknown, so its outputs are too. */
  | 'unknown_source'
  /** The slot is past the source class's outputs. */
  | 'slot_out_of_range'
  /** The output type does not fit the input type. */
  | 'type_mismatch';

export interface ResolvedLink {
  holder: WorkflowNode;
  input: WorkflowInput;
  /** The declared input (or the dynamic input a dotted key belongs to); undefined for undeclared inputs. */
  inputDef: InputDef | undefined;
  status: LinkStatus;
  source: WorkflowNode | undefined;
  sourceDef: NodeDef | undefined;
  slot: number | undefined;
  receivedType: string | undefined;
  expectedType: string | undefined;
}

export interface GraphAnalysis {
  /** Every link on a declared input of a node with a known class, in document order. */
  links: ResolvedLink[];
  /** Ids of the output nodes (known classes with `output_node`). */
  outputs: string[];
  /**
   * Nodes the server validates: reached from an output along links that resolve and whose types match
   * (the server does not follow a mismatched link).
   */
  reached: Set<string>;
  /** Each cycle once, as the list of node ids along it (first id repeated at the end). */
  cycles: string[][];
  /**
   * Nodes some output depends on through links to existing nodes, whether or not the server gets that far
   * (it stops at a node with a broken link or a type mismatch). `reached` is a subset.
   */
  needed: Set<string>;
}

/** The declared input for a key: the input itself, or for a dotted key (`images.image0`) its dynamic owner. */
export function inputDefForKey(def: NodeDef, key: string): InputDef | undefined {
  const direct = def.inputByName.get(key);
  if (direct) return direct;
  const dot = key.indexOf('.');
  if (dot <= 0) return undefined;
  const owner = def.inputByName.get(key.slice(0, dot));
  return owner?.kind === 'dynamic' ? owner : undefined;
}

/**
 * @param targets the request's `partial_execution_targets`: when given, only these output nodes are executed (and
 *   validated), as in the server.
 */
export function analyzeGraph(doc: WorkflowDocument, defs: NodeDefs, targets?: ReadonlySet<string>): GraphAnalysis {
  const links: ResolvedLink[] = [];
  const outgoing = new Map<string, ResolvedLink[]>();
  const outputs: string[] = [];
  const defOf = new Map<string, NodeDef | undefined>();
  for (const node of doc.nodeById.values()) defOf.set(node.id, node.classType !== undefined ? defs.get(node.classType) : undefined);
  for (const node of doc.nodeById.values()) {
    const def = defOf.get(node.id);
    if (!def) continue;
    if (def.outputNode && (!targets || targets.has(node.id))) outputs.push(node.id);
    const mine: ResolvedLink[] = [];
    for (const input of node.inputs.values()) {
      if (!input.link) continue;
      const inputDef = inputDefForNodeKey(def, node, input.name);
      if (!inputDef) continue; // the server ignores undeclared inputs, links included
      const r = resolveLink(doc, defOf, node, input, inputDef);
      links.push(r);
      mine.push(r);
    }
    outgoing.set(node.id, mine);
  }
  links.sort((a, b) => a.input.valueRange.offset - b.input.valueRange.offset);

  // A link the server cannot resolve raises inside its validate_inputs() and abandons the rest of that node,
  // links included (which ones it had already followed depends on Python's set order; we assume none).
  const aborts = new Set<string>();
  for (const l of links) if (raisesOnServer(l)) aborts.add(l.holder.id);
  const reached = new Set<string>();
  const cycles: string[][] = [];
  const cycleKeys = new Set<string>();
  // Iterative DFS (a 50 MB file may hold a very long chain; recursion would overflow the stack).
  const state = new Map<string, 1 | 2>(); // 1 = on the current path, 2 = done
  const depthOf = new Map<string, number>(); // position on the current path, for nodes in state 1
  for (const start of outputs) {
    if (state.has(start)) continue;
    const path: string[] = [start];
    const iters: number[] = [0];
    state.set(start, 1);
    depthOf.set(start, 0);
    reached.add(start);
    while (path.length > 0) {
      const id = path[path.length - 1]!;
      const edges = outgoing.get(id) ?? [];
      const i = iters[iters.length - 1]!;
      if (i >= edges.length || aborts.has(id)) {
        state.set(id, 2);
        depthOf.delete(id);
        path.pop();
        iters.pop();
        continue;
      }
      iters[iters.length - 1] = i + 1;
      const e = edges[i]!;
      if (e.status !== 'ok' || !e.source) continue;
      const next = e.source.id;
      const st = state.get(next);
      if (st === 1) {
        // Each back edge closes a cycle; copying the path costs its length, so only the first MAX_CYCLES are kept
        // (a file of N back edges along an N-node chain would otherwise cost N²).
        if (cycles.length < MAX_CYCLES) {
          const cycle = [...path.slice(depthOf.get(next)!), next];
          const key = [...cycle.slice(0, -1)].sort().join('\u0000');
          if (!cycleKeys.has(key)) {
            cycleKeys.add(key);
            cycles.push(cycle);
          }
        }
        continue;
      }
      if (st === 2) continue;
      state.set(next, 1);
      depthOf.set(next, path.length);
      reached.add(next);
      path.push(next);
      iters.push(0);
    }
  }
  return { links, outputs, reached, cycles, needed: dependedOn(outputs, outgoing) };
}

/** Every node an output depends on along links whose source exists (breadth-first; no recursion). */
function dependedOn(outputs: readonly string[], outgoing: ReadonlyMap<string, readonly ResolvedLink[]>): Set<string> {
  const seen = new Set(outputs);
  const queue = [...outputs];
  for (let i = 0; i < queue.length; i++) {
    for (const e of outgoing.get(queue[i]!) ?? []) {
      const next = e.source?.id;
      if (next !== undefined && !seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

/** Cycles recorded per analysis; a file may hold any number of back edges. */
const MAX_CYCLES = 20;

/** True when the server's validate_inputs() raises on this link (KeyError, IndexError, TypeError). */
export function raisesOnServer(l: ResolvedLink): boolean {
  return l.status === 'missing_node' || l.status === 'slot_out_of_range' || (l.status === 'malformed' && l.input.link?.arity === 2);
}

function resolveLink(
  doc: WorkflowDocument,
  defOf: Map<string, NodeDef | undefined>,
  holder: WorkflowNode,
  input: WorkflowInput,
  inputDef: InputDef,
): ResolvedLink {
  const link = input.link!;
  // Every ResolvedLink gets the same shape (fields in one order) so this hot path stays monomorphic.
  const r: ResolvedLink = {
    holder,
    input,
    inputDef,
    status: 'malformed',
    source: undefined,
    sourceDef: undefined,
    slot: undefined,
    receivedType: undefined,
    expectedType: undefined,
  };
  const slot = link.slot;
  if (link.arity !== 2 || typeof link.sourceId !== 'string' || typeof slot !== 'number' || !Number.isInteger(slot) || slot < 0) return r;
  r.slot = slot;
  const source = doc.nodeById.get(link.sourceId);
  if (!source) {
    r.status = 'missing_node';
    return r;
  }
  r.source = source;
  const sourceDef = defOf.get(source.id);
  if (!sourceDef) {
    r.status = 'unknown_source';
    return r;
  }
  r.sourceDef = sourceDef;
  const out = sourceDef.outputs[slot];
  if (!out) {
    r.status = 'slot_out_of_range';
    return r;
  }
  r.expectedType = inputDef.type;
  r.receivedType = out.type;
  // Dynamic inputs are typed by their templates; the server checks them after expanding, the frontend before.
  r.status = inputDef.kind === 'dynamic' || typesMatch(out.type, inputDef.type, 'server') ? 'ok' : 'type_mismatch';
  return r;
}
