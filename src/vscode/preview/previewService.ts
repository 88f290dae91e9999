// The preview feature's state and behaviour behind the panel: which prompt is shown, its outputs (fetched into the
// cache by the host, shown through webview URIs), the live sampler preview from binary frames, and the per-image
// actions. It follows the runs of this window's connection: a prompt that starts executing becomes the shown one.
import * as vscode from 'vscode';
import type { ComfyClient } from '../../core/comfy/client';
import { isCancellation, isComfyError, isHttpError, isTooLargeError } from '../../core/comfy/errors';
import type { ComfyMessage } from '../../core/comfy/messages';
import type { PreviewFrame } from '../../core/comfy/socket';
import type { FileRef } from '../../core/comfy/types';
import type { Logger } from '../../core/util/logger';
import { systemClock, type Clock } from '../../core/util/clock';
import { debounce, type Debounced } from '../../core/util/debounce';
import { errorMessage } from '../../core/util/errorMessage';
import type { GalleryItem, GalleryState, HostToWebview, PersistedState, WebviewToHost } from '../../shared/previewProtocol';
import { GalleryModel, itemId, MAX_GALLERY_ITEMS, type OutputRef } from './galleryModel';
import { OutputCache, type CachedFile } from './outputCache';
import { PREVIEW_VIEW_TYPE, PreviewPanel } from './previewPanel';
import { ItemActions } from './itemActions';

export interface PreviewConnection {
  readonly client: ComfyClient | undefined;
  readonly displayUrl: string;
  readonly onMessage: vscode.Event<ComfyMessage>;
  readonly onPreview: vscode.Event<PreviewFrame>;
  readonly onDidChangeServer: vscode.Event<unknown>;
}

export type OpenOnRun = 'never' | 'start' | 'finish';

export interface PreviewSettings {
  openOnRun: OpenOnRun;
  cacheSizeMB: number;
  maxImageMB: number;
  saveFolder: string;
}

export function readPreviewSettings(): PreviewSettings {
  const c = vscode.workspace.getConfiguration('comfyui.preview');
  const openOnRun = c.get<string>('openOnRun', 'never');
  return {
    openOnRun: openOnRun === 'start' || openOnRun === 'finish' ? openOnRun : 'never',
    cacheSizeMB: Math.max(16, c.get<number>('cacheSizeMB', 256)),
    maxImageMB: Math.max(1, c.get<number>('maxImageMB', 50)),
    saveFolder: readSaveFolder(c, vscode.workspace.isTrusted),
  };
}

/**
 * `comfyui.preview.saveFolder` is restricted: in an untrusted workspace its workspace and folder values are ignored
 * (a downloaded repository must not choose where Save writes). VS Code does this for restricted settings itself; we
 * read `inspect()` so the rule also holds where it does not.
 */
export function readSaveFolder(c: Pick<vscode.WorkspaceConfiguration, 'get' | 'inspect'>, trusted: boolean): string {
  const DEFAULT = 'comfyui-outputs';
  if (trusted) return c.get<string>('saveFolder', DEFAULT) || DEFAULT;
  const i = c.inspect<string>('saveFolder');
  const v = i?.globalValue ?? i?.defaultValue;
  return typeof v === 'string' && v ? v : DEFAULT;
}

export interface PreviewServiceDeps {
  connection: PreviewConnection;
  extensionUri: vscode.Uri;
  /** globalStorage: the cache lives in `<storage>/preview-cache`. */
  storageUri: vscode.Uri;
  log: Logger;
  settings?: () => PreviewSettings;
  /** Minimum time between two live frames posted to the page (ms). */
  liveIntervalMs?: number;
  clock?: Clock;
}

const MB = 1024 * 1024;
/** Thumbnails fetched at the same time (for the whole panel). */
const THUMB_FETCHES = 3;

