// ComfyUI-Manager's routes, as its source defines them (ltdrdata/Comfy-Org ComfyUI-Manager glob/manager_server.py,
// 2025-10 and later: reset/start are POST; v4 prefixes /v2 and queues through /v2/manager/queue/task). Formats are
// read from that source; there are no recordings of a real Manager. Off unless `manager` is given (a stock server
// has no Manager); `setEnabled(false)` turns it off at run time (404 everywhere, as without the extension).
//   GET  [/v2]/manager/version                       → text
//   GET  [/v2]/customnode/getmappings?mode=…         → extension-node-map.json format (mode is required: 500 without)
//   GET  [/v2]/manager/queue/status                  → {total_count, done_count, in_progress_count, is_processing}
//   POST [/v2]/manager/queue/reset | start           → 200 (start: 201 when already running)
//   POST /manager/queue/install {id, version, selected_version, files?, channel, mode, ui_id, …}
//        → 403 when security_level is "strong"; a Git URL (version "unknown") → 404 unless security_level is "weak"
//   POST /v2/manager/queue/task {ui_id, client_id, kind, params}
//   GET  [/v2]/externalmodel/getlist?mode=…          → {models: [...]}
//   POST [/v2]/manager/queue/install_model <a model-list entry> → 400 when not on the list
//   GET  [/v2]/manager/reboot (legacy GET, v4 POST)  → 200 (the mock does not restart)

export interface MockManagerOptions {
  /** 'legacy' (default): the routes without prefix; 'v2': Manager v4's /v2 routes. */
  flavor?: 'legacy' | 'v2';
  /** The class → pack map served by getmappings (extension-node-map.json format). */
  mappings?: Record<string, unknown>;
  /** Manager's model list entries ({name, type, base, save_path, filename, url}). */
  models?: Record<string, unknown>[];
  /** config.ini security_level (default 'normal'). */
  securityLevel?: 'strong' | 'normal' | 'normal-' | 'weak';
  /** How long each queued task takes once started (default 30 ms). */
  taskMs?: number;
}

export interface ManagerTask {
  kind: 'install' | 'install-model';
  uiId: string;
  body: Record<string, unknown>;
}

export interface MockManager {
  enabled(): boolean;
  setEnabled(on: boolean): void;
  /** Every task ever queued (installs and model downloads), in order. */
  tasks(): ManagerTask[];
  /** Tasks finished since the last start. */
  done(): ManagerTask[];
  /** Answers a Manager route, or undefined when the path is not one (or Manager is off). */
  route(method: string, path: string, query: URLSearchParams, body: Buffer): { status: number; json?: unknown; text?: string } | undefined;
  close(): void;
}

const SECURITY_ERROR = 'A security error has occurred. Please check the terminal logs';

