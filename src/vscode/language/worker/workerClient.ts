// The extension host's side of the validation worker: starts the worker on first use, sends it the node
// definitions when they change, and gives every request a time budget. A request that overruns its budget ends
// with `cutShort` and the worker is terminated (its thread may be stuck in a hostile document) and started again
// on the next request. A request whose caller gave up (a newer edit of the same document) resolves `stale`; if it
// is the one the worker is busy with, the worker is restarted too, so the newer edit does not queue behind it.
// The graph panel's drawings (`scene`) go through the same worker: it holds the definitions already.
import type { GraphDrawing } from '../../../core/graph-view/drawing';
import type { ProblemLike } from '../../../core/graph-view/index';
import type { GraphTheme } from '../../../core/graph-view/svg';
import type { WorkflowFormat } from '../../../core/workflow/document';
import { systemClock, type Clock, type TimerHandle } from '../../../core/util/clock';
import type { UnsafeNodeProblem } from '../../../core/safety/detect';
import type { EditorRules, HostToWorker, WireProblem, WorkerToHost } from '../../../shared/validationProtocol';

/** The part of worker_threads' Worker this client uses (tests inject fakes). */
export interface WorkerLike {
  postMessage(message: HostToWorker, transfer?: ArrayBuffer[]): void;
  on(event: 'message', listener: (message: WorkerToHost) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  terminate(): Promise<number>;
}

export type ValidationOutcome =
  | { kind: 'done'; problems: WireProblem[]; total: number; isWorkflow: boolean; durationMs: number }
  | { kind: 'cutShort'; budgetMs: number }
  | { kind: 'stale' };
export type SceneOutcome = { kind: 'done'; drawing: GraphDrawing | undefined; durationMs: number } | { kind: 'cutShort'; budgetMs: number } | { kind: 'stale' };
export type UnsafeOutcome = { kind: 'done'; problems: UnsafeNodeProblem[] } | { kind: 'cutShort'; budgetMs: number } | { kind: 'stale' };
type Answer = Extract<WorkerToHost, { type: 'result' | 'unsafe' | 'scene' | 'failed' }>;
type Outcome = { kind: 'answer'; answer: Answer } | { kind: 'cutShort'; budgetMs: number } | { kind: 'stale' };

export interface WorkerClientOptions {
  createWorker: () => WorkerLike;
  /** Time budget of one request (ms), from posting to the answer. */
  budgetMs: () => number;
  clock?: Clock;
  log?: { warn(...a: unknown[]): void; debug(...a: unknown[]): void };
}

/** The definitions a request is checked against; the identity of `objectInfo` tells a change. */
export interface WorkerDefinitions extends EditorRules {
  objectInfo: Record<string, unknown>;
  /** `objectInfo` as JSON bytes: when present the worker gets a transferred copy of these instead of a clone. */
  objectInfoBytes?: Uint8Array | undefined;
}

type Request = Extract<HostToWorker, { type: 'validate' | 'unsafe' | 'scene' }>;
/** A request before it gets its id (and the definitions generation, when it has definitions). */
type RequestBody =
  | Omit<Extract<HostToWorker, { type: 'validate' }>, 'id' | 'generation'>
  | Omit<Extract<HostToWorker, { type: 'unsafe' }>, 'id'>
  | Omit<Extract<HostToWorker, { type: 'scene' }>, 'id' | 'generation'>;

/** What the graph panel asks to be drawn. */
export interface SceneRequest {
  text: string;
  level: string[];
  problems: ProblemLike[];
  theme: GraphTheme;
  fluid: boolean;
}

/** Default cap on problems per answer (the editor shows at most 500 anyway). */
const MAX_PROBLEMS = 1000;
/**
 * How long the worker may take to load new definitions before the request waiting for them is cut short (its own
 * budget only starts once they are loaded: parsing a 100 MB /object_info is not the document's fault).
 */
const DEFINITIONS_BUDGET_MS = 60_000;

interface Pending {
  id: number;
  resolve: (o: Outcome) => void;
  timer: TimerHandle | undefined;
  budgetMs: number;
  detach: () => void;
  request: Request;
  definitions: WorkerDefinitions | undefined;
}

export class ValidationWorkerClient {
  private worker: WorkerLike | undefined;
  /** The definitions the current worker holds. */
  private sent: { objectInfo: Record<string, unknown>; generation: number } | undefined;
  private generation = 0;
  private nextId = 1;
  /** In the order posted: the worker answers in order, so the first one is the one it is working on. */
  private readonly pending = new Map<number, Pending>();
  private readonly clock: Clock;
  private disposed = false;
  /** The current worker has loaded its modules. */
  private ready = false;
  /** The generation of definitions the current worker is still loading (budgets wait for it). */
  private loading: number | undefined;
  private loadTimer: TimerHandle | undefined;
  /** Restarts so far (tests and the log). */
  restarts = 0;