export class PreviewService implements vscode.Disposable {
  readonly model = new GalleryModel();
  readonly cache: OutputCache;
  readonly actions: ItemActions;
  private panel: PreviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private live: { src: string; nodeId?: string } | undefined;
  private readonly clock: Clock;
  /** Posts the newest live frame; a burst of frames within the interval joins one post. */
  private readonly postLive: Debounced<[]>;
  private lastLivePost = 0;
  private fetches = new AbortController();
  /** The prompt whose node titles are still to be read, and whether a read is running (requestTitles). */
  private titlesWanted: string | undefined;
  private titlesBusy = false;
  private readonly cacheDir: vscode.Uri;
  /** Item id → cached thumbnail path; turned into a webview URI per panel when the state is posted. */
  private readonly localPaths = new Map<string, string>();
  /** Thumbnails waiting for one of the THUMB_FETCHES workers; `done` settles the fetchThumbs call that queued it. */
  private readonly thumbQueue: { item: GalleryItem; promptId: string | undefined; done: () => void }[] = [];
  private thumbWorkers = 0;

  constructor(private readonly deps: PreviewServiceDeps) {
    this.clock = deps.clock ?? systemClock;
    this.postLive = debounce(
      () => {
        this.lastLivePost = this.clock.now();
        const m = this.liveMessage();
        if (m) this.post(m);
      },
      0,
      { clock: this.clock, mode: 'burst' },
    );
    this.cacheDir = vscode.Uri.joinPath(deps.storageUri, 'preview-cache');
    const s = this.settings();
    this.cache = new OutputCache({
      dir: this.cacheDir.fsPath,
      capBytes: s.cacheSizeMB * MB,
      maxPreviewBytes: s.maxImageMB * MB,
      maxFullBytes: Math.max(s.maxImageMB, 1024) * MB,
    });
    this.actions = new ItemActions({ fetchFull: (item) => this.fetch(item, 'full'), settings: () => this.settings(), log: deps.log });
    this.disposables.push(
      deps.connection.onMessage((m) => this.onMessage(m)),
      deps.connection.onPreview((f) => this.onPreview(f)),
      deps.connection.onDidChangeServer(() => {
        this.fetches.abort();
        this.fetches = new AbortController();
      }),
    );
  }

  settings(): PreviewSettings {
    return (this.deps.settings ?? readPreviewSettings)();
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** The open panel (tests). */
  get currentPanel(): PreviewPanel | undefined {
    return this.panel;
  }

  // ---- opening ------------------------------------------------------------------------------------------------

  /** Opens (or reveals) the panel; with a prompt id, shows that prompt's outputs from /history. */
  async show(promptId?: string, title?: string): Promise<void> {
    this.ensurePanel();
    if (promptId && promptId !== this.model.promptId) await this.loadPrompt(promptId, title);
    else this.postState();
  }

  /** `comfyui.showOutputs {promptId, outputs}`: the panel with exactly these outputs (no history round trip). */
  async showOutputs(promptId: string, outputs: (FileRef & { nodeId: string })[], title?: string): Promise<void> {
    this.ensurePanel();
    const other = this.model.promptId !== promptId;
    if (other) {
      this.resetModel(promptId, title ?? `Prompt ${promptId.slice(0, 8)}`);
      // These outputs come from a finished run (the run monitor's "Show Outputs").
      this.model.status = 'success';
    }
    const added: GalleryItem[] = [];
    for (const o of outputs) added.push(...this.model.addOutputs(o.nodeId, { images: [{ filename: o.filename, subfolder: o.subfolder, type: o.type }] }));
    if (other) this.postState();
    else this.postItems(added);
    await this.fetchThumbs(added);
  }

  /** `comfyui.openOutput {promptId, nodeId, file}`: the panel showing that prompt, this output included. */
  async openOutput(promptId: string, nodeId: string | undefined, file: FileRef): Promise<void> {
    this.ensurePanel();
    if (this.model.promptId !== promptId) await this.loadPrompt(promptId);
    const id = itemId({ nodeId: nodeId ?? '?', filename: file.filename, subfolder: file.subfolder ?? '', type: file.type ?? 'output' });
    if (!this.model.item(id)) {
      const added = this.model.addOutputs(nodeId ?? '?', { images: [file] });
      this.postItems(added);
      await this.fetchThumbs(added);
    }
  }

  /** Called by the serializer after a window reload. */
  async revive(panel: vscode.WebviewPanel, state: PersistedState | undefined): Promise<void> {
    this.panel?.dispose();
    this.attach(panel);
    if (state?.promptId) await this.loadPrompt(state.promptId, state.title);
    else this.postState();
  }

  private resetModel(promptId: string | undefined, title?: string): void {
    this.model.reset(promptId, title);
    this.localPaths.clear();
  }

  private ensurePanel(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PREVIEW_VIEW_TYPE,
      vscode.l10n.t('ComfyUI Preview'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webview'), this.cacheDir],
      },
    );
    this.attach(panel);
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = new PreviewPanel(panel, this.deps.extensionUri, this.cacheDir, {
      initialMessages: () => this.initialMessages(),
      onMessage: (m) => void this.onWebviewMessage(m),
      onDispose: () => {
        this.panel = undefined;
      },
    });
  }