export function createMockManager(options: MockManagerOptions | undefined): MockManager {
  let on = options !== undefined;
  const opts = options ?? {};
  const flavor = opts.flavor ?? 'legacy';
  const level = opts.securityLevel ?? 'normal';
  const all: ManagerTask[] = [];
  let pending: ManagerTask[] = [];
  let finished: ManagerTask[] = [];
  let running: ManagerTask | undefined;
  let timer: NodeJS.Timeout | undefined;
  let processing = false;

  const work = (): void => {
    running = pending.shift();
    if (!running) {
      processing = false;
      return;
    }
    timer = setTimeout(() => {
      finished.push(running!);
      running = undefined;
      work();
    }, opts.taskMs ?? 30);
  };

  const parse = (body: Buffer): Record<string, unknown> | undefined => {
    try {
      const v = JSON.parse(body.toString('utf8')) as unknown;
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };

  const route: MockManager['route'] = (method, rawPath, query, body) => {
    if (!on) return undefined;
    const p = flavor === 'v2' ? (rawPath.startsWith('/v2/') ? rawPath.slice(3) : undefined) : rawPath;
    if (p === undefined) return undefined;
    const known = [
      '/manager/version',
      '/customnode/getmappings',
      '/manager/queue/status',
      '/manager/queue/reset',
      '/manager/queue/start',
      '/manager/queue/install',
      '/manager/queue/task',
      '/externalmodel/getlist',
      '/manager/queue/install_model',
      '/manager/reboot',
    ];
    if (!known.includes(p)) return undefined;
    const needs = (m: string): { status: number; text: string } | undefined => (method === m ? undefined : { status: 405, text: '405: Method Not Allowed' });
    switch (p) {
      case '/manager/version':
        return needs('GET') ?? { status: 200, text: flavor === 'v2' ? 'V4.0' : 'V3.37' };
      case '/customnode/getmappings':
        if (method !== 'GET') return needs('GET');
        if (!query.has('mode')) return { status: 500, text: '500 Internal Server Error\n\nServer got itself in trouble' };
        return { status: 200, json: opts.mappings ?? {} };
      case '/manager/queue/status': {
        if (method !== 'GET') return needs('GET');
        const done = finished.length;
        const inProgress = running ? 1 : 0;
        return {
          status: 200,
          json: { total_count: done + inProgress + pending.length, done_count: done, in_progress_count: inProgress, is_processing: processing },
        };
      }
      case '/manager/queue/reset':
        if (method !== 'POST') return needs('POST');
        pending = [];
        return { status: 200, text: '' };
      case '/manager/queue/start':
        if (method !== 'POST') return needs('POST');
        if (processing) return { status: 201, text: '' };
        finished = [];
        processing = true;
        work();
        return { status: 200, text: '' };
      case '/manager/queue/install': {
        if (flavor === 'v2') return undefined;
        if (method !== 'POST') return needs('POST');
        if (level === 'strong') return { status: 403, text: SECURITY_ERROR };
        const b = parse(body);
        if (!b || typeof b.version !== 'string' || typeof b.channel !== 'string' || typeof b.mode !== 'string')
          return { status: 500, text: '500 Internal Server Error' };
        if (b.version === 'unknown' && level !== 'weak') return { status: 404, text: SECURITY_ERROR };
        if (b.version !== 'unknown' && b.selected_version === 'unknown') return { status: 400, text: 'Invalid installation request' };
        const task: ManagerTask = { kind: 'install', uiId: String(b.ui_id ?? ''), body: b };
        all.push(task);
        pending.push(task);
        return { status: 200, text: '' };
      }
      case '/manager/queue/task': {
        if (flavor !== 'v2') return undefined;
        if (method !== 'POST') return needs('POST');
        const b = parse(body);
        if (!b || typeof b.ui_id !== 'string' || typeof b.client_id !== 'string' || typeof b.kind !== 'string' || typeof b.params !== 'object')
          return { status: 400, text: 'Invalid task data' };
        const task: ManagerTask = { kind: b.kind === 'install-model' ? 'install-model' : 'install', uiId: b.ui_id, body: b };
        all.push(task);
        pending.push(task);
        return { status: 200, text: '' };
      }
      case '/externalmodel/getlist':
        if (method !== 'GET') return needs('GET');
        return { status: 200, json: { models: opts.models ?? [] } };
      case '/manager/queue/install_model': {
        if (method !== 'POST') return needs('POST');
        if (level === 'strong') return { status: 403, text: SECURITY_ERROR };
        const b = parse(body);
        const listed = b && (opts.models ?? []).some((m) => m.save_path === b.save_path && m.base === b.base && m.filename === b.filename);
        if (!b || !listed) return { status: 400, text: 'Invalid model install request is detected' };
        const task: ManagerTask = { kind: 'install-model', uiId: String(b.ui_id ?? ''), body: b };
        all.push(task);
        pending.push(task);
        return { status: 200, text: '' };
      }
      case '/manager/reboot':
        return needs(flavor === 'v2' ? 'POST' : 'GET') ?? { status: 200, text: '' };
    }
    return undefined;
  };

  return {
    enabled: () => on,
    setEnabled: (v) => {
      on = v;
    },
    tasks: () => [...all],
    done: () => [...finished],
    route,
    close: () => {
      if (timer) clearTimeout(timer);
    },
  };
}
