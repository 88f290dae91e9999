// Model downloads through the server's own task API, on servers that have it. Read from ComfyUI's source
// (Comfy-Org/ComfyUI app/assets/downloads/routes.py, service.py, destination.py; app/assets/api/routes.py for the
// assets family's 503 SERVICE_DISABLED envelope; comfy_api/feature_flags.py for the `assets` flag) and from the web
// frontend that calls it (Comfy-Org/ComfyUI_frontend src/platform/assets/services/assetService.ts uploadAssetAsync,
// src/platform/tasks/services/taskService.ts, src/stores/assetDownloadStore.ts, src/schemas/apiSchema.ts):
//   POST   /api/assets/download {source_url, tags: ['models', 'model_type:<folder>' | '<folder>'], filename?}
//          → 202 {task_id, status: created|running|completed|failed}; 200/201 an asset (the file already exists)
//          → 400 {error: {code: INVALID_BODY | UNKNOWN_MODEL_FOLDER | UNSUPPORTED_EXTENSION | INVALID_FILENAME, message}}
//          → 409 model_file_exists | model_download_in_flight; 503 SERVICE_DISABLED (assets off) | DEPENDENCY_MISSING
//   GET    /api/tasks/{id} → {id, task_name: 'download_file', status, result?: {success, filename, bytes_downloaded},
//          error_message?}; 404 {error: {code: TASK_NOT_FOUND}}
//   DELETE /api/tasks/{id} → {status: 'cancelling'}; 404 TASK_NOT_FOUND; 409 TASK_NOT_CANCELLABLE
//   WebSocket `asset_download` (to every client) {task_id, asset_name, bytes_total, bytes_downloaded,
//          progress (a 0–1 fraction), status, asset_id?, error?}
// Availability: the server's feature flag `assets` (GET /features, the WebSocket handshake) must be true, and
// GET /api/tasks/<unknown id> must answer the route's own 404 envelope (a stock server without the route answers a
// bare 404 or 405). Everything the server says is bounded and cleaned before it reaches a message.
import type { ComfyClient } from '../comfy/client';
import { isHttpError, ComfyHttpError } from '../comfy/errors';
import type { CallOptions } from '../comfy/transport';
import { delay } from '../util/abort';
import { type Clock, systemClock } from '../util/clock';
import { isRecord } from '../util/guards';
import { cleanText, safeHttpUrl } from './types';

/** A UUID no task will ever have: the availability probe asks for it and expects the route's own 404. */
const PROBE_TASK_ID = '00000000-0000-0000-0000-000000000000';
const MAX_BODY = 256 * 1024;

export type AssetsSupport =
  | { available: true }
  /**
   * `no-api`: the server predates the route (no flag, or a bare 404/405); `disabled`: assets are off;
   * `unavailable`: the route exists but cannot download (e.g. comfy-cli missing).
   */
  | { available: false; reason: 'no-api' | 'disabled' | 'unavailable'; detail?: string };

/** The server's `{error: {code, message}}` envelope, cleaned; undefined when the body is not one. */
function envelope(body: unknown): { code: string; message?: string } | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const code = cleanText(body.error.code, 64);
  if (!code) return undefined;
  const message = cleanText(body.error.message, 300);
  return { code, ...(message ? { message } : {}) };
}

/**
 * Whether the server downloads models through POST /api/assets/download. `features` is what the server announced
 * (its WebSocket handshake); without it GET /features is read. Never throws for a server that lacks the API.
 */
export async function detectAssetsDownload(client: ComfyClient, features?: Record<string, unknown>, opts?: CallOptions): Promise<AssetsSupport> {
  let flags = features;
  if (!flags) {
    try {
      flags = await client.getFeatures(opts);
    } catch (e) {
      if (isHttpError(e, 404) || isHttpError(e, 405)) return { available: false, reason: 'no-api' };
      throw e;
    }
  }
  if (flags.assets === false) return { available: false, reason: 'disabled' };
  if (flags.assets !== true) return { available: false, reason: 'no-api' };
  try {
    await client.extensionCall('GET', `api/tasks/${PROBE_TASK_ID}`, { maxBytes: MAX_BODY }, opts);
    // A task with the nil UUID: not the route this module knows.
    return { available: false, reason: 'no-api' };
  } catch (e) {
    if (!(e instanceof ComfyHttpError)) throw e;
    const env = envelope(e.body);
    if (e.status === 404 && env?.code === 'TASK_NOT_FOUND') return { available: true };
    if (e.status === 503 && env?.code === 'SERVICE_DISABLED') return { available: false, reason: 'disabled' };
    if (e.status === 503 && env) return { available: false, reason: 'unavailable', ...(env.message ? { detail: env.message } : {}) };
    if (e.status === 404 || e.status === 405) return { available: false, reason: 'no-api' };
    throw e;
  }
}

