// Messages between the extension host and the validation worker (src/vscode/language/worker). The host owns the
// documents and the node definitions; the worker parses, validates and converts, so a hostile workflow costs the
// worker's thread, never the editor's. Everything here is structured-clone data.
import type { OffsetRange, WorkflowFormat } from '../core/workflow/document';
import type { Severity } from '../core/workflow/validate';

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
  /** New node definitions (sent before the first request that needs them; the worker keeps the latest). */
  | { type: 'definitions'; generation: number; objectInfo: Record<string, unknown> }
  | { type: 'validate'; id: number; generation: number; text: string; format: WorkflowFormat; locale: string };

export type WorkerToHost =
  | { type: 'result'; id: number; problems: WireProblem[]; durationMs: number }
  | { type: 'failed'; id: number; message: string };
