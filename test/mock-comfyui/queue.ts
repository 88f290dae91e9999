// ComfyUI's PromptQueue (execution.py): a binary heap ordered on (number, prompt_id), the running items, and the
// history (insertion-ordered, capped at MAXIMUM_HISTORY_SIZE, the oldest entry dropped first). Pending items are
// listed in heap-array order, as the server does, not sorted.

export const MAXIMUM_HISTORY_SIZE = 10000;

/** [number, prompt_id, prompt, extra_data, outputs_to_execute] */
export type QueueItem = [number, string, Record<string, unknown>, Record<string, unknown>, string[]];

export interface HistoryItem {
  prompt: QueueItem;
  outputs: Record<string, unknown> | Map<string, unknown>;
  status: { status_str: string; completed: boolean; messages: Array<[string, Record<string, unknown>]> } | null;
  meta?: Record<string, unknown> | Map<string, unknown>;
}

const SENSITIVE_EXTRA_DATA_KEYS = ['auth_token_comfy_org', 'api_key_comfy_org'];

function less(a: QueueItem, b: QueueItem): boolean {
  if (a[0] !== b[0]) return a[0] < b[0];
  return a[1] < b[1];
}

export class PromptQueue {
  private heap: QueueItem[] = [];
  readonly running = new Map<number, QueueItem>();
  readonly history = new Map<string, HistoryItem>();
  private taskCounter = 0;

  constructor(private readonly onChange: () => void) {}

  get pending(): readonly QueueItem[] {
    return this.heap;
  }

  remaining(): number {
    return this.heap.length + this.running.size;
  }

  put(item: QueueItem): void {
    this.heap.push(item);
    this.siftDown(0, this.heap.length - 1);
    this.onChange();
  }

  /** Pops the next item and marks it running; returns its task id. */
  get(): { taskId: number; item: QueueItem } | undefined {
    if (this.heap.length === 0) return undefined;
    const last = this.heap.pop()!;
    let item = last;
    if (this.heap.length > 0) {
      item = this.heap[0]!;
      this.heap[0] = last;
      this.siftUp(0);
    }
    const taskId = this.taskCounter++;
    // The server deep-copies; nothing here mutates items, and sharing keeps the prompt's identity (its key order).
    this.running.set(taskId, item);
    this.onChange();
    return { taskId, item };
  }

  taskDone(taskId: number, result: { outputs: HistoryItem['outputs']; meta: HistoryItem['meta'] }, status: HistoryItem['status']): void {
    const prompt = this.running.get(taskId);
    if (!prompt) return;
    this.running.delete(taskId);
    // The server trims before adding, so the history may hold MAXIMUM_HISTORY_SIZE + 1 entries.
    if (this.history.size > MAXIMUM_HISTORY_SIZE) this.history.delete(this.history.keys().next().value!);
    for (const k of SENSITIVE_EXTRA_DATA_KEYS) delete prompt[3][k];
    this.history.set(prompt[1], { prompt, outputs: result.outputs, status, meta: result.meta });
    this.onChange();
  }

  wipe(): void {
    this.heap = [];
    this.onChange();
  }

  /** Deletes the first pending item with this prompt id (only pending items: running ones are not touched). */
  deletePending(promptId: unknown): boolean {
    const i = this.heap.findIndex((x) => x[1] === promptId);
    if (i < 0) return false;
    if (this.heap.length === 1) {
      this.wipe();
      return true;
    }
    this.heap.splice(i, 1);
    this.heapify();
    this.onChange();
    return true;
  }

  /** get_history: `offset` counts from the oldest entry; with max_items and no offset, the last max_items. */
  getHistory(maxItems: number | undefined, offset = -1): Array<[string, HistoryItem]> {
    const out: Array<[string, HistoryItem]> = [];
    if (offset < 0 && maxItems !== undefined) offset = this.history.size - maxItems;
    let i = 0;
    for (const entry of this.history) {
      if (i >= offset) {
        out.push(entry);
        // Checked after adding, exactly like the server: max_items=0 with an offset still returns one item.
        if (maxItems !== undefined && out.length >= maxItems) break;
      }
      i++;
    }
    return out;
  }

  wipeHistory(): void {
    this.history.clear();
  }

  deleteHistory(promptId: unknown): void {
    if (typeof promptId === 'string') this.history.delete(promptId);
  }

  /** heapq._siftdown: moves the new item at `pos` up towards `start`. */
  private siftDown(start: number, pos: number): void {
    const item = this.heap[pos]!;
    while (pos > start) {
      const parentPos = (pos - 1) >> 1;
      const parent = this.heap[parentPos]!;
      if (less(item, parent)) {
        this.heap[pos] = parent;
        pos = parentPos;
        continue;
      }
      break;
    }
    this.heap[pos] = item;
  }

  /** heapq._siftup. */
  private siftUp(pos: number): void {
    const end = this.heap.length;
    const start = pos;
    const item = this.heap[pos]!;
    let child = 2 * pos + 1;
    while (child < end) {
      const right = child + 1;
      if (right < end && !less(this.heap[child]!, this.heap[right]!)) child = right;
      this.heap[pos] = this.heap[child]!;
      pos = child;
      child = 2 * pos + 1;
    }
    this.heap[pos] = item;
    this.siftDown(start, pos);
  }

  private heapify(): void {
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftUp(i);
  }
}