export type AssetTaskStatus = 'created' | 'running' | 'completed' | 'failed' | 'cancelled';
const STATUSES: readonly AssetTaskStatus[] = ['created', 'running', 'completed', 'failed', 'cancelled'];
const TERMINAL: ReadonlySet<AssetTaskStatus> = new Set(['completed', 'failed', 'cancelled']);

export const isTerminal = (s: AssetTaskStatus): boolean => TERMINAL.has(s);

function statusOf(v: unknown): AssetTaskStatus | undefined {
  return typeof v === 'string' && (STATUSES as readonly string[]).includes(v) ? (v as AssetTaskStatus) : undefined;
}

/** The server refused a download or cannot download; one sentence naming what it said. */
export class AssetsDownloadError extends Error {
  override readonly name = 'AssetsDownloadError';
  constructor(
    message: string,
    readonly status: number,
    /** The server's error code (`SERVICE_DISABLED`, `model_file_exists`, …), when it sent one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface AssetDownloadRequest {
  /** http(s) URL of the file. */
  url: string;
  /** Folder under models/ (`checkpoints`, `diffusion_models`, …): the server refuses folders that are not model folders. */
  folder: string;
  /** The name the workflow uses (may contain `/` subfolders); default: the URL's last segment. */
  filename?: string;
}

export type AssetDownloadStart =
  | { kind: 'task'; taskId: string; status: AssetTaskStatus }
  /** The server answered with an asset: it had the file already. */
  | { kind: 'exists'; name?: string };

/** The JSON body of POST /api/assets/download for a model (the frontend's tags, plus the name the workflow uses). */
export function assetDownloadBody(req: AssetDownloadRequest): Record<string, unknown> {
  const url = safeHttpUrl(req.url);
  if (!url) throw new AssetsDownloadError('Only http(s) download URLs without credentials can be sent to the server.', 0);
  const folder = cleanText(req.folder, 128);
  if (!folder || /[/\\]/.test(folder)) throw new AssetsDownloadError('The model folder must be a folder name under models/.', 0);
  const body: Record<string, unknown> = { source_url: url, tags: ['models', `model_type:${folder}`, folder] };
  const filename = cleanText(req.filename, 512);
  if (filename) body.filename = filename;
  return body;
}

function refusal(e: ComfyHttpError): AssetsDownloadError | undefined {
  const env = envelope(e.body);
  const said = env?.message ? `: ${env.message.replace(/\.$/, '')}` : '';
  if (e.status === 503 && env?.code === 'SERVICE_DISABLED')
    return new AssetsDownloadError('Downloads through the server’s assets API are off (the server was not started with --enable-assets).', 503, env.code);
  if (e.status === 503) return new AssetsDownloadError(`The server cannot download models now${said}.`, 503, env?.code);
  if (e.status === 409 && env?.code === 'model_file_exists')
    return new AssetsDownloadError(`The server already has a file of that name${said}.`, 409, env.code);
  if (e.status === 409) return new AssetsDownloadError(`The server is already downloading it${said}.`, 409, env?.code);
  if (e.status === 400) return new AssetsDownloadError(`The server refused the download${said}.`, 400, env?.code);
  return undefined;
}

/** Asks the server to download a model into one of its model folders. Refusals throw AssetsDownloadError. */
export async function startAssetDownload(client: ComfyClient, req: AssetDownloadRequest, opts?: CallOptions): Promise<AssetDownloadStart> {
  const body = assetDownloadBody(req);
  let answer: unknown;
  try {
    answer = await client.extensionCall('POST', 'api/assets/download', { body, maxBytes: MAX_BODY, json: true }, opts);
  } catch (e) {
    if (e instanceof ComfyHttpError) throw refusal(e) ?? e;
    throw e;
  }
  if (!isRecord(answer)) throw new AssetsDownloadError('The server answered the download request in an unexpected shape.', 200);
  const taskId = cleanText(answer.task_id, 128);
  if (taskId) return { kind: 'task', taskId, status: statusOf(answer.status) ?? 'created' };
  if (typeof answer.id === 'string') {
    const name = cleanText(answer.name);
    return { kind: 'exists', ...(name ? { name } : {}) };
  }
  throw new AssetsDownloadError('The server answered the download request in an unexpected shape.', 200);
}

/** One download's state, from GET /api/tasks/{id} or an `asset_download` event. */
export interface AssetTaskState {
  taskId: string;
  status: AssetTaskStatus;
  /** File name as the server reports it. */
  name?: string;
  bytesDownloaded?: number;
  /** 0 or undefined when unknown. */
  bytesTotal?: number;
  /** 0–1, when known. */
  fraction?: number;
  error?: string;
}

const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined);