  constructor(private readonly o: WorkerClientOptions) {
    this.clock = o.clock ?? systemClock;
  }

  async validate(
    text: string,
    format: WorkflowFormat,
    definitions: WorkerDefinitions,
    locale: string,
    options: { signal?: AbortSignal; requireContent?: boolean; maxProblems?: number } = {},
  ): Promise<ValidationOutcome> {
    const rules: EditorRules = { serverVersion: definitions.serverVersion, nodeReplacements: definitions.nodeReplacements };
    const body = {
      type: 'validate' as const,
      text,
      format,
      locale,
      requireContent: options.requireContent ?? false,
      maxProblems: options.maxProblems ?? MAX_PROBLEMS,
      rules,
    };
    const o = await this.call(body, definitions, options.signal);
    if (o.kind !== 'answer') return o;
    const a = o.answer;
    if (a.type === 'result') return { kind: 'done', problems: a.problems, total: a.total, isWorkflow: a.isWorkflow, durationMs: a.durationMs };
    return { kind: 'done', problems: [], total: 0, isWorkflow: true, durationMs: 0 };
  }

  async unsafe(text: string, extra: unknown[], signal?: AbortSignal): Promise<UnsafeOutcome> {
    const o = await this.call({ type: 'unsafe', text, extra, maxProblems: MAX_PROBLEMS }, undefined, signal);
    if (o.kind !== 'answer') return o;
    return { kind: 'done', problems: o.answer.type === 'unsafe' ? o.answer.problems : [] };
  }

  /** The graph panel's drawing of a text; without definitions it is drawn without widget names and slot types. */
  async scene(request: SceneRequest, definitions: WorkerDefinitions | undefined, signal?: AbortSignal): Promise<SceneOutcome> {
    const o = await this.call({ type: 'scene', ...request }, definitions, signal);
    if (o.kind !== 'answer') return o;
    const a = o.answer;
    // A failure is logged (below); the panel says the file cannot be drawn.
    return a.type === 'scene' ? { kind: 'done', drawing: a.drawing, durationMs: a.durationMs } : { kind: 'done', drawing: undefined, durationMs: 0 };
  }

  private call(body: RequestBody, definitions: WorkerDefinitions | undefined, signal: AbortSignal | undefined): Promise<Outcome> {
    if (this.disposed || signal?.aborted) return Promise.resolve({ kind: 'stale' });
    const id = this.nextId++;
    const budgetMs = this.o.budgetMs();
    return new Promise<Outcome>((resolve) => {
      const onAbort = (): void => this.abandon(id);
      signal?.addEventListener('abort', onAbort, { once: true });
      const p: Pending = {
        id,
        resolve,
        budgetMs,
        timer: undefined,
        detach: () => signal?.removeEventListener('abort', onAbort),
        request: (body.type === 'validate' ? { ...body, id, generation: 0 } : { ...body, id }) as Request,
        definitions,
      };
      this.pending.set(id, p);
      this.post(p);
      this.startBudget();
    });
  }

  /**
   * The budget of a request runs while the worker works on it: from its start-up being done and the requests before
   * it being answered (the worker answers in order). Waiting behind a hostile document is not a document's fault.
   */
  private startBudget(): void {
    if (!this.ready) return;
    const head = this.pending.values().next().value;
    if (!head || head.timer !== undefined) return;
    if (this.loading !== undefined) {
      this.loadTimer ??= this.clock.setTimeout(() => {
        this.loadTimer = undefined;
        const first = this.pending.values().next().value;
        if (first) this.overrun(first.id);
      }, DEFINITIONS_BUDGET_MS);
      return;
    }
    head.timer = this.clock.setTimeout(() => this.overrun(head.id), head.budgetMs);
  }

  private loaded(generation: number, error: string | undefined): void {
    if (generation !== this.loading) return;
    this.loading = undefined;
    if (this.loadTimer !== undefined) this.clock.clearTimeout(this.loadTimer);
    this.loadTimer = undefined;
    if (error) this.o.log?.warn(`The validation worker could not load the node definitions: ${error}`);
    this.startBudget();
  }

