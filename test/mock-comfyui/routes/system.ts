// The server's descriptive routes: /, a plain GET /ws, /embeddings, /models, /extensions, /system_stats,
// /features and (0.33) /node_replacements.
import { extname, join } from 'node:path';
import type { RouteFamily } from '../context';
import { HttpAnswer, empty, json, text } from '../http';
import { MODEL_EXTENSIONS, MODEL_FOLDERS, listFiles } from '../files';
import { serverFeatures, systemStats } from '../versions';

export const systemRoutes: RouteFamily = {
  name: 'system',
  paths: /^\/(embeddings|models|models\/[^/]+|extensions|system_stats|features)$/,
  route({ method, path }, ctx) {
    if (method !== 'GET') return undefined;
    if (path === '/ws') {
      // What aiohttp's WebSocketResponse.prepare answers to a plain GET.
      return text(400, 'No WebSocket UPGRADE hdr: None\n Can "Upgrade" only to "WebSocket".');
    }
    if (path === '/') {
      return new HttpAnswer(200, Buffer.from('<!DOCTYPE html><html><head><title>ComfyUI (mock)</title></head><body>mock-comfyui</body></html>'), {
        'Content-Type': 'text/html',
        'Cache-Control': 'no-cache',
      });
    }
    if (path === '/embeddings') {
      return json(listFiles(join(ctx.dirs.models, 'embeddings'), MODEL_EXTENSIONS).map((f) => f.slice(0, f.length - extname(f).length)));
    }
    if (path === '/models') return json(MODEL_FOLDERS);
    const modelsMatch = /^\/models\/([^/]+)$/.exec(path);
    if (modelsMatch) {
      const folder = decodeURIComponent(modelsMatch[1]!);
      if (!MODEL_FOLDERS.includes(folder)) return empty(404);
      return json(listFiles(join(ctx.dirs.models, folder), MODEL_EXTENSIONS));
    }
    if (path === '/extensions') return json([]);
    if (path === '/system_stats') return json(systemStats(ctx.version, ctx.port()));
    if (path === '/features') return json(serverFeatures(ctx.version, ctx.assets.enabled()));
    if (path === '/node_replacements' && ctx.version !== '0.3.64') return json(ctx.nodeReplacements());
    return undefined;
  },
};
