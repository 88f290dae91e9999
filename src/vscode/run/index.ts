// Wires the run features (queue commands, progress, server diagnostics) and the Queue & History view.
// Called once from the composition root with the editor's connection and node definitions.
import * as vscode from 'vscode';
import { QueueModel } from '../../core/queue/queueModel';
import { QueueTreeModel, type TreeNode } from '../../core/queue/treeModel';
import type { NodeDefs } from '../../core/workflow/nodeDefs';
import { QueueTreeProvider } from '../views/queueTreeProvider';
import { RefreshController, type RefreshOptions } from '../views/refreshController';
import { registerQueueViewCommands } from '../views/queueViewCommands';
import { WorkflowQueuer, type QueueDeps } from './queueWorkflow';
import { RunMonitor, type RunConnection, type RunLog } from './runMonitor';
import { ServerDiagnostics } from './serverDiagnostics';
import { SourceRegistry } from './sources';

export const QUEUE_VIEW_ID = 'comfyui.queue';

export interface RunFeatureDeps {
  connection: RunConnection;
  defs: () => NodeDefs | undefined;
  log: RunLog;
  memento?: vscode.Memento;
  timeoutMs?: () => number;
  refresh?: RefreshOptions;
  pageSize?: number;
  /** See QueueDeps.beforeQueue (the servers area's confirmation). */
  beforeQueue?: QueueDeps['beforeQueue'];
}

export interface RunFeatures extends vscode.Disposable {
  queuer: WorkflowQueuer;
  monitor: RunMonitor;
  model: QueueModel;
  tree: QueueTreeModel;
  provider: QueueTreeProvider;
  view: vscode.TreeView<TreeNode>;
  refresh: RefreshController;
  diagnostics: ServerDiagnostics;
  sources: SourceRegistry;
}

export function registerRunFeatures(deps: RunFeatureDeps): RunFeatures {
  const { connection, log } = deps;
  const disposables: vscode.Disposable[] = [];
  let liveTimer: ReturnType<typeof setTimeout> | undefined;
  const sources = new SourceRegistry(deps.memento);
  const diagnostics = new ServerDiagnostics();
  const monitor = new RunMonitor(connection, { sources, diagnostics, log });
  const model = new QueueModel(connection.client, deps.pageSize !== undefined ? { pageSize: deps.pageSize } : {});
  const tree = new QueueTreeModel(model, (id) => sources.name(id));
  tree.liveProgress = (id) => monitor.liveText(id);
  // Offline (and still connecting without data), the view is empty so its welcome text with Retry shows.
  const provider = new QueueTreeProvider(tree, () => connection.state === 'offline' || (connection.state === 'connecting' && !model.loaded));
  const view = vscode.window.createTreeView(QUEUE_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true, canSelectMany: true });
  const refresh = new RefreshController(model, connection, view, deps.refresh);
  const queuer = new WorkflowQueuer({
    connection,
    defs: deps.defs,
    monitor,
    diagnostics,
    sources,
    log,
    onQueued: () => refresh.schedule('queued', 0),
    ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
    ...(deps.beforeQueue ? { beforeQueue: deps.beforeQueue } : {}),
  });
  disposables.push(
    diagnostics,
    monitor,
    provider,
    view,
    refresh,
    connection.onDidChangeState(() => provider.refreshAll()),
    connection.onDidChangeServer(() => {
      model.setApi(connection.client);
      refresh.schedule('server', 0);
    }),
    monitor.onDidFinish(() => refresh.schedule('event')),
    // The Running item shows the followed run's node and steps; re-rendered at most twice a second.
    monitor.onDidUpdate(() => {
      if (liveTimer) return;
      liveTimer = setTimeout(() => {
        liveTimer = undefined;
        provider.refreshGroup('running');
      }, 500);
    }),
    { dispose: () => liveTimer && clearTimeout(liveTimer) },
    vscode.commands.registerCommand('comfyui.queueWorkflow', (uri?: unknown) => queuer.queueCommand(uri, {})),
    vscode.commands.registerCommand('comfyui.queueWorkflowFront', (uri?: unknown) => queuer.queueCommand(uri, { front: true })),
    vscode.commands.registerCommand('comfyui.queueWorkflowTimes', async (uri?: unknown, times?: unknown) => {
      let count = typeof times === 'number' ? times : undefined;
      if (count === undefined) {
        const answer = await vscode.window.showInputBox({
          title: vscode.l10n.t('Queue Workflow N Times'),
          prompt: vscode.l10n.t('How many times? Seeds follow each node’s control mode (randomize, increment, decrement, fixed).'),
          value: '4',
          validateInput: (v) => (/^\s*\d+\s*$/.test(v) && Number(v) >= 1 && Number(v) <= 1000 ? undefined : vscode.l10n.t('Enter a whole number from 1 to 1000.')),
        });
        if (answer === undefined) return { promptIds: [], stopped: 'cancelled' as const };
        count = Number(answer);
      }
      return queuer.queueCommand(uri, { count });
    }),
    ...registerQueueViewCommands({
      model,
      refresh,
      monitor,
      sources,
      log,
      client: () => connection.client,
      clientId: () => connection.clientId,
      selection: () => view.selection,
    }),
  );
  // First load as soon as someone looks (the controller also loads when the view becomes visible).
  if (view.visible) refresh.schedule('visible', 0);
  return {
    queuer,
    monitor,
    model,
    tree,
    provider,
    view,
    refresh,
    diagnostics,
    sources,
    dispose: () => {
      for (const d of disposables.splice(0).reverse()) d.dispose();
    },
  };
}
