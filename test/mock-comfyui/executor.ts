// Runs a validated prompt the way ComfyUI 0.3.64's PromptExecutor does, as far as a client can observe it: the
// execution order of ExecutionList (output nodes first when ready), the classic output cache keyed on input
// signatures (unchanged nodes are not re-run; cached output nodes still send `executed`), the message order of the
// recordings (progress_state → executing → … → executed → progress_state), interrupts checked when a node starts and
// between sampler steps, and runtime errors as `execution_error`. Image nodes compute real pixels; model nodes are
// simulated (a KSampler takes `msPerStep` per step and streams previews).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, normalize, relative, resolve, sep } from 'node:path';
import { pyJsonDumps, pyStr } from './python';
import { blurImage, decodePng, encodeJpeg, encodePng, fitImage, invertImage, solidImage, type Image } from './images';

export type ObjectInfo = Record<string, Record<string, unknown>>;
export type Prompt = Record<string, { class_type: string; inputs: Record<string, unknown> }>;
type Ui = Record<string, unknown>;
type Outputs = unknown[];

/** How the executor talks back to the server. `target` null = broadcast. */
export interface ExecHost {
  readonly dirs: { input: string; output: string; temp: string };
  objectInfo(): ObjectInfo;
  msPerStep(): number;
  /** Extra time every executed node takes (interruptible), to make long runs on demand. */
  nodeDelayMs(): number;
  /** Extra failure rules (faults): a class that raises when executed. */
  failingClass(classType: string): { message: string; type: string } | undefined;
  /** Fault switches that change what the output nodes write. */
  outputTweaks(): { hugeImage?: { width: number; height: number; noise?: boolean }; hostileFilenames?: boolean };
  send(type: string, data: Record<string, unknown>, target: string | null): void;
  /** Whether previews go as type 4: the prompt's own client advertised supports_preview_metadata. */
  previewsWithMetadata(clientId: string | null): boolean;
  /** A JPEG preview: type 4 with `meta`, else type 1. */
  sendPreview(jpeg: Buffer, meta: Record<string, unknown> | undefined, target: string | null): void;
  /** A binary TEXT frame (type 3, send_progress_text) for a sampler step, or nothing when the option is off. */
  sendProgressText(nodeId: string, text: string, target: string | null): void;
  /** A binary TEXT frame a node always sends (GetImageSize's "width: …, height: …"). */
  sendNodeText(nodeId: string, text: string, target: string | null): void;
  /** The node now running, for the reconnect replay of `executing` (null when idle). */
  setLastNode(nodeId: string | null): void;
}

export interface ExecRequest {
  promptId: string;
  prompt: Prompt;
  extraData: Record<string, unknown>;
  outputs: string[];
  /** The prompt's key order as the client wrote it (JS objects list integer-like keys first; Python does not). */
  keyOrder?: string[];
}

export interface ExecResult {
  status: { status_str: 'success' | 'error'; completed: boolean; messages: Array<[string, Record<string, unknown>]> };
  /** Maps, to keep the prompt's node order when serialized. */
  outputs: Map<string, Ui>;
  meta: Map<string, Record<string, unknown>>;
}

class Interrupted extends Error {}
class NodeFailure extends Error {
  constructor(
    readonly pyType: string,
    message: string,
  ) {
    super(message);
  }
}

interface CacheEntry {
  outputs: Outputs;
  ui?: Ui;
}

interface Latent {
  kind: 'LATENT';
  width: number;
  height: number;
  batch: number;
  seed: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function isLink(v: unknown): v is [string, number] {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'number';
}

export class Executor {
  private cache = new Map<string, CacheEntry>();
  private interruptFlag = false;
  private readonly previewSuffix = new Map<string, string>();

  constructor(private readonly host: ExecHost) {}

  interrupt(): void {
    this.interruptFlag = true;
  }

  /** /free with free_memory: the server drops its caches after the current job. */
  clearCache(): void {
    this.cache.clear();
  }

