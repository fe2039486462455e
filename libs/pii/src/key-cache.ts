/**
 * Unwrapped data keys, bounded in number and age: the wrapped key is a database round trip and an
 * unwrap away, so a hot person costs nothing, while a key stays in memory no longer than `ttlMs`
 * (on other replicas, that is also how long an erasure may take to bite). Evicted keys are zeroed.
 */
export class DataKeyCache {
  // A Map iterates in insertion order: re-inserting on hit makes the first entry the least recent.
  private readonly entries = new Map<string, { key: Buffer; expiresAt: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) throw new RangeError('maxEntries must be a non-negative integer');
    if (!(ttlMs >= 0)) throw new RangeError('ttlMs must be non-negative');
  }

  get(subjectId: string): Buffer | undefined {
    const entry = this.entries.get(subjectId);
    if (!entry) return undefined;
    this.entries.delete(subjectId);
    if (entry.expiresAt <= this.now()) {
      entry.key.fill(0);
      return undefined;
    }
    this.entries.set(subjectId, entry);
    // A copy: an eviction (erasure) zeroes the cached buffer, which a caller may still hold.
    return Buffer.from(entry.key);
  }

  set(subjectId: string, key: Buffer): void {
    if (this.maxEntries === 0 || this.ttlMs === 0) return;
    this.evict(subjectId);
    this.entries.set(subjectId, { key: Buffer.from(key), expiresAt: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.evict(oldest);
    }
  }

  evict(subjectId: string): void {
    const entry = this.entries.get(subjectId);
    if (!entry) return;
    entry.key.fill(0);
    this.entries.delete(subjectId);
  }

  clear(): void {
    for (const id of [...this.entries.keys()]) this.evict(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
