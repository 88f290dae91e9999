// The mock ComfyUI server: an independent implementation of ComfyUI 0.3.64's HTTP + WebSocket API (server.py,
// execution.py), checked against recordings of a real server. It never imports src/: tests of the client against it
// mean something only if the two sides were written separately.
//
//   const mock = await startMockComfy({ port: 0 });   // ephemeral port, fresh temp data dir
//   … fetch(`${mock.url}/prompt`, …) …
//   await mock.close();
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, normalize, relative, resolve, sep } from 'node:path';
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { acceptUpgrade, type WsConnection } from './ws';
import { validatePrompt, INTERNAL_ERROR_TEXT } from './validate';
import { PromptQueue, type HistoryItem, type QueueItem } from './queue';
import { Executor, type ObjectInfo, type Prompt } from './executor';
import { defaultObjectInfo } from './nodeDefs';
import { decodePng, encodeJpeg, encodePng, encodeWebp, readPngText, solidImage, type Image } from './images';
import { makeSafetensors, readSafetensorsMetadata } from './safetensors';
import { parseMultipart } from './multipart';
import { PyError, pyJsonDumps, pyStr, pyToFloat, pyToInt } from './python';
import { HTML_500, authRejected, matchesPath, syntheticNode, type Faults } from './faults';
import { JobsApi } from './jobs';

export type { Faults } from './faults';

export interface MockComfyOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number;
  host?: string;
  /** A real /object_info dump (file path or parsed object), served unchanged. Default: the mock's own node defs. */
  objectInfo?: string | object;
  /** Delay before every HTTP answer, in ms. */
  latencyMs?: number;
  /** Where input/, output/, temp/ and models/ live. Default: a fresh temp dir, removed by close(). */
  dataDir?: string;
  /** Sampler speed: ms per KSampler step (default 20). */
  msPerStep?: number;
  /** Extra time every executed node takes, in ms (default 0): long runs on demand. Not interruptible mid-node, like most real nodes. */
  nodeDelayMs?: number;
  /** Serve the [N]-only /api/jobs routes (default off, like 0.3.64). */
  jobsApi?: boolean;
  /** Model files to create under models/<folder>/ (default: one checkpoint, one LoRA, one VAE). */
  models?: Record<string, string[]>;
  /** KSampler also sends a binary TEXT frame (type 3, "step i/n") per step, like nodes using send_progress_text. */
  progressText?: boolean;
  /** Behave like `--enable-cors-header <origin>`: no origin check, CORS headers on every answer. */
  cors?: string;
  faults?: Faults;
}

export interface MockComfy {
  url: string;
  port: number;
  dataDir: string;
  dirs: { input: string; output: string; temp: string; models: string };
  close(): Promise<void>;
  setFaults(faults: Faults): void;
  faults(): Faults;
  /** The object_info the mock validates against (the dump given, or the default defs as of now). */
  objectInfo(): ObjectInfo;
  /** Resolves when the queue is empty and nothing runs. */
  idle(): Promise<void>;
  /** Number of open WebSockets. */
  socketCount(): number;
}

/** Folder names of a stock 0.3.64 (GET /models), in its order. */
const MODEL_FOLDERS = [
  'checkpoints', 'configs', 'loras', 'vae', 'text_encoders', 'diffusion_models', 'clip_vision', 'style_models',
  'embeddings', 'diffusers', 'vae_approx', 'controlnet', 'gligen', 'upscale_models', 'custom_nodes', 'hypernetworks',
  'photomaker', 'classifiers', 'model_patches', 'audio_encoders',
];
const MODEL_EXTENSIONS = new Set(['.ckpt', '.pt', '.pt2', '.bin', '.pth', '.safetensors', '.pkl', '.sft']);
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.bmp', '.tif', '.tiff']);
const DEFAULT_MODELS: Record<string, string[]> = {
  checkpoints: ['v1-5-pruned-emaonly.safetensors'],
  loras: ['example_lora.safetensors'],
  vae: ['vae-ft-mse-840000-ema-pruned.safetensors'],
};
const MAX_UPLOAD_SIZE = 100 * 1024 * 1024;
const SERVER_FEATURES = { supports_preview_metadata: true, max_upload_size: MAX_UPLOAD_SIZE };
const MIME: Record<string, string> = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif',
  '.json': 'application/json', '.txt': 'text/plain', '.mp4': 'video/mp4', '.webm': 'video/webm', '.wav': 'audio/x-wav',
  '.mp3': 'audio/mpeg', '.flac': 'audio/flac', '.svg': 'image/svg+xml', '.bmp': 'image/bmp',
};
/** Types the server forces to download instead of rendering (server.py view_image). */
const FORCED_DOWNLOAD = new Set(['text/html', 'text/html-sandboxed', 'application/xhtml+xml', 'text/javascript', 'text/css']);

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: Buffer,
    readonly headers: Record<string, string>,
  ) {}
}

