// When the Queue view re-reads the server. Socket events (status, execution_*) trigger a debounced incremental
// refresh; a resync after a reconnect too. Polling runs only while the view is visible and the socket is down, and
// stops the moment either changes. Manual refreshes are immediate. Nothing here runs while the view is hidden,
// except remembering that the data became stale.
import * as vscode from 'vscode';
import type { QueueModel } from '../../core/queue/queueModel';
import type { SocketMessage } from '../../core/queue/runTracker';
import { every, systemClock, type Clock, type Repeating } from '../../core/util/clock';
import { debounce, type Debounced } from '../../core/util/debounce';

export type RefreshReason = 'event' | 'resync' | 'poll' | 'manual' | 'visible' | 'queued' | 'server';

const REFRESH_TYPES = new Set(['status', 'execution_start', 'execution_success', 'execution_error', 'execution_interrupted']);

export interface RefreshSource {
  readonly state: string;
  readonly onMessage: vscode.Event<SocketMessage>;
  readonly onResync: vscode.Event<unknown>;
  readonly onDidChangeState: vscode.Event<unknown>;
}

export interface RefreshOptions {
  debounceMs?: number;
  pollMs?: number;
  clock?: Clock;
}

export class RefreshController implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** One refresh covers a burst of events: the first one starts the wait, the rest join it. */
  private readonly soon: Debounced<[RefreshReason]>;
  private poller: Repeating | undefined;
  private readonly clock: Clock;
  private stale = true;
  private readonly debounceMs: number;
  private readonly pollMs: number;
  /** Re-read too by a manual refresh (the other servers of a grouped view). */
  private readonly manualHooks = new Set<() => Promise<void>>();
  /** Every refresh that actually ran, for tests and logs. */
  readonly history: RefreshReason[] = [];

  constructor(
    private readonly model: QueueModel,
    private readonly source: RefreshSource,
    private readonly view: { readonly visible: boolean; readonly onDidChangeVisibility: vscode.Event<{ visible: boolean }> },
    options: RefreshOptions = {},
  ) {
    this.debounceMs = options.debounceMs ?? 300;
    this.pollMs = options.pollMs ?? 5000;
    this.clock = options.clock ?? systemClock;
    this.soon = debounce((reason: RefreshReason) => void this.run(reason), this.debounceMs, { clock: this.clock, mode: 'burst' });
    this.disposables.push(
      source.onMessage((m) => {
        if (REFRESH_TYPES.has(m.type) || (m.type === 'executing' && (m.data as { node?: unknown } | undefined)?.node === null)) this.schedule('event');
      }),
      source.onResync(() => this.schedule('resync')),
      source.onDidChangeState(() => {
        this.updatePolling();
        if (source.state === 'connected') this.schedule('resync');
      }),
      view.onDidChangeVisibility((e) => {
        this.updatePolling();
        if (e.visible && this.stale) this.schedule('visible', 0);
      }),
    );
    this.updatePolling();
  }

  /** Debounced refresh; while hidden it only marks the data stale. */
  schedule(reason: RefreshReason, delayMs = this.debounceMs): void {
    if (!this.view.visible) {
      this.stale = true;
      return;
    }
    this.soon.after(delayMs, reason);
  }

  /** Immediate (the refresh button, the offline node's retry); `onlyThis` skips the other servers' re-reads. */
  async manual(onlyThis = false): Promise<void> {
    this.soon.cancel();
    await Promise.all([this.run('manual'), ...(onlyThis ? [] : [...this.manualHooks].map((f) => f()))]);
  }

  /** Adds a re-read to the Refresh button (it must not throw; QueueModel loads report failures as offline). */
  alsoOnManual(fn: () => Promise<void>): vscode.Disposable {
    this.manualHooks.add(fn);
    return new vscode.Disposable(() => this.manualHooks.delete(fn));
  }

  private async run(reason: RefreshReason): Promise<void> {
    this.history.push(reason);
    this.stale = false;
    if (reason === 'manual' || reason === 'server' || !this.model.loaded || this.model.offline !== undefined) await this.model.reload();
    else await this.model.refresh();
  }

  private updatePolling(): void {
    const want = this.view.visible && this.source.state !== 'connected';
    if (want && !this.poller) this.poller = every(this.clock, this.pollMs, () => void this.run('poll'));
    if (!want && this.poller) {
      this.poller.dispose();
      this.poller = undefined;
    }
  }

  get isPolling(): boolean {
    return this.poller !== undefined;
  }

  dispose(): void {
    this.soon.cancel();
    this.poller?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
