// Queue and history items as the server serializes them: the prompt in the key order the client wrote it.
import type { MockContext } from './context';
import type { HistoryItem, QueueItem } from './queue';

/** A queue item ready for pyJsonDumps: the prompt as a Map in the client's key order. */
export function wireItem(ctx: Pick<MockContext, 'promptOrders'>, item: QueueItem): unknown[] {
  const [number, id, prompt, extra, outputs] = item;
  const order = ctx.promptOrders.get(prompt) ?? Object.keys(prompt);
  return [number, id, new Map(order.filter((k) => Object.hasOwn(prompt, k)).map((k) => [k, prompt[k]])), extra, outputs];
}

export function wireHistory(ctx: Pick<MockContext, 'promptOrders'>, h: HistoryItem): Record<string, unknown> {
  return { prompt: wireItem(ctx, h.prompt), outputs: h.outputs, status: h.status, meta: h.meta };
}
