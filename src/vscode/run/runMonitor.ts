// Follows the prompts this window queued: one cancellable progress notification and a status bar item show the
// current node, its steps, the cached nodes and the elapsed time; when a run ends the user gets its outcome
// (outputs, the failing node in the file with the traceback in the log, or the interrupt).
import * as vscode from 'vscode';
import type { ApiPrompt } from '../../core/comfy/types';
import { isCancellation } from '../../core/comfy/errors';
import type { QueueApi } from '../../core/queue/api';
import { entryFromHistory, outputFiles } from '../../core/queue/entries';
import { promptIdOf } from '../../core/comfy/messages';
import { describeRun, isFinished, reduceRun, runFraction, startRun, type RunState, type SocketMessage } from '../../core/queue/runTracker';
import { ProblemLocator, executionErrorProblem, uiFallbackResolver, apiPathResolver } from '../../core/queue/serverErrors';
import { cancelPrompt } from '../../core/queue/submit';
import { EarlyMessages } from '../../core/queue/earlyMessages';
import type { Logger } from '../../core/util/logger';
import { every, systemClock, type Clock, type Repeating } from '../../core/util/clock';
import { errorMessage } from '../../core/util/errorMessage';
import { showOutputs, type FileFetcher } from './outputs';
import type { ServerDiagnostics } from '../language/serverDiagnostics';
import type { SourceRegistry } from './sources';
import type { RefreshSource } from '../queueView/refreshController';
import { parse } from 'jsonc-parser';
import { promptPathPrefix } from '../../core/queue/promptSource';

/** What the run features need from the connection (ServerConnection satisfies it). */
export interface RunConnection extends RefreshSource {
  readonly client: (QueueApi & FileFetcher) | undefined;
  readonly clientId: string;
  readonly onDidChangeServer: vscode.Event<unknown>;
}

export interface RunLog extends Logger {
  show(): void;
}

interface ActiveRun {
  state: RunState;
  /** Position in its batch ("Queue N times"). */
  index: number;
  count: number;
  api: QueueApi & FileFetcher;
}

export interface FinishedRun {
  state: RunState;
}

/** Messages of not-yet-tracked prompts kept for replay (a run's whole sequence is a few dozen). */
const EARLY_LIMIT = 500;

/** Seconds between /history checks while the socket is down. */
const POLL_TICKS = 2;

/**
 * A socket that is open but has said nothing for this long while we follow a run is treated as stalled (a proxy
 * that swallows frames, a half-dead connection): the end of the run is then read from /history as when offline.
 * A real run reports progress or `executing` far more often; a poll that finds nothing costs one small request.
 */
export const STALL_MS = 10_000;

export class RunMonitor implements vscode.Disposable {
  private readonly runs = new Map<string, ActiveRun>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly statusItem = vscode.window.createStatusBarItem('comfyui.run', vscode.StatusBarAlignment.Left, 50);
  private notification: { report(text: string, fraction: number): void; done(): void } | undefined;
  private ticker: Repeating | undefined;
  private readonly clock: Clock;
  private polling = false;
  private ticks = 0;
  /** Mirrors the `comfyui.runActive` context key (enables "Cancel Running Workflow"). */
  private contextActive = false;
  /**
   * Recent messages of prompts we do not follow (yet). The server may start — or, fully cached, even finish — a prompt
   * before the POST /prompt answer reaches us, so `track` replays what already arrived for its id.
   */
  private readonly early = new EarlyMessages<SocketMessage>(EARLY_LIMIT);
  private readonly _onDidFinish = new vscode.EventEmitter<FinishedRun>();
  /** Fires when a tracked run ended (tests, tree refresh). */
  readonly onDidFinish = this._onDidFinish.event;
  private readonly _onDidUpdate = new vscode.EventEmitter<RunState>();
  readonly onDidUpdate = this._onDidUpdate.event;

  constructor(
    private readonly connection: RunConnection,
    private readonly deps: { sources: SourceRegistry; diagnostics: ServerDiagnostics; log: RunLog; clock?: Clock },
  ) {
    this.clock = deps.clock ?? systemClock;
    this.statusItem.name = vscode.l10n.t('ComfyUI Run');
    this.statusItem.command = 'comfyui.cancelRun';
    this.disposables.push(
      this.statusItem,
      this._onDidFinish,
      this._onDidUpdate,
      connection.onMessage((m) => this.onMessage(m)),
      // Messages lost while the socket was down: ask the server how our runs ended.
      connection.onResync(() => void this.pollOnce()),
    );
  }

  private now(): number {
    return this.clock.now();
  }

  /** The progress line of a followed run that is executing, for the tree's Running item. */
  liveText(promptId: string): string | undefined {
    const run = this.runs.get(promptId);
    return run && run.state.status === 'running' ? describeRun(run.state, this.now()) : undefined;
  }

  get active(): readonly RunState[] {
    return [...this.runs.values()].map((r) => r.state);
  }

