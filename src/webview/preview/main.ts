// Entry of the preview webview (bundled to dist/webview/preview.js). It only renders what the host posts and posts
// back user actions; it never talks to the ComfyUI server (the host fetches every byte with the right headers).
import {
  applyHostMessage,
  isHostToWebview,
  isPersistedState,
  readPreviewLabels,
  type GalleryState,
  type PersistedState,
  type ProgressInfo,
  type WebviewToHost,
} from '../../shared/previewProtocol';
import { renderCompare, renderGallery, renderHeader, renderLive, setLabels, type RenderHooks } from './render';
import './preview.css';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: PersistedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const saved = vscode.getState();
const persisted: PersistedState = isPersistedState(saved) ? saved : {};

let state: GalleryState = {
  title: persisted.title ?? 'ComfyUI Preview',
  status: 'idle',
  items: [],
  ...(persisted.promptId ? { promptId: persisted.promptId } : {}),
};
let progress: ProgressInfo | undefined;
let live: string | undefined;
let compare: string[] = persisted.compare ? [...persisted.compare] : [];

const byId = (id: string): HTMLElement => document.getElementById(id) as HTMLElement;
const header = byId('header');
const liveRoot = byId('live');
const compareRoot = byId('compare');
const gallery = byId('gallery');
setLabels(readPreviewLabels(parseLabels(gallery.dataset.labels)));

function parseLabels(text: string | undefined): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

const hooks: RenderHooks = {
  action: (action, itemId) => vscode.postMessage({ type: 'action', action, itemId }),
  toggleCompare: (itemId) => {
    compare = compare.includes(itemId) ? compare.filter((i) => i !== itemId) : [...compare, itemId].slice(-2);
    if (compare.length === 2) vscode.postMessage({ type: 'compare', left: compare[0]!, right: compare[1]! });
    persist();
    renderAll();
  },
};

function persist(): void {
  vscode.setState({
    ...(state.promptId ? { promptId: state.promptId } : {}),
    title: state.title,
    ...(compare.length === 2 ? { compare: [compare[0]!, compare[1]!] } : {}),
  });
}

function renderAll(): void {
  renderHeader(document, header, state, progress);
  renderLive(document, liveRoot, state.status === 'running' ? live : undefined, progress);
  renderCompare(document, compareRoot, state.items, compare, () => {
    compare = [];
    persist();
    renderAll();
  });
  renderGallery(document, gallery, state.items, compare, hooks, state.hiddenNote);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = event.data;
  if (!isHostToWebview(m)) return;
  switch (m.type) {
    case 'state':
      if (m.state.promptId !== state.promptId) {
        compare = [];
        live = undefined;
      }
      state = applyHostMessage(state, m);
      progress = m.state.progress;
      compare = compare.filter((id) => state.items.some((i) => i.id === id));
      persist();
      renderAll();
      return;
    case 'items':
      // A delta: at most MAX_GALLERY_ITEMS items are ever on the page, so re-rendering them is bounded.
      state = applyHostMessage(state, m);
      compare = compare.filter((id) => state.items.some((i) => i.id === id));
      renderAll();
      return;
    case 'status':
      state = applyHostMessage(state, m);
      progress = m.progress;
      if (m.status !== 'running') live = undefined;
      renderAll();
      return;
    case 'progress':
      progress = m.progress;
      state = { ...state, status: m.status };
      renderHeader(document, header, state, progress);
      if (m.status !== 'running') renderLive(document, liveRoot, undefined, undefined);
      return;
    case 'livePreview':
      live = m.src;
      if (m.progress) progress = m.progress;
      renderLive(document, liveRoot, live, progress);
      return;
    case 'clearLivePreview':
      live = undefined;
      renderLive(document, liveRoot, undefined, undefined);
      return;
  }
});

renderAll();
vscode.postMessage({ type: 'ready' });
