// Progress of one queued prompt, folded from the server's WebSocket messages. Pure: the caller passes the clock, so
// the same reducer drives the progress notification, the status bar and the tests.
import type { ApiPrompt } from '../comfy/types';
import { isRecord } from '../util/guards';
import { formatElapsed } from '../util/display';

export type RunStatus = 'pending' | 'running' | 'success' | 'error' | 'interrupted';

export interface RunOutput {
  nodeId: string;
  output: Record<string, unknown>;
}

export interface RunFailure {
  nodeId: string;
  nodeType: string;
  message: string;
  exceptionType: string;
  traceback: string[];
}

export interface RunState {
  promptId: string;
  status: RunStatus;
  /** Titles by node id (from `_meta.title`, else class_type), for messages. */
  titles: Record<string, string>;
  totalNodes: number;
  queuedAt: number;
  startedAt?: number;
  endedAt?: number;
  currentNode?: string;
  /** Sampler steps (or any progress-bar value) of the current node. */
  value?: number;
  max?: number;
  cachedNodes: string[];
  executedNodes: string[];
  outputs: RunOutput[];
  failure?: RunFailure;
  /** Node where an interrupt stopped the run. */
  interruptedAt?: string;
}

export interface SocketMessage {
  type: string;
  data: unknown;
}

export function nodeTitles(prompt: ApiPrompt): Record<string, string> {
  // No prototype: a node id the server names ("constructor", "__proto__") must not find Object's members.
  const titles = Object.create(null) as Record<string, string>;
  for (const [id, node] of Object.entries(prompt)) {
    const t = node?._meta?.title;
    titles[id] = typeof t === 'string' && t.length > 0 ? t : String(node?.class_type ?? id);
  }
  return titles;
}

export function startRun(promptId: string, prompt: ApiPrompt, now: number): RunState {
  const titles = nodeTitles(prompt);
  return { promptId, status: 'pending', titles, totalNodes: Object.keys(titles).length, queuedAt: now, cachedNodes: [], executedNodes: [], outputs: [] };
}

export function isFinished(state: RunState): boolean {
  return state.status === 'success' || state.status === 'error' || state.status === 'interrupted';
}

function markExecuted(list: string[], id: string | undefined): string[] {
  return id === undefined || list.includes(id) ? list : [...list, id];
}

/** Applies one socket message; messages of other prompts (and anything malformed) leave the state unchanged. */
export function reduceRun(state: RunState, msg: SocketMessage, now: number): RunState {
  const d = msg.data;
  if (!isRecord(d)) return state;
  // `progress` of old servers and the reconnect replay of `executing` carry no prompt_id: accept them only while running.
  const pid = d.prompt_id;
  if (pid !== undefined ? pid !== state.promptId : state.status !== 'running') return state;
  if (isFinished(state)) return state;
  switch (msg.type) {
    case 'execution_start':
      // Local clock only: the server's timestamps come from another machine's clock.
      return { ...state, status: 'running', startedAt: now };
    case 'execution_cached': {
      const nodes = Array.isArray(d.nodes) ? d.nodes.map(String) : [];
      return { ...state, status: 'running', startedAt: state.startedAt ?? now, cachedNodes: [...new Set([...state.cachedNodes, ...nodes])] };
    }
    case 'executing': {
      const node = d.display_node ?? d.node;
      if (node === null || node === undefined) {
        // The legacy "prompt finished" signal; success unless an error/interrupt came first.
        return { ...state, status: 'success', endedAt: now, currentNode: undefined, value: undefined, max: undefined } as RunState;
      }
      const { value: _v, max: _m, ...rest } = state;
      void _v;
      void _m;
      return {
        ...rest,
        status: 'running',
        startedAt: state.startedAt ?? now,
        currentNode: String(node),
        executedNodes: markExecuted(state.executedNodes, state.currentNode),
      };
    }
    case 'progress': {
      if (typeof d.value !== 'number' || typeof d.max !== 'number') return state;
      const node = typeof d.node === 'string' ? d.node : state.currentNode;
      return { ...state, status: 'running', value: d.value, max: d.max, ...(node !== undefined ? { currentNode: node } : {}) };
    }
    case 'executed': {
      const node = String(d.display_node ?? d.node ?? '');
      const output = isRecord(d.output) ? d.output : {};
      return {
        ...state,
        executedNodes: markExecuted(state.executedNodes, node),
        outputs: [...state.outputs.filter((o) => o.nodeId !== node), { nodeId: node, output }],
      };
    }
    case 'execution_success':
      return { ...state, status: 'success', endedAt: now, executedNodes: markExecuted(state.executedNodes, state.currentNode) };
    case 'execution_error':
      return {
        ...state,
        status: 'error',
        endedAt: now,
        failure: {
          nodeId: String(d.node_id ?? ''),
          nodeType: String(d.node_type ?? ''),
          message: String(d.exception_message ?? 'Execution failed'),
          exceptionType: String(d.exception_type ?? ''),
          traceback: Array.isArray(d.traceback) ? d.traceback.map(String) : [],
        },
      };
    case 'execution_interrupted':
      return { ...state, status: 'interrupted', endedAt: now, ...(d.node_id !== undefined && d.node_id !== null ? { interruptedAt: String(d.node_id) } : {}) };
    default:
      return state;
  }
}

/** One line for the progress notification and the status bar tooltip, e.g. "KSampler · step 12/20 · 2 cached · 0:14". */
export function describeRun(state: RunState, now: number): string {
  const parts: string[] = [];
  const since = state.startedAt ?? state.queuedAt;
  const elapsed = formatElapsed((state.endedAt ?? now) - since);
  switch (state.status) {
    case 'pending':
      return `Waiting in queue · ${formatElapsed(now - state.queuedAt)}`;
    case 'success':
      return `Finished in ${elapsed}${state.cachedNodes.length ? ` · ${state.cachedNodes.length} cached` : ''}`;
    case 'error':
      return `Failed at ${state.failure ? (state.titles[state.failure.nodeId] ?? state.failure.nodeType ?? state.failure.nodeId) : 'unknown node'} after ${elapsed}`;
    case 'interrupted':
      return `Interrupted after ${elapsed}`;
    case 'running':
      break;
  }
  if (state.currentNode !== undefined) {
    const done = state.executedNodes.length + state.cachedNodes.length;
    parts.push(`${state.titles[state.currentNode] ?? `#${state.currentNode}`} (${Math.min(done + 1, state.totalNodes)}/${state.totalNodes})`);
  } else parts.push('Starting');
  if (state.value !== undefined && state.max !== undefined && state.max > 0) parts.push(`step ${state.value}/${state.max}`);
  if (state.cachedNodes.length) parts.push(`${state.cachedNodes.length} cached`);
  parts.push(elapsed);
  return parts.join(' · ');
}

/** 0..1 share of the work done: finished and cached nodes, plus the current node's step fraction. */
export function runFraction(state: RunState): number {
  if (state.status === 'success') return 1;
  if (state.totalNodes === 0) return 0;
  const step = state.value !== undefined && state.max ? Math.min(1, state.value / state.max) : 0;
  const done = state.executedNodes.length + state.cachedNodes.length + (state.currentNode !== undefined ? step : 0);
  return Math.min(1, done / state.totalNodes);
}