function json(body: unknown, status = 200): HttpAnswer {
  return new HttpAnswer(status, Buffer.from(pyJsonDumps(body), 'utf8'), { 'Content-Type': 'application/json; charset=utf-8' });
}
function empty(status = 200): HttpAnswer {
  return new HttpAnswer(status, Buffer.alloc(0), { 'Content-Type': 'application/octet-stream' });
}
function text(status: number, body: string): HttpAnswer {
  return new HttpAnswer(status, Buffer.from(body, 'utf8'), { 'Content-Type': 'text/plain; charset=utf-8' });
}
const internalError = () => text(500, INTERNAL_ERROR_TEXT);

/** Python `key in value` for a JSON body of any type (TypeError → the server answers 500). */
function pyIn(key: string, value: unknown): boolean {
  if (typeof value === 'string') return value.includes(key);
  if (Array.isArray(value)) return value.includes(key);
  if (value !== null && typeof value === 'object') return Object.hasOwn(value, key);
  throw new PyError('TypeError', 'argument is not iterable');
}

/** Python `d.get(key)` on a JSON body (AttributeError → 500 when it is not a dict). */
function pyGet(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return (value as Record<string, unknown>)[key];
  throw new PyError('AttributeError', "object has no attribute 'get'");
}

function isLoopback(hostname: string | undefined): boolean {
  if (!hostname) return false;
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** urllib's view of a netloc: lower-cased hostname without brackets, and the port if there is one. */
function splitNetloc(netloc: string): { hostname: string | undefined; port: string | undefined } {
  const at = netloc.lastIndexOf('@');
  const hostPort = (at >= 0 ? netloc.slice(at + 1) : netloc).toLowerCase();
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!m) return { hostname: undefined, port: undefined };
  const hostname = m[1]!.replace(/^\[|\]$/g, '');
  return { hostname: hostname || undefined, port: m[2] ? m[2] : undefined };
}

/** The origin_only_middleware of server.py: true when the request must get 403 (Origin ≠ Host on loopback). */
export function originRejected(hostHeader: string | undefined, origin: string | undefined): boolean {
  if (hostHeader === undefined || origin === undefined) return false;
  let hostDomain: string | undefined = hostHeader.toLowerCase();
  const originNetloc = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(origin)?.[1] ?? '';
  let originDomain: string | undefined = originNetloc.toLowerCase();
  const originParts = splitNetloc(originNetloc);
  const hostParts = splitNetloc(hostHeader);
  const loopback = isLoopback(hostParts.hostname);
  if (originParts.port === undefined) hostDomain = hostParts.hostname;
  if (hostParts.port === undefined) originDomain = originParts.hostname;
  return loopback && !!hostDomain && !!originDomain && hostDomain !== originDomain;
}

/** Key order of body.prompt as written in the JSON text (JSON.parse moves integer-like keys first). */
function promptKeyOrder(raw: string): string[] | undefined {
  try {
    const root = parseTree(raw);
    const prop = root?.type === 'object' ? root.children?.find((p: JsonNode) => p.children?.[0]?.value === 'prompt') : undefined;
    const obj = prop?.children?.[1];
    if (obj?.type !== 'object') return undefined;
    return (obj.children ?? []).map((p: JsonNode) => String(p.children?.[0]?.value));
  } catch {
    return undefined;
  }
}

/** Key order of each queued prompt as the client wrote it, for serializing it back in that order. */
const promptOrders = new WeakMap<object, string[]>();

/** A queue item ready for pyJsonDumps: the prompt as a Map in the client's key order. */
function wireItem(item: QueueItem): unknown[] {
  const [number, id, prompt, extra, outputs] = item;
  const order = promptOrders.get(prompt) ?? Object.keys(prompt);
  return [number, id, new Map(order.filter((k) => Object.hasOwn(prompt, k)).map((k) => [k, prompt[k]])), extra, outputs];
}

function wireHistory(h: HistoryItem): Record<string, unknown> {
  return { prompt: wireItem(h.prompt), outputs: h.outputs, status: h.status, meta: h.meta };
}

interface SocketEntry {
  conn: WsConnection;
  flags: Record<string, unknown>;
}