  private async loadPrompt(promptId: string, title?: string): Promise<void> {
    const client = this.deps.connection.client;
    this.resetModel(promptId, title ?? `Prompt ${promptId.slice(0, 8)}`);
    if (!client) {
      this.model.status = 'idle';
      this.model.message = vscode.l10n.t('No ComfyUI server is configured.');
      this.postState();
      return;
    }
    this.postState();
    try {
      const entry = await client.getHistoryItem(promptId, { signal: this.fetches.signal });
      if (this.model.promptId !== promptId) return;
      if (!entry) {
        // Not finished yet (or deleted): the socket messages fill the gallery if it runs.
        this.model.message = vscode.l10n.t('The server has no history entry for this prompt (yet).');
        this.postStatus();
        return;
      }
      const added = this.model.loadHistory(promptId, entry, this.model.title);
      this.postState();
      await this.fetchThumbs(added);
    } catch (error) {
      if (isCancellation(error)) return;
      this.model.message = errorMessage(error);
      this.model.status = 'idle';
      this.postStatus();
    }
  }

  // ---- live updates -------------------------------------------------------------------------------------------

  private onMessage(m: ComfyMessage): void {
    if (m.type === 'execution_start') {
      const follow = this.panel !== undefined || this.settings().openOnRun === 'start';
      if (!follow) {
        // Still track it, so "finish" can open the panel on this prompt.
        if (this.settings().openOnRun === 'finish') this.resetModel(m.data.prompt_id, `Prompt ${m.data.prompt_id.slice(0, 8)}`);
        return;
      }
      this.resetModel(m.data.prompt_id, `Prompt ${m.data.prompt_id.slice(0, 8)}`);
      this.clearLive();
      if (!this.panel) this.ensurePanel();
      this.postState();
      this.requestTitles(m.data.prompt_id);
      return;
    }
    const { change, added } = this.model.apply(m);
    if (!change) return;
    if (m.type === 'execution_success' && !this.panel && this.settings().openOnRun === 'finish' && this.model.list().length > 0) this.ensurePanel();
    if (change === 'progress') {
      this.post({ type: 'progress', progress: this.model.progress, status: this.model.status });
      return;
    }
    if (this.model.status !== 'running') this.clearLive();
    if (m.type === 'executed') this.postItems(added);
    else this.postStatus();
    if (added.length) void this.fetchThumbs(added);
  }

  /**
   * At most one `GET /queue` in flight, plus one more for the latest prompt that started meanwhile (issue 13,
   * finding 7): a flood of execution_start messages must not become a flood of requests, each adding an abort
   * listener to the shared signal.
   */
  private requestTitles(promptId: string): void {
    this.titlesWanted = promptId;
    if (this.titlesBusy) return;
    this.titlesBusy = true;
    void (async () => {
      try {
        while (this.titlesWanted !== undefined) {
          const id = this.titlesWanted;
          this.titlesWanted = undefined;
          await this.loadTitles(id);
        }
      } finally {
        this.titlesBusy = false;
      }
    })();
  }

  /** Node titles for the step counter, from the queue entry of the prompt that just started. */
  private async loadTitles(promptId: string): Promise<void> {
    const client = this.deps.connection.client;
    if (!client) return;
    try {
      const q = await client.getQueue({ signal: this.fetches.signal, timeoutMs: 5000 });
      const item = [...q.queue_running, ...q.queue_pending].find((i) => i[1] === promptId);
      if (item && this.model.promptId === promptId) this.model.setPrompt(item[2]);
    } catch {
      // Titles are cosmetic: node ids are shown instead.
    }
  }