/** GET /api/tasks/{id}; undefined when the server knows no such task. */
export async function getAssetTask(client: ComfyClient, taskId: string, opts?: CallOptions): Promise<AssetTaskState | undefined> {
  let body: unknown;
  try {
    body = await client.extensionCall('GET', `api/tasks/${encodeURIComponent(taskId)}`, { maxBytes: MAX_BODY, json: true }, opts);
  } catch (e) {
    if (e instanceof ComfyHttpError && e.status === 404 && envelope(e.body)?.code === 'TASK_NOT_FOUND') return undefined;
    throw e;
  }
  const status = isRecord(body) ? statusOf(body.status) : undefined;
  if (!isRecord(body) || !status) throw new AssetsDownloadError('The server answered a download task in an unexpected shape.', 200);
  const result = isRecord(body.result) ? body.result : {};
  const name = cleanText(result.filename, 512);
  const bytes = count(result.bytes_downloaded);
  const error = cleanText(body.error_message, 300) ?? cleanText(result.error, 300);
  return {
    taskId,
    status,
    ...(name ? { name } : {}),
    ...(bytes !== undefined ? { bytesDownloaded: bytes } : {}),
    ...(status === 'completed' ? { fraction: 1 } : {}),
    ...(error ? { error } : {}),
  };
}

/** DELETE /api/tasks/{id}: asks the server to stop a download. False when it can no longer be cancelled. */
export async function cancelAssetTask(client: ComfyClient, taskId: string, opts?: CallOptions): Promise<boolean> {
  try {
    await client.extensionCall('DELETE', `api/tasks/${encodeURIComponent(taskId)}`, { maxBytes: MAX_BODY }, opts);
    return true;
  } catch (e) {
    if (e instanceof ComfyHttpError && (e.status === 404 || e.status === 409)) return false;
    throw e;
  }
}

/** The data of an `asset_download` WebSocket message, or undefined when it is not one. */
export function parseAssetDownloadEvent(data: unknown): AssetTaskState | undefined {
  if (!isRecord(data)) return undefined;
  const taskId = cleanText(data.task_id, 128);
  const status = statusOf(data.status);
  if (!taskId || !status) return undefined;
  const name = cleanText(data.asset_name, 512);
  const done = count(data.bytes_downloaded);
  const total = count(data.bytes_total);
  // A fraction (0–1) by the protocol; bytes, when the server knows the total, are the more precise answer.
  let fraction: number | undefined;
  if (status === 'completed') fraction = 1;
  else if (total && done !== undefined) fraction = Math.min(1, done / total);
  else if (typeof data.progress === 'number' && Number.isFinite(data.progress) && data.progress >= 0 && data.progress <= 1) fraction = data.progress;
  const error = cleanText(data.error, 300);
  return {
    taskId,
    status,
    ...(name ? { name } : {}),
    ...(done !== undefined ? { bytesDownloaded: done } : {}),
    ...(total ? { bytesTotal: total } : {}),
    ...(fraction !== undefined ? { fraction } : {}),
    ...(error ? { error } : {}),
  };
}

export interface FollowAssetOptions {
  signal?: AbortSignal;
  /** How often the task is read when no event arrives (default 2 s; the frontend re-reads stale tasks every 10 s). */
  pollMs?: number;
  clock?: Clock;
  /** Give up after this long (default 2 hours: models are large, but not endless). */
  maxMs?: number;
  onProgress?: (s: AssetTaskState) => void;
  /** Where `asset_download` events arrive (the adapter's socket); returns the unsubscribe function. */
  subscribe?: (listener: (s: AssetTaskState) => void) => () => void;
}

/**
 * Follows one download until it completes, fails or is cancelled: events when the server sends them, else the
 * task route. Resolves with the last state (status still running when `maxMs` elapsed). A task the server no
 * longer knows counts as failed.
 */
export async function followAssetDownload(client: ComfyClient, taskId: string, options: FollowAssetOptions = {}): Promise<AssetTaskState> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  let last: AssetTaskState = { taskId, status: 'created' };
  let wake = new AbortController();
  const unsubscribe = options.subscribe?.((s) => {
    if (s.taskId !== taskId || isTerminal(last.status)) return;
    last = s;
    options.onProgress?.(s);
    if (isTerminal(s.status)) wake.abort();
  });
  try {
    for (;;) {
      if (isTerminal(last.status)) return last;
      const state = await getAssetTask(client, taskId, options.signal ? { signal: options.signal } : undefined);
      if (isTerminal(last.status)) return last;
      if (!state) return { ...last, status: 'failed', error: last.error ?? 'the server no longer knows this download' };
      // The task route has no byte counts while running; keep what events said.
      last = { ...last, ...state, ...(state.fraction === undefined && last.fraction !== undefined ? { fraction: last.fraction } : {}) };
      options.onProgress?.(last);
      if (isTerminal(last.status)) return last;
      if (clock.now() - started > (options.maxMs ?? 2 * 3600_000)) return last;
      wake = new AbortController();
      const both = options.signal ? AbortSignal.any([options.signal, wake.signal]) : wake.signal;
      try {
        await delay(options.pollMs ?? 2000, both, clock);
      } catch (e) {
        if (options.signal?.aborted) throw e;
      }
    }
  } finally {
    unsubscribe?.();
  }
}
