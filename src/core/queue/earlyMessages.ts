// Socket messages of prompts not known yet: ComfyUI can send a whole fast (or fully cached) run before the POST
// /prompt answer says which prompt is ours. The run monitor and each graph panel keep the newest `limit` of them and
// replay a prompt's messages, in order, once they learn it is theirs. Messages of other clients' prompts fill the
// buffer forever, so a push is O(1) (amortised), not a splice of the whole buffer.
import { promptIdOf } from '../comfy/messages';

export class EarlyMessages<T extends { type: string; data?: unknown }> {
  private items: T[] = [];
  /** Index of the oldest kept message: older ones were dropped (compacted away once they make up half the array). */
  private head = 0;

  constructor(private readonly limit: number) {}

  push(message: T): void {
    this.items.push(message);
    if (this.items.length - this.head > this.limit) this.head++;
    if (this.head >= this.limit) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Removes and returns the kept messages of `promptId`, oldest first. */
  take(promptId: string): T[] {
    const mine: T[] = [];
    const rest: T[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const m = this.items[i]!;
      (promptIdOf(m) === promptId ? mine : rest).push(m);
    }
    if (mine.length > 0) {
      this.items = rest;
      this.head = 0;
    }
    return mine;
  }
}