  /** Starts following a queued prompt. */
  track(promptId: string, prompt: ApiPrompt, api: QueueApi & FileFetcher, batch: { index: number; count: number } = { index: 0, count: 1 }): void {
    this.runs.set(promptId, { state: startRun(promptId, prompt, this.now()), index: batch.index, count: batch.count, api });
    this.trackedAt = this.now();
    const replay = this.early.take(promptId);
    if (replay.length > 0) {
      for (const m of replay) this.onMessage(m);
      if (!this.runs.has(promptId)) return; // it already ended
    }
    this.ensureUi();
    this.render();
  }

  /** Cancels every run this window is following: interrupt the running one, dequeue the rest. */
  async cancelAll(): Promise<void> {
    const ids = [...this.runs.keys()];
    for (const id of ids) await this.cancel(id);
  }

  async cancel(promptId: string): Promise<void> {
    const run = this.runs.get(promptId);
    const api = run?.api ?? this.connection.client;
    if (!api) return;
    try {
      const outcome = await cancelPrompt(api, promptId);
      this.deps.log.info(`Cancel ${promptId}: ${outcome}`);
      // A dequeued prompt never produces messages, so it ends here.
      if (outcome === 'dequeued' && run) this.finish(promptId, { ...run.state, status: 'interrupted', endedAt: this.now() }, true);
      if (outcome === 'not-found' && run) void this.pollOnce();
    } catch (error) {
      if (!isCancellation(error)) void vscode.window.showErrorMessage(errorMessage(error));
    }
  }

  /** When the socket last said anything, and when we last started following a run (stall detection). */
  private lastMessageAt = 0;
  private trackedAt = 0;

  private onMessage(msg: SocketMessage): void {
    this.lastMessageAt = this.now();
    const pid = promptIdOf(msg);
    if (pid !== undefined && !this.runs.has(pid)) {
      this.early.push(msg);
      return;
    }
    for (const [id, run] of this.runs) {
      const next = reduceRun(run.state, msg, this.now());
      if (next === run.state) continue;
      run.state = next;
      this._onDidUpdate.fire(next);
      if (isFinished(next)) this.finish(id, next);
    }
    this.render();
  }

  private ensureUi(): void {
    if (!this.ticker) {
      // Elapsed time moves even without messages; when the socket is down we also ask the server directly.
      this.ticker = every(this.clock, 1000, () => {
        this.render();
        const stalled = this.now() - Math.max(this.lastMessageAt, this.trackedAt) > STALL_MS;
        if ((this.connection.state !== 'connected' || stalled) && ++this.ticks % POLL_TICKS === 0) void this.pollOnce();
      });
    }
    if (!this.notification) this.openNotification();
  }

