// The part of the ComfyUI client the queue features use. Declared here (structurally) so the queue logic can be
// tested against small fakes and does not depend on every detail of ComfyClient; src/vscode adapts the real client.
import type { History, HistoryItem, PromptRequest, PromptResponse, QueueState } from '../comfy/types';

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface QueueApi {
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
