// Model downloads through the assets API, as ComfyUI's source defines them (Comfy-Org/ComfyUI
// app/assets/downloads/routes.py, service.py, destination.py; the 503 envelope of app/assets/api/routes.py; the
// `assets` feature flag of comfy_api/feature_flags.py). Formats are read from that source and the frontend that calls
// it (ComfyUI_frontend assetService.uploadAssetAsync, taskService, assetDownloadStore); there are no recordings.
// The routes are added to the app directly (no /api-less alias). 0.3.64 has none of them; on 0.33 they answer 503
// SERVICE_DISABLED unless the `assets` option is given (or `setEnabled(true)`), like a server without --enable-assets.
//   POST   /api/assets/download {source_url, tags, filename?} → 202 {task_id, status}
//          400 INVALID_BODY / UNKNOWN_MODEL_FOLDER / UNSUPPORTED_EXTENSION / INVALID_FILENAME, 409 model_file_exists
//   GET    /api/tasks/{id}  → {id, idempotency_key, task_name, payload, status, create_time, update_time, result?, error_message?}
//   DELETE /api/tasks/{id}  → {status: 'cancelling'}; 404 TASK_NOT_FOUND; 409 TASK_NOT_CANCELLABLE
//   WebSocket `asset_download` to every client: {task_id, asset_name, bytes_total, bytes_downloaded, progress (0–1), status, error?}
// The mock never fetches the URL: it "downloads" `sizeBytes` in `steps` ticks and writes a small safetensors file
// into models/<folder>/<filename>, so the next /object_info lists it.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve, sep } from 'node:path';
import { MODEL_EXTENSIONS, MODEL_FOLDERS } from './files';
import { makeSafetensors } from './safetensors';

export interface MockAssetsOptions {
  /** Serve downloads (default true when the option is given). */
  enabled?: boolean;
  /** Size every download pretends to have (default 4 MiB). */
  sizeBytes?: number;
  /** Progress ticks per download (default 4). */
  steps?: number;
  /** ms per tick (default 20). */
  stepMs?: number;
  /** URLs whose download fails (the task ends `failed` with this error text). */
  failUrls?: Record<string, string>;
}

export interface AssetsDownloadRequestRecord {
  body: Record<string, unknown>;
  taskId?: string;
  status: number;
}

export interface MockAssets {
  enabled(): boolean;
  setEnabled(on: boolean): void;
  /** Every POST /api/assets/download, in order (also refused ones). */
  requests(): AssetsDownloadRequestRecord[];
  route(method: string, rawPath: string, body: Buffer): { status: number; json: unknown } | undefined;
  close(): void;
}

type Status = 'created' | 'running' | 'completed' | 'failed' | 'cancelled';

interface Task {
  id: string;
  handle: string;
  url: string;
  path: string;
  folder: string;
  status: Status;
  done: number;
  total: number;
  started: Date;
  updated: Date;
  error?: string;
  timer?: NodeJS.Timeout;
}

// The model folders a download may write into: not folder_paths.non_model_folder_names (configs, custom_nodes).
const WRITABLE = MODEL_FOLDERS.filter((f) => f !== 'configs' && f !== 'custom_nodes');

