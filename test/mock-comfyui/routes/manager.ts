// ComfyUI-Manager's routes (class→pack mappings, install queue, model list), answered only while the mock's Manager
// is enabled (the `manager` option); see ../manager.ts.
import type { RouteFamily } from '../context';
import { json, text } from '../http';

export const managerRoutes: RouteFamily = {
  name: 'manager',
  route({ method, path, query, body }, ctx) {
    const answer = ctx.manager.route(method, path, query, body);
    if (!answer) return undefined;
    return answer.json !== undefined ? json(answer.json, answer.status) : text(answer.status, answer.text ?? '');
  },
};
