// Every configured server in the Queue & History view, grouped by server. The active server keeps the view's own
// model with its socket-driven refresh; each other server gets its own client (with its credentials from the servers
// registry's auth resolution), QueueModel and tree, re-read every few seconds but only while the view is visible
// (no socket per inactive server: one per window is what ComfyUI's frontend does too). With a single server nothing
// here shows: the tree stays exactly the plain one.
import type * as vscode from 'vscode';
import { ComfyClient } from '../../core/comfy/client';
import type { QueueApi } from '../../core/queue/api';
import { QueueModel } from '../../core/queue/queueModel';
import type { ServerSection } from '../../core/queue/serverTree';
import { QueueTreeModel, type ServerQueueRef } from '../../core/queue/treeModel';
import type { ServerAuth } from '../host/connection';
import { serverKey } from '../../core/comfy/url';
import type { ServerEntry } from '../serverRegistry/registry';
import type { QueueTreeProvider } from './queueTreeProvider';
import { systemClock, type Clock, type TimerHandle } from '../../core/util/clock';

export interface ServerQueuesDeps {
  provider: QueueTreeProvider;
  /** The active server's refresh (its offline retry); the title's Refresh re-reads the others through `alsoOnManual`. */
  refresh: { manual(onlyThis?: boolean): Promise<void>; alsoOnManual(fn: () => Promise<void>): vscode.Disposable };
  view: { readonly visible: boolean; readonly onDidChangeVisibility: vscode.Event<{ visible: boolean }> };
  registry: { choices(): ServerEntry[]; readonly onDidChange: vscode.Event<void> };
  connection: { readonly serverUrl: string; readonly client: QueueApi | undefined; readonly onDidChangeServer: vscode.Event<unknown> };
  /** Headers/query for a URL without asking anything (the servers area's `auth.probeAuth`). */
  authFor: (url: string) => ServerAuth | undefined;
  /** Fires when stored credentials change: the other servers' clients are rebuilt if what they send changed. */
  authChanged?: vscode.Event<unknown>;
  /** Labels of prompts this window queued (file names). */
  sourceOf?: (promptId: string) => string | undefined;
  /** Poll interval of the inactive servers while the view is visible. */
  pollMs?: number;
  /** Per-request timeout of those polls: a hanging server must not pile up requests. */
  pollTimeoutMs?: number;
  /** Schedules the polls (tests drive a ManualClock). */
  clock?: Clock;
  /** Builds a client (tests may wrap it); defaults to a ComfyClient. */
  createClient?: (url: string, auth: ServerAuth | undefined, timeoutMs: number) => QueueApi;
  log?: { warn(...args: unknown[]): void };
}

/** One inactive server: client, model, tree, poll timer. */
class RemoteQueue implements vscode.Disposable {
  readonly ref: ServerQueueRef;
  readonly tree: QueueTreeModel;
  readonly model: QueueModel;
  private timer: TimerHandle | undefined;
  private busy = false;
  private readonly abort = new AbortController();
  private readonly sub: vscode.Disposable;

  constructor(
    readonly entry: ServerEntry,
    /** What the client was built with (compared only; may hold secrets, never log it). */
    readonly authPrint: string,
    api: QueueApi | undefined,
    private readonly deps: ServerQueuesDeps,
  ) {
    this.model = new QueueModel(api);
    const model = this.model;
    this.ref = { key: entry.key, name: entry.name, displayUrl: entry.displayUrl, active: false, model, api, reload: () => this.load(true) };
    this.tree = new QueueTreeModel(model, deps.sourceOf, Date.now, this.ref);
    this.sub = deps.provider.watch(this.tree);
  }

  /** Re-reads the server; a poll while one is still out is skipped (never a pile-up against a slow server). */
  async load(full = false): Promise<void> {
    if (this.busy && !full) return;
    this.busy = true;
    try {
      const options = { signal: this.abort.signal, timeoutMs: this.deps.pollTimeoutMs ?? 10_000 };
      // The model reports failures as its offline state (shown under this server only), never throws at us.
      if (full || !this.model.loaded || this.model.offline !== undefined) await this.model.reload(options);
      else await this.model.refresh(options);
    } finally {
      this.busy = false;
    }
  }

