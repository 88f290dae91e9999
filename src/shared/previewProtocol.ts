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
}

export type HostToWebview =
  | { type: 'state'; state: GalleryState }
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

export function isPersistedState(v: unknown): v is PersistedState {
  return isRecord(v) && (v.promptId === undefined || isStr(v.promptId)) && (v.title === undefined || isStr(v.title));
}
