// Queue and history records normalized into one entry shape for the tree, derived from the one queue record `Job`
// (core/comfy/jobs.ts). Everything from the server is checked as it is read: a malformed item becomes an entry with
// less detail, never an exception.
import type { ApiPrompt, HistoryItem, Job, JobStatus, QueueItem } from '../comfy/types';
import { jobFromHistoryItem, jobFromQueueItem, outputFiles, type OutputFile } from '../comfy/jobs';
import { isRecord } from '../util/guards';
import type { RunStatus } from './runTracker';

/** A run's status (the run tracker's one type), or `unknown`: a job status or history record that says neither. */
export type EntryStatus = RunStatus | 'unknown';

export type { OutputFile } from '../comfy/jobs';
export { outputFiles } from '../comfy/jobs';

export interface EntryError {
  nodeId: string;
  nodeType: string;
  message: string;
  exceptionType?: string;
  traceback?: string[];
}

/**
 * What the Queue & History tree shows of one prompt. Derived from a `Job` (core/comfy: the project's one queue
 * record), whichever route it came from: GET /api/jobs/{id}, or /queue and /history on servers without the jobs API.
 */
export interface QueueEntry {
  id: string;
  status: EntryStatus;
  /** The server's queue number (lower runs first). */
  number: number;
  prompt: ApiPrompt;
  extraData: Record<string, unknown>;
  nodeCount: number;
  outputs: OutputFile[];
  errors: EntryError[];
  /** Epoch ms; from history messages, or `extra_data.create_time` on newer servers. */
  createdAt?: number;
  startedAt?: number;
  endedAt?: number;
  cachedCount?: number;
}

export function entryFromQueueItem(item: QueueItem, status: 'running' | 'pending'): QueueEntry | undefined {
  const job = jobFromQueueItem(item, status === 'running' ? 'in_progress' : 'pending');
  return job && entryFromJob(job);
}

export function entryFromHistory(id: string, item: HistoryItem): QueueEntry {
  return entryFromJob(jobFromHistoryItem(id, item));
}

const STATUS_OF_JOB: Record<JobStatus, EntryStatus> = {
  pending: 'pending',
  in_progress: 'running',
  completed: 'success',
  failed: 'error',
  cancelled: 'interrupted',
};

/**
 * The tree's entry for a job. A finished job with its `execution_status` (history, or GET /api/jobs/{id}) is read
 * from its messages: timestamps, cached nodes, errors, and the status (0.3.64 reports an interrupt as status_str
 * "error"; the messages tell them apart). A job summary (a GET /api/jobs listing) gives what it has.
 */
export function entryFromJob(job: Job): QueueEntry {
  const workflow = isRecord(job.workflow) ? job.workflow : {};
  const prompt = isRecord(workflow.prompt) ? (workflow.prompt as ApiPrompt) : {};
  const extraData = isRecord(workflow.extra_data) ? workflow.extra_data : {};
  const entry: QueueEntry = {
    id: String(job.id),
    status: STATUS_OF_JOB[job.status] ?? 'unknown',
    number: typeof job.priority === 'number' ? job.priority : 0,
    prompt,
    extraData,
    nodeCount: Object.keys(prompt).length,
    outputs: outputFiles(job.outputs),
    errors: [],
  };
  if (typeof job.create_time === 'number') entry.createdAt = job.create_time;
  else if (typeof extraData.create_time === 'number') entry.createdAt = extraData.create_time;
  if (entry.outputs.length === 0 && isRecord(job.preview_output) && job.outputs === undefined) {
    const p = job.preview_output;
    entry.outputs = outputFiles({ [String(p.nodeId ?? '')]: { [String(p.mediaType ?? 'images')]: [p] } });
  }
  if (!('execution_status' in job)) {
    if (typeof job.execution_start_time === 'number') entry.startedAt = job.execution_start_time;
    if (typeof job.execution_end_time === 'number') entry.endedAt = job.execution_end_time;
    if (isRecord(job.execution_error)) entry.errors.push(errorOf(job.execution_error));
    return entry;
  }
  const status = isRecord(job.execution_status) ? job.execution_status : undefined;
  const messages = status && Array.isArray(status.messages) ? status.messages : [];
  let interrupted = false;
  for (const m of messages) {
    if (!Array.isArray(m) || typeof m[0] !== 'string' || !isRecord(m[1])) continue;
    const data = m[1];
    const ts = typeof data.timestamp === 'number' ? data.timestamp : undefined;
    switch (m[0]) {
      case 'execution_start':
        if (ts !== undefined) entry.startedAt = ts;
        break;
      case 'execution_cached':
        if (Array.isArray(data.nodes)) entry.cachedCount = data.nodes.length;
        break;
      case 'execution_success':
        if (ts !== undefined) entry.endedAt = ts;
        break;
      case 'execution_interrupted':
        interrupted = true;
        if (ts !== undefined) entry.endedAt = ts;
        break;
      case 'execution_error':
        if (ts !== undefined) entry.endedAt = ts;
        entry.errors.push(errorOf(data));
        break;
    }
  }
  if (interrupted) entry.status = 'interrupted';
  else if (status?.status_str === 'success') entry.status = 'success';
  else if (status?.status_str === 'error') entry.status = 'error';
  else if (status?.completed === true) entry.status = 'success';
  else entry.status = 'unknown';
  return entry;
}

function errorOf(data: Record<string, unknown>): EntryError {
  const err: EntryError = {
    nodeId: String(data.node_id ?? ''),
    nodeType: String(data.node_type ?? ''),
    message: String(data.exception_message ?? 'Execution failed'),
  };
  if (typeof data.exception_type === 'string') err.exceptionType = data.exception_type;
  if (Array.isArray(data.traceback)) err.traceback = data.traceback.map(String);
  return err;
}

/** `filename_prefix` of the first output node that has one: the natural name of a run that did not come from a file. */
export function outputPrefix(entry: QueueEntry): string | undefined {
  for (const node of Object.values(entry.prompt)) {
    const p = node?.inputs?.filename_prefix;
    if (typeof p === 'string' && p.length > 0) return p;
  }
  return undefined;
}

/** The UI workflow the prompt was queued with, when the client attached one (web UI, this extension). */
export function attachedWorkflow(entry: QueueEntry): unknown {
  const png = entry.extraData.extra_pnginfo;
  return isRecord(png) && isRecord(png.workflow) ? png.workflow : undefined;
}

export function durationMs(entry: QueueEntry): number | undefined {
  return entry.startedAt !== undefined && entry.endedAt !== undefined ? Math.max(0, entry.endedAt - entry.startedAt) : undefined;
}
