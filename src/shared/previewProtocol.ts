// The messages between the extension host and the "ComfyUI Preview" webview. Both sides import this file; it has
// no vscode and no DOM dependency. Everything that crosses the boundary is checked by a type guard on arrival:
// a webview is a separate, less trusted context, and a host message may come from an older version after a reload.
import type { RunStatus } from '../core/queue/runTracker';

export type ItemKind = 'image' | 'video' | 'audio' | 'other';

/** One output file of a prompt as the gallery shows it. Every string is displayed as text, never as markup. */
export interface GalleryItem {
  /** Stable within a gallery: `${nodeId}/${type}/${subfolder}/${filename}`. */
  id: string;
  nodeId: string;
  /** The node's title when known (else its class type or id). */
  nodeTitle?: string;
  filename: string;
  subfolder: string;
  type: string;
  kind: ItemKind;
  /** A webview URI of the cached (thumbnail) bytes; absent while loading or when the file cannot be shown. */
  src?: string;
  width?: number;
  height?: number;
  /** One sentence when the file could not be fetched (404, 403, too large …). */
  error?: string;
  loading?: boolean;
}

/** The run the gallery shows (the one status type of the run tracker), or `idle`: no run shown yet. */
export type PreviewStatus = RunStatus | 'idle';

export interface ProgressInfo {
  value: number;
  max: number;
  nodeId?: string;
  nodeTitle?: string;
}

export interface GalleryState {
  promptId?: string;
  /** e.g. the workflow's file name. */
  title: string;
  status: PreviewStatus;
  items: GalleryItem[];
  progress?: ProgressInfo;
  /** A one-line message (offline, no outputs …). */
  message?: string;
  /** Outputs of this prompt that are not shown (older than the newest ones the gallery keeps). */
  hidden?: number;
  /** The line shown for them ("800 older outputs are not shown."), in the user's language; absent when none. */
  hiddenNote?: string;
}

/**
 * The host posts the whole gallery (`state`) only when the page is (re)loaded or the shown prompt changes; after that,
 * deltas: `items` adds or replaces items by id (new ones go last) and drops `removed` ones, `status` changes the
 * header. A run with thousands of outputs thus costs traffic in proportion to its outputs, not their square (issue 13).
 */
export type HostToWebview =
  | { type: 'state'; state: GalleryState }
  | { type: 'items'; items: GalleryItem[]; removed?: string[]; hidden?: number; hiddenNote?: string }
  | { type: 'status'; status: PreviewStatus; message?: string; progress?: ProgressInfo }
  | { type: 'progress'; progress: ProgressInfo | undefined; status: PreviewStatus }
  | { type: 'livePreview'; src: string; nodeId?: string; progress?: ProgressInfo }
  | { type: 'clearLivePreview' };

export type ItemAction = 'save' | 'copyPath' | 'openInEditor' | 'showMetadata' | 'openWorkflow' | 'retry';

export const ITEM_ACTIONS: readonly ItemAction[] = ['save', 'copyPath', 'openInEditor', 'showMetadata', 'openWorkflow', 'retry'];

export type WebviewToHost = { type: 'ready' } | { type: 'action'; action: ItemAction; itemId: string } | { type: 'compare'; left: string; right: string };

/** What the webview keeps in `vscode.setState` (and the serializer gets back after a reload). */
export interface PersistedState {
  promptId?: string;
  title?: string;
  compare?: [string, string];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

export function isWebviewToHost(v: unknown): v is WebviewToHost {
  if (!isRecord(v)) return false;
  switch (v.type) {
    case 'ready':
      return true;
    case 'action':
      return isStr(v.itemId) && ITEM_ACTIONS.includes(v.action as ItemAction);
    case 'compare':
      return isStr(v.left) && isStr(v.right);
    default:
      return false;
  }
}

function isProgress(v: unknown): v is ProgressInfo {
  return isRecord(v) && typeof v.value === 'number' && typeof v.max === 'number';
}

function isItem(v: unknown): v is GalleryItem {
  return (
    isRecord(v) &&
    isStr(v.id) &&
    isStr(v.nodeId) &&
    isStr(v.filename) &&
    isStr(v.subfolder) &&
    isStr(v.type) &&
    isStr(v.kind) &&
    (v.src === undefined || isStr(v.src))
  );
}

export function isHostToWebview(v: unknown): v is HostToWebview {
  if (!isRecord(v)) return false;
  switch (v.type) {
    case 'state': {
      const s = v.state;
      return isRecord(s) && isStr(s.title) && isStr(s.status) && Array.isArray(s.items) && s.items.every(isItem);
    }
    case 'items':
      return (
        Array.isArray(v.items) &&
        v.items.every(isItem) &&
        (v.removed === undefined || (Array.isArray(v.removed) && v.removed.every(isStr))) &&
        (v.hidden === undefined || typeof v.hidden === 'number') &&
        (v.hiddenNote === undefined || isStr(v.hiddenNote))
      );
    case 'status':
      return isStr(v.status) && (v.message === undefined || isStr(v.message)) && (v.progress === undefined || isProgress(v.progress));
    case 'progress':
      return isStr(v.status) && (v.progress === undefined || isProgress(v.progress));
    case 'livePreview':
      return isStr(v.src) && /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/=]*$/.test(v.src);
    case 'clearLivePreview':
      return true;
    default:
      return false;
  }
}

