// Messages between the extension host and the validation worker (src/vscode/language/worker). The host owns the
// documents and the node definitions; the worker parses, validates and converts, so a hostile workflow costs the
// worker's thread, never the editor's. Everything here is structured-clone data.
import type { OffsetRange, WorkflowFormat } from '../core/workflow/document';
import type { Severity } from '../core/workflow/validate';
import type { NodeReplacements } from '../core/workflow/nodeReplacements';

/** What validation needs to know about the server besides its classes. */
export interface EditorRules {
  serverVersion?: string | undefined;
  nodeReplacements?: NodeReplacements | undefined;
}
import type { UnsafeNodeProblem } from '../core/safety/detect';
import type { GraphDrawing } from '../core/graph-view/drawing';
import type { ProblemLike } from '../core/graph-view/index';
import type { GraphTheme } from '../core/graph-view/svg';

/** A problem as the worker reports it (the core's Problem, with any code: UI validation adds codes of its own). */
export interface WireProblem {
  severity: Severity;
  code: string;
  message: string;
  nodeId?: string;
  inputName?: string;
  range: OffsetRange;
  data?: Record<string, unknown>;
}

export type HostToWorker =
  /**
   * New node definitions (sent before the first request that needs them; the worker keeps the latest): the JSON
   * bytes when the host has them (transferred, parsed by the worker: a 100 MB /object_info costs the host a copy,
   * not a structured clone of its object graph), else the object itself.
   */
  | { type: 'definitions'; generation: number; objectInfo?: Record<string, unknown>; objectInfoBytes?: Uint8Array }
  /** `requireContent`: the host did not parse it (large), so the worker decides whether it is a workflow at all. */
  | {
      type: 'validate';
      id: number;
      generation: number;
      text: string;
      format: WorkflowFormat;
      locale: string;
      requireContent: boolean;
      maxProblems: number;
      /** The server's version and /node_replacements: validation follows that server's rules. */
      rules?: EditorRules;
    }
  /** Unsafe-node warnings of a large document; `extra` is the `comfyui.safety.unsafeNodes` setting. */
  | { type: 'unsafe'; id: number; text: string; extra: unknown[]; maxProblems: number }
  /**
   * The graph panel's drawing of a text (`drawWorkflowText`): the scene at `level` with `problems` badged, its SVG
   * tree, outline and execution order. `generation` is absent when the host has no definitions (drawn without them).
   */
  | { type: 'scene'; id: number; generation?: number; text: string; level: string[]; problems: ProblemLike[]; theme: GraphTheme; fluid: boolean };

export type WorkerToHost =
  /** Sent once its modules are loaded: budgets count from here (start-up is not the document's fault). */
  | { type: 'ready' }
  /** The definitions of `generation` are loaded (budgets of requests count from here); `error` if they were unusable. */
  | { type: 'definitions'; generation: number; error?: string }
  /** At most `maxProblems` problems cross the thread boundary (cloning 20,000 of them costs the host); `total` counts all. */
  | { type: 'result'; id: number; problems: WireProblem[]; total: number; isWorkflow: boolean; durationMs: number }
  | { type: 'unsafe'; id: number; problems: UnsafeNodeProblem[]; total: number }
  /** `drawing` undefined: the text cannot be drawn (not a workflow, a half-typed UI file). Its tree is transferred. */
  | { type: 'scene'; id: number; drawing: GraphDrawing | undefined; durationMs: number }
  | { type: 'failed'; id: number; message: string };
