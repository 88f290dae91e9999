// The part of the ComfyUI client the queue features use. Declared here (structurally) so the queue logic can be
// tested against small fakes and does not depend on every detail of ComfyClient; src/vscode adapts the real client.
import type { History, HistoryItem, Job, JobsPage, PromptRequest, PromptResponse, QueueState } from '../comfy/types';
import type { JobsQuery } from '../comfy/jobs';

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface QueueApi extends Partial<JobsApi> {
  queuePrompt(body: PromptRequest, options?: CallOptions): Promise<PromptResponse>;
  getQueue(options?: CallOptions): Promise<QueueState>;
  /** GET /history?max_items=&offset= — oldest first, offset counted from the oldest; no offset means "the last max_items". */
  getHistory(query: { maxItems?: number; offset?: number }, options?: CallOptions): Promise<History>;
  /** GET /history/{id}: undefined when unknown. */
  getHistoryItem(promptId: string, options?: CallOptions): Promise<HistoryItem | undefined>;
  /** POST /interrupt, targeted when promptId is given. */
  interrupt(promptId?: string, options?: CallOptions): Promise<void>;
  deleteFromQueue(promptIds: string[], options?: CallOptions): Promise<void>;
  clearQueue(options?: CallOptions): Promise<void>;
  deleteHistory(promptIds: string[], options?: CallOptions): Promise<void>;
  clearHistory(options?: CallOptions): Promise<void>;
}

/**
 * The jobs API of newer servers (/api/jobs, 0.33). Optional on a QueueApi: without it (a fake, or an older client),
 * the queue features use /queue + /history only. With it, they still do when `hasJobsApi()` says the server lacks it.
 */
export interface JobsApi {
  /** Whether the server has /api/jobs; probed once, then remembered (a 404 or 405 says no). */
  hasJobsApi(options?: CallOptions): Promise<boolean>;
  /** GET /api/jobs: newest first by default, with the server's own filter and paging. */
  getJobs(query: JobsQuery, options?: CallOptions): Promise<JobsPage>;
  /** GET /api/jobs/{id}: undefined when the job is unknown. */
  getJob(id: string, options?: CallOptions): Promise<Job | undefined>;
  /** POST /api/jobs/{id}/cancel: interrupts a running job or dequeues a pending one; false when it was neither. */
  cancelJob(id: string, options?: CallOptions): Promise<boolean>;
}

/** The job statuses of finished prompts: what /history holds. */
export const FINISHED_JOB_STATUSES = ['completed', 'failed', 'cancelled'] as const;

/** True when `api` can use the jobs API and the server has it. Errors of the probe propagate (the server is down). */
export async function usesJobsApi(api: Partial<JobsApi>, options: CallOptions = {}): Promise<boolean> {
  return api.hasJobsApi !== undefined && api.getJobs !== undefined && (await api.hasJobsApi(options));
}
