import { createHash } from 'node:crypto';

/**
 * Recognises a message seen again on the same partition (a producer retry that had in fact
 * succeeded writes the same bytes twice). ClickHouse removes the duplicate raw rows by itself, but
 * a window would count the samples twice. Messages are remembered by a digest of their bytes,
 * until their event time is older than the partition's horizon.
 */
export class DuplicateFilter {
  private readonly seen = new Map<number, Map<string, number>>();

  constructor(private readonly rememberMs: number) {}

  /** True the first time these bytes are seen on the partition. */
  firstSighting(partition: number, value: Buffer, eventTime: number): boolean {
    let digests = this.seen.get(partition);
    if (!digests) {
      digests = new Map();
      this.seen.set(partition, digests);
    }
    const digest = createHash('md5').update(value).digest('base64');
    if (digests.has(digest)) return false;
    digests.set(digest, eventTime);
    return true;
  }

  /** Forgets messages with event times before `latestEventTime − rememberMs`. */
  expire(partition: number, latestEventTime: number): void {
    const digests = this.seen.get(partition);
    if (!digests) return;
    const horizon = latestEventTime - this.rememberMs;
    for (const [digest, eventTime] of digests) if (eventTime < horizon) digests.delete(digest);
  }

  drop(partition: number): void {
    this.seen.delete(partition);
  }

  dropAll(): void {
    this.seen.clear();
  }

  get size(): number {
    let size = 0;
    for (const digests of this.seen.values()) size += digests.size;
    return size;
  }
}