  private openNotification(): void {
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    let reported = 0;
    let progressRef: vscode.Progress<{ message?: string; increment?: number }> | undefined;
    let last: { text: string; fraction: number } | undefined;
    this.notification = {
      report: (text, fraction) => {
        last = { text, fraction };
        if (!progressRef) return;
        const pct = Math.round(fraction * 100);
        progressRef.report({ message: text, increment: Math.max(0, pct - reported) });
        reported = Math.max(reported, pct);
      },
      done: () => resolveDone(),
    };
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('ComfyUI'), cancellable: true },
      (progress, token) => {
        progressRef = progress;
        if (last) this.notification?.report(last.text, last.fraction);
        token.onCancellationRequested(() => void this.cancelAll());
        return done;
      },
    );
  }

  /** The run shown: the one executing, else the first waiting. */
  private current(): ActiveRun | undefined {
    const list = [...this.runs.values()];
    return list.find((r) => r.state.status === 'running') ?? list[0];
  }

  private render(): void {
    const run = this.current();
    const active = this.runs.size > 0;
    if (active !== this.contextActive) {
      this.contextActive = active;
      void vscode.commands.executeCommand('setContext', 'comfyui.runActive', active);
    }
    if (!run) {
      this.statusItem.hide();
      return;
    }
    const now = this.now();
    const batch = run.count > 1 ? ` (${run.index + 1}/${run.count})` : '';
    const text = `${describeRun(run.state, now)}${batch}`;
    const waiting = this.runs.size - 1;
    this.notification?.report(waiting > 0 ? vscode.l10n.t('{0} · {1} more queued', text, waiting) : text, runFraction(run.state));
    const name = this.deps.sources.name(run.state.promptId);
    this.statusItem.text = `$(${run.state.status === 'running' ? 'sync~spin' : 'clock'}) ${text}`;
    this.statusItem.tooltip = [
      vscode.l10n.t('ComfyUI: {0}{1}', name ? `${name} · ` : '', text),
      vscode.l10n.t('Prompt {0}', run.state.promptId),
      vscode.l10n.t('Click to cancel.'),
    ].join('\n');
    this.statusItem.show();
  }

  /** Without a socket, the end of a run is read from /history. */
  async pollOnce(): Promise<void> {
    if (this.polling || this.runs.size === 0) return;
    this.polling = true;
    try {
      for (const [id, run] of [...this.runs]) {
        const item = await run.api.getHistoryItem(id).catch(() => undefined);
        if (!item && this.runs.has(id) && (await this.isLost(id, run.api))) {
          // Neither in /history nor in /queue: the server restarted (it forgets both) or someone deleted it.
          this.deps.log.warn(`ComfyUI no longer knows prompt ${id} (neither queued nor in the history): the server restarted or it was deleted.`);
          this.finish(id, { ...run.state, status: 'interrupted', endedAt: this.now() });
          continue;
        }
        if (!item || !this.runs.has(id)) continue;
        const entry = entryFromHistory(id, item);
        const base = run.state;
        const ended: RunState = {
          ...base,
          status: entry.status === 'success' || entry.status === 'unknown' ? 'success' : entry.status === 'error' ? 'error' : 'interrupted',
          endedAt: this.now(),
          outputs: Object.entries(item.outputs ?? {}).map(([nodeId, output]) => ({ nodeId, output: output as Record<string, unknown> })),
        };
        const err = entry.errors[0];
        if (err)
          ended.failure = {
            nodeId: err.nodeId,
            nodeType: err.nodeType,
            message: err.message,
            exceptionType: err.exceptionType ?? '',
            traceback: err.traceback ?? [],
          };
        this.finish(id, ended);
      }
    } finally {
      this.polling = false;
    }
  }

  /** True only when the server answered /queue and the prompt is in neither list (an error means "don't know"). */
  private async isLost(promptId: string, api: QueueApi): Promise<boolean> {
    try {
      const q = await api.getQueue();
      return ![...q.queue_running, ...q.queue_pending].some((e) => e[1] === promptId);
    } catch {
      return false;
    }
  }

  private finish(promptId: string, state: RunState, quiet = false): void {
    const run = this.runs.get(promptId);
    if (!run) return;
    this.runs.delete(promptId);
    if (this.runs.size === 0) {
      this.notification?.done();
      this.notification = undefined;
      this.ticker?.dispose();
      this.ticker = undefined;
    }
    this.render();
    this._onDidFinish.fire({ state });
    if (!quiet) void this.announce(state, run.api);
  }

  private async announce(state: RunState, api: QueueApi & FileFetcher): Promise<void> {
    const name = this.deps.sources.name(state.promptId) ?? state.promptId.slice(0, 8);
    const summary = describeRun(state, this.now());
    try {
      switch (state.status) {
        case 'success': {
          const files = outputFiles(Object.fromEntries(state.outputs.map((o) => [o.nodeId, o.output])));
          if (files.length === 0) {
            void vscode.window.showInformationMessage(vscode.l10n.t('{0}: {1}.', name, summary));
            return;
          }
          const show = vscode.l10n.t('Show Outputs');
          const pick = await vscode.window.showInformationMessage(vscode.l10n.t('{0}: {1}, {2} output(s).', name, summary, files.length), show);
          if (pick === show)
            await showOutputs(
              { promptId: state.promptId, outputs: files.map((f) => ({ nodeId: f.nodeId, filename: f.filename, subfolder: f.subfolder, type: f.type })) },
              api,
            );
          return;
        }
        case 'error': {
          const f = state.failure;
          const title = f ? (state.titles[f.nodeId] ?? f.nodeType) : '';
          if (f) {
            this.deps.log.error(
              `Prompt ${state.promptId} failed in node #${f.nodeId} (${f.nodeType}): ${f.exceptionType}: ${f.message}\n${f.traceback.join('')}`,
            );
            await this.placeError(state);
          }
          const traceback = vscode.l10n.t('Show Traceback');
          const pick = await vscode.window.showErrorMessage(
            f ? vscode.l10n.t('{0} failed in node #{1} {2}: {3}', name, f.nodeId, title, f.message.trim()) : vscode.l10n.t('{0} failed.', name),
            traceback,
          );
          if (pick === traceback) this.deps.log.show();
          return;
        }
        case 'interrupted':
          void vscode.window.showInformationMessage(vscode.l10n.t('{0} was interrupted.', name));
          return;
        default:
          return;
      }
    } catch (error) {
      this.deps.log.warn('Reporting the end of a run failed:', error);
    }
  }

  /** Puts an execution_error on the failing node of the file the prompt came from. */
  private async placeError(state: RunState): Promise<void> {
    const source = this.deps.sources.get(state.promptId);
    const f = state.failure;
    if (!source || !f) return;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(source.uri));
    const text = doc.getText();
    const resolver =
      this.deps.sources.resolver(state.promptId) ??
      (source.format === 'ui' ? uiFallbackResolver(parse(text)) : apiPathResolver(promptPathPrefix(source.format)));
    const problem = executionErrorProblem(
      { node_id: f.nodeId, node_type: f.nodeType, exception_message: f.message, exception_type: f.exceptionType, traceback: f.traceback },
      new ProblemLocator(text, resolver),
    );
    this.deps.diagnostics.add(doc, [problem]);
  }

  dispose(): void {
    this.ticker?.dispose();
    this.notification?.done();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
