// What the preview shows for one prompt, computed from socket messages and history entries: the outputs (in the
// order they arrive), the run status and the sampler's step count. No editor API here, so tests drive it directly.
import type { ComfyMessage } from '../../core/comfy/messages';
import type { HistoryItem } from '../../core/comfy/types';
import { mediaKindOf } from '../../core/media/fileNames';
import type { GalleryItem, GalleryState, PreviewStatus, ProgressInfo } from '../../shared/previewProtocol';

/**
 * The gallery keeps (fetches, caches and shows) at most this many outputs of a prompt: the newest ones. A run or a
 * history entry can name thousands of files (batch runs, hostile servers); 200 thumbnails are more than a panel can
 * usefully show, keep the fetches to a few seconds and the cache well under its size cap, and bound what the page holds.
 */
export const MAX_GALLERY_ITEMS = 200;

export interface OutputRef {
  nodeId: string;
  filename: string;
  subfolder: string;
  type: string;
}

export function itemId(ref: OutputRef): string {
  return `${ref.nodeId}/${ref.type}/${ref.subfolder}/${ref.filename}`;
}

/** Every `{filename, subfolder?, type?}` of one node's UI output (`images`, `gifs`, `audio`, `video`, `3d` …). */
export function refsOfNodeOutput(nodeId: string, output: unknown): OutputRef[] {
  const refs: OutputRef[] = [];
  if (!output || typeof output !== 'object') return refs;
  for (const value of Object.values(output as Record<string, unknown>)) {
    if (!Array.isArray(value)) continue;
    for (const e of value) {
      if (!e || typeof e !== 'object') continue;
      const f = e as Record<string, unknown>;
      if (typeof f.filename !== 'string' || f.filename === '') continue;
      refs.push({
        nodeId,
        filename: f.filename,
        subfolder: typeof f.subfolder === 'string' ? f.subfolder : '',
        type: typeof f.type === 'string' ? f.type : 'output',
      });
    }
  }
  return refs;
}

export class GalleryModel {
  promptId: string | undefined;
  title: string;
  status: PreviewStatus = 'idle';
  progress: ProgressInfo | undefined;
  message: string | undefined;
  private readonly items = new Map<string, GalleryItem>();
  /** Outputs of this prompt dropped for the cap (older than the newest MAX_GALLERY_ITEMS). */
  hidden = 0;
  /** Ids removed since the last `takeRemoved()` (dropped for the cap or replaced by a non-merging `executed`). */
  private removed: string[] = [];
  /** Node id → title (from the prompt's `_meta.title`, else its class type). */
  private titles = new Map<string, string>();

  constructor(
    title = 'ComfyUI Preview',
    private readonly maxItems = MAX_GALLERY_ITEMS,
  ) {
    this.title = title;
  }

  /** Starts showing another prompt (drops the items of the previous one). */
  reset(promptId: string | undefined, title?: string): void {
    this.promptId = promptId;
    if (title !== undefined) this.title = title;
    this.status = promptId ? 'running' : 'idle';
    this.progress = undefined;
    this.message = undefined;
    this.items.clear();
    this.titles.clear();
    this.hidden = 0;
    this.removed = [];
  }

  /** The ids removed since the last call (for the page's delta). */
  takeRemoved(): string[] {
    const r = this.removed;
    this.removed = [];
    return r;
  }

  setPrompt(prompt: unknown): void {
    if (!prompt || typeof prompt !== 'object') return;
    for (const [id, node] of Object.entries(prompt as Record<string, unknown>)) {
      if (!node || typeof node !== 'object') continue;
      const n = node as { class_type?: unknown; _meta?: { title?: unknown } };
      const t = typeof n._meta?.title === 'string' ? n._meta.title : typeof n.class_type === 'string' ? n.class_type : undefined;
      if (t) this.titles.set(id, t);
    }
    const node = this.progress?.nodeId;
    const title = this.nodeTitle(node);
    if (this.progress && title) this.progress = { ...this.progress, nodeTitle: title };
  }

  nodeTitle(nodeId: string | undefined | null): string | undefined {
    return nodeId ? this.titles.get(nodeId) : undefined;
  }

