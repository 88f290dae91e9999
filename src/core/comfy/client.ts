// The ComfyUI HTTP client: one method per route of ../shared/reference/comfyui-api.md §1.3-1.4, each taking
// `{signal?, timeoutMs?}`, each failing with a typed ComfyError (errors.ts). No state beyond configuration and
// the remembered answer to "does this server have the jobs API?".
import type { Dispatcher } from 'undici';
import { type Clock, systemClock } from '../util/clock';
import { type Logger, nullLogger } from '../util/logger';
import { ComfyHttpError, ComfyProtocolError, isHttpError } from './errors';
import { type JobsQuery, jobsFromQueueAndHistory, pageJobs } from './jobs';
import { encodeMultipart, type MultipartField } from './multipart';
import type { Redactor } from './redact';
import { type CallOptions, exchange, parseJson, type RawResponse } from './transport';
import type {
  FileRef,
  History,
  HistoryItem,
  Job,
  JobsPage,
  NodeInfo,
  ObjectInfo,
  PromptInfo,
  PromptRequest,
  PromptResponse,
  QueueState,
  ServerFeatures,
  SystemStats,
  UploadResult,
} from './types';
import { buildUrl, type QueryValue, resolveConnection, segment, type ServerEndpoint } from './url';
import { isRecord } from '../util/guards';
import { ChunkedJsonError, parseJsonObjectChunked } from '../util/chunkedJson';
import { stringifyAsWritten } from '../util/jsonNumbers';
import { mediaTypeOf } from '../media/fileNames';

export type { CallOptions } from './transport';
export type { JobsQuery } from './jobs';

export interface ComfyClientOptions {
  /** http(s) URL of the server, may include a path prefix and userinfo. */
  baseUrl: string;
  /** Extra headers on every request (e.g. Authorization for a reverse proxy). */
  headers?: Record<string, string>;
  /** Query parameters appended to every URL (e.g. `{ token: '…' }`). */
  query?: Record<string, string>;
  /** Default timeout per call (ms); individual calls may override it. */
  timeoutMs?: number;
  /** undici Dispatcher (proxy agent, custom TLS, MockAgent in tests). */
  dispatcher?: Dispatcher;
  logger?: Logger;
  clock?: Clock;
  /** Cap for JSON bodies (bytes); the largest real /object_info dumps are a few MB. */
  maxJsonBytes?: number;
}

export interface ViewRequest {
  filename: string;
  type?: 'output' | 'input' | 'temp' | string;
  subfolder?: string;
  /** e.g. "webp;90" or "jpeg;80": the server re-encodes the image. */
  preview?: string;
  channel?: 'rgba' | 'rgb' | 'a';
}

export interface ViewResult {
  bytes: Uint8Array;
  contentType: string;
}

export interface UploadRequest {
  data: Uint8Array;
  /** The file name the server stores (it may rename on a clash, see the result's `name`). */
  filename: string;
  contentType?: string;
  type?: 'input' | 'temp' | 'output';
  subfolder?: string;
  overwrite?: boolean;
}

export interface MaskUploadRequest extends UploadRequest {
  /** The image whose alpha channel the mask replaces. */
  originalRef: { filename: string; subfolder?: string; type?: string };
}

export interface ProbeResult {
  stats: SystemStats;
  version: string | undefined;
  latencyMs: number;
}

export type CancelVia = 'jobs-api' | 'interrupt' | 'queue-delete' | 'none';

export interface CancelResult {
  cancelled: boolean;
  via: CancelVia;
}

export interface JobsListing extends JobsPage {
  /** Where the data came from: the server's jobs API or the /queue + /history fallback. */
  source: 'jobs-api' | 'queue-history';
}

export const DEFAULT_TIMEOUT_MS = 30_000;
const OBJECT_INFO_TIMEOUT_MS = 120_000;
const TRANSFER_TIMEOUT_MS = 120_000;
const PROBE_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_JSON_BYTES = 256 * 1024 * 1024;
const MB = 1024 * 1024;
/**
 * Per-route response caps (issue 13, finding 13): only the answers that really grow with a server's size get the
 * client's full JSON cap (/object_info with hundreds of node packs, the history); the polled /queue and the small
 * routes cannot make the host read and parse hundreds of MB.
 */
