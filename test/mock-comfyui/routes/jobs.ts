// The /api/jobs family (0.33; 0.3.64 only with `jobsApi: true`). Served under /api only, like the server.
import type { RouteFamily } from '../context';
import { json } from '../http';

export const jobsRoutes: RouteFamily = {
  name: 'jobs',
  route({ method, rawPath, query, body }, ctx) {
    if (!rawPath.startsWith('/api/jobs') || !ctx.jobs.enabled()) return undefined;
    const a = ctx.jobs.route(method, rawPath, query, body);
    return a ? json(a.body, a.status) : undefined;
  },
};
