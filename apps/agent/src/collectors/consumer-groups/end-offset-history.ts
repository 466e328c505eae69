/**
 * Per partition, the log-end offsets of the last few collections, (time, offset) oldest first, in one
 * Float64Array ring each. Answers "when was this offset written?", which turns a lag in messages into
 * a lag in seconds.
 */
class PartitionHistory {
  readonly points: Float64Array;
  head = 0;
  size = 0;
  seen = 0;

  constructor(readonly capacity: number) {
    this.points = new Float64Array(capacity * 2);
  }

  push(at: number, endOffset: number): void {
    if (this.size > 0 && endOffset < this.offset(this.size - 1)) this.size = 0; // topic re-created: the old points describe another log
    const slot = ((this.head + this.size) % this.capacity) * 2;
    this.points[slot] = at;
    this.points[slot + 1] = endOffset;
    if (this.size < this.capacity) this.size++;
    else this.head = (this.head + 1) % this.capacity;
  }

  at(i: number): number {
    return this.points[((this.head + i) % this.capacity) * 2];
  }

  offset(i: number): number {
    return this.points[((this.head + i) % this.capacity) * 2 + 1];
  }
}

export class EndOffsetHistory {
  /** Histories by topic, indexed by partition. */
  private readonly topics = new Map<string, Array<PartitionHistory | undefined>>();
  private generation = 0;

  /** `capacity`: collections remembered per partition; older ones are extrapolated at the partition's rate. */
  constructor(private readonly capacity = 30) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError('capacity must be an integer >= 2');
  }

  beginCollection(): void {
    this.generation++;
  }

  /** Records a partition's log-end offset as of `at` (ms). Call once per partition per collection. */
  record(topic: string, partition: number, endOffset: number, at: number): void {
    let partitions = this.topics.get(topic);
    if (!partitions) this.topics.set(topic, (partitions = []));
    let history = partitions[partition];
    if (!history) history = partitions[partition] = new PartitionHistory(this.capacity);
    history.push(at, endOffset);
    history.seen = this.generation;
  }

  /**
   * Seconds since the message at `committedOffset` (the oldest one the group has not consumed) was
   * written, as of `now`: 0 when caught up; interpolated between the two collections whose log-end
   * offsets bracket it; beyond the history, extrapolated back at the partition's message rate over
   * the history (a partition that did not move in the history gives its span, a lower bound).
   * Undefined while fewer than two collections have been recorded and the offset predates them.
   */
  lagSeconds(topic: string, partition: number, committedOffset: number, now: number): number | undefined {
    const history = this.topics.get(topic)?.[partition];
    if (!history || history.size === 0) return undefined;
    const n = history.size;
    if (committedOffset >= history.offset(n - 1)) return 0;

    // The message at offset o was written when the log-end offset went from o to o + 1.
    const target = committedOffset + 1;
    let writtenAt: number;
    if (target > history.offset(0)) {
      let i = 1;
      while (history.offset(i) < target) i++;
      const e0 = history.offset(i - 1);
      const t0 = history.at(i - 1);
      writtenAt = t0 + ((target - e0) / (history.offset(i) - e0)) * (history.at(i) - t0);
    } else {
      if (n < 2) return undefined;
      const span = history.at(n - 1) - history.at(0);
      const perMs = span > 0 ? (history.offset(n - 1) - history.offset(0)) / span : 0;
      writtenAt = perMs > 0 ? history.at(0) - (history.offset(0) - target) / perMs : history.at(0);
    }
    return Math.max(0, (now - writtenAt) / 1000);
  }

  /** Drops partitions not recorded since `beginCollection`. */
  endCollection(): void {
    for (const [topic, partitions] of this.topics) {
      let kept = 0;
      for (let p = 0; p < partitions.length; p++) {
        if (partitions[p] === undefined) continue;
        if (partitions[p]!.seen === this.generation) kept++;
        else partitions[p] = undefined;
      }
      if (kept === 0) this.topics.delete(topic);
    }
  }

  /** Partitions remembered. */
  get size(): number {
    let size = 0;
    for (const partitions of this.topics.values()) for (const history of partitions) if (history) size++;
    return size;
  }
}
