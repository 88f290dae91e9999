// An in-memory stand-in for the queue routes, with the server's exact /history paging rules
// (execution.py PromptQueue.get_history): oldest first, offset from the oldest, no offset = the last max_items.
import type { ApiPrompt, HistoryItem, Job, JobsPage, PromptRequest, PromptResponse, QueueItem, QueueState, History } from '../../../src/core/comfy/types';
import type { JobsQuery } from '../../../src/core/comfy/jobs';
import type { JobsApi, QueueApi } from '../../../src/core/queue/api';

export function historyItem(
  id: string,
  n: number,
  opts: {
    status?: 'success' | 'error' | 'interrupted';
    prompt?: ApiPrompt;
    t?: number;
    outputs?: HistoryItem['outputs'];
    extra?: Record<string, unknown>;
  } = {},
): HistoryItem {
  const t = opts.t ?? 1_700_000_000_000 + n * 1000;
  const status = opts.status ?? 'success';
  const messages: [string, Record<string, unknown>][] = [
    ['execution_start', { prompt_id: id, timestamp: t }],
    ['execution_cached', { nodes: [], prompt_id: id, timestamp: t + 1 }],
  ];
  if (status === 'success') messages.push(['execution_success', { prompt_id: id, timestamp: t + 500 }]);
  if (status === 'error')
    messages.push([
      'execution_error',
      {
        prompt_id: id,
        node_id: '2',
        node_type: 'SaveImage',
        exception_message: 'boom',
        exception_type: 'RuntimeError',
        traceback: ['line 1\n'],
        timestamp: t + 400,
      },
    ]);
  if (status === 'interrupted')
    messages.push(['execution_interrupted', { prompt_id: id, node_id: '2', node_type: 'SaveImage', executed: [], timestamp: t + 300 }]);
  return {
    prompt: [
      n,
      id,
      opts.prompt ?? {
        '1': { class_type: 'EmptyImage', inputs: {} },
        '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: `run${n}` } },
      },
      opts.extra ?? {},
      ['2'],
    ],
    outputs: opts.outputs ?? (status === 'success' ? { '2': { images: [{ filename: `run${n}_00001_.png`, subfolder: '', type: 'output' }] } } : {}),
    status: { status_str: status === 'success' ? 'success' : 'error', completed: status === 'success', messages },
    meta: {},
  };
}

export class FakeQueueApi implements QueueApi {
  history = new Map<string, HistoryItem>();
  running: QueueItem[] = [];
  pending: QueueItem[] = [];
  calls: string[] = [];
  posted: PromptRequest[] = [];
  /** Makes the next queuePrompt calls fail after (or before) recording the prompt. */
  failPost: ({ afterAccept: boolean; error: Error } | undefined)[] = [];
  failQueue: Error | undefined;
  private counter = 0;

  addHistory(count: number, start = 0): void {
    for (let i = start; i < start + count; i++) this.history.set(`h${i}`, historyItem(`h${i}`, i));
  }

  async queuePrompt(body: PromptRequest): Promise<PromptResponse> {
    this.calls.push('queuePrompt');
    const fail = this.failPost.shift();
    if (fail && !fail.afterAccept) throw fail.error;
    const id = body.prompt_id ?? `gen${this.counter}`;
    const number = body.front ? -++this.counter : this.counter++;
    this.posted.push(body);
    this.pending.push([number, id, body.prompt, body.extra_data ?? {}, []]);
    if (fail) throw fail.error;
    return { prompt_id: id, number, node_errors: {} };
  }
  async getQueue(): Promise<QueueState> {
    this.calls.push('getQueue');
    if (this.failQueue) throw this.failQueue;
    return { queue_running: [...this.running], queue_pending: [...this.pending] };
  }
  async getHistory(q: { maxItems?: number; offset?: number } = {}): Promise<History> {
    this.calls.push(`getHistory(${q.maxItems ?? ''},${q.offset ?? ''})`);
    const keys = [...this.history.keys()];
    let offset = q.offset ?? -1;
    if (offset < 0 && q.maxItems !== undefined) offset = keys.length - q.maxItems;
    const out: History = {};
    let n = 0;
    for (let i = 0; i < keys.length; i++) {
      if (i >= offset) {
        out[keys[i]!] = this.history.get(keys[i]!)!;
        n++;
        if (q.maxItems !== undefined && n >= q.maxItems) break;
      }
    }
    return out;
  }
  async getHistoryItem(id: string): Promise<HistoryItem | undefined> {
    this.calls.push('getHistoryItem');
    return this.history.get(id);
  }
  async interrupt(promptId?: string): Promise<void> {
    this.calls.push(`interrupt(${promptId ?? ''})`);
  }
  async deleteFromQueue(ids: string[]): Promise<void> {
    this.calls.push(`deleteFromQueue(${ids.join(',')})`);
    this.pending = this.pending.filter((i) => !ids.includes(i[1]));
  }
  async clearQueue(): Promise<void> {
    this.pending = [];
  }
  async deleteHistory(ids: string[]): Promise<void> {
    for (const id of ids) this.history.delete(id);
  }
  async clearHistory(): Promise<void> {
    this.history.clear();
  }
  /** Moves a pending prompt to running, or finishes the running one into history. */
  start(id: string): void {
    const i = this.pending.findIndex((p) => p[1] === id);
    this.running = this.pending.splice(i, 1);
  }
  finish(status: 'success' | 'error' | 'interrupted' = 'success'): void {
    const item = this.running.shift();
    if (!item) return;
    this.history.set(item[1], historyItem(item[1], item[0], { status, prompt: item[2], extra: item[3] }));
  }
}

/** The same server with the jobs API of 0.33: listings newest first, cancel wherever the prompt is. */
export class FakeJobsQueueApi extends FakeQueueApi implements JobsApi {
  async hasJobsApi(): Promise<boolean> {
    this.calls.push('hasJobsApi');
    return true;
  }
  private jobs(): Job[] {
    const finished = [...this.history.entries()].reverse().map(([id, h]): Job => {
      const messages = h.status?.messages ?? [];
      const status = messages.some((m) => m[0] === 'execution_interrupted') ? 'cancelled' : h.status?.status_str === 'error' ? 'failed' : 'completed';
      return { id, status, priority: Number(h.prompt[0]) };
    });
    const queued = [
      ...this.pending.map((i) => ({ id: i[1], status: 'pending' as const })),
      ...this.running.map((i) => ({ id: i[1], status: 'in_progress' as const })),
    ];
    return [...queued, ...finished];
  }
  async getJobs(q: JobsQuery): Promise<JobsPage> {
    this.calls.push(`getJobs(${q.status?.join('|') ?? ''},${q.limit ?? ''})`);
    const all = this.jobs().filter((j) => !q.status || q.status.includes(j.status));
    const offset = q.offset ?? 0;
    const page = all.slice(offset, q.limit === undefined ? undefined : offset + q.limit);
    return { jobs: page, pagination: { offset, limit: q.limit ?? null, total: all.length, has_more: offset + page.length < all.length } };
  }
  async getJob(id: string): Promise<Job | undefined> {
    this.calls.push(`getJob(${id})`);
    return this.jobs().find((j) => j.id === id);
  }
  async cancelJob(id: string): Promise<boolean> {
    this.calls.push(`cancelJob(${id})`);
    const before = this.pending.length;
    this.pending = this.pending.filter((i) => i[1] !== id);
    if (this.pending.length < before) return true;
    return this.running.some((i) => i[1] === id);
  }
}