export async function startMockComfy(options: MockComfyOptions = {}): Promise<MockComfy> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = resolve(options.dataDir ?? mkdtempSync(join(tmpdir(), 'mock-comfyui-')));
  const dirs = { input: join(dataDir, 'input'), output: join(dataDir, 'output'), temp: join(dataDir, 'temp'), models: join(dataDir, 'models') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  // The real server empties temp/ at start-up.
  rmSync(dirs.temp, { recursive: true, force: true });
  mkdirSync(dirs.temp, { recursive: true });
  seedDataDir(dirs, options.models ?? (ownsDataDir ? DEFAULT_MODELS : {}));

  let faults: Faults = {};
  // A dump given by the caller is served byte for byte; the default defs are rebuilt per request like the server's.
  let dumpText: string | undefined;
  let dump: ObjectInfo | undefined;
  if (typeof options.objectInfo === 'string') {
    dumpText = readFileSync(options.objectInfo, 'utf8');
    dump = JSON.parse(dumpText) as ObjectInfo;
  } else if (options.objectInfo) {
    dump = options.objectInfo as ObjectInfo;
  }
  const objectInfo = (): ObjectInfo => dump ?? defaultObjectInfo({ inputFiles: listInputImages(dirs.input), models: listModels(dirs.models) });

  const sockets = new Map<string, SocketEntry>();
  let currentClientId: string | null = null;
  let lastNodeId: string | null = null;
  let droppedThisRun = false;
  let counter = 0;
  const flags: { unload_models?: boolean; free_memory?: boolean } = {};

  const sendText = (type: string, data: unknown, target: string | null) => {
    if (faults.silentSocket) return;
    const msg = pyJsonDumps({ type, data });
    if (target === null) for (const s of sockets.values()) s.conn.sendText(msg);
    else sockets.get(target)?.conn.sendText(msg);
  };
  const queueInfo = () => ({ exec_info: { queue_remaining: queue.remaining() } });
  const queue = new PromptQueue(() => sendText('status', { status: queueInfo() }, null));

  const executor = new Executor({
    dirs,
    objectInfo,
    msPerStep: () => options.msPerStep ?? 20,
    nodeDelayMs: () => options.nodeDelayMs ?? 0,
    failingClass: (cls) => {
      const f = faults.failClasses?.[cls];
      if (f === undefined) return undefined;
      return typeof f === 'string' ? { message: f, type: 'Exception' } : { message: f.message, type: f.type ?? 'Exception' };
    },
    outputTweaks: () => ({ hugeImage: faults.hugeImage, hostileFilenames: faults.hostileFilenames }),
    send: (type, data, target) => sendText(type, data, target),
    previewsWithMetadata: (clientId) => clientId !== null && sockets.get(clientId)?.flags['supports_preview_metadata'] === true,
    sendPreview: (jpeg, meta, target) => {
      if (faults.silentSocket) return;
      let frame: Buffer;
      if (meta) {
        const metaBuf = Buffer.from(pyJsonDumps(meta), 'utf8');
        frame = Buffer.concat([u32(4), u32(metaBuf.length), metaBuf, jpeg]);
      } else {
        frame = Buffer.concat([u32(1), u32(1), jpeg]);
      }
      const targets = target === null ? [...sockets.values()] : [sockets.get(target)].filter((s): s is SocketEntry => !!s);
      for (const s of targets) {
        s.conn.sendBinary(frame);
        if (faults.malformedBinary) {
          s.conn.sendBinary(Buffer.from([0, 0])); // shorter than the event type
          s.conn.sendBinary(Buffer.concat([u32(4), u32(1_000_000), Buffer.from('{"node_id"')])); // lying length
          s.conn.sendBinary(Buffer.concat([u32(1), u32(7), Buffer.from('not an image')])); // unknown format
        }
      }
    },
    sendProgressText: (nodeId, message, target) => {
      if (!options.progressText || faults.silentSocket) return;
      const id = Buffer.from(nodeId, 'utf8');
      const frame = Buffer.concat([u32(3), u32(id.length), id, Buffer.from(message, 'utf8')]);
      if (target === null) for (const s of sockets.values()) s.conn.sendBinary(frame);
      else sockets.get(target)?.conn.sendBinary(frame);
    },
    setLastNode: (id) => {
      lastNodeId = id;
      // dropSockets: the first node of each run starts, and every socket is cut (with or without a client_id).
      if (id !== null && faults.dropSockets && !droppedThisRun) {
        droppedThisRun = true;
        for (const s of [...sockets.values()]) s.conn.destroy();
      }
    },
  });

  // The prompt worker: one prompt at a time, like main.py's prompt_worker thread.
  let working = false;
  const idleWaiters: Array<() => void> = [];
  const work = async () => {
    if (working) return;
    working = true;
    try {
      for (;;) {
        const next = queue.get();
        if (!next) break;
        const { taskId, item } = next;
        const [, promptId, prompt, extraData, outputs] = item;
        currentClientId = typeof extraData['client_id'] === 'string' ? (extraData['client_id'] as string) : null;
        droppedThisRun = false;
        let result;
        try {
          result = await executor.execute({ promptId, prompt: prompt as Prompt, extraData, outputs, keyOrder: promptOrders.get(prompt) });
        } catch (e) {
          result = {
            status: { status_str: 'error' as const, completed: false, messages: [['execution_error', { prompt_id: promptId, exception_message: String(e), timestamp: Date.now() }]] as Array<[string, Record<string, unknown>]> },
            outputs: new Map(),
            meta: new Map(),
          };
        }
        queue.taskDone(taskId, { outputs: result.outputs, meta: result.meta }, result.status);
        if (currentClientId !== null) sendText('executing', { node: null, prompt_id: promptId }, currentClientId);
        if (flags.free_memory) executor.clearCache();
        flags.free_memory = false;
        flags.unload_models = false;
      }
    } finally {
      working = false;
      if (queue.remaining() === 0) for (const w of idleWaiters.splice(0)) w();
    }
  };
  const kick = () => setImmediate(() => void work());

  const jobs = new JobsApi(queue, () => executor.interrupt(), () => options.jobsApi === true);

  const setFaults = (f: Faults) => {
    faults = { ...f };
    if (f.syntheticHistory) addSyntheticHistory(queue, f.syntheticHistory);
  };
  setFaults(options.faults ?? {});

  // ---------------------------------------------------------------------------------------------------------------
  // Routes. Every core route also answers under /api (server.py add_routes); /internal and /__mock do not.

  const routeCore = async (method: string, path: string, url: URL, req: IncomingMessage, body: Buffer): Promise<HttpAnswer> => {
    const q = url.searchParams;
    const parseJson = (): unknown => {
      try {
        return JSON.parse(body.toString('utf8'));
      } catch {
        throw new PyError('JSONDecodeError', 'Expecting value');
      }
    };

    if (path === '/ws' && method === 'GET') {
      // What aiohttp's WebSocketResponse.prepare answers to a plain GET.
      return text(400, 'No WebSocket UPGRADE hdr: None\n Can "Upgrade" only to "WebSocket".');
    }
    if (path === '/' && method === 'GET') {
      return new HttpAnswer(200, Buffer.from('<!DOCTYPE html><html><head><title>ComfyUI (mock)</title></head><body>mock-comfyui</body></html>'), { 'Content-Type': 'text/html', 'Cache-Control': 'no-cache' });
    }
    if (path === '/embeddings' && method === 'GET') {
      return json(listFiles(join(dirs.models, 'embeddings'), MODEL_EXTENSIONS).map((f) => f.slice(0, f.length - extname(f).length)));
    }
    if (path === '/models' && method === 'GET') return json(MODEL_FOLDERS);
    const modelsMatch = /^\/models\/([^/]+)$/.exec(path);
    if (modelsMatch && method === 'GET') {
      const folder = decodeURIComponent(modelsMatch[1]!);
      if (!MODEL_FOLDERS.includes(folder)) return empty(404);
      return json(listFiles(join(dirs.models, folder), MODEL_EXTENSIONS));
    }
    if (path === '/extensions' && method === 'GET') return json([]);
    if ((path === '/upload/image' || path === '/upload/mask') && method === 'POST') return upload(path === '/upload/mask', req, body);
    if (path === '/view' && method === 'GET') return view(q);
    const metaMatch = /^\/view_metadata\/([^/]+)$/.exec(path);
    if (metaMatch && method === 'GET') {
      const filename = q.get('filename');
      if (filename === null || !filename.endsWith('.safetensors')) return empty(404);
      const folder = decodeURIComponent(metaMatch[1]!);
      if (!MODEL_FOLDERS.includes(folder)) return empty(404);
      const full = join(dirs.models, folder, relative('/', join('/', filename)));
      if (!existsSync(full) || !statSync(full).isFile()) return empty(404);
      const meta = readSafetensorsMetadata(full);
      return meta ? json(meta) : empty(404);
    }
    if (path === '/system_stats' && method === 'GET') return json(systemStats(port));
    if (path === '/features' && method === 'GET') return json(SERVER_FEATURES);
    if (path === '/prompt' && method === 'GET') return json(queueInfo());
    if (path === '/prompt' && method === 'POST') return postPrompt(body);
    if (path === '/object_info' && method === 'GET') {
      if (faults.hugeObjectInfo) {
        const big: Record<string, unknown> = { ...objectInfo() };
        for (let i = 0; i < faults.hugeObjectInfo; i++) big[`MockSynthetic${String(i).padStart(5, '0')}`] = syntheticNode(i);
        return json(big);
      }
      if (dumpText !== undefined) return new HttpAnswer(200, Buffer.from(dumpText, 'utf8'), { 'Content-Type': 'application/json; charset=utf-8' });
      return json(objectInfo());
    }
    const classMatch = /^\/object_info\/(.+)$/.exec(path);
    if (classMatch && method === 'GET') {
      const cls = decodeURIComponent(classMatch[1]!);
      const info = objectInfo();
      return json(Object.hasOwn(info, cls) ? { [cls]: info[cls] } : {});
    }
    if (path === '/history' && method === 'GET') {
      const maxItems = q.get('max_items');
      const offset = q.get('offset');
      const entries = queue.getHistory(maxItems === null ? undefined : pyToInt(maxItems), offset === null ? -1 : pyToInt(offset));
      return json(new Map(entries.map(([k, h]) => [k, wireHistory(h)])));
    }
    const histMatch = /^\/history\/(.+)$/.exec(path);
    if (histMatch && method === 'GET') {
      const id = decodeURIComponent(histMatch[1]!);
      const item = queue.history.get(id);
      return json(item ? new Map([[id, wireHistory(item)]]) : {});
    }
    if (path === '/history' && method === 'POST') {
      const data = parseJson();
      if (pyIn('clear', data) && (data as Record<string, unknown>)['clear']) queue.wipeHistory();
      if (pyIn('delete', data)) for (const id of iterate((data as Record<string, unknown>)['delete'])) queue.deleteHistory(id);
      return empty();
    }
    if (path === '/queue' && method === 'GET') {
      return json({ queue_running: [...queue.running.values()].map(wireItem), queue_pending: queue.pending.map(wireItem) });
    }
    if (path === '/queue' && method === 'POST') {
      const data = parseJson();
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
      const data = parseJson();
      if (pyGet(data, 'unload_models')) flags.unload_models = true;
      if (pyGet(data, 'free_memory')) flags.free_memory = true;
      if (!working && flags.free_memory) {
        executor.clearCache();
        flags.free_memory = false;
      }
      return empty();
    }
    return knownPathWrongMethod(path) ? methodNotAllowed() : notFound();
  };

  const postPrompt = (body: Buffer): HttpAnswer => {
    const raw = body.toString('utf8');
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      return internalError();
    }
    let number: number;
    if (pyIn('number', data)) {
      number = pyToFloat((data as Record<string, unknown>)['number']);
    } else {
      number = counter;
      if (pyIn('front', data) && (data as Record<string, unknown>)['front']) number = -number;
      counter++;
    }
    if (!pyIn('prompt', data)) {
      return json({ error: { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} }, node_errors: {} }, 400);
    }
    const d = data as Record<string, unknown>;
    const promptId = Object.hasOwn(d, 'prompt_id') ? pyStr(d['prompt_id']) : randomUUID();
    const info = objectInfo();
    const result = validatePrompt(d['prompt'], info, {
      keyOrder: promptKeyOrder(raw),
      partialExecutionTargets: d['partial_execution_targets'],
      promptId,
      number,
      fileExists: (cls, input, value) => loaderFileExists(dirs, info, cls, input, value),
    });
    if (result.status === 500) return internalError();
    let extraData: Record<string, unknown> = {};
    if (Object.hasOwn(d, 'extra_data')) extraData = d['extra_data'] as Record<string, unknown>;
    if (Object.hasOwn(d, 'client_id')) {
      if (extraData === null || typeof extraData !== 'object' || Array.isArray(extraData)) return internalError();
      extraData['client_id'] = d['client_id'];
    }
    if (result.status !== 200) return json(result.body, 400);
    if (jobs.enabled()) extraData['create_time'] = Date.now();
    const keyOrder = promptKeyOrder(raw);
    if (keyOrder) promptOrders.set(result.prompt!, keyOrder);
    queue.put([number, promptId, result.prompt!, extraData, result.outputs!] as QueueItem);
    kick();
    return json(result.body);
  };

  const upload = (isMask: boolean, req: IncomingMessage, body: Buffer): HttpAnswer => {
    const parts = parseMultipart(body, req.headers['content-type']);
    if (!parts) return internalError();
    const field = (name: string) => parts.find((p) => p.name === name && p.filename === undefined)?.data.toString('utf8');
    const image = parts.find((p) => p.name === 'image' && p.filename !== undefined);
    const overwrite = field('overwrite');
    const typeField = field('type');
    const type = typeField ?? 'input';
    if (type !== 'input' && type !== 'temp' && type !== 'output') return internalError();
    const uploadDir = dirs[type];
    if (!image) return empty(400);
    let filename = image.filename!;
    if (!filename) return empty(400);
    const subfolder = field('subfolder') ?? '';
    const folder = resolve(uploadDir, normalize(subfolder || '.'));
    let filepath = resolve(folder, filename);
    if (filepath !== uploadDir && !filepath.startsWith(uploadDir + sep)) return empty(400);
    mkdirSync(folder, { recursive: true });
    const ext = extname(filename);
    const stem = filename.slice(0, filename.length - ext.length);
    let duplicate = false;
    if (!(overwrite === 'true' || overwrite === '1')) {
      // Same name: reuse it when the bytes are identical, else try "name (1).ext", "name (2).ext", …
      for (let i = 1; existsSync(filepath); i++) {
        if (sha256(readFileSync(filepath)) === sha256(image.data)) {
          duplicate = true;
          break;
        }
        filename = `${stem} (${i})${ext}`;
        filepath = join(folder, filename);
      }
    }
    if (!duplicate) {
      if (isMask) {
        const refText = field('original_ref');
        if (refText === undefined) return internalError();
        let ref: Record<string, unknown>;
        try {
          ref = JSON.parse(refText) as Record<string, unknown>;
        } catch {
          return internalError();
        }
        // server.py ignores the answers of this inner function: a bad ref silently writes nothing (still 200).
        const original = resolveRef(dirs, ref);
        if (original) {
          try {
            const orig = decodePng(readFileSync(original));
            const mask = decodePng(image.data);
            const meta = readPngText(readFileSync(original));
            for (let i = 0; i < orig.width * orig.height; i++) {
              const x = i % orig.width;
              const y = Math.floor(i / orig.width);
              orig.data[i * 4 + 3] = x < mask.width && y < mask.height ? mask.data[(y * mask.width + x) * 4 + 3]! : 0;
            }
            writeFileSync(filepath, encodePng(orig, { text: meta }));
          } catch {
            return internalError();
          }
        }
      } else {
        writeFileSync(filepath, image.data);
      }
    }
    return json({ name: filename, subfolder, type });
  };

  const view = (q: URLSearchParams): HttpAnswer => {
    const rawName = q.get('filename');
    if (rawName === null) return empty(404);
    let filename = rawName;
    let dir: string | undefined;
    for (const t of ['output', 'input', 'temp'] as const) {
      if (rawName.endsWith(`[${t}]`)) {
        filename = rawName.slice(0, -(t.length + 3));
        dir = dirs[t];
        break;
      }
    }
    if (!filename) return empty(400);
    if (filename[0] === '/' || filename.includes('..')) return empty(400);
    if (dir === undefined) {
      const type = q.get('type') ?? 'output';
      if (type !== 'output' && type !== 'input' && type !== 'temp') return empty(400);
      dir = dirs[type];
    }
    const subfolder = q.get('subfolder');
    if (subfolder !== null) {
      const full = resolve(dir, subfolder);
      if (full !== dir && !full.startsWith(dir + sep)) return empty(403);
      dir = full;
    }
    const name = basename(filename);
    const file = join(dir, name);
    if (!existsSync(file) || !statSync(file).isFile()) return empty(404);
    const disposition = { 'Content-Disposition': `filename="${name}"` };
    const preview = q.get('preview');
    const channel = q.get('channel') ?? 'rgba';
    const loadImage = (): Image => decodePng(readFileSync(file));
    if (preview !== null) {
      const info = preview.split(';');
      let format = info[0]!;
      if ((format !== 'webp' && format !== 'jpeg') || (q.get('channel') ?? '').includes('a')) format = 'webp';
      let img = loadImage();
      if (format === 'jpeg' || q.get('channel') === 'rgb') img = opaque(img);
      const out = format === 'jpeg' ? encodeJpeg(img) : encodeWebp(img);
      return new HttpAnswer(200, out, { 'Content-Type': `image/${format}`, ...disposition });
    }
    if (channel === 'rgb') return new HttpAnswer(200, encodePng(loadImage(), { rgb: true }), { 'Content-Type': 'image/png', ...disposition });
    if (channel === 'a') {
      const img = loadImage();
      const data = new Uint8Array(img.data.length);
      for (let i = 3; i < data.length; i += 4) data[i] = img.data[i]!;
      return new HttpAnswer(200, encodePng({ ...img, data }), { 'Content-Type': 'image/png', ...disposition });
    }
    let contentType = MIME[extname(name).toLowerCase()] ?? (extname(name).toLowerCase() === '.html' ? 'text/html' : 'application/octet-stream');
    if (FORCED_DOWNLOAD.has(contentType)) contentType = 'application/octet-stream';
    return new HttpAnswer(200, readFileSync(file), { 'Content-Type': contentType, ...disposition });
  };

  const routeInternal = (method: string, path: string): HttpAnswer => {
    if (path === '/internal/folder_paths' && method === 'GET') {
      return json(Object.fromEntries(MODEL_FOLDERS.map((f) => [f, [join(dirs.models, f)]])));
    }
    const filesMatch = /^\/internal\/files\/([^/]+)$/.exec(path);
    if (filesMatch && method === 'GET') {
      const type = filesMatch[1]!;
      if (type !== 'input' && type !== 'output' && type !== 'temp') return json({ error: 'Invalid directory type' }, 400);
      const dir = dirs[type];
      const files = readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile());
      files.sort((a, b) => statSync(join(dir, b)).mtimeMs - statSync(join(dir, a)).mtimeMs);
      return json(files);
    }
    if (path === '/internal/logs' && method === 'GET') return json('');
    if (path === '/internal/logs/raw' && method === 'GET') return json({ entries: [], size: { cols: 80, rows: 24 } });
    return notFound();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://mock');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    if (body.length > MAX_UPLOAD_SIZE) {
      // aiohttp's client_max_size (--max-upload-size, 100 MB by default).
      const tooBig = text(413, `Maximum request body size ${MAX_UPLOAD_SIZE} exceeded, actual body size ${body.length}`);
      res.writeHead(413, { ...tooBig.headers, 'Content-Length': String(tooBig.body.length) });
      res.end(tooBig.body);
      return;
    }
    const delay = (options.latencyMs ?? 0) + (faults.latencyMs ?? 0);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));

    let answer: HttpAnswer;
    if (path === '/__mock/faults') {
      if (method === 'POST') {
        try {
          setFaults(JSON.parse(body.toString('utf8') || '{}') as Faults);
          answer = json(faults);
        } catch {
          answer = json({ error: 'invalid JSON' }, 400);
        }
      } else answer = json(faults);
    } else if (authRejected(faults.requireAuth, path, req.headers, url.searchParams)) {
      answer = new HttpAnswer(401, Buffer.from('401: Unauthorized'), { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer' });
    } else if (!options.cors && originRejected(req.headers.host, req.headers.origin)) {
      answer = empty(403);
    } else if (method === 'OPTIONS') {
      answer = empty(200);
    } else if (matchesPath(faults.html500, path)) {
      answer = new HttpAnswer(500, Buffer.from(HTML_500), { 'Content-Type': 'text/html; charset=utf-8' });
    } else {
      try {
        if (path.startsWith('/api/jobs') && jobs.enabled()) {
          const a = jobs.route(method, path, url.searchParams, body);
          answer = a ? json(a.body, a.status) : notFound();
        } else if (path.startsWith('/internal/')) answer = routeInternal(method, path);
        // aiohttp answers HEAD on every GET route.
        else answer = await routeCore(method === 'HEAD' ? 'GET' : method, path.startsWith('/api/') ? path.slice(4) : path, url, req, body);
      } catch (e) {
        if (!(e instanceof PyError)) console.error('mock-comfyui: handler failed', e);
        answer = internalError();
      }
    }
    let out = answer.body;
    if (matchesPath(faults.truncatedJson, path) && answer.headers['Content-Type']?.startsWith('application/json')) {
      out = out.subarray(0, Math.max(1, Math.floor(out.length / 2)));
    }
    const headers: Record<string, string> = { ...answer.headers, 'Content-Length': String(out.length) };
    if (options.cors) {
      headers['Access-Control-Allow-Origin'] = options.cors;
      headers['Access-Control-Allow-Methods'] = 'POST, GET, DELETE, PUT, OPTIONS';
      headers['Access-Control-Allow-Headers'] = 'Content-Type, Authorization';
      headers['Access-Control-Allow-Credentials'] = 'true';
    }
    res.writeHead(answer.status, headers);
    res.end(method === 'HEAD' ? undefined : out);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://mock');
    const path = url.pathname.startsWith('/api/') ? url.pathname.slice(4) : url.pathname;
    if (path === '/ws' && authRejected(faults.requireAuth, path, req.headers, url.searchParams)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    if (path !== '/ws' || (!options.cors && originRejected(req.headers.host, req.headers.origin))) {
      socket.end(`HTTP/1.1 ${path === '/ws' ? '403 Forbidden' : '404 Not Found'}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    const conn = acceptUpgrade(req, socket, head);
    if (!conn) return;
    let sid = url.searchParams.get('clientId') ?? '';
    // A reused clientId replaces the old socket in the map without closing it.
    if (!sid) sid = randomUUID().replaceAll('-', '');
    const entry: SocketEntry = { conn, flags: {} };
    sockets.set(sid, entry);
    let first = true;
    conn.onMessage = (m) => {
      if (!('text' in m)) return;
      let data: unknown;
      try {
        data = JSON.parse(m.text);
      } catch {
        return; // logged and ignored by the server; it does not count as the first message
      }
      if (first && data && typeof data === 'object' && (data as Record<string, unknown>)['type'] === 'feature_flags') {
        const f = (data as Record<string, unknown>)['data'];
        entry.flags = f && typeof f === 'object' ? (f as Record<string, unknown>) : {};
        if (!faults.silentSocket) conn.sendText(pyJsonDumps({ type: 'feature_flags', data: SERVER_FEATURES }));
      }
      first = false;
    };
    // server.py pops the sid when the handler ends, even when a newer socket has taken the id since: the newer
    // socket then stops receiving. Reproduced on purpose: a client must close its old socket before reconnecting.
    conn.onClose = () => {
      sockets.delete(sid);
    };
    if (faults.silentSocket) return;
    conn.sendText(pyJsonDumps({ type: 'status', data: { status: queueInfo(), sid } }));
    if (currentClientId === sid && lastNodeId !== null) conn.sendText(pyJsonDumps({ type: 'executing', data: { node: lastNodeId } }));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      console.error('mock-comfyui: request failed', e);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(INTERNAL_ERROR_TEXT);
    });
  });
  server.on('upgrade', onUpgrade);
  // aiohttp keeps idle connections 75 s. Node's 5 s default races clients that reuse a connection after a slow run.
  server.keepAliveTimeout = 75_000;
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolvePromise());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    dataDir,
    dirs,
    setFaults,
    faults: () => ({ ...faults }),
    objectInfo,
    socketCount: () => sockets.size,
    idle: () =>
      queue.remaining() === 0 && !working ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r)),
    close: async () => {
      executor.interrupt();
      queue.wipe();
      for (const s of sockets.values()) s.conn.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      // Let the node now running finish first, or it would write into (and re-create) the removed data dir.
      if (working) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((r) => idleWaiters.push(r)),
          new Promise<void>((r) => (timer = setTimeout(r, 10000))),
        ]);
        clearTimeout(timer);
      }
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// -----------------------------------------------------------------------------------------------------------------

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

function opaque(img: Image): Image {
  const data = new Uint8Array(img.data);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { ...img, data };
}

function iterate(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (v && typeof v === 'object') return Object.keys(v);
  throw new PyError('TypeError', 'object is not iterable');
}

const notFound = () => text(404, '404: Not Found');
const methodNotAllowed = () => text(405, '405: Method Not Allowed');

function knownPathWrongMethod(path: string): boolean {
  return /^\/(embeddings|models|models\/[^/]+|extensions|upload\/image|upload\/mask|view|view_metadata\/[^/]+|system_stats|features|prompt|object_info|object_info\/.+|history|history\/.+|queue|interrupt|free)$/.test(path);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function listFiles(dir: string, exts: Set<string>): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (exts.has(extname(name).toLowerCase())) out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

function listInputImages(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase()) && statSync(join(dir, f)).isFile()).sort();
}

function listModels(modelsDir: string): Record<string, string[]> {
  return Object.fromEntries(MODEL_FOLDERS.map((f) => [f, listFiles(join(modelsDir, f), MODEL_EXTENSIONS)]));
}

function seedDataDir(dirs: { input: string; models: string }, models: Record<string, string[]>): void {
  for (const [folder, names] of Object.entries(models)) {
    for (const name of names) {
      const file = join(dirs.models, folder, name);
      mkdirSync(resolve(file, '..'), { recursive: true });
      if (!existsSync(file)) {
        writeFileSync(file, makeSafetensors({ 'modelspec.title': name, 'modelspec.architecture': 'mock', 'ss_base_model_version': 'sd_v1' }));
      }
    }
  }
  const example = join(dirs.input, 'example.png');
  if (!existsSync(example)) {
    const img = solidImage(64, 64, 0x3366cc);
    for (let y = 16; y < 48; y++) for (let x = 16; x < 48; x++) img.data.set([240, 200, 40, 255], (y * 64 + x) * 4);
    writeFileSync(example, encodePng(img));
  }
}

/** folder_paths.exists_annotated_filepath for the loaders, plus the names the served dump lists. */
function loaderFileExists(dirs: { input: string; output: string; temp: string }, info: ObjectInfo, cls: string, input: string, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  let name = value;
  let dir = dirs.input;
  for (const t of ['output', 'input', 'temp'] as const) {
    if (value.endsWith(`[${t}]`)) {
      name = value.slice(0, -(t.length + 3));
      dir = dirs[t];
    }
  }
  const full = resolve(dir, name);
  if (full.startsWith(dir + sep) && existsSync(full)) return true;
  const spec = (info[cls]?.['input'] as Record<string, Record<string, unknown[]>> | undefined)?.['required']?.[input];
  const options = Array.isArray(spec?.[0]) ? (spec[0] as unknown[]) : ((spec?.[1] as Record<string, unknown> | undefined)?.['options'] as unknown[] | undefined);
  return Array.isArray(options) && options.includes(value);
}

function resolveRef(dirs: { input: string; output: string; temp: string }, ref: Record<string, unknown>): string | undefined {
  let filename = String(ref['filename'] ?? '');
  let dir: string | undefined;
  for (const t of ['output', 'input', 'temp'] as const) {
    if (filename.endsWith(`[${t}]`)) {
      filename = filename.slice(0, -(t.length + 3));
      dir = dirs[t];
    }
  }
  if (!filename || filename[0] === '/' || filename.includes('..')) return undefined;
  if (dir === undefined) {
    const type = String(ref['type'] ?? 'output');
    if (type !== 'output' && type !== 'input' && type !== 'temp') return undefined;
    dir = dirs[type];
  }
  const sub = String(ref['subfolder'] ?? '');
  if (sub !== '') {
    const full = resolve(dir, sub);
    if (full !== dir && !full.startsWith(dir + sep)) return undefined;
    dir = full;
  }
  const file = join(dir, filename);
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

function systemStats(port: number): Record<string, unknown> {
  const total = 17179869184;
  return {
    system: {
      os: 'posix',
      ram_total: total,
      ram_free: 12884901888,
      comfyui_version: '0.3.64',
      required_frontend_version: '1.27.10',
      installed_templates_version: '0.1.95',
      required_templates_version: '0.1.95',
      python_version: '3.11.2 (main, Apr 28 2025, 14:11:48) [GCC 12.2.0]',
      pytorch_version: '2.8.0+cpu',
      embedded_python: false,
      argv: ['main.py', '--cpu', '--listen', '127.0.0.1', '--port', String(port)],
    },
    devices: [{ name: 'cpu', type: 'cpu', index: null, vram_total: total, vram_free: 12884901888, torch_vram_total: total, torch_vram_free: 12884901888 }],
  };
}

function addSyntheticHistory(queue: PromptQueue, n: number): void {
  const now = Date.now() - n * 1000;
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    const prompt = {
      '1': { class_type: 'EmptyImage', inputs: { width: 64, height: 64, batch_size: 1, color: i % 0xffffff } },
      '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'synthetic' } },
    };
    const ts = now + i * 1000;
    const item: HistoryItem = {
      prompt: [i, id, prompt, { client_id: 'synthetic' }, ['2']],
      outputs: { '2': { images: [{ filename: `synthetic_${String(i + 1).padStart(5, '0')}_.png`, subfolder: '', type: 'output' }] } },
      status: {
        status_str: 'success',
        completed: true,
        messages: [
          ['execution_start', { prompt_id: id, timestamp: ts }],
          ['execution_cached', { nodes: [], prompt_id: id, timestamp: ts }],
          ['execution_success', { prompt_id: id, timestamp: ts + 10 }],
        ],
      },
      meta: { '2': { node_id: '2', display_node: '2', parent_node: null, real_node_id: '2' } },
    };
    if (queue.history.size > 10000) queue.history.delete(queue.history.keys().next().value!);
    queue.history.set(id, item);
  }
}
