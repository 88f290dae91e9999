// GET /history (paging), GET /history/{id}, POST /history (clear, delete).
import type { RouteFamily } from '../context';
import { empty, iterate, json, parseJsonBody, pyIn } from '../http';
import { pyToInt } from '../python';
import { wireHistory } from '../wire';

export const historyRoutes: RouteFamily = {
  name: 'history',
  paths: /^\/(history|history\/.+)$/,
  route({ method, path, query, body }, ctx) {
    const { queue } = ctx;
    if (path === '/history' && method === 'GET') {
      const maxItems = query.get('max_items');
      const offset = query.get('offset');
      const entries = queue.getHistory(maxItems === null ? undefined : pyToInt(maxItems), offset === null ? -1 : pyToInt(offset));
      return json(new Map(entries.map(([k, h]) => [k, wireHistory(ctx, h)])));
    }
    const histMatch = /^\/history\/(.+)$/.exec(path);
    if (histMatch && method === 'GET') {
      const id = decodeURIComponent(histMatch[1]!);
      const item = queue.history.get(id);
      return json(item ? new Map([[id, wireHistory(ctx, item)]]) : {});
    }
    if (path === '/history' && method === 'POST') {
      const data = parseJsonBody(body);
      if (pyIn('clear', data) && (data as Record<string, unknown>)['clear']) queue.wipeHistory();
      if (pyIn('delete', data)) for (const id of iterate((data as Record<string, unknown>)['delete'])) queue.deleteHistory(id);
      return empty();
    }
    return undefined;
  },
};
