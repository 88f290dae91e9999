// DOM rendering of the preview webview. Every string that came from a server or a file (file names, subfolders,
// node titles, messages) is set with textContent or as an attribute value, never parsed as HTML: a file named
// `<img src=x onerror=…>.png` shows up as that text. Functions take the Document so tests can use a tiny DOM.
import {
  DEFAULT_PREVIEW_LABELS,
  type GalleryItem,
  type GalleryState,
  type ItemAction,
  type PreviewLabels,
  type ProgressInfo,
} from '../../shared/previewProtocol';

export interface RenderHooks {
  action(action: ItemAction, itemId: string): void;
  toggleCompare(itemId: string): void;
}

/** The page's words, in the editor's language once the host's labels are read (setLabels). */
let L: PreviewLabels = DEFAULT_PREVIEW_LABELS;

export function setLabels(labels: PreviewLabels): void {
  L = labels;
}

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function progressText(p: ProgressInfo | undefined): string {
  if (!p) return '';
  const where = p.nodeTitle ?? (p.nodeId ? `#${p.nodeId}` : '');
  const step = L.step.replace('{0}', String(p.value)).replace('{1}', String(p.max));
  return `${step}${where ? ` · ${where}` : ''}`;
}

/** The header: title, status and progress. */
export function renderHeader(
  doc: Document,
  root: HTMLElement,
  state: Pick<GalleryState, 'title' | 'status' | 'message'>,
  progress: ProgressInfo | undefined,
): void {
  root.replaceChildren();
  root.append(el(doc, 'h1', 'title', state.title));
  const status = el(doc, 'div', `status status-${state.status}`, Object.hasOwn(L, state.status) ? L[state.status] : state.status);
  status.setAttribute('role', 'status');
  root.append(status);
  if (progress && state.status === 'running') {
    const bar = el(doc, 'progress', 'progress');
    bar.max = Math.max(1, progress.max);
    bar.value = Math.min(progress.value, progress.max);
    root.append(bar, el(doc, 'span', 'progress-text', progressText(progress)));
  }
  if (state.message) root.append(el(doc, 'p', 'message', state.message));
}

/** The live sampler preview (a data: URL the host built from a binary frame), or nothing. */
export function renderLive(doc: Document, root: HTMLElement, src: string | undefined, progress: ProgressInfo | undefined): void {
  root.replaceChildren();
  if (!src) {
    root.hidden = true;
    return;
  }
  root.hidden = false;
  const img = el(doc, 'img', 'live-image');
  img.alt = L.livePreview;
  img.src = src;
  root.append(img, el(doc, 'div', 'live-caption', progressText(progress) || L.livePreview));
}

function itemLabel(item: GalleryItem): string {
  return item.subfolder ? `${item.subfolder}/${item.filename}` : item.filename;
}

const ACTIONS: { action: ItemAction; label: keyof PreviewLabels; title: keyof PreviewLabels; when?: (i: GalleryItem) => boolean }[] = [
  { action: 'openInEditor', label: 'open', title: 'openTitle' },
  { action: 'save', label: 'save', title: 'saveTitle' },
  { action: 'copyPath', label: 'copyPath', title: 'copyPathTitle' },
  { action: 'showMetadata', label: 'metadata', title: 'metadataTitle', when: (i) => i.kind === 'image' },
  { action: 'openWorkflow', label: 'workflow', title: 'workflowTitle', when: (i) => i.kind === 'image' },
];

export function renderItem(doc: Document, item: GalleryItem, selected: boolean, hooks: RenderHooks): HTMLElement {
  const fig = el(doc, 'figure', `item item-${item.kind}${selected ? ' selected' : ''}`);
  fig.dataset.itemId = item.id;
  if (item.kind === 'image' && item.src && !item.error) {
    const img = el(doc, 'img', 'thumb');
    img.src = item.src;
    img.alt = itemLabel(item);
    img.loading = 'lazy';
    fig.append(img);
  } else {
    const box = el(doc, 'div', 'placeholder', item.error ?? (item.loading ? L.loading : item.kind === 'image' ? L.noPreview : item.kind.toUpperCase()));
    if (item.error) box.classList.add('error');
    fig.append(box);
  }
  const caption = el(doc, 'figcaption');
  caption.append(el(doc, 'span', 'name', itemLabel(item)));
  const meta = [item.nodeTitle ?? `#${item.nodeId}`, item.width && item.height ? `${item.width}×${item.height}` : '', item.type !== 'output' ? item.type : '']
    .filter(Boolean)
    .join(' · ');
  caption.append(el(doc, 'span', 'meta', meta));
  fig.append(caption);
  const bar = el(doc, 'div', 'actions');
  for (const a of ACTIONS) {
    if (a.when && !a.when(item)) continue;
    const b = el(doc, 'button', 'action', L[a.label]);
    b.type = 'button';
    b.title = L[a.title];
    b.addEventListener('click', () => hooks.action(a.action, item.id));
    bar.append(b);
  }
  if (item.error) {
    const retry = el(doc, 'button', 'action', L.retry);
    retry.type = 'button';
    retry.addEventListener('click', () => hooks.action('retry', item.id));
    bar.append(retry);
  }
  if (item.kind === 'image' && item.src) {
    const cmp = el(doc, 'button', 'action compare', selected ? L.uncompare : L.compare);
    cmp.type = 'button';
    cmp.title = L.compareTitle;
    cmp.addEventListener('click', () => hooks.toggleCompare(item.id));
    bar.append(cmp);
  }
  fig.append(bar);
  return fig;
}

/** The gallery; `hiddenNote` (the host's sentence about outputs past the cap) comes first, as text. */
export function renderGallery(
  doc: Document,
  root: HTMLElement,
  items: GalleryItem[],
  selected: readonly string[],
  hooks: RenderHooks,
  hiddenNote?: string,
): void {
  root.replaceChildren();
  if (hiddenNote) root.append(el(doc, 'p', 'hidden-note', hiddenNote));
  if (items.length === 0) {
    root.append(el(doc, 'p', 'empty', L.noOutputs));
    return;
  }
  for (const item of items) root.append(renderItem(doc, item, selected.includes(item.id), hooks));
}

/** Two images side by side (the two selected for comparison), or nothing. */
export function renderCompare(doc: Document, root: HTMLElement, items: GalleryItem[], pair: readonly string[], onClose: () => void): void {
  root.replaceChildren();
  const [a, b] = pair.map((id) => items.find((i) => i.id === id));
  if (pair.length !== 2 || !a?.src || !b?.src) {
    root.hidden = true;
    return;
  }
  root.hidden = false;
  const head = el(doc, 'div', 'compare-head');
  head.append(el(doc, 'span', 'compare-title', L.compare));
  const close = el(doc, 'button', 'action', L.close);
  close.type = 'button';
  close.addEventListener('click', onClose);
  head.append(close);
  const row = el(doc, 'div', 'compare-row');
  for (const item of [a, b]) {
    const side = el(doc, 'figure', 'compare-side');
    const img = el(doc, 'img', 'compare-image');
    img.src = item.src!;
    img.alt = itemLabel(item);
    side.append(img, el(doc, 'figcaption', 'name', itemLabel(item)));
    row.append(side);
  }
  root.append(head, row);
}
