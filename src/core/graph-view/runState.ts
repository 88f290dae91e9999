// A run as the graph shows it, from the server's socket messages for one prompt: which node executes (with its
// sampler steps), which were cached, done or failed, and the image files each output node produced. Ids are the
// server's execution ids; the view maps them onto the scene with `sceneNodeId`.
import { promptIdOf, type ComfyMessage } from '../comfy/messages';
import type { FileRef } from '../comfy/types';

export interface GraphRun {
  promptId: string;
  executing?: { nodeId: string; value?: number; max?: number };
  cached: string[];
  done: string[];
  failed: string[];
  /** Output files per node (images only; at most MAX_FILES_PER_NODE each). */
  outputs: Map<string, FileRef[]>;
  finished: boolean;
}

const MAX_FILES_PER_NODE = 4;
const MAX_IDS = 5000;

export function startGraphRun(promptId: string): GraphRun {
  return { promptId, cached: [], done: [], failed: [], outputs: new Map(), finished: false };
}

const push = (list: string[], id: string): void => {
  if (list.length < MAX_IDS && !list.includes(id)) list.push(id);
};

/** Applies one message (messages of other prompts are ignored); returns whether anything changed. */
export function reduceGraphRun(run: GraphRun, m: ComfyMessage): boolean {
  const pid = promptIdOf(m);
  if (pid !== undefined && pid !== run.promptId) return false;
  switch (m.type) {
    case 'execution_cached':
      for (const id of m.data.nodes.slice(0, MAX_IDS)) if (typeof id === 'string') push(run.cached, id);
      return true;
    case 'executing': {
      if (pid === undefined) return false; // the on-connect replay names no prompt
      if (run.executing) push(run.done, run.executing.nodeId);
      if (m.data.node === null) {
        delete run.executing;
        run.finished = true;
      } else run.executing = { nodeId: String(m.data.node) };
      return true;
    }
    case 'progress': {
      const node = m.data.node ?? run.executing?.nodeId;
      if (node === undefined || node === null) return false;
      run.executing = { nodeId: String(node), value: m.data.value, max: m.data.max };
      return true;
    }
    case 'executed': {
      push(run.done, m.data.node);
      const images = (m.data.output as { images?: unknown }).images;
      if (Array.isArray(images)) {
        const files: FileRef[] = [];
        for (const f of images) {
          const r = f as Record<string, unknown>;
          if (typeof r?.filename !== 'string' || files.length >= MAX_FILES_PER_NODE) continue;
          files.push({
            filename: r.filename,
            subfolder: typeof r.subfolder === 'string' ? r.subfolder : '',
            type: typeof r.type === 'string' ? r.type : 'output',
          });
        }
        if (files.length) run.outputs.set(m.data.node, files);
      }
      return true;
    }
    case 'execution_error':
      push(run.failed, m.data.node_id);
      delete run.executing;
      run.finished = true;
      return true;
    case 'execution_interrupted':
    case 'execution_success':
      if (run.executing) push(run.done, run.executing.nodeId);
      delete run.executing;
      run.finished = true;
      return true;
    default:
      return false;
  }
}
