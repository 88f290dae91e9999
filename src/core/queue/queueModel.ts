// The Queue & History state behind the tree: running, pending and a newest-first history that grows by pages.
// Updates are incremental so a 10,000-entry history stays cheap: a refresh reads /queue plus the newest few history
// entries and merges them in; only a gap (more new runs than that window) reloads the first page. Where the server has
// the jobs API (0.33), the refresh lists ids through /api/jobs and the pager learns the history's length from it.
import { isCancellation } from '../comfy/errors';
import type { HistoryItem } from '../comfy/types';
import { FINISHED_JOB_STATUSES, usesJobsApi, type CallOptions, type QueueApi } from './api';
import { entryFromHistory, entryFromQueueItem, type QueueEntry } from './entries';
import { HistoryPager, type HistoryPage } from './historyPager';
import { Emitter, type Disposable } from '../util/emitter';
import { errorMessage } from '../util/errorMessage';

export type QueueGroup = 'running' | 'pending' | 'history';

export interface ModelChange {
  /** Groups whose children changed; `root` when the top level itself changed (offline ↔ online). */
  groups: Set<QueueGroup | 'root'>;
}

type Listener = (change: ModelChange) => void;

export interface QueueModelOptions {
  pageSize?: number;
  /** How many newest history entries each refresh re-reads to catch runs that finished meanwhile. */
  refreshWindow?: number;
}

export class QueueModel {
  running: QueueEntry[] = [];
  pending: QueueEntry[] = [];
  /** Newest first. */
  history: QueueEntry[] = [];
  hasMoreHistory = false;
  /** Set while the server cannot be reached: the user-facing reason. */
  offline: string | undefined;
  /** False until the first successful load. */
  loaded = false;

  private readonly historyIds = new Map<string, QueueEntry>();
  private readonly refreshWindow: number;
  /** A listener that throws does not stop the others nor the load that reported the change. */
  private readonly changes = new Emitter<{ change: ModelChange }>();
  private chain: Promise<unknown> = Promise.resolve();

  private api: QueueApi | undefined;
  private pager: HistoryPager | undefined;
  private readonly pageSize: number;

  constructor(api: QueueApi | undefined, options: QueueModelOptions = {}) {
    this.pageSize = options.pageSize ?? 100;
    this.refreshWindow = options.refreshWindow ?? 10;
    this.setApi(api);
  }

  /** Switches to another server (or none): everything known about the old one is dropped. */
  setApi(api: QueueApi | undefined): void {
    this.api = api;
    this.pager = api ? new HistoryPager(api, this.pageSize) : undefined;
    this.running = [];
    this.pending = [];
    this.history = [];
    this.historyIds.clear();
    this.hasMoreHistory = false;
    this.loaded = false;
    this.offline = api ? undefined : 'No usable ComfyUI server URL is configured.';
    this.chain = Promise.resolve();
    this.emit(['root', 'running', 'pending', 'history']);
  }

  /** Results that arrive after a server switch belong to the old server and are dropped. */
  private checkCurrent(api: QueueApi): void {
    if (api !== this.api) throw new StaleResult();
  }

  private connected(): { api: QueueApi; pager: HistoryPager } {
    if (!this.api || !this.pager) throw new Error('No usable ComfyUI server URL is configured.');
    return { api: this.api, pager: this.pager };
  }

  onDidChange(listener: Listener): Disposable {
    return this.changes.on('change', listener);
  }

  private emit(groups: (QueueGroup | 'root')[]): void {
    if (groups.length === 0) return;
    const change = { groups: new Set(groups) };
    this.changes.emit('change', change);
  }

