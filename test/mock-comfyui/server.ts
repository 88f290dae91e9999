// The mock ComfyUI server: an independent implementation of ComfyUI's HTTP + WebSocket API (server.py,
// execution.py) as of 0.3.64 or 0.33.0 (`comfyVersion`, default the newer), checked against recordings of real
// servers. It never imports src/: tests of the client against it mean something only if the two sides were written
// separately.
//
//   const mock = await startMockComfy({ port: 0 });   // ephemeral port, fresh temp data dir
//   … fetch(`${mock.url}/prompt`, …) …
//   await mock.close();
//
// This file holds the request pipeline (body cap, latency, auth, origin and cross-site checks, CORS, faults) and the
// prompt worker; the routes live in routes/ (one module per family, listed in routes/index.ts), the WebSocket side
// in sockets.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { INTERNAL_ERROR_TEXT } from './validate';
import { PromptQueue, type HistoryItem } from './queue';
import { Executor, type ObjectInfo, type Prompt } from './executor';
import { defaultObjectInfo } from './nodeDefs';
import { PyError } from './python';
import { HTML_500, authRejected, matchesPath, type Faults } from './faults';
import { JobsApi } from './jobs';
import { DEFAULT_MODELS, listInputImages, listModels, seedDataDir } from './files';
import { HttpAnswer, bare, empty, internalError, json, methodNotAllowed, notFound, readBody, text, u32 } from './http';
import { crossSiteRejected, originRejected } from './origin';
import { SocketHub, previewFrame, progressTextFrame } from './sockets';
import { DEFAULT_COMFY_VERSION, DEFAULT_NODE_REPLACEMENTS, MAX_UPLOAD_SIZE, type ComfyVersion } from './versions';
import type { MockComfyOptions, MockContext, MockRequest } from './context';
import { ROUTE_FAMILIES } from './routes';
import { createMockManager, type MockManager } from './manager';
import { createMockAssets, type MockAssets } from './assets';

export type { Faults } from './faults';
export type { MockComfyOptions } from './context';
export type { ComfyVersion } from './versions';
export { originRejected } from './origin';

export interface MockComfy {
  url: string;
  port: number;
  /** The version served. */
  comfyVersion: ComfyVersion;
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
  /** ComfyUI-Manager's routes (enabled only with the `manager` option; `setEnabled` switches them). */
  manager: MockManager;
  /** Model downloads through the assets API (0.33; enabled with the `assets` option; `setEnabled` switches them). */
  assets: MockAssets;
}

function readJsonOption(value: string | object | undefined): { text?: string; parsed?: unknown } {
  if (typeof value === 'string') {
    const t = readFileSync(value, 'utf8');
    return { text: t, parsed: JSON.parse(t) };
  }
  return { parsed: value };
}