  /**
   * Adds the outputs of one node; returns the items that are new and kept (to be fetched). Past the cap the oldest
   * items go (counted in `hidden`, their ids in `takeRemoved()`).
   */
  addOutputs(nodeId: string, output: unknown, merge = true): GalleryItem[] {
    if (!merge) {
      for (const [id, item] of this.items) {
        if (item.nodeId !== nodeId) continue;
        this.items.delete(id);
        this.removed.push(id);
      }
    }
    const added: GalleryItem[] = [];
    for (const ref of refsOfNodeOutput(nodeId, output)) {
      const id = itemId(ref);
      if (this.items.has(id)) continue;
      const title = this.nodeTitle(nodeId);
      const item: GalleryItem = { id, ...ref, kind: mediaKindOf(ref.filename), ...(title ? { nodeTitle: title } : {}), loading: true };
      this.items.set(id, item);
      added.push(item);
      if (this.items.size > this.maxItems) {
        // A Map iterates in insertion order: the first key is the oldest output.
        const oldest = this.items.keys().next().value as string;
        this.items.delete(oldest);
        this.removed.push(oldest);
        this.hidden++;
      }
    }
    // Some may have been added and dropped within this call (their removal is harmless to the page).
    return added.filter((i) => this.items.has(i.id));
  }

  /** Loads a finished (or failed) prompt from its history entry. */
  loadHistory(promptId: string, entry: HistoryItem, title?: string): GalleryItem[] {
    this.reset(promptId, title);
    if (Array.isArray(entry.prompt)) this.setPrompt(entry.prompt[2]);
    const added: GalleryItem[] = [];
    for (const [nodeId, output] of Object.entries(entry.outputs ?? {})) added.push(...this.addOutputs(nodeId, output));
    const s = entry.status;
    const interrupted = s?.messages?.some((m) => Array.isArray(m) && m[0] === 'execution_interrupted');
    this.status = interrupted ? 'interrupted' : s?.status_str === 'error' ? 'error' : 'success';
    if (added.length === 0) this.message = 'This prompt has no outputs.';
    return added;
  }

  update(id: string, patch: Partial<GalleryItem>): GalleryItem | undefined {
    const item = this.items.get(id);
    if (!item) return undefined;
    const next: GalleryItem = { ...item, ...patch };
    for (const k of Object.keys(patch) as (keyof GalleryItem)[]) if (patch[k] === undefined) delete next[k];
    this.items.set(id, next);
    return next;
  }

  item(id: string): GalleryItem | undefined {
    return this.items.get(id);
  }

  list(): GalleryItem[] {
    return [...this.items.values()];
  }

  /**
   * Applies one socket message of the followed prompt. Returns what changed: 'progress' (steps only), 'state'
   * (status, outputs) or undefined (not ours / nothing). New outputs are in `added`.
   */
  apply(m: ComfyMessage): { change: 'progress' | 'state' | undefined; added: GalleryItem[] } {
    const none = { change: undefined, added: [] as GalleryItem[] };
    if (m.type === 'unknown' || m.type === 'status' || m.type === 'feature_flags') return none;
    const pid = m.data.prompt_id;
    if (!pid || pid !== this.promptId) return none;
    switch (m.type) {
      case 'progress': {
        const node = m.data.node ?? this.progress?.nodeId;
        const title = this.nodeTitle(node);
        this.progress = { value: m.data.value, max: m.data.max, ...(node ? { nodeId: node } : {}), ...(title ? { nodeTitle: title } : {}) };
        this.status = 'running';
        return { change: 'progress', added: [] };
      }
      case 'executing':
        if (m.data.node === null) {
          if (this.status === 'running') this.status = 'success';
          this.progress = undefined;
          return { change: 'state', added: [] };
        }
        return none;
      case 'executed':
        return { change: 'state', added: this.addOutputs(m.data.node, m.data.output, m.data.merge !== false) };
      case 'execution_success':
        this.status = 'success';
        this.progress = undefined;
        return { change: 'state', added: [] };
      case 'execution_error':
        this.status = 'error';
        this.progress = undefined;
        this.message = `Node #${m.data.node_id} (${m.data.node_type}) failed: ${m.data.exception_message}`.trim();
        return { change: 'state', added: [] };
      case 'execution_interrupted':
        this.status = 'interrupted';
        this.progress = undefined;
        return { change: 'state', added: [] };
      default:
        return none;
    }
  }

  snapshot(): GalleryState {
    return {
      ...(this.promptId ? { promptId: this.promptId } : {}),
      title: this.title,
      status: this.status,
      items: this.list(),
      ...(this.progress ? { progress: this.progress } : {}),
      ...(this.message ? { message: this.message } : {}),
      ...(this.hidden ? { hidden: this.hidden } : {}),
    };
  }
}
