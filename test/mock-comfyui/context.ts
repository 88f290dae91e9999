// What a route family of the mock sees: the server's state (queue, executor, data dirs, faults, node definitions)
// and the request. A route family is a module under routes/ exporting a RouteFamily; routes/index.ts lists them.
import type { IncomingMessage } from 'node:http';
import type { Executor, ObjectInfo } from './executor';
import type { Faults } from './faults';
import type { Dirs } from './files';
import type { HttpAnswer } from './http';
import type { JobsApi } from './jobs';
import type { MockAssets, MockAssetsOptions } from './assets';
import type { MockManager, MockManagerOptions } from './manager';
import type { PromptQueue } from './queue';
import type { ComfyVersion } from './versions';

export interface MockComfyOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number;
  host?: string;
  /** Which server to be (default '0.33', the newer): see versions.ts and the README's table of differences. */
  comfyVersion?: ComfyVersion;
  /** A real /object_info dump (file path or parsed object), served unchanged. Default: the mock's own node defs. */
  objectInfo?: string | object;
  /** 0.33: the /node_replacements table (file path or parsed object). Default: the mock's own small table. */
  nodeReplacements?: string | object;
  /** Delay before every HTTP answer, in ms. */
  latencyMs?: number;
  /** Where input/, output/, temp/ and models/ live. Default: a fresh temp dir, removed by close(). */
  dataDir?: string;
  /** Sampler speed: ms per KSampler step (default 20). */
  msPerStep?: number;
  /** Extra time every executed node takes, in ms (default 0): long runs on demand. Not interruptible mid-node, like most real nodes. */
  nodeDelayMs?: number;
  /** Serve the /api/jobs routes (default: on for 0.33, off for 0.3.64, which did not have them). */
  jobsApi?: boolean;
  /** Model files to create under models/<folder>/ (default: one checkpoint, one LoRA, one VAE). */
  models?: Record<string, string[]>;
  /** KSampler also sends a binary TEXT frame (type 3, "step i/n") per step, like nodes using send_progress_text. */
  progressText?: boolean;
  /** Behave like `--enable-cors-header <origin>`: no origin check, CORS headers on every answer. */
  cors?: string;
  faults?: Faults;
  /** Serve ComfyUI-Manager's routes (see manager.ts); off by default, like a stock server. */
  manager?: MockManagerOptions;
  /** 0.33: serve model downloads through POST /api/assets/download and /api/tasks (see assets.ts); without it they answer 503 SERVICE_DISABLED. */
  assets?: MockAssetsOptions;
}

export interface MockContext {
  readonly options: MockComfyOptions;
  /** ComfyUI-Manager's routes (answer only while enabled). */
  readonly manager: MockManager;
  /** Model downloads through the assets API (503 SERVICE_DISABLED while off). */
  readonly assets: MockAssets;
  readonly version: ComfyVersion;
  readonly dirs: Dirs;
  readonly queue: PromptQueue;
  readonly executor: Executor;
  readonly jobs: JobsApi;
  /** The listening port (argv of /system_stats). */
  port(): number;
  faults(): Faults;
  /** The node definitions validated against and served. */
  objectInfo(): ObjectInfo;
  /** The dump's text when one was given as a file: /object_info serves it byte for byte. */
  objectInfoText(): string | undefined;
  /** 0.33's /node_replacements table. */
  nodeReplacements(): Record<string, unknown>;
  /** `{exec_info: {queue_remaining}}`. */
  queueInfo(): { exec_info: { queue_remaining: number } };
  /** The next prompt `number` (the server's counter; it also advances for prompts that fail validation). */
  nextNumber(): number;
  /** Key order of a queued prompt as the client wrote it. */
  readonly promptOrders: WeakMap<object, string[]>;
  /** Starts the prompt worker if it is idle. */
  kick(): void;
  /** Whether the worker is running a prompt now. */
  working(): boolean;
  /** /free requests, applied after the running prompt. */
  readonly memoryFlags: { unload_models?: boolean; free_memory?: boolean };
}

export interface MockRequest {
  /** HEAD is given as GET (aiohttp answers HEAD on every GET route; the body is dropped later). */
  method: string;
  /** The path as requested. */
  rawPath: string;
  /** The path without a leading /api (core routes answer under both). */
  path: string;
  url: URL;
  query: URLSearchParams;
  body: Buffer;
  req: IncomingMessage;
}

export interface RouteFamily {
  name: string;
  /** The answer of this family's route for the request, or undefined when none of its routes matches. */
  route(req: MockRequest, ctx: MockContext): HttpAnswer | undefined | Promise<HttpAnswer | undefined>;
  /** Paths (without /api) this family serves with some method: a GET there that nothing answered is 405, not 404. */
  paths?: RegExp;
}