export async function startMockComfy(options: MockComfyOptions = {}): Promise<MockComfy> {
  const version = options.comfyVersion ?? DEFAULT_COMFY_VERSION;
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
  const dumpOption = readJsonOption(options.objectInfo);
  const dump = dumpOption.parsed as ObjectInfo | undefined;
  const objectInfo = (): ObjectInfo => dump ?? defaultObjectInfo({ inputFiles: listInputImages(dirs.input), models: listModels(dirs.models) });
  const replacements = (readJsonOption(options.nodeReplacements).parsed as Record<string, unknown> | undefined) ?? DEFAULT_NODE_REPLACEMENTS;

  const hub = new SocketHub({ version, assets: () => assets.enabled(), cors: options.cors, faults: () => faults, queueInfo: () => queueInfo() });
  // Download progress goes to every client, like the server's send_sync(event, data) without a sid.
  const assets = createMockAssets(dirs.models, options.assets, version !== '0.3.64', (event, data) => hub.sendText(event, data, null));
  let droppedThisRun = false;
  let counter = 0;
  const queueInfo = () => ({ exec_info: { queue_remaining: queue.remaining() } });
  const queue = new PromptQueue(() => hub.sendText('status', { status: queueInfo() }, null));

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
    send: (type, data, target) => hub.sendText(type, data, target),
    previewsWithMetadata: (clientId) => hub.wantsPreviewMetadata(clientId),
    sendPreview: (jpeg, meta, target) => {
      hub.sendBinary(previewFrame(jpeg, meta), target, (conn) => {
        if (!faults.malformedBinary) return;
        conn.sendBinary(Buffer.from([0, 0])); // shorter than the event type
        conn.sendBinary(Buffer.concat([u32(4), u32(1_000_000), Buffer.from('{"node_id"')])); // lying length
        conn.sendBinary(Buffer.concat([u32(1), u32(7), Buffer.from('not an image')])); // unknown format
      });
    },
    sendProgressText: (nodeId, message, target) => {
      if (options.progressText) hub.sendBinary(progressTextFrame(nodeId, message), target);
    },
    sendNodeText: (nodeId, message, target) => hub.sendBinary(progressTextFrame(nodeId, message), target),
    setLastNode: (id) => {
      hub.lastNodeId = id;
      // dropSockets: the first node of each run starts, and every socket is cut (with or without a client_id).
      if (id !== null && faults.dropSockets && !droppedThisRun) {
        droppedThisRun = true;
        hub.destroyAll();
      }
    },
  });

  const promptOrders = new WeakMap<object, string[]>();
  const memoryFlags: { unload_models?: boolean; free_memory?: boolean } = {};

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
        hub.currentClientId = typeof extraData['client_id'] === 'string' ? (extraData['client_id'] as string) : null;
        droppedThisRun = false;
        let result;
        try {
          result = await executor.execute({ promptId, prompt: prompt as Prompt, extraData, outputs, keyOrder: promptOrders.get(prompt) });
        } catch (e) {
          result = {
            status: {
              status_str: 'error' as const,
              completed: false,
              messages: [['execution_error', { prompt_id: promptId, exception_message: String(e), timestamp: Date.now() }]] as Array<
                [string, Record<string, unknown>]
              >,
            },
            outputs: new Map(),
            meta: new Map(),
          };
        }
        queue.taskDone(taskId, { outputs: result.outputs, meta: result.meta }, result.status);
        if (hub.currentClientId !== null) hub.sendText('executing', { node: null, prompt_id: promptId }, hub.currentClientId);
        if (memoryFlags.free_memory) executor.clearCache();
        memoryFlags.free_memory = false;
        memoryFlags.unload_models = false;
      }
    } finally {
      working = false;
      if (queue.remaining() === 0) for (const w of idleWaiters.splice(0)) w();
    }
  };

  const jobs = new JobsApi(
    queue,
    () => executor.interrupt(),
    () => options.jobsApi ?? version !== '0.3.64',
  );

  const setFaults = (f: Faults) => {
    faults = { ...f };
    if (f.syntheticHistory) addSyntheticHistory(queue, f.syntheticHistory);
  };
  setFaults(options.faults ?? {});

  let port = 0;
  const manager = createMockManager(options.manager);
  const ctx: MockContext = {
    options,
    manager,
    assets,
    version,
    dirs,
    queue,
    executor,
    jobs,
    port: () => port,
    faults: () => faults,
    objectInfo,
    objectInfoText: () => dumpOption.text,
    nodeReplacements: () => replacements,
    queueInfo,
    nextNumber: () => counter++,
    promptOrders,
    kick: () => setImmediate(() => void work()),
    working: () => working,
    memoryFlags,
  };

  /** Tries every route family; nothing matched: 405 for a known path or any non-GET (the static route's answer). */
  const route = async (r: MockRequest): Promise<HttpAnswer> => {
    for (const family of ROUTE_FAMILIES) {
      const answer = await family.route(r, ctx);
      if (answer) return answer;
    }
    if (r.method !== 'GET') return methodNotAllowed();
    return ROUTE_FAMILIES.some((f) => f.paths?.test(r.path)) ? methodNotAllowed() : notFound();
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
    } else if (!options.cors && version !== '0.3.64' && crossSiteRejected(req.headers['sec-fetch-site'])) {
      answer = bare(403);
    } else if (!options.cors && originRejected(req.headers.host, req.headers.origin)) {
      answer = version === '0.3.64' ? empty(403) : bare(403);
    } else if (method === 'OPTIONS') {
      answer = empty(200);
    } else if (matchesPath(faults.html500, path)) {
      answer = new HttpAnswer(500, Buffer.from(HTML_500), { 'Content-Type': 'text/html; charset=utf-8' });
    } else {
      try {
        answer = await route({
          // aiohttp answers HEAD on every GET route.
          method: method === 'HEAD' ? 'GET' : method,
          rawPath: path,
          path: path.startsWith('/api/') ? path.slice(4) : path,
          url,
          query: url.searchParams,
          body,
          req,
        });
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

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      console.error('mock-comfyui: request failed', e);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(INTERNAL_ERROR_TEXT);
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => hub.onUpgrade(req, socket, head));
  // aiohttp keeps idle connections 75 s. Node's 5 s default races clients that reuse a connection after a slow run.
  server.keepAliveTimeout = 75_000;
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolvePromise());
  });
  port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    comfyVersion: version,
    dataDir,
    dirs,
    setFaults,
    faults: () => ({ ...faults }),
    objectInfo,
    socketCount: () => hub.size(),
    manager,
    assets,
    idle: () => (queue.remaining() === 0 && !working ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r))),
    close: async () => {
      manager.close();
      assets.close();
      executor.interrupt();
      queue.wipe();
      hub.destroyAll();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      // Let the node now running finish first, or it would write into (and re-create) the removed data dir.
      if (working) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([new Promise<void>((r) => idleWaiters.push(r)), new Promise<void>((r) => (timer = setTimeout(r, 10000)))]);
        clearTimeout(timer);
      }
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// -----------------------------------------------------------------------------------------------------------------

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
