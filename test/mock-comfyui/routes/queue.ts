// GET/POST /queue, POST /interrupt, POST /free.
import type { RouteFamily } from '../context';
import { empty, iterate, json, parseJsonBody, pyGet, pyIn } from '../http';
import { wireItem } from '../wire';

export const queueRoutes: RouteFamily = {
  name: 'queue',
  paths: /^\/(queue|interrupt|free)$/,
  route({ method, path, body }, ctx) {
    const { queue, executor } = ctx;
    if (path === '/queue' && method === 'GET') {
      return json({ queue_running: [...queue.running.values()].map((i) => wireItem(ctx, i)), queue_pending: queue.pending.map((i) => wireItem(ctx, i)) });
    }
    if (path === '/queue' && method === 'POST') {
      const data = parseJsonBody(body);
      if (pyIn('clear', data) && (data as Record<string, unknown>)['clear']) queue.wipe();
      if (pyIn('delete', data)) for (const id of iterate((data as Record<string, unknown>)['delete'])) queue.deletePending(id);
      return empty();
    }
    if (path === '/interrupt' && method === 'POST') {
      let data: unknown;
      try {
        data = JSON.parse(body.toString('utf8'));
      } catch {
        data = {};
      }
      const promptId = pyGet(data, 'prompt_id');
      if (promptId) {
        if ([...queue.running.values()].some((i) => i[1] === promptId)) executor.interrupt();
      } else {
        executor.interrupt();
      }
      return empty();
    }
    if (path === '/free' && method === 'POST') {
      const data = parseJsonBody(body);
      if (pyGet(data, 'unload_models')) ctx.memoryFlags.unload_models = true;
      if (pyGet(data, 'free_memory')) ctx.memoryFlags.free_memory = true;
      if (!ctx.working() && ctx.memoryFlags.free_memory) {
        executor.clearCache();
        ctx.memoryFlags.free_memory = false;
      }
      return empty();
    }
    return undefined;
  },
};
