// Bookkeeping of a byte-capped least-recently-used cache. Pure: it decides which keys to evict; the adapter
// (src/vscode/preview/outputCache.ts) owns the files. Insertion order of the Map is the recency order.

export class ByteLru<K> {
  private readonly entries = new Map<K, number>();
  private total = 0;

  constructor(private readonly capBytes: number) {}

  get size(): number {
    return this.entries.size;
  }
  get totalBytes(): number {
    return this.total;
  }
  get cap(): number {
    return this.capBytes;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Marks the key most recently used; false when unknown. */
  touch(key: K): boolean {
    const size = this.entries.get(key);
    if (size === undefined) return false;
    this.entries.delete(key);
    this.entries.set(key, size);
    return true;
  }

  /**
   * Records `key` with `size` bytes as the most recent entry and returns the keys to evict (oldest first) so the
   * total fits the cap. An entry larger than the whole cap is not kept: it is returned itself, last.
   */
  set(key: K, size: number): K[] {
    this.delete(key);
    this.entries.set(key, size);
    this.total += size;
    const evicted: K[] = [];
    for (const [k, s] of this.entries) {
      if (this.total <= this.capBytes) break;
      if (k === key) continue;
      this.entries.delete(k);
      this.total -= s;
      evicted.push(k);
    }
    if (this.total > this.capBytes) {
      this.delete(key);
      evicted.push(key);
    }
    return evicted;
  }

  delete(key: K): boolean {
    const size = this.entries.get(key);
    if (size === undefined) return false;
    this.entries.delete(key);
    this.total -= size;
    return true;
  }

  /** Keys from least to most recently used. */
  keys(): K[] {
    return [...this.entries.keys()];
  }
}