  private post(p: Pending): void {
    const worker = this.ensureWorker();
    if (p.request.type === 'unsafe' || !p.definitions) {
      worker.postMessage(p.request);
      return;
    }
    if (this.sent?.objectInfo !== p.definitions.objectInfo) {
      const generation = ++this.generation;
      this.sent = { objectInfo: p.definitions.objectInfo, generation };
      this.loading = generation;
      const bytes = p.definitions.objectInfoBytes;
      if (bytes?.buffer instanceof SharedArrayBuffer) {
        // Shared memory (the store's copy): the worker reads the same bytes, nothing is copied on this thread.
        worker.postMessage({ type: 'definitions', generation, objectInfoBytes: bytes });
      } else if (bytes) {
        // A copy the worker owns (transferred, not cloned): one memcpy on the host, the parse in the worker.
        const copy = new Uint8Array(bytes);
        worker.postMessage({ type: 'definitions', generation, objectInfoBytes: copy }, [copy.buffer]);
      } else {
        worker.postMessage({ type: 'definitions', generation, objectInfo: p.definitions.objectInfo });
      }
    }
    worker.postMessage({ ...p.request, generation: this.sent.generation });
  }

  private ensureWorker(): WorkerLike {
    if (this.worker) return this.worker;
    const w = this.o.createWorker();
    this.worker = w;
    this.sent = undefined;
    this.ready = false;
    this.clearLoading();
    w.on('message', (m) => {
      if (w !== this.worker) return;
      if (m.type === 'ready') {
        this.ready = true;
        this.startBudget();
        return;
      }
      if (m.type === 'definitions') {
        this.loaded(m.generation, m.error);
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.type === 'failed') this.o.log?.warn(`The validation worker failed on a request: ${m.message}`);
      this.settle(p, { kind: 'answer', answer: m });
    });
    w.on('error', (error) => {
      if (w !== this.worker) return;
      this.o.log?.warn('The validation worker crashed:', error);
      this.crashed();
    });
    w.on('exit', () => {
      if (w === this.worker) this.crashed();
    });
    return w;
  }

  private settle(p: Pending, outcome: Outcome): void {
    if (!this.pending.delete(p.id)) return;
    if (p.timer !== undefined) this.clock.clearTimeout(p.timer);
    p.detach();
    p.resolve(outcome);
    this.startBudget();
  }

  /** The budget ran out: the answer is "cut short", and the stuck worker goes. */
  private overrun(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    p.timer = undefined;
    this.o.log?.debug(`Validation overran its ${p.budgetMs} ms budget; restarting the validation worker.`);
    this.settle(p, { kind: 'cutShort', budgetMs: p.budgetMs });
    this.restart();
  }

  /** The caller moved on (a newer edit). If the worker is busy with exactly this request, do not wait for it. */
  private abandon(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    const busyWithIt = this.pending.keys().next().value === id;
    this.settle(p, { kind: 'stale' });
    if (busyWithIt && this.pending.size > 0) this.restart();
  }

  /**
   * Terminates the worker. Requests still queued behind the one at fault are posted again to a fresh worker (they
   * are not at fault).
   */
  private clearLoading(): void {
    this.loading = undefined;
    if (this.loadTimer !== undefined) this.clock.clearTimeout(this.loadTimer);
    this.loadTimer = undefined;
  }

  private restart(): void {
    const old = this.worker;
    this.worker = undefined;
    this.sent = undefined;
    this.clearLoading();
    if (old) {
      this.restarts++;
      void old.terminate().catch(() => undefined);
    }
    if (this.disposed) return;
    // Their budgets start again once the new worker is up and reaches them.
    for (const p of this.pending.values()) {
      if (p.timer !== undefined) this.clock.clearTimeout(p.timer);
      p.timer = undefined;
      this.post(p);
    }
  }

  /** A crash (out of memory, a bug): what was pending is cut short, not retried (it may be what crashed it). */
  private crashed(): void {
    const pending = [...this.pending.values()];
    this.worker = undefined;
    this.sent = undefined;
    this.clearLoading();
    this.restarts++;
    for (const p of pending) this.settle(p, { kind: 'cutShort', budgetMs: p.budgetMs });
  }

  dispose(): void {
    this.disposed = true;
    this.clearLoading();
    for (const p of [...this.pending.values()]) this.settle(p, { kind: 'stale' });
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate().catch(() => undefined);
  }
}