  async execute(req: ExecRequest): Promise<ExecResult> {
    this.interruptFlag = false;
    const { prompt, promptId } = req;
    const clientId = typeof req.extraData['client_id'] === 'string' ? (req.extraData['client_id'] as string) : null;
    const messages: Array<[string, Record<string, unknown>]> = [];
    const addMessage = (event: string, data: Record<string, unknown>, broadcast: boolean) => {
      const full = { ...data, timestamp: Date.now() };
      messages.push([event, full]);
      if (clientId !== null || broadcast) this.host.send(event, full, clientId);
    };
    // Messages sent only when the prompt has a client (execution.py checks server.client_id).
    const toClient = (type: string, data: Record<string, unknown>) => {
      if (clientId !== null) this.host.send(type, data, clientId);
    };
    // progress, progress_state and previews go to the client, or to everybody when there is none.
    const toClientOrAll = (type: string, data: Record<string, unknown>) => this.host.send(type, data, clientId);

    const ids = orderedKeys(prompt, req.keyOrder);
    const signatures = this.signatures(prompt);
    const keep = new Set(signatures.values());
    for (const key of this.cache.keys()) if (!keep.has(key)) this.cache.delete(key);
    const cachedNow = (id: string) => this.cache.has(signatures.get(id)!);

    addMessage('execution_start', { prompt_id: promptId }, false);
    addMessage('execution_cached', { nodes: ids.filter(cachedNow), prompt_id: promptId }, false);

    const progress = new Map<string, { value: number; max: number; state: string }>();
    const sendProgressState = () => {
      // A Map keeps the order nodes started in, which a plain object would not for integer-like ids.
      const nodes = new Map<string, unknown>();
      for (const [id, p] of progress) {
        nodes.set(id, {
          value: p.value,
          max: p.max,
          state: p.state,
          node_id: id,
          prompt_id: promptId,
          display_node_id: id,
          parent_node_id: null,
          real_node_id: id,
        });
      }
      toClientOrAll('progress_state', { prompt_id: promptId, nodes });
    };

    const list = new ExecutionList(prompt, cachedNow, (id) => this.isOutput(prompt[id]!.class_type));
    for (const o of req.outputs) list.addNode(o);
    const executed: string[] = [];
    let failure: { nodeId: string; error: unknown; inputs: Record<string, unknown> } | undefined;

    for (let nodeId = list.next(); nodeId !== undefined; nodeId = list.next()) {
      const node = prompt[nodeId]!;
      const sig = signatures.get(nodeId)!;
      const hit = this.cache.get(sig);
      if (hit) {
        toClient('executed', { node: nodeId, display_node: nodeId, output: hit.ui ?? null, prompt_id: promptId });
        progress.set(nodeId, { value: 1, max: 1, state: 'finished' });
        sendProgressState();
        list.complete(nodeId);
        continue;
      }
      progress.set(nodeId, { value: 0, max: 1, state: 'running' });
      sendProgressState();
      this.host.setLastNode(nodeId);
      toClient('executing', { node: nodeId, display_node: nodeId, prompt_id: promptId });
      const inputs = this.resolveInputs(node.inputs, signatures, prompt);
      try {
        if (this.interruptFlag) throw new Interrupted();
        // Like most real nodes, the delay does not look at the interrupt flag: it is seen when the next node starts.
        const delay = this.host.nodeDelayMs();
        if (delay > 0) await sleep(delay);
        // The order of main.py's progress hook: progress_state (+ a type-4 preview when the prompt's client
        // advertised supports_preview_metadata), then progress (+ a type-1 preview otherwise).
        const onStep = (value: number, max: number, preview?: Image) => {
          if (this.interruptFlag) throw new Interrupted();
          const jpeg = preview ? encodePreview(preview) : undefined;
          const withMetadata = this.host.previewsWithMetadata(clientId);
          progress.set(nodeId, { value, max, state: 'running' });
          sendProgressState();
          const meta = { node_id: nodeId, prompt_id: promptId, display_node_id: nodeId, parent_node_id: null, real_node_id: nodeId, image_type: 'image/jpeg' };
          if (jpeg && withMetadata) this.host.sendPreview(jpeg, meta, clientId);
          toClientOrAll('progress', { value, max, prompt_id: promptId, node: nodeId });
          if (jpeg && !withMetadata) this.host.sendPreview(jpeg, undefined, clientId);
          this.host.sendProgressText(nodeId, `step ${value}/${max}`, clientId);
        };
        const result = await this.run(nodeId, node.class_type, inputs, req, onStep);
        this.cache.set(sig, result);
        executed.push(nodeId);
        if (result.ui) toClient('executed', { node: nodeId, display_node: nodeId, output: result.ui, prompt_id: promptId });
        const p = progress.get(nodeId)!;
        progress.set(nodeId, { value: p.max, max: p.max, state: 'finished' });
        sendProgressState();
        list.complete(nodeId);
      } catch (error) {
        failure = { nodeId, error, inputs };
        break;
      }
    }

    let statusStr: 'success' | 'error' = 'success';
    if (failure) {
      statusStr = 'error';
      const node = prompt[failure.nodeId]!;
      const base = { prompt_id: promptId, node_id: failure.nodeId, node_type: node.class_type, executed: [...executed] };
      if (failure.error instanceof Interrupted) {
        addMessage('execution_interrupted', base, true);
      } else {
        const e = failure.error;
        const pyType = e instanceof NodeFailure ? e.pyType : 'Exception';
        const message = e instanceof Error ? e.message : String(e);
        addMessage(
          'execution_error',
          {
            ...base,
            exception_message: message,
            exception_type: pyType,
            traceback: [
              `  File "/opt/ComfyUI/execution.py", line 496, in execute\n    output_data, output_ui, has_subgraph, has_pending_tasks = await get_output_data(...)\n`,
              `  File "mock-comfyui", in ${node.class_type}\n    raise ${pyType}(${JSON.stringify(message)})\n`,
            ],
            current_inputs: formatInputs(failure.inputs),
            current_outputs: ids,
          },
          false,
        );
      }
    } else {
      addMessage('execution_success', { prompt_id: promptId }, false);
    }
    this.host.setLastNode(null);

    const outputs = new Map<string, Ui>();
    const meta = new Map<string, Record<string, unknown>>();
    for (const id of ids) {
      const ui = this.cache.get(signatures.get(id)!)?.ui;
      if (ui) {
        outputs.set(id, ui);
        meta.set(id, { node_id: id, display_node: id, parent_node: null, real_node_id: id });
      }
    }
    return { status: { status_str: statusStr, completed: !failure, messages }, outputs, meta };
  }

