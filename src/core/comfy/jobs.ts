// Job records for servers without the jobs API (ComfyUI before /api/jobs, e.g. 0.3.64): the same `Job` shape,
// synthesized from /queue and /history, so the UI has one code path. `Job` is the one queue record of the project:
// core/queue/entries.ts derives the tree's entries from it, whichever route the data came from.
import type { ApiPrompt, FileRef, History, HistoryItem, Job, JobStatus, JobsPage, QueueItem, QueueState } from './types';
import { isRecord } from '../util/guards';

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
  const push = (job: Job | undefined): void => {
    if (!job || seen.has(job.id)) return;
    seen.add(job.id);
    out.push(job);
  };
  for (const item of queue.queue_running ?? []) push(jobFromQueueItem(item, 'in_progress'));
  const pending = [...(queue.queue_pending ?? [])].sort((a, b) => Number(a[0]) - Number(b[0]));
  for (const item of pending) push(jobFromQueueItem(item, 'pending'));
  const ids = Object.keys(history ?? {}).reverse();
  for (const id of ids) push(jobFromHistoryItem(id, history[id]!));
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

/**
 * A queued or running prompt as a job, with its prompt and extra_data under `workflow` (as GET /api/jobs/{id} has
 * them). Undefined for a malformed item (no string id).
 */
export function jobFromQueueItem(item: QueueItem, status: 'pending' | 'in_progress'): Job | undefined {
  if (!Array.isArray(item) || typeof item[1] !== 'string') return undefined;
  const extra = isRecord(item[3]) ? item[3] : {};
  return {
    id: item[1],
    status,
    priority: typeof item[0] === 'number' ? item[0] : undefined,
    create_time: typeof extra.create_time === 'number' ? extra.create_time : null,
    workflow_id: workflowIdOf(extra),
    workflow: { prompt: isRecord(item[2]) ? (item[2] as ApiPrompt) : {}, extra_data: extra },
  };
}

/**
 * A /history entry as a job, with everything GET /api/jobs/{id} gives for a finished one (`outputs`,
 * `execution_status`, `workflow`). Whatever the server sent, this never throws.
 */
export function jobFromHistoryItem(id: string, item: HistoryItem): Job {
  const statusRecord = isRecord(item?.status) ? item.status : undefined;
  const messages = statusRecord && Array.isArray(statusRecord.messages) ? statusRecord.messages : [];
  const find = (name: string): Record<string, unknown> | undefined => {
    const m = messages.find((x: unknown) => Array.isArray(x) && x[0] === name && isRecord(x[1]));
    return m ? (m[1] as Record<string, unknown>) : undefined;
  };
  const interrupted = find('execution_interrupted');
  const error = find('execution_error');
  let status: JobStatus;
  if (interrupted) status = 'cancelled';
  else if (error || statusRecord?.status_str === 'error') status = 'failed';
  else status = 'completed';
  const end = find('execution_success') ?? error ?? interrupted;
  const prompt = Array.isArray(item?.prompt) ? item.prompt : undefined;
  const extra = prompt && isRecord(prompt[3]) ? prompt[3] : {};
  const outputs = isRecord(item?.outputs) ? (item.outputs as Record<string, Record<string, unknown>>) : {};
  const files = outputFiles(outputs);
  return {
    id,
    status,
    priority: prompt && typeof prompt[0] === 'number' ? prompt[0] : undefined,
    create_time: typeof extra.create_time === 'number' ? extra.create_time : null,
    execution_start_time: timestampOf(find('execution_start')),
    execution_end_time: timestampOf(end),
    execution_error: error ?? null,
    outputs_count: files.length,
    previewable_outputs_count: files.filter(isPreviewable).length,
    preview_output: previewOutput(files),
    workflow_id: workflowIdOf(extra),
    outputs,
    execution_status: statusRecord ?? null,
    workflow: { prompt: prompt && isRecord(prompt[2]) ? (prompt[2] as ApiPrompt) : {}, extra_data: extra },
  };
}

/** One output file of a run: where it is (FileRef) and which node wrote it under which key (`images`, `gifs`, …). */
export interface OutputFile extends FileRef {
  nodeId: string;
  /** The output key, e.g. `images`, `gifs`, `audio`. */
  kind: string;
}

/**
 * Every `{filename, subfolder?, type?}` entry of a run's outputs (history, GET /api/jobs/{id}, or `executed`
 * messages), in node order; anything malformed is skipped.
 */
export function outputFiles(outputs: unknown): OutputFile[] {
  const files: OutputFile[] = [];
  if (!isRecord(outputs)) return files;
  for (const [nodeId, ui] of Object.entries(outputs)) {
    if (!isRecord(ui)) continue;
    for (const [kind, list] of Object.entries(ui)) {
      if (!Array.isArray(list)) continue;
      for (const f of list) {
        if (!isRecord(f) || typeof f.filename !== 'string') continue;
        files.push({
          nodeId,
          kind,
          filename: f.filename,
          subfolder: typeof f.subfolder === 'string' ? f.subfolder : '',
          type: typeof f.type === 'string' ? f.type : 'output',
        });
      }
    }
  }
  return files;
}

function isPreviewable(f: OutputFile): boolean {
  return /\.(png|jpe?g|webp|gif|bmp|mp4|webm|mov|wav|mp3|flac|ogg|glb)$/i.test(f.filename);
}

/** The server's `preview_output`: the first previewable file, named by node and media type. */
function previewOutput(files: OutputFile[]): Record<string, unknown> | null {
  const f = files.find(isPreviewable);
  return f ? { filename: f.filename, subfolder: f.subfolder, type: f.type, nodeId: f.nodeId, mediaType: f.kind } : null;
}

function timestampOf(data: Record<string, unknown> | undefined): number | null {
  return data && typeof data.timestamp === 'number' ? data.timestamp : null;
}

function workflowIdOf(extra: Record<string, unknown>): string | null {
  const pnginfo = extra.extra_pnginfo;
  const id = isRecord(pnginfo) && isRecord(pnginfo.workflow) ? pnginfo.workflow.id : undefined;
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
