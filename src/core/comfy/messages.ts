// Typed text messages of the ComfyUI WebSocket (comfyui-api.md §3.2). Every text frame is {"type", "data"}.
// Known types are checked for the fields consumers rely on; anything else arrives as `{type: 'unknown'}` with the
// original type, so custom-node messages pass through without being mistaken for core ones.
import type { ServerFeatures } from './types';
import { isRecord } from '../util/guards';

export interface StatusMessage {
  type: 'status';
  data: { status: { exec_info: { queue_remaining: number } }; sid?: string };
}
export interface ExecutionStartMessage {
  type: 'execution_start';
  data: { prompt_id: string; timestamp?: number };
}
export interface ExecutionCachedMessage {
  type: 'execution_cached';
  data: { nodes: string[]; prompt_id: string; timestamp?: number };
}
/** `node: null` means the prompt finished (sent after history is written). The on-connect replay has no prompt_id. */
export interface ExecutingMessage {
  type: 'executing';
  data: { node: string | null; display_node?: string; prompt_id?: string };
}
export interface ProgressMessage {
  type: 'progress';
  data: { value: number; max: number; prompt_id?: string; node?: string | null };
}
export interface NodeProgress {
  value: number;
  max: number;
  state: 'pending' | 'running' | 'finished' | 'error' | string;
  node_id: string;
  prompt_id?: string;
  display_node_id?: string;
  parent_node_id?: string | null;
  real_node_id?: string;
  activity?: unknown;
}
export interface ProgressStateMessage {
  type: 'progress_state';
  data: { prompt_id: string; nodes: Record<string, NodeProgress> };
}
export interface ExecutedMessage {
  type: 'executed';
  data: { node: string; display_node?: string; output: Record<string, unknown>; prompt_id: string; merge?: boolean };
}
export interface ExecutionSuccessMessage {
  type: 'execution_success';
  data: { prompt_id: string; timestamp?: number };
}
export interface ExecutionErrorMessage {
  type: 'execution_error';
  data: {
    prompt_id: string;
    node_id: string;
    node_type: string;
    executed: string[];
    exception_message: string;
    exception_type: string;
    traceback: string[];
    current_inputs: Record<string, unknown>;
    current_outputs: unknown;
    timestamp?: number;
  };
}
export interface ExecutionInterruptedMessage {
  type: 'execution_interrupted';
  data: { prompt_id: string; node_id: string; node_type: string; executed: string[]; timestamp?: number };
}
export interface FeatureFlagsMessage {
  type: 'feature_flags';
  data: ServerFeatures;
}
/** Any other type (custom nodes, `logs`, newer servers): passed through untouched. */
export interface UnknownMessage {
  type: 'unknown';
  messageType: string;
  data: unknown;
}

export type ComfyMessage =
  | StatusMessage
  | ExecutionStartMessage
  | ExecutionCachedMessage
  | ExecutingMessage
  | ProgressMessage
  | ProgressStateMessage
  | ExecutedMessage
  | ExecutionSuccessMessage
  | ExecutionErrorMessage
  | ExecutionInterruptedMessage
  | FeatureFlagsMessage
  | UnknownMessage;

export type KnownMessageType = Exclude<ComfyMessage['type'], 'unknown'>;

export type ParsedText = { ok: true; message: ComfyMessage } | { ok: false; reason: string };

type Rec = Record<string, unknown>;
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optStr = (v: unknown): boolean => v === undefined || isStr(v);

/** Per known type: returns undefined when `data` is acceptable, else what is wrong with it. */
const CHECKS: Record<KnownMessageType, (d: Rec) => string | undefined> = {
  status: (d) =>
    isRecord(d.status) && isRecord(d.status.exec_info) && isNum(d.status.exec_info.queue_remaining) ? undefined : 'no status.exec_info.queue_remaining',
  execution_start: (d) => (isStr(d.prompt_id) ? undefined : 'no prompt_id'),
  execution_cached: (d) => (isStr(d.prompt_id) && Array.isArray(d.nodes) ? undefined : 'no prompt_id or nodes'),
  executing: (d) => ((d.node === null || isStr(d.node)) && optStr(d.prompt_id) ? undefined : 'node is neither a string nor null'),
  progress: (d) => (isNum(d.value) && isNum(d.max) ? undefined : 'value/max are not numbers'),
  progress_state: (d) => (isStr(d.prompt_id) && isRecord(d.nodes) ? undefined : 'no prompt_id or nodes'),
  executed: (d) =>
    isStr(d.node) && isStr(d.prompt_id) && (d.output === undefined || d.output === null || isRecord(d.output)) ? undefined : 'no node, prompt_id or output',
  execution_success: (d) => (isStr(d.prompt_id) ? undefined : 'no prompt_id'),
  execution_error: (d) => (isStr(d.prompt_id) ? undefined : 'no prompt_id'),
  execution_interrupted: (d) => (isStr(d.prompt_id) ? undefined : 'no prompt_id'),
  feature_flags: () => undefined,
};

export function parseTextMessage(text: string): ParsedText {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: `text frame is not JSON (${text.length} chars)` };
  }
  if (!isRecord(value) || !isStr(value.type)) return { ok: false, reason: 'text frame has no string "type"' };
  const type = value.type;
  const data = value.data;
  if (!Object.prototype.hasOwnProperty.call(CHECKS, type)) return { ok: true, message: { type: 'unknown', messageType: type, data } };
  if (!isRecord(data)) return { ok: false, reason: `"${type}" message has no data object` };
  const problem = CHECKS[type as KnownMessageType](data);
  if (problem) return { ok: false, reason: `"${type}" message: ${problem}` };
  if (type === 'executed' && !isRecord(data.output)) data.output = {};
  return { ok: true, message: { type, data } as ComfyMessage };
}

/**
 * The prompt a message belongs to, when it says: a typed message, or any `{type, data}` frame (the run tracker's
 * input, where a message type this version does not know may still name its prompt).
 */
export function promptIdOf(message: { type: string; data?: unknown }): string | undefined {
  const data = message.data;
  return isRecord(data) && typeof data.prompt_id === 'string' ? data.prompt_id : undefined;
}
