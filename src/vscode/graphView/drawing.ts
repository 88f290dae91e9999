// Where the graph panel's drawings are built: in the validation worker (it holds the node definitions already, and
// the host's rule is that no workflow blocks it for more than 50 ms — dagre alone costs ≈ 1–1.5 ms per node), or
// in-process when no worker can start (like validation's fallback). Either way the same `drawWorkflowText` runs.
import { drawWorkflowText } from '../../core/graph-view/drawing';
import type { ProblemLike } from '../../core/graph-view/index';
import type { NodeDefs } from '../../core/workflow/nodeDefs';
import type { SceneOutcome, SceneRequest, ValidationWorkerClient, WorkerDefinitions } from '../language/worker/workerClient';

export type DrawGraph = (request: SceneRequest, signal?: AbortSignal) => Promise<SceneOutcome>;

export type GraphDefinitions = WorkerDefinitions & { defs: NodeDefs };

export function graphDrawer(client: ValidationWorkerClient | undefined, definitions: () => GraphDefinitions | undefined): DrawGraph {
  return async (request, signal) => {
    const defs = definitions();
    if (client) return client.scene(request, defs, signal);
    if (signal?.aborted) return { kind: 'stale' };
    const started = performance.now();
    const drawing = drawWorkflowText(request.text, { ...request, objectInfo: defs?.objectInfo, defs: defs?.defs });
    return { kind: 'done', drawing, durationMs: performance.now() - started };
  };
}

/** Only what the badges need crosses to the worker (diagnostics carry data, related information, …). */
export function problemsForDrawing(problems: readonly ProblemLike[]): ProblemLike[] {
  return problems.map((p) => ({
    severity: p.severity,
    message: p.message,
    ...(p.code !== undefined ? { code: p.code } : {}),
    ...(p.nodeId !== undefined ? { nodeId: p.nodeId } : {}),
    ...(p.range ? { range: { offset: p.range.offset, length: p.range.length } } : {}),
  }));
}
