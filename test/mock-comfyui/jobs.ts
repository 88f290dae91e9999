// The jobs API of recent ComfyUI (server.py + comfy_execution/jobs.py, as recorded from 0.33.0 in
// ../shared/fixtures/real-server-0.33/jobs_*.json), which 0.3.64 does not have. On by default for 0.33; for 0.3.64
// only with `jobsApi: true`, so a client's feature detection can be tested both ways. Like the server, a job leaves
// out the fields it has no value for (no `execution_error: null`), and cancelling is safe to repeat.
import type { HistoryItem, PromptQueue, QueueItem } from './queue';
import { pyStr } from './python';

const STATUSES = ['pending', 'in_progress', 'completed', 'failed', 'cancelled'] as const;
type JobStatus = (typeof STATUSES)[number];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface JobsAnswer {
  status: number;
  body: unknown;
}

interface Job {
  id: string;
  status: JobStatus;
  priority: number;
  create_time: number | null;
  execution_start_time: number | null;
  execution_end_time: number | null;
  execution_error: Record<string, unknown> | null;
  outputs_count: number;
  previewable_outputs_count: number;
  preview_output: Record<string, unknown> | null;
  workflow_id: string | null;
}

export class JobsApi {
  constructor(
    private readonly queue: PromptQueue,
    private readonly interrupt: () => void,
    private readonly on: () => boolean,
  ) {}

  enabled(): boolean {
    return this.on();
  }

  /** undefined = no such route (404). */
  route(method: string, path: string, params: URLSearchParams, body: Buffer): JobsAnswer | undefined {
    if (path === '/api/jobs' && method === 'GET') return this.list(params);
    if (path === '/api/jobs/cancel' && method === 'POST') {
      let data: unknown;
      try {
        data = JSON.parse(body.toString('utf8'));
      } catch {
        return { status: 400, body: { error: 'Invalid JSON body' } };
      }
      const ids = (data as Record<string, unknown> | null)?.['job_ids'];
      if (!Array.isArray(ids)) return { status: 400, body: { error: 'job_ids must be a list' } };
      const invalid = ids.filter((x) => typeof x !== 'string' || !UUID.test(x));
      if (invalid.length > 0) return { status: 400, body: { error: 'job_ids contains invalid id(s)', invalid_ids: invalid.map((x) => pyStr(x)) } };
      let cancelled = false;
      for (const id of ids as string[]) cancelled = this.cancel(id) || cancelled;
      return { status: 200, body: { cancelled } };
    }
    const cancelOne = /^\/api\/jobs\/([^/]+)\/cancel$/.exec(path);
    if (cancelOne && method === 'POST') return { status: 200, body: { cancelled: this.cancel(decodeURIComponent(cancelOne[1]!)) } };
    const one = /^\/api\/jobs\/([^/]+)$/.exec(path);
    if (one && method === 'GET') {
      const id = decodeURIComponent(one[1]!);
      const found = this.all().find((j) => j.job.id === id);
      if (!found) return { status: 404, body: { error: 'Job not found' } };
      const item = found.item;
      // A queued or running job is just its summary; a finished one adds its outputs, status and prompt.
      if (!found.history) return { status: 200, body: withoutNulls(found.job) };
      return {
        status: 200,
        body: {
          ...withoutNulls(found.job),
          outputs: found.history.outputs,
          // (a Map here: pyJsonDumps writes it as an object in node order)
          execution_status: found.history.status,
          workflow: { prompt: item[2], extra_data: item[3] },
        },
      };
    }
    return undefined;
  }

  private cancel(id: string): boolean {
    if ([...this.queue.running.values()].some((i) => i[1] === id)) {
      this.interrupt();
      return true;
    }
    return this.queue.deletePending(id);
  }

