// One "ComfyUI Graph" panel per workflow document: re-renders after the validation debounce keeping the viewport,
// reveals a clicked node's JSON, highlights the node under the cursor, shows problems and this file's runs. The
// drawing (scene, layout, SVG tree) is built off the extension host (`deps.draw`); the host keeps its outline only.
import * as vscode from 'vscode';
import { promptIdOf, type ComfyMessage } from '../../core/comfy/messages';
import { EarlyMessages } from '../../core/queue/earlyMessages';
import type { GraphDrawing, SceneOutline } from '../../core/graph-view/drawing';
import { reduceGraphRun, sceneNodeId, startGraphRun, type GraphRun } from '../../core/graph-view';
import type { SceneOutcome } from '../language/worker/workerClient';
import { findNodeAtOffset, type OffsetRange, type WorkflowDocument } from '../../core/workflow/document';
import { locatePath } from '../../core/workflow/ui/locate';
import { isGraphPageMessage, type GraphHostMessage, type GraphPageMessage, type NodeRunState, type Thumbnail } from '../../shared/graphProtocol';
import { baseName } from '../common/format';
import { toRange } from '../common/convert';
import { newNonce } from '../preview/html';
import { renderGraphHtml } from './html';
import type { GraphViewDeps } from './index';
import { debounce, type Debounced } from '../../core/util/debounce';
import { systemClock } from '../../core/util/clock';
import { problemsForDrawing } from './drawing';

export const GRAPH_VIEW_TYPE = 'comfyui.graph';
/** Messages kept for prompts whose source is not recorded yet (a run of a few hundred nodes). */
const EARLY_LIMIT = 2000;