  private onPreview(frame: PreviewFrame): void {
    if (!this.panel || this.model.status !== 'running') return;
    const meta = frame.eventType === 4 ? frame.metadata : undefined;
    if (meta?.prompt_id && meta.prompt_id !== this.model.promptId) return;
    if (!/^image\/(png|jpeg|webp)$/.test(frame.mimeType)) return;
    const nodeId = meta?.display_node_id ?? meta?.node_id;
    this.live = { src: `data:${frame.mimeType};base64,${Buffer.from(frame.image).toString('base64')}`, ...(nodeId ? { nodeId } : {}) };
    this.scheduleLive();
  }

  /** At most one frame per interval reaches the page; the newest one wins. */
  private scheduleLive(): void {
    const interval = this.deps.liveIntervalMs ?? 100;
    this.postLive.after(this.lastLivePost + interval - this.clock.now());
  }

  private liveMessage(): HostToWebview | undefined {
    if (!this.live || this.model.status !== 'running') return undefined;
    return {
      type: 'livePreview',
      src: this.live.src,
      ...(this.live.nodeId ? { nodeId: this.live.nodeId } : {}),
      ...(this.model.progress ? { progress: this.model.progress } : {}),
    };
  }

  private clearLive(): void {
    this.postLive.cancel();
    if (this.live) {
      this.live = undefined;
      this.post({ type: 'clearLivePreview' });
    }
  }

  // ---- fetching -----------------------------------------------------------------------------------------------

  private async fetch(item: OutputRef, variant: 'thumb' | 'full', signal?: AbortSignal): Promise<CachedFile> {
    const client = this.deps.connection.client;
    if (!client) throw new Error(vscode.l10n.t('No ComfyUI server is configured.'));
    return this.cache.get(
      client,
      this.deps.connection.displayUrl,
      { filename: item.filename, subfolder: item.subfolder, type: item.type },
      variant,
      signal ?? this.fetches.signal,
    );
  }

  /**
   * Fetches thumbnails, THUMB_FETCHES at a time for the whole service (not per call: a run posts its outputs one
   * message at a time), and posts each item as its thumbnail arrives. An item the gallery dropped for the cap while
   * it waited is skipped, so a burst of outputs costs at most MAX_GALLERY_ITEMS fetches (plus those in flight).
   * Resolves when these items are done.
   */
  async fetchThumbs(items: GalleryItem[]): Promise<void> {
    const promptId = this.model.promptId;
    const others: GalleryItem[] = [];
    for (const i of items) {
      if (i.kind === 'image') continue;
      const done = this.model.update(i.id, { loading: undefined });
      if (done) others.push(done);
    }
    if (others.length) this.postItems(others);
    const waits = items.filter((i) => i.kind === 'image').map((item) => new Promise<void>((done) => this.thumbQueue.push({ item, promptId, done })));
    while (this.thumbWorkers < THUMB_FETCHES && this.thumbQueue.length > 0) {
      this.thumbWorkers++;
      void this.thumbWorker().finally(() => this.thumbWorkers--);
    }
    await Promise.all(waits);
  }

  private async thumbWorker(): Promise<void> {
    for (let job = this.thumbQueue.shift(); job; job = this.thumbQueue.shift()) {
      try {
        await this.fetchThumb(job.item, job.promptId);
      } finally {
        job.done();
      }
    }
  }

  private async fetchThumb(item: GalleryItem, promptId: string | undefined): Promise<void> {
    if (this.model.promptId !== promptId || !this.model.item(item.id)) return;
    try {
      const cached = await this.fetch(item, 'thumb');
      if (this.model.promptId !== promptId || !this.model.item(item.id)) return;
      this.localPaths.set(item.id, cached.path);
      this.model.update(item.id, { loading: undefined, error: undefined, width: cached.width, height: cached.height });
    } catch (error) {
      if (isCancellation(error)) return;
      if (this.model.promptId !== promptId || !this.model.item(item.id)) return;
      this.localPaths.delete(item.id);
      this.model.update(item.id, { loading: undefined, error: fetchError(error, item.filename, this.settings().maxImageMB) });
      this.deps.log.debug(`Preview of ${item.filename} failed: ${errorMessage(error)}`);
    }
    const updated = this.model.item(item.id);
    if (updated) this.postItems([updated]);
  }

