// Queues a prompt at most once. A POST /prompt that timed out or lost its connection may still have reached the
// server, so before any retry we look for our own prompt_id in /queue and /history: a retry that blindly re-posts
// would run (and bill, for API nodes) the workflow twice.
import type { PromptRequest, PromptResponse, QueueState } from '../comfy/types';
import { isCancellation, isTimeoutError, isUnreachableError } from '../comfy/errors';
import { usesJobsApi, type CallOptions, type QueueApi } from './api';

export interface SubmitOptions extends CallOptions {
  /** How many times an ambiguous failure may be retried after confirming the prompt is not on the server. */
  retries?: number;
}

export interface SubmitResult extends PromptResponse {
  /** True when the first POST did reach the server and the answer was recovered from /queue or /history. */
  recovered: boolean;
  /** How many POST /prompt requests were sent. */
  attempts: number;
}

/** Thrown when we cannot tell whether the prompt was queued; the caller must not re-post it. */
export class SubmitUncertainError extends Error {
  override readonly name = 'SubmitUncertainError';
  constructor(
    readonly promptId: string,
    cause: unknown,
  ) {
    super(`The server did not confirm prompt ${promptId} and could not be asked whether it arrived; check the Queue view before queueing again.`, { cause });
  }
}

/** Errors after which the request may or may not have been processed. A refused connection never reached the server. */
function isAmbiguous(e: unknown): boolean {
  if (isTimeoutError(e)) return true;
  return isUnreachableError(e) && e.reason !== 'refused' && e.reason !== 'dns';
}

function queueNumberOf(queue: QueueState, promptId: string): number | undefined {
  for (const item of [...queue.queue_running, ...queue.queue_pending]) if (item[1] === promptId) return item[0];
  return undefined;
}

/** Looks for the prompt on the server; returns its queue number, -1 if it already finished, undefined if absent. */
export async function findOnServer(
  api: Pick<QueueApi, 'getQueue' | 'getHistoryItem'>,
  promptId: string,
  options: CallOptions = {},
): Promise<number | undefined> {
  const n = queueNumberOf(await api.getQueue(options), promptId);
  if (n !== undefined) return n;
  const item = await api.getHistoryItem(promptId, options);
  if (item) return typeof item.prompt?.[0] === 'number' ? item.prompt[0] : -1;
  return undefined;
}

export async function submitPrompt(
  api: Pick<QueueApi, 'queuePrompt' | 'getQueue' | 'getHistoryItem'>,
  body: PromptRequest,
  options: SubmitOptions = {},
): Promise<SubmitResult> {
  const promptId = body.prompt_id;
  const retries = options.retries ?? 1;
  const call: CallOptions = {};
  if (options.signal) call.signal = options.signal;
  if (options.timeoutMs !== undefined) call.timeoutMs = options.timeoutMs;
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      const res = await api.queuePrompt(body, call);
      return { ...res, recovered: false, attempts };
    } catch (e) {
      // Without our own id there is nothing to look for, and cancellation or a definitive answer (400) ends it.
      if (!promptId || isCancellation(e) || !isAmbiguous(e)) throw e;
      let found: number | undefined;
      try {
        found = await findOnServer(api, promptId, { ...(options.signal ? { signal: options.signal } : {}) });
      } catch (checkError) {
        if (isCancellation(checkError)) throw checkError;
        throw new SubmitUncertainError(promptId, e);
      }
      if (found !== undefined) return { prompt_id: promptId, number: found, node_errors: {}, recovered: true, attempts };
      if (attempts > retries) throw e;
    }
  }
}

export type CancelOutcome = 'interrupted' | 'dequeued' | 'not-found';

/**
 * Cancels one prompt. With the jobs API (0.33): POST /api/jobs/{id}/cancel, which the server applies to the prompt
 * wherever it is at that moment (no race between looking and acting), after GET /api/jobs/{id} says where it was.
 * Without: POST /interrupt {prompt_id} when it runs, POST /queue {delete} when it waits. The targeted interrupt is a
 * no-op for any other prompt, so a stale "running" hint can never stop somebody else's run.
 */
export async function cancelPrompt(
  api: Pick<QueueApi, 'getQueue' | 'interrupt' | 'deleteFromQueue' | 'hasJobsApi' | 'getJobs' | 'getJob' | 'cancelJob'>,
  promptId: string,
  options: CallOptions = {},
): Promise<CancelOutcome> {
  if (api.getJob && api.cancelJob && (await usesJobsApi(api, options))) {
    const job = await api.getJob(promptId, options);
    if (!job || (job.status !== 'pending' && job.status !== 'in_progress')) return 'not-found';
    if (!(await api.cancelJob(promptId, options))) return 'not-found';
    return job.status === 'pending' ? 'dequeued' : 'interrupted';
  }
  const queue = await api.getQueue(options);
  if (queue.queue_running.some((i) => i[1] === promptId)) {
    await api.interrupt(promptId, options);
    return 'interrupted';
  }
  if (queue.queue_pending.some((i) => i[1] === promptId)) {
    await api.deleteFromQueue([promptId], options);
    return 'dequeued';
  }
  return 'not-found';
}