const error = (status: number, code: string, message: string) => ({ status, json: { error: { code, message, details: {} } } });
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function createMockAssets(
  modelsDir: string,
  options: MockAssetsOptions | undefined,
  hasRoutes: boolean,
  notify: (event: string, data: Record<string, unknown>) => void,
): MockAssets {
  let on = options !== undefined && options.enabled !== false;
  const opts = options ?? {};
  const tasks = new Map<string, Task>();
  const requests: AssetsDownloadRequestRecord[] = [];

  const emit = (t: Task): void => {
    const progress = t.status === 'completed' ? 1.0 : t.total > 0 ? Math.min(1, Math.round((t.done / t.total) * 10000) / 10000) : 0.0;
    notify('asset_download', {
      task_id: t.id,
      asset_name: t.path.split(sep).pop()!,
      bytes_total: t.total,
      bytes_downloaded: t.done,
      progress,
      status: t.status,
      ...(t.error ? { error: t.error } : {}),
    });
  };

  const tick = (t: Task): void => {
    const steps = opts.steps ?? 4;
    t.timer = setTimeout(() => {
      t.timer = undefined;
      if (t.status === 'cancelled') return;
      t.status = 'running';
      t.done = Math.min(t.total, t.done + Math.ceil(t.total / steps));
      t.updated = new Date();
      const failure = opts.failUrls?.[t.url];
      if (failure !== undefined && t.done >= t.total / 2) {
        t.status = 'failed';
        t.error = failure;
      } else if (t.done >= t.total) {
        mkdirSync(dirname(t.path), { recursive: true });
        writeFileSync(t.path, makeSafetensors({ 'modelspec.title': t.path.split(sep).pop()!, 'modelspec.architecture': 'mock' }));
        t.status = 'completed';
      }
      emit(t);
      if (t.status === 'running') tick(t);
    }, opts.stepMs ?? 20);
  };

  const folderFromTags = (tags: unknown): string | undefined => {
    if (!Array.isArray(tags)) return undefined;
    for (const tag of tags) if (typeof tag === 'string' && tag.startsWith('model_type:')) return tag.slice('model_type:'.length);
    for (const tag of tags) if (typeof tag === 'string' && tag && tag !== 'models' && MODEL_FOLDERS.includes(tag)) return tag;
    return undefined;
  };

  const submit = (body: Buffer): { status: number; json: unknown } => {
    let b: unknown;
    try {
      b = JSON.parse(body.toString('utf8'));
    } catch {
      return error(400, 'INVALID_BODY', 'Request body must be JSON.');
    }
    if (typeof b !== 'object' || b === null || Array.isArray(b)) return error(400, 'INVALID_BODY', 'Request body must be a JSON object.');
    const o = b as Record<string, unknown>;
    const record: AssetsDownloadRequestRecord = { body: o, status: 0 };
    requests.push(record);
    const answer = (a: { status: number; json: unknown }) => {
      record.status = a.status;
      return a;
    };
    const url = o.source_url;
    if (typeof url !== 'string' || !url.trim()) return answer(error(400, 'INVALID_BODY', 'source_url is required and must be a string.'));
    if (o.filename !== undefined && o.filename !== null && typeof o.filename !== 'string')
      return answer(error(400, 'INVALID_BODY', 'filename must be a string.'));
    let parsed: URL;
    try {
      parsed = new URL(url.trim());
    } catch {
      return answer(error(400, 'INVALID_BODY', 'source_url is not a valid URL.'));
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return answer(error(400, 'INVALID_BODY', 'source_url must be an http(s) URL.'));
    const folder = folderFromTags(o.tags);
    if (folder === undefined) return answer(error(400, 'INVALID_BODY', "A 'model_type:<folder>' tag is required to decide where the model belongs."));
    if (!WRITABLE.includes(folder)) return answer(error(400, 'UNKNOWN_MODEL_FOLDER', `'${folder}' is not a model folder this server can download into.`));
    const fromUrl = decodeURIComponent(parsed.pathname.split('/').pop() ?? '');
    const filename = (typeof o.filename === 'string' && o.filename) || (extname(fromUrl) ? fromUrl : 'resolved.safetensors');
    const name = filename.trim().replace(/\\/g, '/');
    const parts = name.split('/').filter((p) => p !== '' && p !== '.');
    if (!name || name.startsWith('/') || parts.length === 0 || parts.includes('..'))
      return answer(error(400, 'INVALID_FILENAME', `'${filename}' is not a usable filename.`));
    if (!MODEL_EXTENSIONS.has(extname(name).toLowerCase()))
      return answer(error(400, 'UNSUPPORTED_EXTENSION', `'${filename}' does not end in an extension that '${folder}' loaders list.`));
    const root = resolve(modelsDir, folder);
    const path = resolve(root, ...parts);
    if (!path.startsWith(root + sep)) return answer(error(400, 'INVALID_FILENAME', `'${filename}' escapes the '${folder}' directory.`));
    if (existsSync(path)) return answer(error(409, 'model_file_exists', `${name} already exists in ${folder}.`));
    if ([...tasks.values()].some((t) => t.path === path && (t.status === 'created' || t.status === 'running')))
      return answer(error(409, 'model_download_in_flight', `${name} is already being downloaded.`));
    const now = new Date();
    const t: Task = {
      id: randomUUID(),
      handle: randomUUID().slice(0, 12),
      url: parsed.toString(),
      path,
      folder,
      status: 'created',
      done: 0,
      total: opts.sizeBytes ?? 4 * 1024 * 1024,
      started: now,
      updated: now,
    };
    tasks.set(t.id, t);
    record.taskId = t.id;
    emit(t);
    tick(t);
    return answer({ status: 202, json: { task_id: t.id, status: t.status } });
  };

  const taskResponse = (t: Task): Record<string, unknown> => ({
    id: t.id,
    task_name: 'download_file',
    idempotency_key: t.handle,
    payload: { destination: t.path, folder: t.folder },
    status: t.status,
    create_time: rfc3339(t.started),
    update_time: rfc3339(t.updated),
    ...(t.status !== 'created' ? { started_at: rfc3339(t.started) } : {}),
    ...(t.status === 'completed' || t.status === 'failed' || t.status === 'cancelled' ? { completed_at: rfc3339(t.updated) } : {}),
    ...(t.status === 'completed'
      ? {
          result: {
            success: true,
            file_path: t.path,
            filename: t.path
              .slice(resolve(modelsDir, t.folder).length + 1)
              .split(sep)
              .join('/'),
            bytes_downloaded: t.done,
          },
        }
      : {}),
    ...(t.error ? { error_message: t.error } : {}),
  });

  const route: MockAssets['route'] = (method, rawPath, body) => {
    const isDownload = rawPath === '/api/assets/download';
    const taskMatch = /^\/api\/tasks\/([^/]+)$/.exec(rawPath);
    if (!hasRoutes || (!isDownload && !taskMatch)) return undefined;
    if (isDownload && method !== 'POST') return undefined;
    if (taskMatch && method !== 'GET' && method !== 'DELETE') return undefined;
    if (!on) return error(503, 'SERVICE_DISABLED', 'Assets system is disabled. Start the server with --enable-assets to use this feature.');
    if (isDownload) return submit(body);
    const t = tasks.get(decodeURIComponent(taskMatch![1]!));
    if (!t) return error(404, 'TASK_NOT_FOUND', 'No such task.');
    if (method === 'GET') return { status: 200, json: taskResponse(t) };
    if (t.status !== 'created' && t.status !== 'running') return error(409, 'TASK_NOT_CANCELLABLE', 'This task can no longer be cancelled.');
    if (t.timer) clearTimeout(t.timer);
    t.status = 'cancelled';
    t.updated = new Date();
    emit(t);
    return { status: 200, json: { status: 'cancelling' } };
  };

  return {
    enabled: () => on,
    setEnabled: (v) => {
      on = v;
    },
    requests: () => [...requests],
    route,
    close: () => {
      for (const t of tasks.values()) if (t.timer) clearTimeout(t.timer);
    },
  };
}