  // ---- page ---------------------------------------------------------------------------------------------------

  /** The model's state with webview URIs for the cached files (they differ per panel instance). */
  snapshot(): GalleryState {
    const state = this.model.snapshot();
    state.items = state.items.map((i) => this.forPage(i));
    const note = this.hiddenNote();
    if (note) state.hiddenNote = note;
    return state;
  }

  /** An item as the page gets it: with the webview URI of its cached thumbnail. */
  private forPage(item: GalleryItem): GalleryItem {
    const local = this.localPaths.get(item.id);
    const webview = this.panel?.panel.webview;
    return local && webview ? { ...item, src: webview.asWebviewUri(vscode.Uri.file(local)).toString() } : item;
  }

  private hiddenNote(): string | undefined {
    const n = this.model.hidden;
    if (!n) return undefined;
    return n === 1
      ? vscode.l10n.t('1 older output of this prompt is not shown.')
      : vscode.l10n.t('{0} older outputs of this prompt are not shown (the gallery keeps the newest {1}).', n, MAX_GALLERY_ITEMS);
  }

  private initialMessages(): HostToWebview[] {
    const out: HostToWebview[] = [{ type: 'state', state: this.snapshot() }];
    const live = this.liveMessage();
    if (live) out.push(live);
    return out;
  }

  private post(m: HostToWebview): void {
    this.panel?.post(m);
  }

  /** The whole gallery: only when the shown prompt changes (a reset) or the page loads. */
  private postState(): void {
    for (const id of this.model.takeRemoved()) this.localPaths.delete(id);
    if (this.panel) this.post({ type: 'state', state: this.snapshot() });
  }

  /** A delta: these items added or replaced, the ones dropped since the last post removed. */
  private postItems(items: GalleryItem[]): void {
    const removed = this.model.takeRemoved();
    for (const id of removed) this.localPaths.delete(id);
    if (!this.panel || (items.length === 0 && removed.length === 0)) return;
    const note = this.hiddenNote();
    this.post({
      type: 'items',
      items: items.map((i) => this.forPage(i)),
      ...(removed.length ? { removed } : {}),
      ...(this.model.hidden ? { hidden: this.model.hidden } : {}),
      ...(note ? { hiddenNote: note } : {}),
    });
  }

  /** The header: status, message and progress. */
  private postStatus(): void {
    const m = this.model;
    if (this.panel)
      this.post({ type: 'status', status: m.status, ...(m.message ? { message: m.message } : {}), ...(m.progress ? { progress: m.progress } : {}) });
  }

  private async onWebviewMessage(m: WebviewToHost): Promise<void> {
    if (m.type !== 'action') return;
    const item = this.model.item(m.itemId);
    if (!item) return;
    try {
      if (m.action === 'retry') {
        const retrying = this.model.update(item.id, { error: undefined, loading: true });
        if (retrying) this.postItems([retrying]);
        await this.fetchThumbs([this.model.item(item.id)!]);
        return;
      }
      await this.actions.run(m.action, item);
    } catch (error) {
      if (isCancellation(error)) return;
      this.deps.log.warn(`Preview action ${m.action} failed:`, error);
      void vscode.window.showErrorMessage(errorMessage(error));
    }
  }

  dispose(): void {
    this.fetches.abort();
    this.postLive.cancel();
    this.panel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** One plain sentence for the tile of a file that could not be shown. */
export function fetchError(error: unknown, filename: string, maxMB: number): string {
  if (isTooLargeError(error)) return vscode.l10n.t('Larger than {0} MB: not previewed. Use Open or Save.', maxMB);
  if (isHttpError(error, 404)) return vscode.l10n.t('The server no longer has this file (404).');
  if (isHttpError(error, 403)) return vscode.l10n.t('The server refused this file (403).');
  if (isHttpError(error, 400)) return vscode.l10n.t('The server rejected this file name (400).');
  if (isComfyError(error)) return error.message;
  return error instanceof Error ? error.message : vscode.l10n.t('{0} could not be shown.', filename);
}