export class GraphPanel implements vscode.Disposable {
  private ready = false;
  private level: string[] = [];
  private scene: SceneOutline | undefined;
  /** Re-render after edits (the usual debounce) or at once after a save; one pending render at a time. */
  private readonly rerender: Debounced<[]>;
  /**
   * The drawing being built (its `keepViewport`), and the render asked for meanwhile: the answer in flight is then
   * stale (older text, problems or level) and dropped, and one render follows with the latest state. Waiting instead
   * of abandoning it keeps the worker: abandoning the request it is busy with would restart it (and reload the
   * definitions), and every edit asks twice (the edit, then its new problems).
   */
  private building: { keepViewport: boolean } | undefined;
  private again: { keepViewport: boolean } | undefined;
  private run: GraphRun | undefined;
  /**
   * Messages of prompts not known to be this file's yet: the socket can deliver a whole fast (or fully cached) run
   * before the POST /prompt answer records its source. Replayed when that source is recorded; bounded.
   */
  private readonly early = new EarlyMessages<ComfyMessage>(EARLY_LIMIT);
  private thumbs: Thumbnail[] = [];
  private highlighted: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private readonly fetches = new AbortController();

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    private readonly deps: GraphViewDeps,
    private readonly onDispose: () => void,
  ) {
    this.rerender = debounce(() => this.render(true), 0, deps.clock ?? systemClock);
    const webview = panel.webview;
    const dist = vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview');
    webview.options = { enableScripts: true, localResourceRoots: [dist, deps.cacheDir] };
    webview.html = renderGraphHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'graph.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'graph.css')).toString(),
      nonce: newNonce(),
      lang: vscode.env.language,
      labels: {
        fit: vscode.l10n.t('Fit to view (F)'),
        zoomIn: vscode.l10n.t('Zoom in (+)'),
        zoomOut: vscode.l10n.t('Zoom out (-)'),
        minimap: vscode.l10n.t('Minimap: click to move there'),
      },
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === uri.toString() && e.contentChanges.length > 0) this.schedule(deps.debounceMs());
      }),
      deps.onDidUpdateProblems((u) => {
        if (u.toString() === uri.toString()) this.schedule(0);
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document.uri.toString() === uri.toString()) this.highlightAt(e.textEditor.document.offsetAt(e.selections[0]!.active));
      }),
      deps.onMessage((m) => this.onServerMessage(m)),
      deps.onDidRecordSource((id) => this.replayEarly(id)),
    );
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  private document(): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri.toString());
  }

  private parsed(doc: vscode.TextDocument): WorkflowDocument | undefined {
    return this.deps.parse(doc);
  }

  private post(m: GraphHostMessage): void {
    if (!this.ready || this.disposed) return;
    void Promise.resolve(this.panel.webview.postMessage(m)).then(undefined, () => undefined);
  }

  private schedule(delayMs: number): void {
    this.rerender.after(delayMs);
  }

  /** Asks for the drawing of the document's current text and level and posts it when it comes (if still current). */
  render(keepViewport: boolean): void {
    const doc = this.document();
    if (!doc || this.disposed || !this.ready) return;
    if (this.building) {
      // The page has not shown what is being built: it keeps its viewport only if every skipped render would have.
      this.again = { keepViewport: (this.again?.keepViewport ?? this.building.keepViewport) && keepViewport };
      return;
    }
    this.building = { keepViewport };
    const level = [...this.level];
    const request = { text: doc.getText(), level, problems: problemsForDrawing(this.deps.problems(doc.uri)), theme: 'vscode' as const, fluid: true };
    void this.deps
      .draw(request, this.fetches.signal)
      .then(
        (outcome) => this.drawn(outcome, keepViewport, level),
        () => this.drawn({ kind: 'done', drawing: undefined, durationMs: 0 }, keepViewport, level),
      )
      .finally(() => {
        this.building = undefined;
        const next = this.again;
        this.again = undefined;
        if (next) this.render(next.keepViewport);
      });
  }

  private drawn(outcome: SceneOutcome, keepViewport: boolean, level: string[]): void {
    if (this.disposed || this.again || outcome.kind === 'stale') return;
    if (outcome.kind === 'cutShort') {
      this.post({ type: 'message', text: cutShortText(outcome.budgetMs) });
      return;
    }
    if (!outcome.drawing) {
      this.post({ type: 'message', text: vscode.l10n.t('This file cannot be drawn yet: it is not a complete workflow (a UI workflow must be valid JSON).') });
      return;
    }
    this.show(outcome.drawing, keepViewport, level);
  }

  private show({ outline, tree, order }: GraphDrawing, keepViewport: boolean, level: string[]): void {
    // A level that no longer exists (the subgraph was deleted) was cut back to the deepest one that does.
    if (outline.breadcrumb.length < level.length) this.level = outline.breadcrumb.map((b) => b.step);
    this.scene = outline;
    this.panel.title = vscode.l10n.t('Graph: {0}', baseName(this.uri));
    this.post({ type: 'scene', scene: outline, tree, order, keepViewport, title: baseName(this.uri) });
    this.postRun();
    if (this.highlighted) this.post({ type: 'highlight', nodeId: this.highlighted });
  }

  private receive(raw: unknown): void {
    if (!isGraphPageMessage(raw)) return;
    const m: GraphPageMessage = raw;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.render(false);
        this.post({ type: 'thumbnails', items: this.thumbs });
        return;
      case 'reveal':
        void this.revealNode(m.nodeId);
        return;
      case 'open':
        this.level = [...this.level, m.nodeId];
        this.render(false);
        return;
      case 'up':
        this.level = this.level.slice(0, m.depth);
        this.render(false);
        return;
      case 'problem':
        void this.select({ offset: m.offset, length: 0 });
        return;
    }
  }

  /** The node's JSON: its key in API files, its entry in `nodes[]` (at its `type`) in UI files. */
  rangeOf(nodeId: string): OffsetRange | undefined {
    const doc = this.document();
    const parsed = doc ? this.parsed(doc) : undefined;
    const node = this.scene?.nodes.find((n) => n.id === nodeId);
    if (!parsed || !node) return undefined;
    if (parsed.format === 'api' || parsed.format === 'request') return parsed.nodeById.get(nodeId)?.keyRange;
    return locatePath(parsed.root, node.path);
  }

  private async revealNode(nodeId: string): Promise<void> {
    const range = this.rangeOf(nodeId);
    if (range) await this.select(range);
  }

  private async select(r: OffsetRange): Promise<void> {
    const doc = this.document() ?? (await vscode.workspace.openTextDocument(this.uri));
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.uri.toString());
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
    const range = toRange(doc, r);
    const sel = new vscode.Selection(range.start, range.end);
    editor.selection = sel;
    editor.revealRange(sel, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private highlightAt(offset: number): void {
    const doc = this.document();
    const parsed = doc ? this.parsed(doc) : undefined;
    if (!parsed || !this.scene) return;
    let id: string | undefined;
    if (parsed.format === 'api' || parsed.format === 'request') id = findNodeAtOffset(parsed, offset)?.id;
    else {
      for (const n of this.scene.nodes) {
        const whole = this.nodeSpan(parsed, n.path);
        if (whole && offset >= whole.offset && offset <= whole.offset + whole.length) {
          id = n.id;
          break;
        }
      }
    }
    if (id === this.highlighted) return;
    this.highlighted = id;
    this.post({ type: 'highlight', nodeId: id });
  }

  /** The whole `nodes[i]` object of a UI node (the cursor anywhere inside it selects it). */
  private nodeSpan(parsed: WorkflowDocument, path: (string | number)[]): OffsetRange | undefined {
    let node = parsed.root;
    for (const k of path) {
      if (!node?.children) return undefined;
      if (node.type === 'array' && typeof k === 'number') node = node.children[k];
      else if (node.type === 'object') node = node.children.find((p) => p.children?.[0]?.value === k)?.children?.[1];
      else return undefined;
    }
    return node ? { offset: node.offset, length: node.length } : undefined;
  }

  // ---- runs -----------------------------------------------------------------------------------------------------

  private onServerMessage(m: ComfyMessage): void {
    const id = promptIdOf(m);
    if (id !== undefined && this.deps.sourceOf(id) === undefined) {
      this.early.push(m);
      return;
    }
    // The first message of a prompt queued from this file starts its run (messages that came before the POST answer
    // recorded the file are replayed through here, in order, by replayEarly).
    if (id !== undefined && id !== this.run?.promptId && this.deps.sourceOf(id) === this.uri.toString()) {
      this.run = startGraphRun(id);
      this.thumbs = [];
      this.post({ type: 'thumbnails', items: [] });
      if (m.type === 'execution_start') {
        this.postRun();
        return;
      }
    }
    if (m.type === 'execution_start' || !this.run || !reduceGraphRun(this.run, m)) return;
    this.postRun();
    if (m.type === 'executed') void this.fetchThumbs(m.data.node);
  }

  private replayEarly(promptId: string): void {
    if (this.deps.sourceOf(promptId) !== this.uri.toString()) return;
    for (const m of this.early.take(promptId)) this.onServerMessage(m);
  }

  private postRun(): void {
    if (!this.scene) return;
    const run = this.run;
    if (!run) {
      this.post({ type: 'run', state: undefined });
      return;
    }
    const map = (ids: string[]): string[] => ids.map((id) => sceneNodeId(this.scene!, id)).filter((x): x is string => x !== undefined);
    const state: NodeRunState = { cached: map(run.cached), done: map(run.done), failed: map(run.failed) };
    const ex = run.executing ? sceneNodeId(this.scene, run.executing.nodeId) : undefined;
    if (run.executing && ex !== undefined) state.executing = { ...run.executing, nodeId: ex };
    this.post({ type: 'run', state });
  }

  private async fetchThumbs(execId: string): Promise<void> {
    const files = this.run?.outputs.get(execId);
    const nodeId = this.scene ? sceneNodeId(this.scene, execId) : undefined;
    if (!files || nodeId === undefined) return;
    const node = this.scene?.nodes.find((n) => n.id === nodeId);
    const first = files[0];
    if (!node || !first) return;
    // The first output is shown (a batch counts the rest); all of them are in the preview panel.
    const path = await this.deps.thumbnail(first, this.fetches.signal).catch(() => undefined);
    if (!path || this.disposed) return;
    const src = this.panel.webview.asWebviewUri(vscode.Uri.file(path)).toString();
    this.thumbs = [...this.thumbs.filter((t) => t.nodeId !== nodeId), { nodeId, src, box: node.thumb, total: files.length }];
    this.post({ type: 'thumbnails', items: this.thumbs });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.rerender.cancel();
    this.fetches.abort(); // also drops a drawing in flight
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.onDispose();
  }
}

function cutShortText(budgetMs: number): string {
  return vscode.l10n.t(
    'Drawing this workflow was cut short after {0} seconds, so its graph is not shown. Run "comfyui-workflow render" on it to see it.',
    String(budgetMs / 1000),
  );
}