const ROUTE_CAPS: readonly [RegExp, number][] = [
  [/^object_info$/, Infinity],
  [/^history$/, Infinity],
  [/^history\//, 64 * MB],
  [/^api\/jobs/, 64 * MB],
  [/^queue$/, 32 * MB],
  [/^object_info\//, 16 * MB],
];
const SMALL_ROUTE_CAP = 8 * MB;

/** The response cap of a JSON route: the route's own cap, never above the client's `maxJsonBytes`. */
export function routeCap(path: string, maxJsonBytes: number): number {
  const hit = ROUTE_CAPS.find(([re]) => re.test(path));
  return Math.min(maxJsonBytes, hit ? hit[1] : SMALL_ROUTE_CAP);
}
export const DEFAULT_MAX_VIEW_BYTES = 64 * 1024 * 1024;

/** A request body already serialized to JSON text. */
class JsonText {
  constructor(readonly text: string) {}
}

export class ComfyClient {
  readonly endpoint: ServerEndpoint;
  private readonly headers: Record<string, string>;
  private readonly redactor: Redactor;
  private readonly timeoutMs: number;
  private readonly maxJsonBytes: number;
  private readonly deps: { dispatcher?: Dispatcher; clock: Clock; logger: Logger; redactor: Redactor };
  /** undefined until known; set by the first jobs call that answers (200) or proves the route missing (404/405). */
  private jobsApi: boolean | undefined;

  constructor(options: ComfyClientOptions) {
    ({ endpoint: this.endpoint, headers: this.headers, redactor: this.redactor } = resolveConnection(options.baseUrl, options.query, options.headers));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxJsonBytes = options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES;
    this.deps = {
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      clock: options.clock ?? systemClock,
      logger: options.logger ?? nullLogger,
      redactor: this.redactor,
    };
  }

  /** The base URL for display: prefix kept, credentials and secret query values masked. */
  get displayUrl(): string {
    return this.redactor.url(buildUrl(this.endpoint, ''));
  }

  /** Absolute URL of a route, with the configured query (for the WebSocket and for links). */
  url(path: string, params: Record<string, QueryValue> = {}): URL {
    return buildUrl(this.endpoint, path, params);
  }

  /** Headers every request carries (auth etc.); the socket uses them for its upgrade request. */
  get requestHeaders(): Readonly<Record<string, string>> {
    return this.headers;
  }

  /** Redacts a URL or text with this client's secrets (for logs of other layers). */
  redact(text: string): string {
    return this.redactor.url(text);
  }

  // ---- prompt & queue ---------------------------------------------------------------------------------------

  /** GET /prompt: the number of queued + running prompts. */
  async getPromptInfo(opts?: CallOptions): Promise<PromptInfo> {
    return this.json<PromptInfo>('GET', 'prompt', {}, opts, isRecord);
  }

  /**
   * POST /prompt. A validation failure throws ComfyHttpError (400) whose `promptError` holds `error` and
   * `node_errors`. A 200 may still carry `node_errors` for outputs that were dropped.
   */
  async queuePrompt(body: PromptRequest, opts?: CallOptions): Promise<PromptResponse> {
    // Integers above 2^53 go out as the file wrote them (buildPromptRequest's sourceText attaches them).
    const res = await this.json<PromptResponse>(
      'POST',
      'prompt',
      {},
      opts,
      (v) => isRecord(v) && typeof v.prompt_id === 'string',
      new JsonText(stringifyAsWritten(body)),
    );
    return { ...res, node_errors: res.node_errors ?? {} };
  }

  /** GET /queue. */
  async getQueue(opts?: CallOptions): Promise<QueueState> {
    return this.json<QueueState>('GET', 'queue', {}, opts, (v) => isRecord(v) && Array.isArray(v.queue_running) && Array.isArray(v.queue_pending));
  }

  /** POST /queue {delete}: removes pending prompts (running ones are not affected; see `cancelPrompt`). */
  async deleteFromQueue(promptIds: string[], opts?: CallOptions): Promise<void> {
    await this.send('POST', 'queue', { delete: promptIds }, opts);
  }

  /** POST /queue {clear}: removes every pending prompt. */
  async clearQueue(opts?: CallOptions): Promise<void> {
    await this.send('POST', 'queue', { clear: true }, opts);
  }

  /** POST /interrupt: stops the running prompt; with `promptId`, only if that prompt is the one running. */
  async interrupt(promptId?: string, opts?: CallOptions): Promise<void> {
    await this.send('POST', 'interrupt', promptId ? { prompt_id: promptId } : {}, opts);
  }

  /** POST /free: unload models and/or free memory after the current job. */
  async free(what: { unloadModels?: boolean; freeMemory?: boolean } = { unloadModels: true, freeMemory: true }, opts?: CallOptions): Promise<void> {
    await this.send('POST', 'free', { unload_models: what.unloadModels ?? false, free_memory: what.freeMemory ?? false }, opts);
  }

  // ---- history ----------------------------------------------------------------------------------------------

  /**
   * GET /history, oldest first. With `maxItems` alone the server returns the newest `maxItems`; `offset` counts
   * from the oldest entry.
   */
  async getHistory(page: { maxItems?: number; offset?: number } = {}, opts?: CallOptions): Promise<History> {
    return this.json<History>('GET', 'history', { max_items: page.maxItems, offset: page.offset }, opts, isRecord);
  }

  /** GET /history/{id}; undefined when the server has no such entry (it answers `{}`). */
  async getHistoryItem(promptId: string, opts?: CallOptions): Promise<HistoryItem | undefined> {
    const h = await this.json<History>('GET', `history/${segment(promptId)}`, {}, opts, isRecord);
    return h[promptId];
  }

  /** POST /history {delete}. */
  async deleteHistory(promptIds: string[], opts?: CallOptions): Promise<void> {
    await this.send('POST', 'history', { delete: promptIds }, opts);
  }

  /** POST /history {clear}. */
  async clearHistory(opts?: CallOptions): Promise<void> {
    await this.send('POST', 'history', { clear: true }, opts);
  }

  // ---- node definitions & server info -----------------------------------------------------------------------

  /** GET /object_info (several MB on big installs, hence the longer default timeout). */
  async getObjectInfo(opts?: CallOptions): Promise<ObjectInfo> {
    return this.json<ObjectInfo>('GET', 'object_info', {}, withTimeout(opts, OBJECT_INFO_TIMEOUT_MS), isRecord);
  }

  /**
   * GET /object_info read in time slices (`parseJsonObjectChunked`), with the bytes as received: real servers with
   * hundreds of custom node packs answer 100 MB, and one `JSON.parse` of that holds the caller's thread for a second
   * or more. The bytes are the same JSON (the cache and the validation worker take them instead of re-serialising).
   */
  async getObjectInfoChunked(opts?: CallOptions): Promise<{ objectInfo: ObjectInfo; bytes: Buffer }> {
    const call = withTimeout(opts, OBJECT_INFO_TIMEOUT_MS);
    const res = await this.raw('GET', 'object_info', {}, call, undefined, routeCap('object_info', this.maxJsonBytes));
    try {
      const objectInfo = (await parseJsonObjectChunked(res.bytes, call.signal ? { signal: call.signal } : {})) as ObjectInfo;
      return { objectInfo, bytes: res.bytes };
    } catch (error) {
      if (!(error instanceof ChunkedJsonError)) throw error;
      // A small answer gets the usual diagnosis (an HTML page, an array, text); a large one is judged by its start.
      if (res.bytes.length <= 1024 * 1024) this.checked<ObjectInfo>(res, 'GET', 'object_info', isRecord);
      const shown = this.redactor.url(this.url('object_info'));
      const head = res.bytes.toString('utf8', 0, 256);
      if (/html/i.test(res.contentType) || /^\s*</.test(head))
        throw new ComfyProtocolError(shown, `an HTML page (${res.contentType || 'no content type'}) where JSON was expected`, error);
      throw new ComfyProtocolError(shown, `truncated or malformed JSON (${res.bytes.length} bytes)`, error);
    }
  }

  /** GET /object_info/{class}; undefined for an unknown class (the server answers `{}`). */
  async getNodeInfo(classType: string, opts?: CallOptions): Promise<NodeInfo | undefined> {
    const info = await this.json<ObjectInfo>('GET', `object_info/${segment(classType)}`, {}, opts, isRecord);
    return info[classType];
  }

  /** GET /system_stats. */
  async getSystemStats(opts?: CallOptions): Promise<SystemStats> {
    return this.json<SystemStats>('GET', 'system_stats', {}, opts, (v) => isRecord(v) && isRecord(v.system));
  }

  /** Reads /system_stats with a short timeout: "is the server there, and which version?" */
  async probe(opts?: CallOptions): Promise<ProbeResult> {
    const start = this.deps.clock.now();
    const stats = await this.getSystemStats(withTimeout(opts, PROBE_TIMEOUT_MS));
    const version = stats.system.comfyui_version;
    return { stats, version: typeof version === 'string' ? version : undefined, latencyMs: this.deps.clock.now() - start };
  }

  /** GET /features (servers before mid-2025 answer 404). */
  async getFeatures(opts?: CallOptions): Promise<ServerFeatures> {
    return this.json<ServerFeatures>('GET', 'features', {}, opts, isRecord);
  }

  /** GET /node_replacements (0.33+; older servers answer 404): old class → its registered replacements, raw. */
  async getNodeReplacements(opts?: CallOptions): Promise<Record<string, unknown>> {
    return this.json<Record<string, unknown>>('GET', 'node_replacements', {}, opts, isRecord);
  }

  async getEmbeddings(opts?: CallOptions): Promise<string[]> {
    return this.json<string[]>('GET', 'embeddings', {}, opts, isStringArray);
  }

  async getExtensions(opts?: CallOptions): Promise<string[]> {
    return this.json<string[]>('GET', 'extensions', {}, opts, isStringArray);
  }

  /** GET /models: the model folder names. */
  async getModels(opts?: CallOptions): Promise<string[]> {
    return this.json<string[]>('GET', 'models', {}, opts, isStringArray);
  }

  /** GET /models/{folder}: the files of one model folder (404 for an unknown folder). */
  async getModelFiles(folder: string, opts?: CallOptions): Promise<string[]> {
    return this.json<string[]>('GET', `models/${segment(folder)}`, {}, opts, isStringArray);
  }

  // ---- files ------------------------------------------------------------------------------------------------

  /** GET /view: the file's bytes, read with a size cap (ComfyTooLargeError past it). 404 when missing. */
  async view(file: ViewRequest | FileRef, opts?: CallOptions & { maxBytes?: number }): Promise<ViewResult> {
    const f = file as ViewRequest;
    const res = await this.raw(
      'GET',
      'view',
      { filename: f.filename, type: f.type, subfolder: f.subfolder, preview: f.preview, channel: f.channel },
      withTimeout(opts, TRANSFER_TIMEOUT_MS),
      undefined,
      opts?.maxBytes ?? DEFAULT_MAX_VIEW_BYTES,
      '*/*',
    );
    return { bytes: new Uint8Array(res.bytes.buffer, res.bytes.byteOffset, res.bytes.byteLength), contentType: res.contentType || 'application/octet-stream' };
  }

  /** GET /view_metadata/{folder}?filename=: the `__metadata__` of a safetensors file (404 when absent). */
  async viewMetadata(folder: string, filename: string, opts?: CallOptions): Promise<Record<string, unknown>> {
    return this.json<Record<string, unknown>>('GET', `view_metadata/${segment(folder)}`, { filename }, opts, isRecord);
  }

  /** POST /upload/image (multipart). The server may rename on a clash; use the returned `name`. */
  async uploadImage(upload: UploadRequest, opts?: CallOptions): Promise<UploadResult> {
    return this.upload('upload/image', uploadFields(upload), opts);
  }

  /** POST /upload/mask: applies the upload's alpha to `originalRef` and stores the result. */
  async uploadMask(upload: MaskUploadRequest, opts?: CallOptions): Promise<UploadResult> {
    const ref = { filename: upload.originalRef.filename, subfolder: upload.originalRef.subfolder ?? '', type: upload.originalRef.type ?? 'output' };
    return this.upload('upload/mask', [...uploadFields(upload), { name: 'original_ref', value: JSON.stringify(ref) }], opts);
  }

  // ---- jobs API ([N]) with fallback ---------------------------------------------------------------------------

  /** Whether the server has /api/jobs; probed once, then remembered. */
  async hasJobsApi(opts?: CallOptions): Promise<boolean> {
    if (this.jobsApi === undefined) {
      try {
        await this.getJobs({ limit: 1 }, opts);
      } catch (error) {
        if (this.jobsApi === undefined) throw error;
      }
    }
    return this.jobsApi === true;
  }

  /** GET /api/jobs. Throws ComfyHttpError 404 on servers without the jobs API (and remembers that). */
  async getJobs(query: JobsQuery = {}, opts?: CallOptions): Promise<JobsPage> {
    const params = {
      status: query.status?.join(','),
      workflow_id: query.workflowId,
      sort_by: query.sortBy,
      sort_order: query.sortOrder,
      limit: query.limit,
      offset: query.offset,
    };
    return this.jobsCall(() => this.json<JobsPage>('GET', 'api/jobs', params, opts, (v) => isRecord(v) && Array.isArray(v.jobs)));
  }

  /** GET /api/jobs/{id}; undefined when the job is unknown. */
  async getJob(id: string, opts?: CallOptions): Promise<Job | undefined> {
    try {
      return await this.jobsCall(() => this.json<Job>('GET', `api/jobs/${segment(id)}`, {}, opts, isRecord));
    } catch (error) {
      if (isHttpError(error, 404) && this.jobsApi !== false) return undefined;
      throw error;
    }
  }

  /** POST /api/jobs/{id}/cancel: interrupts a running job or dequeues a pending one. */
  async cancelJob(id: string, opts?: CallOptions): Promise<boolean> {
    const res = await this.jobsCall(() => this.json<{ cancelled?: unknown }>('POST', `api/jobs/${segment(id)}/cancel`, {}, opts, isRecord, {}));
    return res.cancelled === true;
  }

  /** Jobs from the jobs API when the server has it, else synthesized from /queue + /history (same shape). */
  async listJobs(query: JobsQuery = {}, opts?: CallOptions): Promise<JobsListing> {
    if (this.jobsApi !== false) {
      try {
        return { ...(await this.getJobs(query, opts)), source: 'jobs-api' };
      } catch (error) {
        if (!this.jobsApiMissing()) throw error;
      }
    }
    const [queue, history] = await Promise.all([this.getQueue(opts), this.getHistory({}, opts)]);
    return { ...pageJobs(jobsFromQueueAndHistory(queue, history), query), source: 'queue-history' };
  }

  /**
   * Cancels a prompt whatever its state: via the jobs API when present, else an interrupt targeted at it when
   * it is running, or a queue delete when it is pending. `cancelled: false` when it was in neither place.
   */
  async cancelPrompt(promptId: string, opts?: CallOptions): Promise<CancelResult> {
    if (this.jobsApi !== false) {
      try {
        return { cancelled: await this.cancelJob(promptId, opts), via: 'jobs-api' };
      } catch (error) {
        if (!this.jobsApiMissing()) throw error;
      }
    }
    const queue = await this.getQueue(opts);
    if (queue.queue_running.some((item) => item[1] === promptId)) {
      await this.interrupt(promptId, opts);
      return { cancelled: true, via: 'interrupt' };
    }
    if (queue.queue_pending.some((item) => item[1] === promptId)) {
      await this.deleteFromQueue([promptId], opts);
      return { cancelled: true, via: 'queue-delete' };
    }
    return { cancelled: false, via: 'none' };
  }

  /** A method, so TypeScript does not narrow the field across the awaits that may change it. */
  private jobsApiMissing(): boolean {
    return this.jobsApi === false;
  }

  // ---- plumbing ---------------------------------------------------------------------------------------------

  /**
   * Runs a jobs-API call and learns from it: any answer proves the API exists; a 404 whose body is not the
   * API's own JSON error (`{"error": "Job not found"}`) proves the route is missing, and so does a 405: servers
   * without the API (0.3.64) answer it to a POST on an unknown /api path, because their static-file GET route
   * matches every path.
   */
  /**
   * A route of a server extension such as ComfyUI-Manager (same auth, timeout and redaction as ComfyUI's own
   * routes). JSON bodies are sent as application/json; the answer is parsed as JSON when `json` is set, and
   * capped at `maxBytes`. Non-2xx answers throw ComfyHttpError (404: the extension is not installed).
   */
  async extensionCall(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    init: { params?: Record<string, QueryValue>; body?: unknown; maxBytes?: number; json?: boolean } = {},
    opts?: CallOptions,
  ): Promise<unknown> {
    const payload = init.body === undefined ? undefined : { body: JSON.stringify(init.body), contentType: 'application/json' };
    const res = await this.raw(method, path, init.params ?? {}, opts, payload, init.maxBytes ?? 1024 * 1024);
    return init.json ? parseJson(res, this.redactor.url(this.url(path))) : undefined;
  }

  private async jobsCall<T>(fn: () => Promise<T>): Promise<T> {
    try {
      const result = await fn();
      this.jobsApi = true;
      return result;
    } catch (error) {
      if (error instanceof ComfyHttpError) {
        if ((error.status === 404 || error.status === 405) && !(isRecord(error.body) && 'error' in error.body)) this.jobsApi = false;
        else this.jobsApi = true;
      }
      throw error;
    }
  }

  private async upload(path: string, fields: MultipartField[], opts: CallOptions | undefined): Promise<UploadResult> {
    const { body, contentType } = encodeMultipart(fields);
    const res = await this.raw('POST', path, {}, withTimeout(opts, TRANSFER_TIMEOUT_MS), { body, contentType }, this.maxJsonBytes);
    return this.checked<UploadResult>(res, 'POST', path, (v) => isRecord(v) && typeof v.name === 'string');
  }

  private async json<T>(
    method: 'GET' | 'POST',
    path: string,
    params: Record<string, QueryValue>,
    opts: CallOptions | undefined,
    shape: (v: Record<string, unknown> | unknown) => boolean,
    body?: unknown,
  ): Promise<T> {
    const payload = body === undefined ? undefined : { body: body instanceof JsonText ? body.text : JSON.stringify(body), contentType: 'application/json' };
    const res = await this.raw(method, path, params, opts, payload, routeCap(path, this.maxJsonBytes));
    return this.checked<T>(res, method, path, shape);
  }

  private checked<T>(res: RawResponse, method: string, path: string, shape: (v: unknown) => boolean): T {
    const shown = this.redactor.url(this.url(path));
    const value = parseJson(res, shown);
    if (!shape(value)) throw new ComfyProtocolError(shown, `an unexpected answer to ${method} /${path} (${describeJson(value)})`);
    return value as T;
  }

  /** For routes whose 200 body is empty (or irrelevant). */
  private async send(method: 'POST', path: string, body: unknown, opts: CallOptions | undefined): Promise<void> {
    await this.raw(method, path, {}, opts, { body: JSON.stringify(body), contentType: 'application/json' }, 1024 * 1024);
  }

  private raw(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    params: Record<string, QueryValue>,
    opts: CallOptions | undefined,
    payload: { body: string | Buffer; contentType: string } | undefined,
    maxBytes: number,
    accept = 'application/json',
  ): Promise<RawResponse> {
    const headers: Record<string, string> = { accept, ...this.headers };
    if (payload) headers['content-type'] = payload.contentType;
    return exchange(
      { method, url: this.url(path, params), headers, ...(payload ? { body: payload.body } : {}), maxBytes, call: opts, defaultTimeoutMs: this.timeoutMs },
      this.deps,
    );
  }
}

function uploadFields(u: UploadRequest): MultipartField[] {
  const fields: MultipartField[] = [{ name: 'image', filename: u.filename, contentType: u.contentType ?? guessImageType(u.filename), data: u.data }];
  if (u.type) fields.push({ name: 'type', value: u.type });
  if (u.subfolder) fields.push({ name: 'subfolder', value: u.subfolder });
  if (u.overwrite) fields.push({ name: 'overwrite', value: 'true' });
  return fields;
}

/** Only image types: the upload routes take images, so anything else goes as opaque bytes. */
function guessImageType(filename: string): string {
  const type = mediaTypeOf(filename);
  return type.startsWith('image/') ? type : 'application/octet-stream';
}

/** A call-specific default timeout that the caller's own `timeoutMs` still overrides. */
function withTimeout(opts: CallOptions | undefined, timeoutMs: number): CallOptions {
  return { ...opts, timeoutMs: opts?.timeoutMs ?? timeoutMs };
}

function isStringArray(v: unknown): boolean {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return `an object with keys ${Object.keys(v).slice(0, 5).join(', ') || '(none)'}`;
  return `a ${typeof v}`;
}