/**
 * The gallery after one host message, as the page keeps it (the page and the tests fold messages with this).
 * Pure: returns a new state, never mutates `state`. Live-preview messages leave the gallery as it is.
 */
export function applyHostMessage(state: GalleryState, m: HostToWebview): GalleryState {
  switch (m.type) {
    case 'state':
      return m.state;
    case 'items': {
      // Removals first (they name items the page had), then the items: replaced in place, or added last.
      const removed = new Set(m.removed ?? []);
      const byId = new Map(m.items.map((i) => [i.id, i]));
      const items: GalleryItem[] = [];
      for (const i of state.items) {
        if (removed.has(i.id)) continue;
        const next = byId.get(i.id);
        items.push(next ?? i);
        byId.delete(i.id);
      }
      items.push(...byId.values());
      const next: GalleryState = { ...state, items };
      delete next.hidden;
      delete next.hiddenNote;
      if (m.hidden) next.hidden = m.hidden;
      if (m.hidden && m.hiddenNote) next.hiddenNote = m.hiddenNote;
      return next;
    }
    case 'status': {
      const next: GalleryState = { ...state, status: m.status };
      delete next.message;
      delete next.progress;
      if (m.message !== undefined) next.message = m.message;
      if (m.progress !== undefined) next.progress = m.progress;
      return next;
    }
    case 'progress': {
      const next: GalleryState = { ...state, status: m.status };
      delete next.progress;
      if (m.progress) next.progress = m.progress;
      return next;
    }
    case 'livePreview':
    case 'clearLivePreview':
      return state;
  }
}

export function isPersistedState(v: unknown): v is PersistedState {
  return isRecord(v) && (v.promptId === undefined || isStr(v.promptId)) && (v.title === undefined || isStr(v.title));
}

/**
 * The page's own words. The host sends them translated (vscode.l10n) in the page's HTML; the page starts from these
 * English ones and takes only string values for known keys from what it is given.
 */
export const DEFAULT_PREVIEW_LABELS = {
  idle: 'No run yet',
  pending: 'Queued',
  running: 'Running',
  success: 'Finished',
  error: 'Failed',
  interrupted: 'Interrupted',
  step: 'Step {0}/{1}',
  livePreview: 'Live preview',
  open: 'Open',
  openTitle: 'Open in an editor tab',
  save: 'Save',
  saveTitle: 'Save to the workspace',
  copyPath: 'Copy path',
  copyPathTitle: 'Copy the local path of the file',
  metadata: 'Metadata',
  metadataTitle: 'Show the generation metadata (embedded prompt and workflow)',
  workflow: 'Workflow',
  workflowTitle: 'Open the embedded workflow as a new document',
  loading: 'Loading…',
  noPreview: 'No preview',
  retry: 'Retry',
  compare: 'Compare',
  uncompare: 'Uncompare',
  compareTitle: 'Select two images to compare them side by side',
  noOutputs: 'No outputs yet.',
  close: 'Close',
};

export type PreviewLabels = typeof DEFAULT_PREVIEW_LABELS;

/** The labels in `raw` (JSON from the page's HTML) over the English ones; anything else is ignored. */
export function readPreviewLabels(raw: unknown): PreviewLabels {
  const out: PreviewLabels = { ...DEFAULT_PREVIEW_LABELS };
  if (typeof raw !== 'object' || raw === null) return out;
  for (const key of Object.keys(out) as (keyof PreviewLabels)[]) {
    const v = (raw as Record<string, unknown>)[key];
    if (typeof v === 'string' && v.length <= 200) out[key] = v;
  }
  return out;
}