  private isOutput(classType: string): boolean {
    return this.host.objectInfo()[classType]?.['output_node'] === true;
  }

  /**
   * Input signatures as CacheKeySetInputSignature builds them: class, constant inputs and the signatures of linked
   * nodes, so equal sub-graphs share cache entries across prompts whatever their ids. LoadImage's IS_CHANGED (a
   * hash of the file) is part of it, so replacing the file re-runs the node.
   */
  private signatures(prompt: Prompt): Map<string, string> {
    const out = new Map<string, string>();
    const visiting = new Set<string>();
    const sig = (id: string): string => {
      const known = out.get(id);
      if (known) return known;
      if (visiting.has(id)) return `cycle:${id}`;
      visiting.add(id);
      const node = prompt[id]!;
      const parts: unknown[] = [node.class_type];
      if (node.class_type === 'LoadImage' || node.class_type === 'LoadImageMask') {
        parts.push(this.fileHash(String(node.inputs['image'])));
      }
      for (const key of Object.keys(node.inputs).sort()) {
        const v = node.inputs[key];
        parts.push(isLink(v) && prompt[v[0]] ? [key, 'ANCESTOR', sig(v[0]), v[1]] : [key, v]);
      }
      visiting.delete(id);
      const s = createHash('sha1').update(JSON.stringify(parts)).digest('hex');
      out.set(id, s);
      return s;
    };
    for (const id of Object.keys(prompt)) sig(id);
    return out;
  }

  private fileHash(name: string): string {
    const path = this.annotatedPath(name, 'input');
    try {
      return createHash('sha256').update(readFileSync(path)).digest('hex');
    } catch {
      return 'missing';
    }
  }

