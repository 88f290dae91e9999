// The extension host's side of the validation worker: starts the worker on first use, sends it the node
// definitions when they change, and gives every request a time budget. A request that overruns its budget ends
// with `cutShort` and the worker is terminated (its thread may be stuck in a hostile document) and started again
// on the next request. A request whose caller gave up (a newer edit of the same document) resolves `stale`; if it
// is the one the worker is busy with, the worker is restarted too, so the newer edit does not queue behind it.
import type { WorkflowFormat } from '../../../core/workflow/document';
import { systemClock, type Clock, type TimerHandle } from '../../../core/util/clock';
import type { HostToWorker, WireProblem, WorkerToHost } from '../../../shared/validationProtocol';

/** The part of worker_threads' Worker this client uses (tests inject fakes). */
export interface WorkerLike {
  postMessage(message: HostToWorker): void;
  on(event: 'message', listener: (message: WorkerToHost) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  terminate(): Promise<number>;
}

export type ValidationOutcome = { kind: 'done'; problems: WireProblem[]; durationMs: number } | { kind: 'cutShort'; budgetMs: number } | { kind: 'stale' };

export interface WorkerClientOptions {
  createWorker: () => WorkerLike;
  /** Time budget of one request (ms), from posting to the answer. */
  budgetMs: () => number;
  clock?: Clock;
  log?: { warn(...a: unknown[]): void; debug(...a: unknown[]): void };
}

/** The definitions a request is checked against; the identity of `objectInfo` tells a change. */
export interface WorkerDefinitions {
  objectInfo: Record<string, unknown>;
}

interface Pending {
  id: number;
  resolve: (o: ValidationOutcome) => void;
  timer: TimerHandle | undefined;
  budgetMs: number;
  detach: () => void;
  request: Extract<HostToWorker, { type: 'validate' }>;
  definitions: WorkerDefinitions;
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
  /** Restarts so far (tests and the log). */
  restarts = 0;

  constructor(private readonly o: WorkerClientOptions) {
    this.clock = o.clock ?? systemClock;
  }

  validate(text: string, format: WorkflowFormat, definitions: WorkerDefinitions, locale: string, signal?: AbortSignal): Promise<ValidationOutcome> {
    if (this.disposed || signal?.aborted) return Promise.resolve({ kind: 'stale' });
    const id = this.nextId++;
    const budgetMs = this.o.budgetMs();
    return new Promise<ValidationOutcome>((resolve) => {
      const onAbort = (): void => this.abandon(id);
      signal?.addEventListener('abort', onAbort, { once: true });
      const p: Pending = {
        id,
        resolve,
        budgetMs,
        timer: this.clock.setTimeout(() => this.overrun(id), budgetMs),
        detach: () => signal?.removeEventListener('abort', onAbort),
        request: { type: 'validate', id, generation: 0, text, format, locale },
        definitions,
      };
      this.pending.set(id, p);
      this.post(p);
    });
  }

  private post(p: Pending): void {
    const worker = this.ensureWorker();
    if (this.sent?.objectInfo !== p.definitions.objectInfo) {
      this.sent = { objectInfo: p.definitions.objectInfo, generation: ++this.generation };
      worker.postMessage({ type: 'definitions', generation: this.sent.generation, objectInfo: p.definitions.objectInfo });
    }
    worker.postMessage({ ...p.request, generation: this.sent.generation });
  }

  private ensureWorker(): WorkerLike {
    if (this.worker) return this.worker;
    const w = this.o.createWorker();
    this.worker = w;
    this.sent = undefined;
    w.on('message', (m) => {
      if (w !== this.worker) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.type === 'result') this.settle(p, { kind: 'done', problems: m.problems, durationMs: m.durationMs });
      else {
        this.o.log?.warn(`The validation worker failed on a request: ${m.message}`);
        this.settle(p, { kind: 'done', problems: [], durationMs: 0 });
      }
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

  private settle(p: Pending, outcome: ValidationOutcome): void {
    if (!this.pending.delete(p.id)) return;
    if (p.timer !== undefined) this.clock.clearTimeout(p.timer);
    p.detach();
    p.resolve(outcome);
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
   * are not at fault); their budgets keep running.
   */
  private restart(): void {
    const old = this.worker;
    this.worker = undefined;
    this.sent = undefined;
    if (old) {
      this.restarts++;
      void old.terminate().catch(() => undefined);
    }
    if (this.disposed) return;
    for (const p of this.pending.values()) this.post(p);
  }

  /** A crash (out of memory, a bug): what was pending is cut short, not retried (it may be what crashed it). */
  private crashed(): void {
    const pending = [...this.pending.values()];
    this.worker = undefined;
    this.sent = undefined;
    this.restarts++;
    for (const p of pending) this.settle(p, { kind: 'cutShort', budgetMs: p.budgetMs });
  }

  dispose(): void {
    this.disposed = true;
    for (const p of [...this.pending.values()]) this.settle(p, { kind: 'stale' });
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate().catch(() => undefined);
  }
}
