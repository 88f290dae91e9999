// "ComfyUI: Show Workflow Graph": a live graph of the workflow beside its JSON (./graphPanel.ts), one panel per
// file, drawn by the validation worker (./drawing.ts). Problems come from the language features' diagnostics, runs from the connection's socket messages for
// prompts queued from this file, thumbnails from the preview service's output cache (bytes via the host).
import * as vscode from 'vscode';
import type { ComfyMessage } from '../../core/comfy/messages';
import type { FileRef } from '../../core/comfy/types';
import type { ProblemLike } from '../../core/graph-view';
import type { WorkflowDocument } from '../../core/workflow/document';
import type { Clock } from '../../core/util/clock';
import { registerGuardedCommand } from '../common/commands';
import type { HostServices } from '../host/index';
import type { LanguageFeatures } from '../language/index';
import type { PreviewFeatures } from '../preview/index';
import type { RunFeatures } from '../run/index';
import { graphDrawer, type DrawGraph } from './drawing';
import { GRAPH_VIEW_TYPE, GraphPanel } from './graphPanel';

/** What a panel needs, as plain functions and events (tests pass fakes). */
export interface GraphViewDeps {
  extensionUri: vscode.Uri;
  /** Folder of cached thumbnails (a local resource root of the page). */
  cacheDir: vscode.Uri;
  debounceMs(): number;
  /** Timers of the re-render debounce (tests inject a manual clock); the system clock by default. */
  clock?: Clock;
  /** The host's parse of the document (reveal and highlight; drawings are built by `draw`). */
  parse(doc: vscode.TextDocument): WorkflowDocument | undefined;
  /** Builds a drawing off the extension host (the validation worker) or, without a worker, in-process. */
  draw: DrawGraph;
  problems(uri: vscode.Uri): ProblemLike[];
  onDidUpdateProblems: vscode.Event<vscode.Uri>;
  onMessage: vscode.Event<ComfyMessage>;
  /** The file (uri string) a prompt was queued from. */
  sourceOf(promptId: string): string | undefined;
  /** A prompt's source was recorded (after the POST answer, possibly after its run's first messages). */
  onDidRecordSource: vscode.Event<string>;
  /** The local path of a cached thumbnail of an output file. */
  thumbnail(file: FileRef, signal: AbortSignal): Promise<string>;
}

export interface GraphViewServices {
  host: HostServices;
  language: LanguageFeatures;
  run: RunFeatures;
  preview: PreviewFeatures;
}

export function registerGraphView(context: vscode.ExtensionContext, services: GraphViewServices): GraphView {
  const { host, language, run, preview } = services;
  const problemsChanged = new vscode.EventEmitter<vscode.Uri>();
  const deps: GraphViewDeps = {
    extensionUri: context.extensionUri,
    cacheDir: vscode.Uri.joinPath(context.globalStorageUri, 'preview-cache'),
    debounceMs: () => host.settings().debounceMs,
    parse: (doc) => host.documents.get(doc).parsed,
    // The store's snapshot itself: the worker client tells a change of definitions by its objectInfo's identity.
    draw: graphDrawer(language.worker, () => host.definitions()),
    problems: (uri) =>
      vscode.languages.getDiagnostics(uri).flatMap((d) => {
        const p = language.diagnostics.problemOf(d);
        return p ? [p] : [];
      }),
    onDidUpdateProblems: problemsChanged.event,
    onMessage: host.connection.onMessage,
    sourceOf: (id) => run.sources.get(id)?.uri,
    onDidRecordSource: run.sources.onDidRecord,
    thumbnail: async (file, signal) => {
      const client = host.connection.client;
      if (!client) throw new Error('no server');
      return (await preview.service.cache.get(client, host.connection.displayUrl, file, 'thumb', signal)).path;
    },
  };
  const view = new GraphView(deps);
  context.subscriptions.push(
    view,
    problemsChanged,
    language.diagnostics.onDidUpdate((u) => problemsChanged.fire(u.uri)),
    registerGuardedCommand('comfyui.showWorkflowGraph', (arg) => view.show(arg instanceof vscode.Uri ? arg : undefined), host.log),
  );
  return view;
}

export class GraphView implements vscode.Disposable {
  private readonly panels = new Map<string, GraphPanel>();

  constructor(private readonly deps: GraphViewDeps) {}

  /** The panel of a document, if open (tests and the e2e harness). */
  panel(uri: vscode.Uri): GraphPanel | undefined {
    return this.panels.get(uri.toString());
  }

  async show(uri?: vscode.Uri): Promise<GraphPanel | undefined> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a workflow JSON file to see its graph.'));
      return undefined;
    }
    const key = target.toString();
    const existing = this.panels.get(key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      GRAPH_VIEW_TYPE,
      vscode.l10n.t('Graph'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true },
    );
    const graph = new GraphPanel(panel, target, this.deps, () => this.panels.delete(key));
    this.panels.set(key, graph);
    return graph;
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
  }
}
