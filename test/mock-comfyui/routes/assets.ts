// Model downloads through the assets API (POST /api/assets/download, GET/DELETE /api/tasks/{id}); see ../assets.ts.
import type { RouteFamily } from '../context';
import { json } from '../http';

export const assetsRoutes: RouteFamily = {
  name: 'assets',
  route({ method, rawPath, body }, ctx) {
    const answer = ctx.assets.route(method, rawPath, body);
    return answer ? json(answer.json, answer.status) : undefined;
  },
};
