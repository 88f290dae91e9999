// Queue and history records normalized into one entry shape for the tree. Everything from the server is checked
// as it is read: a malformed item becomes an entry with less detail, never an exception.
import type { ApiPrompt, FileRef, HistoryItem, QueueItem } from '../comfy/types';
import { isRecord } from '../util/guards';

export type EntryStatus = 'running' | 'pending' | 'success' | 'error' | 'interrupted' | 'unknown';

export interface OutputFile extends FileRef {
  nodeId: string;
  /** The output key, e.g. `images`, `gifs`, `audio`. */
  kind: string;
}

export interface EntryError {
  nodeId: string;
  nodeType: string;
  message: string;
  exceptionType?: string;
  traceback?: string[];
}

export interface QueueEntry {
  id: string;
  status: EntryStatus;
  /** The server's queue number (lower runs first). */
  number: number;
  prompt: ApiPrompt;
  extraData: Record<string, unknown>;
  nodeCount: number;
  outputs: OutputFile[];
  errors: EntryError[];
  /** Epoch ms; from history messages, or `extra_data.create_time` on newer servers. */
  createdAt?: number;
  startedAt?: number;
  endedAt?: number;
  cachedCount?: number;
}

function promptOf(item: unknown): ApiPrompt {
  return Array.isArray(item) && isRecord(item[2]) ? (item[2] as ApiPrompt) : {};
}

export function entryFromQueueItem(item: QueueItem, status: 'running' | 'pending'): QueueEntry | undefined {
  if (!Array.isArray(item) || typeof item[1] !== 'string') return undefined;
  const prompt = promptOf(item);
  const extraData = isRecord(item[3]) ? item[3] : {};
  const entry: QueueEntry = { id: item[1], status, number: typeof item[0] === 'number' ? item[0] : 0, prompt, extraData, nodeCount: Object.keys(prompt).length, outputs: [], errors: [] };
  if (typeof extraData.create_time === 'number') entry.createdAt = extraData.create_time;
  return entry;
}

/** Output files of a history item (or of `executed` messages): every `{filename, subfolder?, type?}` in list outputs. */
export function outputFiles(outputs: unknown): OutputFile[] {
  const files: OutputFile[] = [];
  if (!isRecord(outputs)) return files;
  for (const [nodeId, ui] of Object.entries(outputs)) {
    if (!isRecord(ui)) continue;
    for (const [kind, list] of Object.entries(ui)) {
      if (!Array.isArray(list)) continue;
      for (const f of list) {
        if (!isRecord(f) || typeof f.filename !== 'string') continue;
        files.push({ nodeId, kind, filename: f.filename, subfolder: typeof f.subfolder === 'string' ? f.subfolder : '', type: typeof f.type === 'string' ? f.type : 'output' });
      }
    }
  }
  return files;
}

export function entryFromHistory(id: string, item: HistoryItem): QueueEntry {
  const prompt = promptOf(item?.prompt);
  const extraData = Array.isArray(item?.prompt) && isRecord(item.prompt[3]) ? item.prompt[3] : {};
  const entry: QueueEntry = {
    id,
    status: 'unknown',
    number: Array.isArray(item?.prompt) && typeof item.prompt[0] === 'number' ? item.prompt[0] : 0,
    prompt,
    extraData,
    nodeCount: Object.keys(prompt).length,
    outputs: outputFiles(item?.outputs),
    errors: [],
  };
  if (typeof extraData.create_time === 'number') entry.createdAt = extraData.create_time;
  const status = isRecord(item?.status) ? item.status : undefined;
  const messages = status && Array.isArray(status.messages) ? status.messages : [];
  let interrupted = false;
  for (const m of messages) {
    if (!Array.isArray(m) || typeof m[0] !== 'string' || !isRecord(m[1])) continue;
    const data = m[1];
    const ts = typeof data.timestamp === 'number' ? data.timestamp : undefined;
    switch (m[0]) {
      case 'execution_start':
        if (ts !== undefined) entry.startedAt = ts;
        break;
      case 'execution_cached':
        if (Array.isArray(data.nodes)) entry.cachedCount = data.nodes.length;
        break;
      case 'execution_success':
        if (ts !== undefined) entry.endedAt = ts;
        break;
      case 'execution_interrupted':
        interrupted = true;
        if (ts !== undefined) entry.endedAt = ts;
        break;
      case 'execution_error': {
        if (ts !== undefined) entry.endedAt = ts;
        const err: EntryError = {
          nodeId: String(data.node_id ?? ''),
          nodeType: String(data.node_type ?? ''),
          message: String(data.exception_message ?? 'Execution failed'),
        };
        if (typeof data.exception_type === 'string') err.exceptionType = data.exception_type;
        if (Array.isArray(data.traceback)) err.traceback = data.traceback.map(String);
        entry.errors.push(err);
        break;
      }
    }
  }
  // 0.3.64 reports an interrupt as status_str "error"; the message list tells them apart.
  if (interrupted) entry.status = 'interrupted';
  else if (status?.status_str === 'success') entry.status = 'success';
  else if (status?.status_str === 'error') entry.status = 'error';
  else if (status?.completed === true) entry.status = 'success';
  return entry;
}

/** `filename_prefix` of the first output node that has one: the natural name of a run that did not come from a file. */
export function outputPrefix(entry: QueueEntry): string | undefined {
  for (const node of Object.values(entry.prompt)) {
    const p = node?.inputs?.filename_prefix;
    if (typeof p === 'string' && p.length > 0) return p;
  }
  return undefined;
}

/** The UI workflow the prompt was queued with, when the client attached one (web UI, this extension). */
export function attachedWorkflow(entry: QueueEntry): unknown {
  const png = entry.extraData.extra_pnginfo;
  return isRecord(png) && isRecord(png.workflow) ? png.workflow : undefined;
}

export function durationMs(entry: QueueEntry): number | undefined {
  return entry.startedAt !== undefined && entry.endedAt !== undefined ? Math.max(0, entry.endedAt - entry.startedAt) : undefined;
}

