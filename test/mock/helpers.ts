// Helpers for the mock's own tests. They talk to the mock with plain fetch and undici's WebSocket, never through
// src/core, so these tests check the mock alone.
import { WebSocket } from 'undici';

/** A copy of an /object_info dump whose checkpoint loaders list the given model files. */
export function withCheckpoints(objectInfo: Record<string, unknown>, names: string[]): Record<string, unknown> {
  const copy = structuredClone(objectInfo) as Record<string, { input: { required: Record<string, unknown[]> } }>;
  for (const cls of ['CheckpointLoaderSimple', 'CheckpointLoader', 'ImageOnlyCheckpointLoader', 'unCLIPCheckpointLoader']) {
    const spec = copy[cls]?.input.required['ckpt_name'];
    if (spec && Array.isArray(spec[0])) spec[0] = [...names];
  }
  return copy;
}

export interface WsText {
  type: string;
  data: Record<string, unknown>;
}
export type WsEvent = { text: WsText } | { binary: Buffer };

/** A WebSocket client that records every message, with waits that fail instead of hanging. */
export class WsRecorder {
  readonly events: WsEvent[] = [];
  private waiters: Array<() => void> = [];
  readonly ws: WebSocket;
  closed = false;

  private constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.binaryType = 'arraybuffer';
    this.ws.addEventListener('message', (e) => {
      const d = e.data as unknown;
      this.events.push(typeof d === 'string' ? { text: JSON.parse(d) as WsText } : { binary: Buffer.from(d as ArrayBuffer) });
      for (const w of this.waiters.splice(0)) w();
    });
    this.ws.addEventListener('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Opens `${base}/ws?clientId=…` and waits for the first status message. */
  static async open(baseUrl: string, clientId?: string, featureFlags?: Record<string, unknown>): Promise<WsRecorder> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/ws${clientId ? `?clientId=${encodeURIComponent(clientId)}` : ''}`;
    const r = new WsRecorder(url);
    await new Promise<void>((resolve, reject) => {
      r.ws.addEventListener('open', () => resolve());
      r.ws.addEventListener('error', () => reject(new Error(`cannot open ${url}`)));
    });
    if (featureFlags) r.ws.send(JSON.stringify({ type: 'feature_flags', data: featureFlags }));
    await r.waitFor((e) => 'text' in e && e.text.type === 'status');
    if (featureFlags) await r.waitFor((e) => 'text' in e && e.text.type === 'feature_flags');
    return r;
  }

  texts(): WsText[] {
    return this.events.flatMap((e) => ('text' in e ? [e.text] : []));
  }

  types(): string[] {
    return this.events.map((e) => ('text' in e ? e.text.type : 'binary'));
  }

  async waitFor(pred: (e: WsEvent) => boolean, timeoutMs = 10000): Promise<WsEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find(pred);
      if (hit) return hit;
      if (this.closed) throw new Error(`socket closed while waiting; got ${this.types().join(',')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting; got ${this.types().join(',')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for the legacy end-of-prompt signal: executing with node null for this prompt. */
  waitDone(promptId: string, timeoutMs = 20000): Promise<WsEvent> {
    return this.waitFor((e) => 'text' in e && e.text.type === 'executing' && e.text.data['node'] === null && e.text.data['prompt_id'] === promptId, timeoutMs);
  }

  close(): void {
    this.ws.close();
  }
}

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; text: string; contentType: string | null }> {
  const res = await fetch(url, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...headers },
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body: parsed, text, contentType: res.headers.get('content-type') };
}

export async function getJson<T = unknown>(url: string): Promise<{ status: number; body: T; contentType: string | null }> {
  const res = await fetch(url);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, contentType: res.headers.get('content-type') };
}

/** The default-node-defs graph of the recordings: EmptyImage → ImageInvert → SaveImage. */
export function invertPrompt(prefix = 'ref_invert', color = 0): Record<string, unknown> {
  return {
    '1': { class_type: 'EmptyImage', inputs: { width: 64, height: 64, batch_size: 1, color } },
    '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
    '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: prefix } },
  };
}

/** A txt2img graph with the default node defs' model names. */
export function samplerPrompt(steps: number, seed = 1): Record<string, unknown> {
  return {
    '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' } },
    '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
    '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a cat', clip: ['4', 1] } },
    '7': { class_type: 'CLIPTextEncode', inputs: { text: '', clip: ['4', 1] } },
    '3': {
      class_type: 'KSampler',
      inputs: {
        model: ['4', 0],
        seed,
        steps,
        cfg: 8,
        sampler_name: 'euler',
        scheduler: 'normal',
        positive: ['6', 0],
        negative: ['7', 0],
        latent_image: ['5', 0],
        denoise: 1,
      },
    },
    '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
    '9': { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: 'ComfyUI' } },
  };
}

export type PromptBody = {
  error?: Record<string, unknown>;
  node_errors?: Record<string, { errors: Array<Record<string, unknown>>; dependent_outputs: string[]; class_type: string }>;
};

/** Drops Python tracebacks, which cannot match line for line. */
export function withoutTracebacks(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutTracebacks);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== 'traceback')
        .map(([k, x]) => [k, withoutTracebacks(x)]),
    );
  }
  return v;
}

/** Without tracebacks, and with each node's errors sorted: Python lists them in set (hash) order, per process. */
export function normalized(body: unknown): unknown {
  const b = withoutTracebacks(body) as PromptBody;
  for (const n of Object.values(b.node_errors ?? {})) n.errors.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  return b;
}

/** Replaces what differs between two runs of the same thing (ids, timestamps, random temp names). */
export function shape(v: unknown, ids: Map<string, string>): unknown {
  if (Array.isArray(v)) return v.map((x) => shape(x, ids));
  if (v && typeof v === 'object' && !(v instanceof Map)) {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => {
        if (k === 'timestamp') return [k, typeof x];
        if (k === 'traceback') return [k, Array.isArray(x)];
        // Python reprs of tensors: only which inputs there were can match.
        if (k === 'current_inputs' && x && typeof x === 'object') return [k, Object.keys(x).sort()];
        if ((k === 'executed' || k === 'current_outputs') && Array.isArray(x)) return [k, [...(x as string[])].sort()];
        return [ids.get(k) ?? k, shape(x, ids)];
      }),
    );
  }
  if (typeof v === 'string') {
    if (ids.has(v)) return ids.get(v);
    return v.replace(/^ComfyUI_temp_[a-z]{5}_/, 'ComfyUI_temp_*_');
  }
  return v;
}