  private annotatedPath(name: string, defaultType: 'input' | 'output' | 'temp'): string {
    let dir = this.host.dirs[defaultType];
    let file = name;
    for (const t of ['output', 'input', 'temp'] as const) {
      if (name.endsWith(`[${t}]`)) {
        dir = this.host.dirs[t];
        file = name.slice(0, -(t.length + 3));
      }
    }
    return join(dir, file);
  }

  private resolveInputs(inputs: Record<string, unknown>, signatures: Map<string, string>, prompt: Prompt): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(inputs)) {
      if (isLink(v) && prompt[v[0]]) out[k] = this.cache.get(signatures.get(v[0])!)?.outputs[v[1]];
      else out[k] = v;
    }
    return out;
  }

  private async run(
    nodeId: string,
    classType: string,
    inp: Record<string, unknown>,
    req: ExecRequest,
    onStep: (value: number, max: number, preview?: Image) => void,
  ): Promise<CacheEntry> {
    const fault = this.host.failingClass(classType);
    if (fault) throw new NodeFailure(fault.type, fault.message);
    const images = (v: unknown): Image[] => (Array.isArray(v) ? (v as Image[]) : [solidImage(64, 64, 0x808080)]);
    switch (classType) {
      case 'EmptyImage': {
        const n = Number(inp['batch_size'] ?? 1);
        const img = solidImage(Number(inp['width']), Number(inp['height']), Number(inp['color'] ?? 0));
        return { outputs: [Array.from({ length: n }, () => img)] };
      }
      case 'ImageInvert':
        return { outputs: [images(inp['image']).map(invertImage)] };
      case 'ImageBlur':
        return { outputs: [images(inp['image']).map((i) => blurImage(i, Number(inp['blur_radius'] ?? 1)))] };
      case 'ImageBlend': {
        const a = images(inp['image1']);
        const b = images(inp['image2']);
        const f = Number(inp['blend_factor'] ?? 0.5);
        return {
          outputs: [
            a.map((img, i) => {
              const other = b[Math.min(i, b.length - 1)]!;
              const data = new Uint8Array(img.data);
              if (other.width === img.width && other.height === img.height) {
                for (let j = 0; j < data.length; j++) if (j % 4 !== 3) data[j] = Math.round(img.data[j]! * (1 - f) + other.data[j]! * f);
              }
              return { ...img, data };
            }),
          ],
        };
      }
      case 'ImageScale': {
        const w = Number(inp['width']);
        const h = Number(inp['height']);
        return {
          outputs: [
            images(inp['image']).map((img) => {
              const width = w || Math.round((img.width * h) / img.height) || img.width;
              const height = h || Math.round((img.height * w) / img.width) || img.height;
              return resize(img, width, height);
            }),
          ],
        };
      }
      case 'LoadImage':
      case 'LoadImageMask': {
        const name = String(inp['image']);
        const path = this.annotatedPath(name, 'input');
        if (!existsSync(path)) throw new NodeFailure('FileNotFoundError', `[Errno 2] No such file or directory: '${path}'`);
        let img: Image;
        try {
          img = decodePng(readFileSync(path));
        } catch {
          throw new NodeFailure('PIL.UnidentifiedImageError', `cannot identify image file '${path}'`);
        }
        const mask = { kind: 'MASK', width: img.width, height: img.height };
        return { outputs: classType === 'LoadImage' ? [[img], mask] : [mask] };
      }
      case 'SaveImage':
      case 'PreviewImage': {
        const temp = classType === 'PreviewImage';
        let prefix = String(inp['filename_prefix'] ?? 'ComfyUI');
        if (temp) {
          // PreviewImage appends "_temp_" and 5 random letters chosen once per node instance.
          let suffix = this.previewSuffix.get(nodeId);
          if (!suffix) {
            suffix = '_temp_' + Array.from({ length: 5 }, () => 'abcdefghijklmnopqrstupvxyz'[Math.floor(Math.random() * 26)]).join('');
            this.previewSuffix.set(nodeId, suffix);
          }
          prefix += suffix;
        }
        const tweaks = this.host.outputTweaks();
        let list = images(inp['images']);
        if (tweaks.hugeImage)
          list = list.map((img) =>
            tweaks.hugeImage!.noise
              ? noiseImage(tweaks.hugeImage!.width, tweaks.hugeImage!.height)
              : resize(img, tweaks.hugeImage!.width, tweaks.hugeImage!.height),
          );
        const first = list[0] ?? solidImage(1, 1, 0);
        const text: Record<string, string> = {};
        if (!temp) {
          text['prompt'] = pyJsonDumps(new Map(orderedKeys(req.prompt, req.keyOrder).map((k) => [k, req.prompt[k]])));
          const pnginfo = req.extraData['extra_pnginfo'];
          if (pnginfo && typeof pnginfo === 'object') for (const [k, v] of Object.entries(pnginfo)) text[k] = pyJsonDumps(v);
        }
        const type = temp ? 'temp' : 'output';
        const saved: Array<Record<string, unknown>> = this.saveImages(list, prefix, type, first.width, first.height, text);
        if (tweaks.hostileFilenames) {
          // A real file with an HTML name, plus entries a client must refuse or escape.
          const htmlName = `<img src=x onerror=alert(1)>&"quote"_${Date.now()}.png`;
          writeFileSync(join(this.host.dirs[type], htmlName), encodePng(first));
          saved.push({ filename: htmlName, subfolder: '', type });
          saved.push({ filename: '../../etc/passwd', subfolder: '', type });
          saved.push({ filename: 'x.png', subfolder: '../../..', type });
          saved.push({ filename: '<script>alert("x")</script>.png', subfolder: '<b>sub</b>', type });
        }
        return { outputs: [], ui: { images: saved } };
      }
      case 'GetImageSize': {
        // 0.33's node reports the size as a TEXT frame to the prompt's client and returns it as INTs.
        const list = images(inp['image']);
        const first = list[0] ?? solidImage(64, 64, 0);
        const target = typeof req.extraData['client_id'] === 'string' ? (req.extraData['client_id'] as string) : null;
        this.host.sendNodeText(nodeId, `width: ${first.width}, height: ${first.height}\n batch size: ${list.length}`, target);
        return { outputs: [first.width, first.height, list.length] };
      }
      case 'PreviewAny': {
        const v = inp['source'];
        const shown = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? pyStr(v) : pyJsonDumps(v ?? null);
        return { outputs: [], ui: { text: [shown] } };
      }
      case 'CheckpointLoaderSimple':
        return { outputs: [{ kind: 'MODEL', name: inp['ckpt_name'] }, { kind: 'CLIP' }, { kind: 'VAE' }] };
      case 'LoraLoader':
        return { outputs: [inp['model'], inp['clip']] };
      case 'VAELoader':
        return { outputs: [{ kind: 'VAE', name: inp['vae_name'] }] };
      case 'CLIPTextEncode':
        return { outputs: [{ kind: 'CONDITIONING', text: inp['text'] }] };
      case 'EmptyLatentImage':
        return {
          outputs: [
            { kind: 'LATENT', width: Number(inp['width']), height: Number(inp['height']), batch: Number(inp['batch_size'] ?? 1), seed: 0 } satisfies Latent,
          ],
        };
      case 'VAEEncode': {
        const img = images(inp['pixels'])[0]!;
        return { outputs: [{ kind: 'LATENT', width: img.width, height: img.height, batch: 1, seed: 0 } satisfies Latent] };
      }
      case 'KSampler': {
        const latent = (inp['latent_image'] as Latent | undefined) ?? { kind: 'LATENT', width: 512, height: 512, batch: 1, seed: 0 };
        const steps = Math.max(1, Number(inp['steps'] ?? 20));
        const seed = Number(inp['seed'] ?? 0);
        for (let i = 1; i <= steps; i++) {
          await sleep(this.host.msPerStep());
          // Drawn at preview size (≤ 512 px, --preview-size's default) rather than scaled down from full size.
          const fit = fitImage({ width: latent.width, height: latent.height, data: new Uint8Array(0) }, 512);
          onStep(i, steps, latentPicture(fit.width, fit.height, seed, i / steps));
        }
        return { outputs: [{ ...latent, seed } satisfies Latent] };
      }
      case 'VAEDecode': {
        const latent = inp['samples'] as Latent | undefined;
        const w = latent?.width ?? 512;
        const h = latent?.height ?? 512;
        const img = latentPicture(w, h, latent?.seed ?? 0, 1);
        return { outputs: [Array.from({ length: latent?.batch ?? 1 }, () => img)] };
      }
      default:
        return this.simulate(classType);
    }
  }

  /** Nodes the mock cannot execute: placeholder outputs of the declared types, no UI. */
  private simulate(classType: string): CacheEntry {
    const info = this.host.objectInfo()[classType];
    const types = Array.isArray(info?.['output']) ? (info['output'] as unknown[]) : [];
    return {
      outputs: types.map((t) =>
        t === 'IMAGE'
          ? [solidImage(64, 64, 0x808080)]
          : t === 'LATENT'
            ? { kind: 'LATENT', width: 512, height: 512, batch: 1, seed: 0 }
            : { kind: t, simulated: true },
      ),
    };
  }

  /** SaveImage's naming: `<prefix>_<counter:05>_.png`, subfolders from the prefix, counter after the highest file. */
  private saveImages(list: Image[], prefix: string, type: 'output' | 'temp', width: number, height: number, text: Record<string, string>) {
    const baseDir = this.host.dirs[type];
    const now = new Date();
    const two = (n: number) => String(n).padStart(2, '0');
    if (prefix.includes('%')) {
      prefix = prefix
        .replaceAll('%width%', String(width))
        .replaceAll('%height%', String(height))
        .replaceAll('%year%', String(now.getFullYear()))
        .replaceAll('%month%', two(now.getMonth() + 1))
        .replaceAll('%day%', two(now.getDate()))
        .replaceAll('%hour%', two(now.getHours()))
        .replaceAll('%minute%', two(now.getMinutes()))
        .replaceAll('%second%', two(now.getSeconds()));
    }
    const norm = normalize(prefix);
    const subfolder = dirname(norm) === '.' ? '' : dirname(norm);
    const filename = basename(norm);
    const folder = resolve(baseDir, subfolder);
    if (folder !== baseDir && !folder.startsWith(baseDir + sep)) {
      throw new NodeFailure(
        'Exception',
        `**** ERROR: Saving image outside the output folder is not allowed.\n full_output_folder: ${folder}\n         output_dir: ${baseDir}`,
      );
    }
    mkdirSync(folder, { recursive: true });
    let counter = 1;
    for (const f of readdirSync(folder)) {
      if (f.slice(0, filename.length + 1) !== `${filename}_`) continue;
      const digits = Number.parseInt(f.slice(filename.length + 1).split('_')[0] ?? '', 10);
      counter = Math.max(counter, (Number.isFinite(digits) ? digits : 0) + 1);
    }
    return list.map((img, batch) => {
      const file = `${filename.replaceAll('%batch_num%', String(batch))}_${String(counter++).padStart(5, '0')}_.png`;
      writeFileSync(join(folder, file), encodePng(img, { text }));
      return { filename: file, subfolder: relative(baseDir, folder).split(sep).join('/'), type };
    });
  }
}

