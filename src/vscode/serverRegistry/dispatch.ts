// `ComfyUI: Queue Workflow on Server…`: queue the file on a chosen server, or on the least busy one. Every
// configured server is probed in parallel (GET /prompt for queue_remaining; the live socket's `status` count for the
// active one; /object_info/{class} for each class the file uses), then the pure choice in src/core/dispatch decides.
// The chosen server becomes the active one and the ordinary queue command runs, so the run gets the same live
// progress, server diagnostics and Queue view as any other.
import * as vscode from 'vscode';
import { parse } from 'jsonc-parser';
import { ComfyClient } from '../../core/comfy/client';
import { isCancellation } from '../../core/comfy/errors';
import { chooseLeastBusy, classesOfWorkflow, type ServerFacts } from '../../core/dispatch/leastBusy';
import { systemClock, type Clock } from '../../core/util/clock';
import type { ServerAuth } from '../host/connection';
import { setActiveServer, serverItems } from './picker';
import { serverKey } from '../../core/comfy/url';
import type { ServerEntry, ServerRegistry } from './registry';
import { baseName } from '../common/format';

export const QUEUE_ON_SERVER_COMMAND = 'comfyui.queueWorkflowOnServer';

export interface DispatchDeps {
  registry: ServerRegistry;
  /** Headers/query for a URL, without asking anything (probes must not trigger the credentials question). */
  authFor: (url: string) => ServerAuth | undefined;
  /** The active connection: its URL and the live queue count of its socket. */
  connection: {
    readonly serverUrl: string;
    readonly queueRemaining: number | undefined;
    readonly state?: string;
    readonly onDidChangeState?: vscode.Event<unknown>;
  };
  /** How long to wait for the switched-to server's socket before queueing anyway (its progress events need it). */
  connectWaitMs?: number;
  /** Times that wait (tests pass a ManualClock). */
  clock?: Clock;
  log: { info(...a: unknown[]): void; warn(...a: unknown[]): void };
  probeTimeoutMs?: number;
  /** Runs the ordinary queue command (tests replace it). */
  queue?: (uri: vscode.Uri | undefined) => Thenable<unknown>;
}

/** Probes one server: reachable, queue length, classes it lacks. Never throws. */
export async function probeServer(
  entry: ServerEntry,
  classes: readonly string[],
  deps: Pick<DispatchDeps, 'authFor' | 'connection' | 'probeTimeoutMs'>,
  signal?: AbortSignal,
): Promise<ServerFacts> {
  const timeoutMs = deps.probeTimeoutMs ?? 5000;
  let client: ComfyClient;
  try {
    const auth = deps.authFor(entry.url);
    client = new ComfyClient({
      baseUrl: entry.url,
      timeoutMs,
      ...(auth?.headers ? { headers: auth.headers } : {}),
      ...(auth?.query ? { query: auth.query } : {}),
    });
  } catch (error) {
    return { name: entry.name, reachable: false, error: error instanceof Error ? error.message : String(error) };
  }
  const opts = { timeoutMs, ...(signal ? { signal } : {}) };
  const started = Date.now();
  try {
    const info = await client.getPromptInfo(opts);
    const latencyMs = Date.now() - started;
    const live = serverKey(deps.connection.serverUrl) === entry.key ? deps.connection.queueRemaining : undefined;
    const queueRemaining = live ?? info.exec_info?.queue_remaining;
    const known = await Promise.all(classes.map((c) => client.getNodeInfo(c, opts).then((n) => n !== undefined)));
    const missingClasses = classes.filter((_, i) => !known[i]);
    return { name: entry.name, reachable: true, latencyMs, missingClasses, ...(typeof queueRemaining === 'number' ? { queueRemaining } : {}) };
  } catch (error) {
    if (isCancellation(error)) throw error;
    return { name: entry.name, reachable: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export class WorkflowDispatcher {
  constructor(private readonly deps: DispatchDeps) {}

  /** Command entry. Resolves to the chosen server's name, or undefined when nothing was queued. */
  async command(target?: unknown): Promise<string | undefined> {
    const uri = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a ComfyUI workflow file to queue it.'));
      return undefined;
    }
    const servers = this.deps.registry.choices();
    const leastBusy = vscode.l10n.t('Least busy server');
    const items: (vscode.QuickPickItem & { entry?: ServerEntry })[] = [
      { label: `$(dashboard) ${leastBusy}`, description: vscode.l10n.t('Skips servers that are down or lack a node class this file uses') },
      ...serverItems(this.deps.registry),
    ];
    const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Queue Workflow on Server') });
    if (!pick) return undefined;
    const entry = pick.entry ?? (await this.chooseLeastBusy(uri, servers));
    if (!entry) return undefined;
    if (await setActiveServer(entry.url)) await this.whenConnected();
    this.deps.log.info(`Dispatching ${baseName(uri)} to ${entry.name} (${entry.displayUrl})`);
    await (this.deps.queue ?? ((u) => vscode.commands.executeCommand('comfyui.queueWorkflow', u)))(uri);
    return entry.name;
  }

  /**
   * After a switch: wait (briefly) for the new socket, so the run's progress messages reach us from the start.
   * On timeout the queue command runs anyway; the run monitor then learns the outcome from /history.
   */
  private whenConnected(): Promise<void> {
    const c = this.deps.connection;
    if (!c.onDidChangeState || c.state === 'connected') return Promise.resolve();
    return new Promise((resolve) => {
      const clock = this.deps.clock ?? systemClock;
      const done = () => {
        clock.clearTimeout(timer);
        sub.dispose();
        resolve();
      };
      const timer = clock.setTimeout(done, this.deps.connectWaitMs ?? 5000);
      const sub = c.onDidChangeState!(() => {
        if (c.state === 'connected') done();
      });
    });
  }

  async chooseLeastBusy(uri: vscode.Uri, servers: readonly ServerEntry[]): Promise<ServerEntry | undefined> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const classes = classesOfWorkflow(parse(doc.getText(), [], { allowTrailingComma: true }));
    const facts = await vscode.window
      .withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Asking {0} servers how busy they are…', servers.length), cancellable: true },
        (_p, token) => {
          const abort = new AbortController();
          const sub = token.onCancellationRequested(() => abort.abort());
          return Promise.all(servers.map((s) => probeServer(s, classes, this.deps, abort.signal))).finally(() => sub.dispose());
        },
      )
      .then(
        (f) => f,
        (error: unknown) => {
          if (!isCancellation(error)) this.deps.log.warn('Probing the servers failed:', error);
          return undefined;
        },
      );
    if (!facts) return undefined;
    const choice = chooseLeastBusy(facts);
    for (const s of choice.skipped) this.deps.log.info(`Skipped ${s.name}: ${s.reason === 'unreachable' ? s.detail : `lacks ${s.detail}`}`);
    if (!choice.chosen) {
      const reasons = choice.skipped
        .map((s) => (s.reason === 'unreachable' ? vscode.l10n.t('{0} is unreachable', s.name) : vscode.l10n.t('{0} lacks {1}', s.name, s.detail)))
        .join('; ');
      void vscode.window.showErrorMessage(vscode.l10n.t('No server can run this workflow: {0}.', reasons || vscode.l10n.t('no servers are configured')));
      return undefined;
    }
    return servers.find((s) => s.name === choice.chosen!.name);
  }
}
