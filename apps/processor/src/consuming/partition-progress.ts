/** What the consumer knows about one partition it owns, between two rebalances. */
export interface PartitionProgress {
  /** Offset after the last message fully processed (raw rows stored, samples in windows). */
  nextOffset?: number;
  /** Offset last committed to Kafka. */
  committed?: number;
  /** Wall-clock time the last message arrived: an idle partition gets its windows closed. */
  lastMessageAt: number;
  /** A batch of this partition is being processed. */
  busy: boolean;
  /** The last batch reached the partition's high watermark (nothing more was waiting). */
  caughtUp: boolean;
}

/**
 * Windows written (or being written) to ClickHouse and the rollup topic, per partition, by the
 * earliest offset each depends on. Until a write finishes, the commit must not pass that offset.
 */
export class PendingWrites {
  private readonly byPartition = new Map<number, Map<number, number>>();
  private nextId = 0;

  add(partition: number, firstOffset: number): number {
    const id = this.nextId++;
    let writes = this.byPartition.get(partition);
    if (!writes) {
      writes = new Map();
      this.byPartition.set(partition, writes);
    }
    writes.set(id, firstOffset);
    return id;
  }

  done(partition: number, id: number): void {
    this.byPartition.get(partition)?.delete(id);
  }

  lowest(partition: number): number | undefined {
    let lowest: number | undefined;
    for (const offset of this.byPartition.get(partition)?.values() ?? []) {
      if (lowest === undefined || offset < lowest) lowest = offset;
    }
    return lowest;
  }

  clear(): void {
    this.byPartition.clear();
  }
}

/** The offset that is safe to commit: nothing before it is still needed. */
export function committableOffset(nextOffset: number | undefined, ...holds: Array<number | undefined>): number | undefined {
  if (nextOffset === undefined) return undefined;
  return Math.min(nextOffset, ...holds.filter((offset): offset is number => offset !== undefined));
}