  /** Polls only while the view is visible; becoming visible reads at once. */
  setVisible(visible: boolean): void {
    if (visible && this.timer === undefined) {
      void this.load();
      this.schedulePoll();
    } else if (!visible && this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private get clock(): Clock {
    return this.deps.clock ?? systemClock;
  }

  private schedulePoll(): void {
    this.timer = this.clock.setTimeout(() => {
      void this.load();
      this.schedulePoll();
    }, this.deps.pollMs ?? 5000);
  }

  dispose(): void {
    this.setVisible(false);
    this.abort.abort();
    this.sub.dispose();
  }
}

export class ServerQueues implements vscode.Disposable {
  private remotes = new Map<string, RemoteQueue>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: ServerQueuesDeps) {
    this.disposables.push(
      deps.registry.onDidChange(() => this.sync()),
      // After a switch the previously active server becomes a polled one and the new one leaves the polled set.
      deps.connection.onDidChangeServer(() => this.sync()),
      deps.refresh.alsoOnManual(() => this.reloadAll()),
      ...(deps.authChanged ? [deps.authChanged(() => this.sync())] : []),
      deps.view.onDidChangeVisibility((e) => {
        for (const r of this.remotes.values()) r.setVisible(e.visible);
      }),
    );
    this.sync();
  }

  /** The inactive servers shown (for tests and the refresh command). */
  get inactive(): readonly ServerQueueRef[] {
    return [...this.remotes.values()].map((r) => r.ref);
  }

  /** Re-reads every inactive server now (the view's Refresh button). */
  async reloadAll(): Promise<void> {
    await Promise.all([...this.remotes.values()].map((r) => r.load(true)));
  }

  /** Rebuilds the sections from the registry: reuses unchanged servers, disposes removed ones. */
  sync(): void {
    const { provider, connection } = this.deps;
    const choices = this.deps.registry.choices();
    const activeKey = serverKey(connection.serverUrl);
    const next = new Map<string, RemoteQueue>();
    const sections: ServerSection[] = [];
    if (choices.length >= 2) {
      for (const entry of choices) {
        if (entry.key === activeKey) {
          sections.push({ ref: this.activeRef(entry), tree: provider.tree });
          continue;
        }
        if (next.has(entry.key)) continue; // two names for one server: one section
        const remote = this.remoteFor(entry);
        next.set(entry.key, remote);
        sections.push({ ref: remote.ref, tree: remote.tree });
      }
    }
    for (const [key, r] of this.remotes) if (next.get(key) !== r) r.dispose();
    this.remotes = next;
    provider.grouping.setSections(sections);
    provider.refreshAll();
    for (const r of next.values()) r.setVisible(this.deps.view.visible);
  }

  private activeRef(entry: ServerEntry): ServerQueueRef {
    const { provider, connection, refresh } = this.deps;
    return {
      key: entry.key,
      name: entry.name,
      displayUrl: entry.displayUrl,
      active: true,
      get model() {
        return provider.tree.model;
      },
      get api() {
        return connection.client;
      },
      reload: () => refresh.manual(true),
    };
  }

  private remoteFor(entry: ServerEntry): RemoteQueue {
    let auth: ServerAuth | undefined;
    try {
      auth = this.deps.authFor(entry.url);
    } catch (error) {
      // A broken credential entry must not hide the server: read it without credentials and say so.
      this.deps.log?.warn(`Reading the credentials of ${entry.displayUrl} failed:`, error);
    }
    const print = JSON.stringify([entry.url, entry.headers, auth ?? null]);
    const old = this.remotes.get(entry.key);
    if (old && old.authPrint === print && old.entry.name === entry.name) return old;
    let api: QueueApi | undefined;
    const timeoutMs = this.deps.pollTimeoutMs ?? 10_000;
    try {
      api = this.deps.createClient
        ? this.deps.createClient(entry.url, auth, timeoutMs)
        : new ComfyClient({
            baseUrl: entry.url,
            timeoutMs,
            ...(auth?.headers && Object.keys(auth.headers).length ? { headers: auth.headers } : {}),
            ...(auth?.query && Object.keys(auth.query).length ? { query: auth.query } : {}),
          });
    } catch (error) {
      // An unusable URL: the model shows it offline under this server's node.
      this.deps.log?.warn(`The server ${entry.displayUrl} cannot be used:`, error);
    }
    return new RemoteQueue(entry, print, api, this.deps);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    for (const r of this.remotes.values()) r.dispose();
    this.remotes.clear();
    this.deps.provider.grouping.setSections([]);
  }
}

/** Wires grouping into the run features' Queue view (called from the composition root with the servers area). */
export function registerServerQueues(
  run: {
    provider: QueueTreeProvider;
    refresh: ServerQueuesDeps['refresh'];
    view: ServerQueuesDeps['view'];
    sources: { name(promptId: string): string | undefined };
  },
  deps: Pick<ServerQueuesDeps, 'registry' | 'connection' | 'authFor' | 'authChanged' | 'log'>,
): ServerQueues {
  return new ServerQueues({ ...deps, provider: run.provider, refresh: run.refresh, view: run.view, sourceOf: (id) => run.sources.name(id) });
}
