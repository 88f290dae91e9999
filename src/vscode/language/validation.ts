// The validator the diagnostics controller runs. Parsing, validation and UI conversion happen in the validation
// worker (./worker), so no workflow can hold up the editor; each request has a time budget, and a document whose
// checks overran it gets one information diagnostic saying so (`checks_cut_short`) instead of a hang. Without a
// worker (it could not start), the same pure function runs in-process.
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { MAX_DIAGNOSTICS, type EditorProblem, type LiveWorkflow, type ProblemList, type Validator } from './diagnostics';
import { validateText } from './worker/editorValidation';
import { ValidationWorkerClient, type WorkerLike } from './worker/workerClient';

/** Time budget of one document's checks (ms). Normal workflows take a few ms; hostile ones are cut off here. */
export const VALIDATION_BUDGET_MS = 3000;
/** The worker's heap cap: a document that would need more crashes the worker, not the extension host. */
const WORKER_HEAP_MB = 1024;

/**
 * Rewrites problems after validation with what another feature knows (the missing-nodes feature names packs and
 * model folders). Synchronous and fast: it only reads what that feature has already loaded, on the host.
 */
export type ProblemEnricher = (entry: LiveWorkflow, problems: EditorProblem[], locale: string) => EditorProblem[];

export interface ValidatorOptions {
  budgetMs?: () => number;
  /** The current enricher, if a feature installed one (read at every validation). */
  enricher?: () => ProblemEnricher | undefined;
  /** Starts the worker (tests inject one); default: dist/worker.js next to the bundle, or the TypeScript source. */
  createWorker?: () => WorkerLike;
  log?: { warn(...a: unknown[]): void; debug(...a: unknown[]): void };
}

export interface WorkerValidator {
  validate: Validator;
  client: ValidationWorkerClient | undefined;
  dispose(): void;
}

export function createValidator(options: ValidatorOptions = {}): WorkerValidator {
  const createWorker = options.createWorker ?? defaultWorkerFactory();
  const client = createWorker
    ? new ValidationWorkerClient({ createWorker, budgetMs: options.budgetMs ?? (() => VALIDATION_BUDGET_MS), ...(options.log ? { log: options.log } : {}) })
    : undefined;
  const enrich = (entry: LiveWorkflow, problems: EditorProblem[], locale: string, total = problems.length): ProblemList => {
    const enricher = options.enricher?.();
    return enricher ? withTotal(enricher(entry, problems, locale), total) : withTotal(problems, total);
  };
  const validate: Validator = async (entry, definitions, { locale, signal }) => {
    if (!client) {
      const r = validateText(entry.text, definitions.objectInfo, definitions.defs, locale, entry.deferred && entry.membership !== 'include', definitions);
      return r.isWorkflow ? enrich(entry, r.problems, locale) : undefined;
    }
    const outcome = await client.validate(entry.text, entry.format, definitions, locale, {
      signal,
      requireContent: entry.deferred && entry.membership !== 'include',
      maxProblems: MAX_DIAGNOSTICS + 1,
    });
    if (outcome.kind === 'done') return outcome.isWorkflow ? enrich(entry, outcome.problems, locale, outcome.total) : undefined;
    if (outcome.kind === 'cutShort') return [cutShort(outcome.budgetMs)];
    return []; // stale: the caller already moved on and discards this
  };
  return { validate, client, dispose: () => client?.dispose() };
}

/** The worker sends at most MAX_DIAGNOSTICS + 1 problems; the controller still says how many it does not show. */
function withTotal(problems: EditorProblem[], total: number): ProblemList {
  return Object.assign(problems, { total });
}

function cutShort(budgetMs: number): EditorProblem {
  return {
    severity: 'information',
    code: 'checks_cut_short',
    message: vscode.l10n.t(
      'The checks of this workflow were cut short after {0} seconds, so its problems are not shown. Run "comfyui-workflow validate" on it to see them.',
      String(budgetMs / 1000),
    ),
    range: { offset: 0, length: 1 },
  };
}

/** dist/worker.js beside the bundle; from the sources (tests, bench under tsx), the TypeScript entry. */
function defaultWorkerFactory(): (() => WorkerLike) | undefined {
  const script = [path.join(__dirname, 'worker.js'), path.join(__dirname, 'worker', 'validationWorker.ts')].find((p) => existsSync(p));
  if (!script) return undefined;
  const resourceLimits = { maxOldGenerationSizeMb: WORKER_HEAP_MB };
  // From the sources, the worker loads the TypeScript entry through tsx (a dev dependency; never in the bundle).
  const start = (): Worker =>
    script.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { eval: true, resourceLimits })
      : new Worker(script, { resourceLimits });
  return () => {
    const w = start();
    // The worker never keeps a process alive on its own (tests, bench; VS Code ends the extension host anyway).
    w.unref();
    return w as unknown as WorkerLike;
  };
}