/** Opaque pseudo-random pixels: PNG cannot compress them, so the file is as big as the raw image (~4 bytes/pixel). */
function noiseImage(width: number, height: number): Image {
  const data = new Uint8Array(width * height * 4);
  let x = 0x9e3779b9;
  for (let i = 0; i < data.length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    data[i] = x & 255;
    data[i + 1] = (x >>> 8) & 255;
    data[i + 2] = (x >>> 16) & 255;
    data[i + 3] = 255;
  }
  return { width, height, data };
}

function resize(img: Image, width: number, height: number): Image {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = Math.min(img.width - 1, Math.floor((x * img.width) / width));
      const sy = Math.min(img.height - 1, Math.floor((y * img.height) / height));
      data.set(img.data.subarray((sy * img.width + sx) * 4, (sy * img.width + sx) * 4 + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** A deterministic picture per seed that "develops" from noise-grey to its final colours as sampling progresses. */
function latentPicture(width: number, height: number, seed: number, progress: number): Image {
  const data = new Uint8Array(width * height * 4);
  const hue = (seed % 360) / 360;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const r = 128 + 127 * Math.sin(6.28 * (x / width + hue));
      const g = 128 + 127 * Math.sin(6.28 * (y / height + hue * 2));
      const b = 128 + 127 * Math.cos(6.28 * ((x + y) / (width + height) + hue * 3));
      data[i] = Math.round(128 + (r - 128) * progress);
      data[i + 1] = Math.round(128 + (g - 128) * progress);
      data[i + 2] = Math.round(128 + (b - 128) * progress);
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

/** Latent previews are JPEG, like the server's default preview format. */
function encodePreview(img: Image): Buffer {
  return encodeJpeg(img);
}

/** The prompt's ids in the client's order (unknown or missing entries fall back to object order). */
export function orderedKeys(obj: Record<string, unknown>, order: string[] | undefined): string[] {
  const keys = (order ?? []).filter((k, i, all) => Object.hasOwn(obj, k) && all.indexOf(k) === i);
  for (const k of Object.keys(obj)) if (!keys.includes(k)) keys.push(k);
  return keys;
}

/** execution.py's format_value: primitives as they are, anything else as its str(). */
function formatInputs(inputs: Record<string, unknown>): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [k, v] of Object.entries(inputs)) {
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = [v];
    else if (Array.isArray(v) && v.length > 0 && (v[0] as Image).data instanceof Uint8Array) {
      const img = v[0] as Image;
      out[k] = [`tensor(shape=[${v.length}, ${img.height}, ${img.width}, 3])`];
    } else out[k] = [JSON.stringify(v)];
  }
  return out;
}

/**
 * The order ComfyUI's ExecutionList stages nodes: a node is ready when nothing uncached blocks it; among ready
 * nodes, output nodes first, then nodes feeding an output, then nodes two steps from one, else the oldest pending.
 */
class ExecutionList {
  private readonly pending = new Set<string>();
  private readonly blockCount = new Map<string, number>();
  private readonly blocking = new Map<string, Set<string>>();

  constructor(
    private readonly prompt: Prompt,
    private readonly isCached: (id: string) => boolean,
    private readonly isOutput: (id: string) => boolean,
  ) {}

  addNode(start: string): void {
    const stack = [start];
    const links: Array<[string, string]> = [];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (this.pending.has(id)) continue;
      this.pending.add(id);
      this.blockCount.set(id, 0);
      this.blocking.set(id, new Set());
      for (const v of Object.values(this.prompt[id]?.inputs ?? {})) {
        if (!isLink(v) || !this.prompt[v[0]]) continue;
        if (!this.isCached(v[0])) stack.push(v[0]);
        links.push([v[0], id]);
      }
    }
    for (const [from, to] of links) {
      if (this.isCached(from)) continue;
      if (!this.pending.has(from)) this.addNode(from);
      const set = this.blocking.get(from)!;
      if (!set.has(to)) {
        set.add(to);
        this.blockCount.set(to, (this.blockCount.get(to) ?? 0) + 1);
      }
    }
  }

  next(): string | undefined {
    const ready = [...this.pending].filter((id) => this.blockCount.get(id) === 0);
    if (ready.length === 0) return undefined;
    const blocked = (id: string) => [...(this.blocking.get(id) ?? [])];
    return (
      ready.find((id) => this.isOutput(id)) ??
      ready.find((id) => blocked(id).some((b) => this.isOutput(b))) ??
      ready.find((id) => blocked(id).some((b) => blocked(b).some((c) => this.isOutput(c)))) ??
      ready[0]
    );
  }

  complete(id: string): void {
    this.pending.delete(id);
    for (const b of this.blocking.get(id) ?? []) this.blockCount.set(b, (this.blockCount.get(b) ?? 1) - 1);
    this.blocking.delete(id);
  }
}
