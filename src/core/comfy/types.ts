// Wire types of the ComfyUI server, as ../shared/reference/comfyui-api.md describes them.
// They describe what arrives over HTTP; nothing here is trusted to be well-formed at run time.

/** One input spec of /object_info: `[type]` or `[type, options]`; `type` may be a list (old-style combo). */
export type InputSpec = [type: string | unknown[], options?: Record<string, unknown>] | unknown[];

export interface NodeInfo {
  input?: {
    required?: Record<string, InputSpec>;
    optional?: Record<string, InputSpec>;
    hidden?: Record<string, unknown>;
  };
  input_order?: { required?: string[]; optional?: string[]; hidden?: string[] };
  output?: (string | unknown[])[];
  output_is_list?: boolean[];
  output_name?: string[];
  output_tooltips?: (string | null)[];
  name?: string;
  display_name?: string | null;
  description?: string | null;
  python_module?: string | null;
  category?: string | null;
  output_node?: boolean;
  deprecated?: boolean;
  experimental?: boolean;
  api_node?: boolean;
  [key: string]: unknown;
}

/** The body of GET /object_info. */
export type ObjectInfo = Record<string, NodeInfo>;

export interface ApiNode {
  class_type: string;
  inputs: Record<string, unknown>;
  _meta?: { title?: string; [key: string]: unknown };
}

/** API-format prompt: what POST /prompt takes under `prompt`. */
export type ApiPrompt = Record<string, ApiNode>;

export interface PromptRequest {
  prompt: ApiPrompt;
  client_id?: string;
  prompt_id?: string;
  number?: number;
  front?: boolean;
  partial_execution_targets?: string[];
  extra_data?: { extra_pnginfo?: { workflow?: unknown; [k: string]: unknown }; [k: string]: unknown };
}

export interface PromptResponse {
  prompt_id: string;
  number: number;
  node_errors: Record<string, NodeError>;
}

export interface ServerErrorItem {
  type: string;
  message: string;
  details: string;
  extra_info?: Record<string, unknown>;
}

export interface NodeError {
  errors: ServerErrorItem[];
  dependent_outputs: string[];
  class_type: string;
}

/** The 400 body of POST /prompt. */
export interface PromptErrorBody {
  error: ServerErrorItem;
  node_errors: Record<string, NodeError>;
}

/** A queue item: `[number, prompt_id, prompt, extra_data, outputs_to_execute]`. */
export type QueueItem = [number, string, ApiPrompt, Record<string, unknown>, string[], ...unknown[]];

export interface QueueState {
  queue_running: QueueItem[];
  queue_pending: QueueItem[];
}

export interface FileRef {
  filename: string;
  subfolder: string;
  type: 'output' | 'input' | 'temp' | string;
}

export interface HistoryItem {
  prompt: QueueItem;
  outputs: Record<string, Record<string, unknown>>;
  status?: { status_str: 'success' | 'error' | string; completed: boolean; messages: [string, Record<string, unknown>][] };
  meta?: Record<string, { node_id: string; display_node: string; parent_node: string | null; real_node_id: string }>;
}

export type History = Record<string, HistoryItem>;

export interface SystemStats {
  system: {
    os: string;
    ram_total?: number;
    ram_free?: number;
    comfyui_version?: string;
    python_version?: string;
    pytorch_version?: string;
    embedded_python?: boolean;
    argv?: string[];
    [k: string]: unknown;
  };
  devices: { name: string; type: string; index: number | null; vram_total: number; vram_free: number; torch_vram_total?: number; torch_vram_free?: number }[];
}

/** The body of GET /prompt. */
export interface PromptInfo {
  exec_info: { queue_remaining: number };
}

/** The answer of POST /upload/image and /upload/mask. */
export interface UploadResult {
  name: string;
  subfolder: string;
  type: 'input' | 'temp' | 'output' | string;
  /** [N] with assets enabled. */
  asset?: Record<string, unknown>;
}

/** The body of GET /features and the server's `feature_flags` WebSocket reply. */
export interface ServerFeatures {
  supports_preview_metadata?: boolean;
  max_upload_size?: number;
  [flag: string]: unknown;
}

export type JobStatus = 'pending' | 'in_progress' | 'completed' | 'failed' | 'cancelled';

/** One job of GET /api/jobs ([N]); the client also synthesizes these from /queue + /history on older servers. */
export interface Job {
  id: string;
  status: JobStatus;
  priority?: number;
  create_time?: number | null;
  execution_start_time?: number | null;
  execution_end_time?: number | null;
  execution_error?: unknown;
  outputs_count?: number;
  previewable_outputs_count?: number;
  preview_output?: unknown;
  workflow_id?: string | null;
  /** GET /api/jobs/{id} only. */
  outputs?: Record<string, Record<string, unknown>>;
  execution_status?: unknown;
  workflow?: { prompt?: ApiPrompt; extra_data?: Record<string, unknown> };
  [key: string]: unknown;
}

export interface JobsPage {
  jobs: Job[];
  pagination: { offset: number; limit: number | null; total: number; has_more: boolean };
}
