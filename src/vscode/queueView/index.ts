// Wires the Queue & History view: the model (queue + paged history), the tree, its refresh controller (socket-driven,
// polling only while visible and disconnected), the item commands and, with several servers, one group per server.
import * as vscode from 'vscode';
import { QueueModel } from '../../core/queue/queueModel';
import { QueueTreeModel, type TreeNode } from '../../core/queue/treeModel';
import type { HostServices } from '../host/index';
import type { RunFeatures } from '../run/index';
import type { RunConnection, RunLog } from '../run/runMonitor';
import type { ServerFeatures } from '../serverRegistry/index';
import { QueueTreeProvider } from './queueTreeProvider';
import { registerQueueViewCommands } from './queueViewCommands';
import { RefreshController, type RefreshOptions } from './refreshController';
import { registerServerQueues } from './serverQueues';
import { systemClock } from '../../core/util/clock';
import { debounce } from '../../core/util/debounce';

export const QUEUE_VIEW_ID = 'comfyui.queue';

export interface QueueViewDeps {
  connection: RunConnection;
  run: Pick<RunFeatures, 'monitor' | 'sources' | 'onDidQueue'> & Partial<Pick<RunFeatures, 'beforeQueue'>>;
  log: RunLog;
  refresh?: RefreshOptions;
  pageSize?: number;
}

export interface QueueView extends vscode.Disposable {
  model: QueueModel;
  tree: QueueTreeModel;
  provider: QueueTreeProvider;
  view: vscode.TreeView<TreeNode>;
  refresh: RefreshController;
}

export function registerQueueView(context: vscode.ExtensionContext, host: HostServices, run: RunFeatures, servers: ServerFeatures): QueueView {
  const queueView = registerQueueViewFeatures({ connection: host.connection, run, log: host.log });
  context.subscriptions.push(
    queueView,
    // Several servers: the view groups every server's queue and history, one node per server.
    registerServerQueues(
      { provider: queueView.provider, refresh: queueView.refresh, view: queueView.view, sources: run.sources },
      {
        registry: servers.registry,
        connection: host.connection,
        authFor: (url) => servers.auth.probeAuth(url),
        authChanged: servers.credentials.onDidChange,
        log: host.log,
      },
    ),
  );
  return queueView;
}

export function registerQueueViewFeatures(deps: QueueViewDeps): QueueView {
  const { connection, run, log } = deps;
  const { monitor, sources } = run;
  const disposables: vscode.Disposable[] = [];
  // The Running item shows the followed run's node and steps; re-rendered at most twice a second.
  const renderRunning = debounce(() => provider.refreshGroup('running'), 500, { clock: deps.refresh?.clock ?? systemClock, mode: 'burst' });
  const model = new QueueModel(connection.client, deps.pageSize !== undefined ? { pageSize: deps.pageSize } : {});
  const tree = new QueueTreeModel(model, (id) => sources.name(id));
  tree.liveProgress = (id) => monitor.liveText(id);
  // Offline (and still connecting without data), the view is empty so its welcome text with Retry shows.
  const provider = new QueueTreeProvider(tree, () => connection.state === 'offline' || (connection.state === 'connecting' && !model.loaded));
  const view = vscode.window.createTreeView(QUEUE_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true, canSelectMany: true });
  const refresh = new RefreshController(model, connection, view, deps.refresh);
  disposables.push(
    provider,
    view,
    refresh,
    run.onDidQueue(() => refresh.schedule('queued', 0)),
    connection.onDidChangeState(() => provider.refreshAll()),
    connection.onDidChangeServer(() => {
      model.setApi(connection.client);
      refresh.schedule('server', 0);
    }),
    monitor.onDidFinish(() => refresh.schedule('event')),
    monitor.onDidUpdate(() => renderRunning()),
    { dispose: () => renderRunning.cancel() },
    ...registerQueueViewCommands({
      model,
      refresh,
      monitor,
      sources,
      log,
      client: () => connection.client,
      clientId: () => connection.clientId,
      selection: () => view.selection,
      ...(run.beforeQueue ? { beforeQueue: run.beforeQueue } : {}),
    }),
  );
  // First load as soon as someone looks (the controller also loads when the view becomes visible).
  if (view.visible) refresh.schedule('visible', 0);
  return {
    model,
    tree,
    provider,
    view,
    refresh,
    dispose: () => {
      for (const d of disposables.splice(0).reverse()) d.dispose();
    },
  };
}