  private list(params: URLSearchParams): JobsAnswer {
    let wanted: JobStatus[] | undefined;
    const status = params.get('status');
    if (status !== null) {
      wanted = [];
      for (const s of status
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)) {
        if (!(STATUSES as readonly string[]).includes(s)) return { status: 400, body: { error: `Invalid status value: ${s}` } };
        wanted.push(s as JobStatus);
      }
    }
    const sortBy = params.get('sort_by') ?? 'created_at';
    if (sortBy !== 'created_at' && sortBy !== 'execution_duration') return { status: 400, body: { error: `Invalid sort_by: ${sortBy}` } };
    const order = params.get('sort_order') ?? 'desc';
    if (order !== 'asc' && order !== 'desc') return { status: 400, body: { error: `Invalid sort_order: ${order}` } };
    const intParam = (name: string, min: number): number | null | string => {
      const v = params.get(name);
      if (v === null) return null;
      if (!/^-?\d+$/.test(v.trim()) || Number(v) < min) return `${name} must be an integer >= ${min}`;
      return Number(v);
    };
    const limit = intParam('limit', 1);
    if (typeof limit === 'string') return { status: 400, body: { error: limit } };
    const offset = intParam('offset', 0);
    if (typeof offset === 'string') return { status: 400, body: { error: offset } };
    const workflowId = params.get('workflow_id');

    let jobs = this.all().map((x) => x.job);
    if (wanted) jobs = jobs.filter((j) => wanted!.includes(j.status));
    if (workflowId !== null) jobs = jobs.filter((j) => j.workflow_id === workflowId);
    const key = (j: Job) =>
      sortBy === 'created_at'
        ? (j.create_time ?? 0)
        : j.execution_end_time !== null && j.execution_start_time !== null
          ? j.execution_end_time - j.execution_start_time
          : -1;
    jobs.sort((a, b) => (order === 'asc' ? key(a) - key(b) : key(b) - key(a)));
    const total = jobs.length;
    const start = offset ?? 0;
    const page = limit === null ? jobs.slice(start) : jobs.slice(start, start + limit);
    return { status: 200, body: { jobs: page.map(withoutNulls), pagination: { offset: start, limit, total, has_more: start + page.length < total } } };
  }

  private all(): Array<{ job: Job; item: QueueItem; history?: HistoryItem }> {
    const out: Array<{ job: Job; item: QueueItem; history?: HistoryItem }> = [];
    for (const item of this.queue.pending) out.push({ job: toJob(item, 'pending'), item });
    for (const item of this.queue.running.values()) out.push({ job: toJob(item, 'in_progress'), item });
    for (const h of this.queue.history.values()) {
      const messages = h.status?.messages ?? [];
      const status: JobStatus =
        h.status?.status_str === 'success' ? 'completed' : messages.some(([m]) => m === 'execution_interrupted') ? 'cancelled' : 'failed';
      out.push({ job: toJob(h.prompt, status, h), item: h.prompt, history: h });
    }
    return out;
  }
}

function toJob(item: QueueItem, status: JobStatus, history?: HistoryItem): Job {
  const extra = item[3];
  const messages = history?.status?.messages ?? [];
  const ts = (name: string) => (messages.find(([m]) => m === name)?.[1]['timestamp'] as number | undefined) ?? null;
  const images: Array<Record<string, unknown>> = [];
  let outputsCount = 0;
  const outputs = history?.outputs ?? {};
  for (const [nodeId, ui] of outputs instanceof Map ? [...outputs] : Object.entries(outputs)) {
    for (const [kind, list] of Object.entries(ui as Record<string, unknown>)) {
      if (!Array.isArray(list)) continue;
      outputsCount += list.length;
      if (kind === 'images' || kind === 'gifs' || kind === 'video' || kind === 'audio') {
        for (const entry of list) images.push({ ...(entry as Record<string, unknown>), nodeId, mediaType: kind });
      }
    }
  }
  const workflow = (extra['extra_pnginfo'] as Record<string, Record<string, unknown>> | undefined)?.['workflow'];
  const errorData = messages.find(([m]) => m === 'execution_error')?.[1] ?? null;
  return {
    id: item[1],
    status,
    priority: item[0],
    create_time: typeof extra['create_time'] === 'number' ? (extra['create_time'] as number) : null,
    execution_start_time: ts('execution_start'),
    execution_end_time: ts('execution_success') ?? ts('execution_error') ?? ts('execution_interrupted'),
    execution_error: errorData,
    outputs_count: outputsCount,
    previewable_outputs_count: images.length,
    preview_output: images[0] ?? null,
    workflow_id: typeof workflow?.['id'] === 'string' ? (workflow['id'] as string) : null,
  };
}

/** The server builds a job dict only from the fields it has: null ones are absent. */
function withoutNulls(job: Job): Record<string, unknown> {
  return Object.fromEntries(Object.entries(job).filter(([, v]) => v !== null));
}
