// What the server does with a whole prompt, given our problems: it validates each output node with everything the
// output reaches; outputs with an error anywhere in that part are skipped. Some outputs valid → the prompt is queued
// (200) and the others are listed in node_errors ("partly"); none valid, or a prompt-level error → 400 ("none").
import type { WorkflowDocument } from './document';
import { analyzeGraph, raisesOnServer, type ResolvedLink } from './graph';
import type { NodeDefs } from './nodeDefs';
import { isMissingClassProblem, partialExecutionTargets, type Problem } from './validate';

export interface ServerAcceptance {
  accepts: 'all' | 'partly' | 'none';
  /** Output node ids the server would not run (in document order). */
  skippedOutputs: string[];
}

/** `problems` are validateWorkflow's for `doc`. Undefined for documents that are not API prompts. */
export function serverAcceptance(doc: WorkflowDocument, defs: NodeDefs, problems: readonly Problem[]): ServerAcceptance | undefined {
  if (doc.format !== 'api' && doc.format !== 'request') return undefined;
  const graph = analyzeGraph(doc, defs, partialExecutionTargets(doc));
  if (problems.some((p) => p.severity === 'error' && (p.nodeId === undefined || isMissingClassProblem(p)))) {
    return { accepts: 'none', skippedOutputs: [...graph.outputs] };
  }
  const failing = new Set(problems.filter((p) => p.severity === 'error' && p.nodeId !== undefined).map((p) => p.nodeId!));
  const outgoing = new Map<string, ResolvedLink[]>();
  for (const l of graph.links) (outgoing.get(l.holder.id) ?? outgoing.set(l.holder.id, []).get(l.holder.id)!).push(l);
  const aborts = new Set(graph.links.filter(raisesOnServer).map((l) => l.holder.id));
  const skipped = graph.outputs.filter((out) => reachesError(out, outgoing, aborts, failing));
  if (graph.outputs.length === 0) return { accepts: 'none', skippedOutputs: [] };
  return { accepts: skipped.length === 0 ? 'all' : skipped.length === graph.outputs.length ? 'none' : 'partly', skippedOutputs: skipped };
}

/** Whether validating `start` meets a node with an error, walking links as the server does (breadth-first). */
function reachesError(
  start: string,
  outgoing: ReadonlyMap<string, readonly ResolvedLink[]>,
  aborts: ReadonlySet<string>,
  failing: ReadonlySet<string>,
): boolean {
  const seen = new Set([start]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    if (failing.has(id)) return true;
    if (aborts.has(id)) continue;
    for (const e of outgoing.get(id) ?? []) {
      const next = e.status === 'ok' ? e.source?.id : undefined;
      if (next !== undefined && !seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return false;
}
