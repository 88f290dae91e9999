// Wires the run features: the queue commands (Queue, Front, N Times), progress and cancel (RunMonitor), and the
// confirmation before anything is sent (untrusted workspace, unsafe nodes). The server's verdicts go into the
// language features' `comfyui-server` collection.
import * as vscode from 'vscode';
import type { NodeDefs } from '../../core/workflow/nodeDefs';
import type { HostServices } from '../host/index';
import type { LanguageFeatures } from '../language/index';
import { ServerDiagnostics } from '../language/serverDiagnostics';
import { registerGuardedCommand } from '../common/commands';
import { createQueueGuard } from './queueGuard';
import { WorkflowQueuer, type QueueDeps } from './queueWorkflow';
import { RunMonitor, type RunConnection, type RunLog } from './runMonitor';
import { SourceRegistry } from './sources';

export interface RunFeatureDeps {
  connection: RunConnection;
  defs: () => NodeDefs | undefined;
  log: RunLog;
  memento?: vscode.Memento;
  timeoutMs?: () => number;
  /** See QueueDeps.beforeQueue (run/queueGuard.ts). */
  beforeQueue?: QueueDeps['beforeQueue'];
  /** Where the server's verdicts go; a collection of its own is created when absent (tests). */
  diagnostics?: ServerDiagnostics;
  /** See QueueDeps.localErrors. */
  localErrors?: QueueDeps['localErrors'];
}

export interface RunFeatures extends vscode.Disposable {
  queuer: WorkflowQueuer;
  monitor: RunMonitor;
  diagnostics: ServerDiagnostics;
  sources: SourceRegistry;
  /** Fires after prompts were queued (the Queue view refreshes). */
  onDidQueue: vscode.Event<void>;
  /** The same last check the queue commands run (Queue Again from the history asks it too). */
  beforeQueue: QueueDeps['beforeQueue'];
}

export function registerRun(context: vscode.ExtensionContext, host: HostServices, language: LanguageFeatures): RunFeatures {
  const run = registerRunFeatures({
    connection: host.connection,
    defs: () => host.definitions()?.defs,
    log: host.log,
    memento: context.workspaceState,
    timeoutMs: () => host.settings().requestTimeoutMs,
    beforeQueue: createQueueGuard({ unsafeNodes: language.unsafeNodes, server: () => host.connection.displayUrl }),
    diagnostics: language.serverDiagnostics,
    localErrors: (doc) => language.diagnostics.errorCount(doc),
  });
  context.subscriptions.push(run);
  return run;
}

export function registerRunFeatures(deps: RunFeatureDeps): RunFeatures {
  const { connection, log } = deps;
  const disposables: vscode.Disposable[] = [];
  const queued = new vscode.EventEmitter<void>();
  const sources = new SourceRegistry(deps.memento);
  disposables.push(sources);
  const diagnostics = deps.diagnostics ?? new ServerDiagnostics();
  if (!deps.diagnostics) disposables.push(diagnostics);
  const monitor = new RunMonitor(connection, { sources, diagnostics, log });
  const queuer = new WorkflowQueuer({
    connection,
    defs: deps.defs,
    monitor,
    diagnostics,
    sources,
    log,
    onQueued: () => queued.fire(),
    ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
    ...(deps.beforeQueue ? { beforeQueue: deps.beforeQueue } : {}),
    ...(deps.localErrors ? { localErrors: deps.localErrors } : {}),
  });
  disposables.push(
    queued,
    monitor,
    registerGuardedCommand('comfyui.queueWorkflow', (uri?: unknown) => queuer.queueCommand(uri, {}), log),
    registerGuardedCommand('comfyui.queueWorkflowFront', (uri?: unknown) => queuer.queueCommand(uri, { front: true }), log),
    registerGuardedCommand(
      'comfyui.queueWorkflowTimes',
      async (uri?: unknown, times?: unknown) => {
        let count = typeof times === 'number' ? times : undefined;
        if (count === undefined) {
          const answer = await vscode.window.showInputBox({
            title: vscode.l10n.t('Queue Workflow N Times'),
            prompt: vscode.l10n.t('How many times? Seeds follow each node’s control mode (randomize, increment, decrement, fixed).'),
            value: '4',
            validateInput: (v) =>
              /^\s*\d+\s*$/.test(v) && Number(v) >= 1 && Number(v) <= 1000 ? undefined : vscode.l10n.t('Enter a whole number from 1 to 1000.'),
          });
          if (answer === undefined) return { promptIds: [], stopped: 'cancelled' as const };
          count = Number(answer);
        }
        return queuer.queueCommand(uri, { count });
      },
      log,
    ),
  );
  return {
    queuer,
    monitor,
    diagnostics,
    sources,
    onDidQueue: queued.event,
    beforeQueue: deps.beforeQueue,
    dispose: () => {
      for (const d of disposables.splice(0).reverse()) d.dispose();
    },
  };
}
