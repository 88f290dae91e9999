// Newest-first paging over GET /history, whose own paging runs the other way: results come oldest first, `offset`
// counts from the oldest entry, and without an offset `max_items` returns the newest entries. To page backwards we need
// the index of the oldest entry we hold; it is found once by probing (`max_items=1&offset=k` is empty iff k >= length)
// and then kept. Each older page overlaps ours by one entry, which detects drift (entries deleted by others, or the
// server dropping its oldest entries at the 10,000 cap) without trusting the index blindly. A server with the jobs API
// (0.33) tells the length in one request, so no probing is needed there.
import type { History, HistoryItem } from '../comfy/types';
import { FINISHED_JOB_STATUSES, usesJobsApi, type CallOptions, type QueueApi } from './api';

export interface HistoryPage {
  /** Newest first. */
  items: [string, HistoryItem][];
  hasMore: boolean;
}

function orderedEntries(h: History): [string, HistoryItem][] {
  return Object.entries(h ?? {});
}

/** Number of entries in the server's history, found with O(log n) one-item requests. */
export async function probeHistoryLength(api: Pick<QueueApi, 'getHistory'>, lowerBound: number, options: CallOptions = {}): Promise<number> {
  const exists = async (k: number) => Object.keys(await api.getHistory({ maxItems: 1, offset: k }, options)).length > 0;
  let lo = Math.max(0, lowerBound); // invariant: every index < lo exists (when lo > 0, checked below)
  if (lo > 0 && !(await exists(lo - 1))) lo = 0;
  let step = Math.max(1, lo);
  let hi = lo + step;
  while (await exists(hi - 1)) {
    lo = hi;
    step *= 2;
    hi = lo + step;
    if (hi > 1e9) throw new Error('History length probe did not converge.');
  }
  // indexes < lo exist, hi - 1 does not: length is in [lo, hi - 1].
  let a = lo;
  let b = hi - 1;
  while (a < b) {
    const mid = Math.floor((a + b) / 2);
    if (await exists(mid)) a = mid + 1;
    else b = mid;
  }
  return a;
}

export class HistoryPager {
  /** Index (counted from the server's oldest entry) of the oldest entry handed out so far; unknown until needed. */
  private oldestIndex: number | undefined;
  private oldestId: string | undefined;
  private loadedCount = 0;

  constructor(
    private readonly api: Pick<QueueApi, 'getHistory' | 'hasJobsApi' | 'getJobs'>,
    readonly pageSize = 100,
  ) {}

  /**
   * The number of entries in the server's history: with the jobs API, the `total` of one one-job listing of finished
   * jobs (every history entry is one); without, found by probing /history.
   */
  private async historyLength(options: CallOptions): Promise<number> {
    if (this.api.getJobs && (await usesJobsApi(this.api, options))) {
      const page = await this.api.getJobs({ status: [...FINISHED_JOB_STATUSES], limit: 1 }, options);
      if (Number.isInteger(page.pagination?.total) && page.pagination.total >= 0) return page.pagination.total;
    }
    return probeHistoryLength(this.api, this.loadedCount, options);
  }

  async newest(options: CallOptions = {}): Promise<HistoryPage> {
    const items = orderedEntries(await this.api.getHistory({ maxItems: this.pageSize }, options));
    this.oldestIndex = undefined;
    this.oldestId = items[0]?.[0];
    this.loadedCount = items.length;
    return { items: items.reverse(), hasMore: items.length >= this.pageSize };
  }

  /** Tells the pager how many entries the caller holds now (new runs prepended, entries deleted). */
  setLoaded(count: number, oldestId: string | undefined): void {
    this.loadedCount = count;
    this.oldestId = oldestId;
  }

  async older(options: CallOptions = {}): Promise<HistoryPage> {
    if (this.oldestId === undefined) return this.newest(options);
    for (let attempt = 0; attempt < 2; attempt++) {
      if (this.oldestIndex === undefined || attempt > 0) {
        const length = await this.historyLength(options);
        this.oldestIndex = Math.max(0, length - this.loadedCount);
      }
      const end = this.oldestIndex; // our oldest entry should sit here
      const offset = Math.max(0, end - this.pageSize);
      const got = orderedEntries(await this.api.getHistory({ maxItems: end - offset + 1, offset }, options));
      const j = got.findIndex(([id]) => id === this.oldestId);
      if (j < 0 && attempt === 0) continue; // drifted further than a page: re-probe once
      // The entries before ours are the older page; after a drift we could not place, take all (the caller dedupes).
      const older = j >= 0 ? got.slice(0, j) : got;
      this.oldestIndex = offset;
      if (older.length > 0) {
        this.oldestId = older[0]![0];
        this.loadedCount += older.length;
      }
      return { items: older.reverse(), hasMore: this.oldestIndex > 0 };
    }
    return { items: [], hasMore: false };
  }
}
