// Job records for servers without the jobs API (ComfyUI before /api/jobs, e.g. 0.3.64): the same `Job` shape,
// synthesized from /queue and /history, so the UI has one code path.
import type { History, HistoryItem, Job, JobStatus, JobsPage, QueueItem, QueueState } from './types';

export interface JobsQuery {
  status?: JobStatus[];
  workflowId?: string;
  sortBy?: 'created_at' | 'execution_duration';
  sortOrder?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

/** Jobs from a /queue + /history snapshot: running first, then pending by priority, then history newest first. */
export function jobsFromQueueAndHistory(queue: QueueState, history: History): Job[] {
  const seen = new Set<string>();
  const out: Job[] = [];
  const push = (job: Job): void => {
    if (seen.has(job.id)) return;
    seen.add(job.id);
    out.push(job);
  };
  for (const item of queue.queue_running ?? []) push(fromQueueItem(item, 'in_progress'));
  const pending = [...(queue.queue_pending ?? [])].sort((a, b) => Number(a[0]) - Number(b[0]));
  for (const item of pending) push(fromQueueItem(item, 'pending'));
  const ids = Object.keys(history).reverse();
  for (const id of ids) push(fromHistoryItem(id, history[id]!));
  return out;
}

/** Applies the jobs API's filter, sort and paging to synthesized jobs. */
export function pageJobs(jobs: Job[], query: JobsQuery = {}): JobsPage {
  let list = jobs;
  if (query.status && query.status.length > 0) {
    const wanted = new Set(query.status);
    list = list.filter((j) => wanted.has(j.status));
  }
  if (query.workflowId !== undefined) list = list.filter((j) => j.workflow_id === query.workflowId);
  if (query.sortBy) {
    const key = query.sortBy === 'execution_duration' ? duration : (j: Job) => j.create_time ?? j.execution_start_time ?? null;
    const dir = query.sortOrder === 'asc' ? 1 : -1;
    list = [...list].sort((a, b) => compareNullable(key(a), key(b)) * dir);
  }
  const offset = Math.max(0, query.offset ?? 0);
  const limit = query.limit !== undefined && query.limit > 0 ? query.limit : null;
  const slice = list.slice(offset, limit === null ? undefined : offset + limit);
  return { jobs: slice, pagination: { offset, limit, total: list.length, has_more: offset + slice.length < list.length } };
}

function fromQueueItem(item: QueueItem, status: JobStatus): Job {
  const extra = (item[3] ?? {}) as Record<string, unknown>;
  return {
    id: String(item[1]),
    status,
    priority: Number(item[0]),
    create_time: typeof extra.create_time === 'number' ? extra.create_time : null,
    workflow_id: workflowIdOf(extra),
  };
}

function fromHistoryItem(id: string, item: HistoryItem): Job {
  const messages = item.status?.messages ?? [];
  const find = (name: string): Record<string, unknown> | undefined => messages.find((m) => Array.isArray(m) && m[0] === name)?.[1];
  const interrupted = find('execution_interrupted');
  const error = find('execution_error');
  let status: JobStatus;
  if (interrupted) status = 'cancelled';
  else if (error || item.status?.status_str === 'error') status = 'failed';
  else status = 'completed';
  const end = find('execution_success') ?? error ?? interrupted;
  const extra = (Array.isArray(item.prompt) ? item.prompt[3] : undefined) ?? {};
  const files = outputFiles(item.outputs ?? {});
  return {
    id,
    status,
    priority: Array.isArray(item.prompt) ? Number(item.prompt[0]) : undefined,
    create_time: typeof extra.create_time === 'number' ? extra.create_time : null,
    execution_start_time: timestampOf(find('execution_start')),
    execution_end_time: timestampOf(end),
    execution_error: error ?? null,
    outputs_count: files.length,
    previewable_outputs_count: files.filter(isPreviewable).length,
    preview_output: files.find(isPreviewable) ?? null,
    workflow_id: workflowIdOf(extra),
    outputs: item.outputs,
  };
}

type FileEntry = Record<string, unknown> & { filename: string };

/** Every `{filename, …}` entry of a history item's outputs, in node order. */
export function outputFiles(outputs: Record<string, Record<string, unknown>>): FileEntry[] {
  const files: FileEntry[] = [];
  for (const nodeOutput of Object.values(outputs)) {
    if (typeof nodeOutput !== 'object' || nodeOutput === null) continue;
    for (const value of Object.values(nodeOutput)) {
      if (!Array.isArray(value)) continue;
      for (const entry of value) {
        if (typeof entry === 'object' && entry !== null && typeof (entry as { filename?: unknown }).filename === 'string') files.push(entry as FileEntry);
      }
    }
  }
  return files;
}

function isPreviewable(f: FileEntry): boolean {
  return /\.(png|jpe?g|webp|gif|bmp|mp4|webm|mov|wav|mp3|flac|ogg|glb)$/i.test(f.filename);
}

function timestampOf(data: Record<string, unknown> | undefined): number | null {
  return data && typeof data.timestamp === 'number' ? data.timestamp : null;
}

function workflowIdOf(extra: Record<string, unknown>): string | null {
  const pnginfo = extra.extra_pnginfo as { workflow?: { id?: unknown } } | undefined;
  const id = pnginfo?.workflow?.id;
  return typeof id === 'string' ? id : null;
}

function duration(j: Job): number | null {
  return typeof j.execution_start_time === 'number' && typeof j.execution_end_time === 'number' ? j.execution_end_time - j.execution_start_time : null;
}

function compareNullable(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a - b;
}