  /** Runs loads one after another, so a slow refresh never overwrites a newer one. */
  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const next = this.chain.then(task, task);
    this.chain = next.catch(() => undefined);
    return next;
  }

  entry(id: string): QueueEntry | undefined {
    return this.historyIds.get(id) ?? this.running.find((e) => e.id === id) ?? this.pending.find((e) => e.id === id);
  }

  /** Full load: queue plus the newest history page. */
  reload(options: CallOptions = {}): Promise<void> {
    return this.serialize(async () => {
      await this.guard(async () => {
        const { api, pager } = this.connected();
        const [queue, page] = await Promise.all([api.getQueue(options), pager.newest(options)]);
        this.checkCurrent(api);
        this.replaceHistory(page);
        this.applyQueue(queue.queue_running, queue.queue_pending);
        this.loaded = true;
      }, ['running', 'pending', 'history']);
    });
  }

  /** Cheap refresh after a socket event or a poll tick. */
  refresh(options: CallOptions = {}): Promise<void> {
    if (!this.loaded) return this.reload(options);
    return this.serialize(async () => {
      await this.guard(async () => {
        const { api, pager } = this.connected();
        const [queue, recent] = await Promise.all([api.getQueue(options), this.recentHistory(api, options)]);
        this.checkCurrent(api);
        const changed: QueueGroup[] = [];
        const merged = this.mergeRecent(recent);
        if (merged === 'gap') {
          const page = await pager.newest(options);
          this.checkCurrent(api);
          this.replaceHistory(page);
          changed.push('history');
        } else if (merged) changed.push('history');
        // After the history, so a run the two parallel reads both saw (it finished between them) is shown once, done.
        changed.push(...this.applyQueue(queue.queue_running, queue.queue_pending));
        return changed;
      });
    });
  }

  /** History becomes exactly the newest page (a full load, or a refresh that found a gap). */
  private replaceHistory(page: HistoryPage): void {
    this.history = page.items.map(([id, item]) => entryFromHistory(id, item));
    this.historyIds.clear();
    for (const e of this.history) this.historyIds.set(e.id, e);
    this.hasMoreHistory = page.hasMore;
  }

  /** Appends the next older page of history. */
  loadMore(options: CallOptions = {}): Promise<void> {
    return this.serialize(async () => {
      await this.guard(async () => {
        const { api, pager } = this.connected();
        pager.setLoaded(this.history.length, this.history[this.history.length - 1]?.id);
        const page = await pager.older(options);
        this.checkCurrent(api);
        for (const [id, item] of page.items) {
          if (this.historyIds.has(id)) continue;
          const e = entryFromHistory(id, item);
          this.history.push(e);
          this.historyIds.set(id, e);
        }
        this.hasMoreHistory = page.hasMore;
      }, ['history']);
    });
  }

  /** Local removal after a successful delete on the server (no reload needed). */
  forgetHistory(ids: readonly string[] | 'all'): void {
    if (ids === 'all') {
      this.history = [];
      this.historyIds.clear();
      this.hasMoreHistory = false;
    } else {
      const drop = new Set(ids);
      this.history = this.history.filter((e) => !drop.has(e.id));
      for (const id of drop) this.historyIds.delete(id);
    }
    this.emit(['history']);
  }

  forgetPending(ids: readonly string[] | 'all'): void {
    this.pending = ids === 'all' ? [] : this.pending.filter((e) => !ids.includes(e.id));
    this.emit(['pending']);
  }

  /** Marks the model offline (e.g. the connection reports the server gone) without a request. */
  setOffline(reason: string | undefined): void {
    if (this.offline === reason) return;
    this.offline = reason;
    this.emit(['root']);
  }

  private async guard(task: () => Promise<QueueGroup[] | void>, groups: QueueGroup[] = []): Promise<void> {
    const api = this.api;
    // The view shows a "Loading…" placeholder at its root until the first load: that load must redraw the root too.
    const wasLoaded = this.loaded;
    try {
      const changed = (await task()) ?? groups;
      if (api !== this.api) return; // the server changed meanwhile
      const wasOffline = this.offline !== undefined;
      this.offline = undefined;
      this.emit(wasOffline || !wasLoaded ? ['root', ...changed] : changed);
    } catch (e) {
      if (isCancellation(e) || e instanceof StaleResult || api !== this.api) return;
      // Any failure to talk to the server is shown as the offline state (with a retry), never thrown at the view.
      const reason = errorMessage(e);
      const was = this.offline;
      this.offline = reason;
      if (was !== reason) this.emit(['root']);
    }
  }

  private applyQueue(running: unknown[], pending: unknown[]): QueueGroup[] {
    const toEntries = (list: unknown[], status: 'running' | 'pending') =>
      (Array.isArray(list) ? list : []).map((i) => entryFromQueueItem(i as never, status)).filter((e): e is QueueEntry => e !== undefined);
    // /queue and /history are read in parallel: a run that finished between the two reads is in both answers. It is
    // done (the server moves a task to history and off the queue in one step), so the queue copy is stale.
    const notDone = (e: QueueEntry) => !this.historyIds.has(e.id);
    const r = toEntries(running, 'running').filter(notDone);
    // The server returns pending items in heap order; show them in execution order.
    const p = toEntries(pending, 'pending')
      .filter(notDone)
      .sort((a, b) => a.number - b.number);
    const changed: QueueGroup[] = [];
    if (!sameIds(this.running, r)) changed.push('running');
    if (!sameIds(this.pending, p)) changed.push('pending');
    this.running = r;
    this.pending = p;
    return changed;
  }

  /**
   * The newest `refreshWindow` history entries, oldest first. With the jobs API (0.33) only their ids are listed
   * (/api/jobs), and only the entries not held yet are read (/history/{id}): a refresh tick then costs a few hundred
   * bytes instead of ten full prompts. Entries already held, or not needed because of a gap, come back undefined.
   */
  private async recentHistory(api: QueueApi, options: CallOptions): Promise<[string, HistoryItem | undefined][]> {
    if (!api.getJobs || !(await usesJobsApi(api, options))) {
      return Object.entries((await api.getHistory({ maxItems: this.refreshWindow }, options)) ?? {});
    }
    const page = await api.getJobs({ status: [...FINISHED_JOB_STATUSES], limit: this.refreshWindow }, options);
    const ids = (Array.isArray(page.jobs) ? page.jobs : [])
      .map((j) => j?.id)
      .filter((id): id is string => typeof id === 'string')
      .reverse();
    const fresh = ids.filter((id) => !this.historyIds.has(id));
    if (fresh.length === ids.length && this.history.length > 0 && ids.length >= this.refreshWindow) return ids.map((id) => [id, undefined]);
    const items = await Promise.all(fresh.map((id) => api.getHistoryItem(id, options)));
    const byId = new Map(fresh.map((id, i) => [id, items[i]]));
    return ids.map((id) => [id, byId.get(id)]);
  }

  /** Merges the newest window of history; 'gap' when none of it overlaps what we hold (more runs than the window). */
  private mergeRecent(items: [string, HistoryItem | undefined][]): boolean | 'gap' {
    if (items.length === 0) {
      // History was cleared elsewhere.
      if (this.history.length === 0) return false;
      this.history = [];
      this.historyIds.clear();
      this.hasMoreHistory = false;
      return true;
    }
    const fresh = items.filter(([id]) => !this.historyIds.has(id));
    if (fresh.length === 0) return false;
    if (fresh.length === items.length && this.history.length > 0 && items.length >= this.refreshWindow) return 'gap';
    // (an entry deleted between the listing and its read is skipped)
    const added = fresh.flatMap(([id, item]) => (item ? [entryFromHistory(id, item)] : [])).reverse();
    if (added.length === 0) return false;
    for (const e of added) this.historyIds.set(e.id, e);
    this.history = [...added, ...this.history];
    return true;
  }
}

class StaleResult extends Error {}

function sameIds(a: QueueEntry[], b: QueueEntry[]): boolean {
  return a.length === b.length && a.every((e, i) => e.id === b[i]!.id);
}
