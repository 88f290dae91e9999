// The messages between the extension host and the "ComfyUI Graph" webview. No vscode, no DOM. The webview checks
// every host message with `isGraphHostMessage`, the host every page message with `isGraphPageMessage`.
import type { SceneOutline } from '../core/graph-view/drawing';
import type { SvgElement } from '../core/graph-view/svgTree';

export type { OutlineNode, SceneOutline } from '../core/graph-view/drawing';
export type { SvgElement } from '../core/graph-view/svgTree';

export interface NodeRunState {
  /** The node running now, with its sampler steps when the server reports them. */
  executing?: { nodeId: string; value?: number; max?: number };
  cached: string[];
  done: string[];
  failed: string[];
}

export interface Thumbnail {
  nodeId: string;
  /** A webview URI of the cached thumbnail (fetched by the host through the preview service's cache). */
  src: string;
  /** Where it goes, relative to the node (the core's `thumbnailBox`). */
  box: { x: number; y: number; w: number; h: number };
  /** How many outputs the node produced (the first is shown; more are counted). */
  total: number;
}

/** A thumbnail the page can draw: a string id and source, a finite box and count. */
export function isThumbnail(t: unknown): t is Thumbnail {
  if (!t || typeof t !== 'object') return false;
  const r = t as Record<string, unknown>;
  const b = r.box as Record<string, unknown> | undefined;
  const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
  return isStr(r.nodeId) && isStr(r.src) && !!b && typeof b === 'object' && finite(b.x) && finite(b.y) && finite(b.w) && finite(b.h) && finite(r.total);
}

export type GraphHostMessage =
  /**
   * A new drawing: the core's SVG tree (theme `vscode`, built by the validation worker so the page needs no core
   * code) as UTF-8 JSON bytes (`decodeSvgTree`; the host passes them on untouched), and the scene's outline (node
   * boxes, problem marks, drill steps, breadcrumb, bounds). `keepViewport` after an edit (same file, same level),
   * else the page fits it.
   */
  | { type: 'scene'; scene: SceneOutline; tree: Uint8Array; order: string[]; keepViewport: boolean; title: string }
  /** The node under the cursor in the JSON (undefined: none). */
  | { type: 'highlight'; nodeId: string | undefined }
  | { type: 'run'; state: NodeRunState | undefined }
  | { type: 'thumbnails'; items: Thumbnail[] }
  /** A sentence instead of a graph (half-typed UI file, not a workflow). */
  | { type: 'message'; text: string };

export type GraphPageMessage =
  | { type: 'ready' }
  /** Reveal the node's JSON in the editor. */
  | { type: 'reveal'; nodeId: string }
  /** Open a subgraph / group node instance. */
  | { type: 'open'; nodeId: string }
  /** Back to breadcrumb depth `depth` (0 = root). */
  | { type: 'up'; depth: number }
  /** Go to a problem (offset in the file). */
  | { type: 'problem'; offset: number };

const isStr = (v: unknown): v is string => typeof v === 'string';

export function isGraphPageMessage(m: unknown): m is GraphPageMessage {
  if (!m || typeof m !== 'object') return false;
  const r = m as Record<string, unknown>;
  switch (r.type) {
    case 'ready':
      return true;
    case 'reveal':
    case 'open':
      return isStr(r.nodeId) && r.nodeId.length <= 1000;
    case 'up':
      return typeof r.depth === 'number' && Number.isInteger(r.depth) && r.depth >= 0;
    case 'problem':
      return typeof r.offset === 'number' && Number.isInteger(r.offset) && r.offset >= 0;
    default:
      return false;
  }
}

export function isGraphHostMessage(m: unknown): m is GraphHostMessage {
  if (!m || typeof m !== 'object') return false;
  const r = m as Record<string, unknown>;
  switch (r.type) {
    case 'scene':
      return (
        !!r.scene &&
        typeof r.scene === 'object' &&
        r.tree instanceof Uint8Array &&
        Array.isArray(r.order) &&
        typeof r.keepViewport === 'boolean' &&
        isStr(r.title)
      );
    case 'highlight':
      return r.nodeId === undefined || isStr(r.nodeId);
    case 'run':
      return r.state === undefined || (!!r.state && typeof r.state === 'object');
    case 'thumbnails':
      return Array.isArray(r.items);
    case 'message':
      return isStr(r.text);
    default:
      return false;
  }
}

/** The SVG tree of a `scene` message; undefined when the bytes are not one (the page then keeps what it shows). */
export function decodeSvgTree(bytes: Uint8Array): SvgElement | undefined {
  try {
    const tree = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    return tree && typeof tree === 'object' && typeof (tree as SvgElement).tag === 'string' && typeof (tree as SvgElement).attrs === 'object'
      ? (tree as SvgElement)
      : undefined;
  } catch {
    return undefined;
  }
}
