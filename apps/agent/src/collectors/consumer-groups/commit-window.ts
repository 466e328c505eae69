const HEAD = 0;
const SIZE = 1;
const LAST_SEEN_OFFSET = 2;
const LAGGING_SINCE = 3;
const SEEN = 4;
const HEADER = 5;

/**
 * The last N commit observations of one group on one partition: (time, committed offset, lag at that
 * time), oldest first, as a ring buffer. A window is a view over a slice of a Float64Array that holds
 * the windows of every partition of a topic for a group: 100,000 group partitions are a thousand
 * arrays rather than a hundred thousand objects, which keeps the heap small and garbage collection
 * short. `moveTo` points one view at another window.
 */
export class CommitWindow {
  /** Float64 slots one window takes in a pool. */
  static stride(capacity: number): number {
    return HEADER + capacity * 3;
  }

  private data: Float64Array;
  private base = 0;

  /** A view over `data` (a pool), or over a window of its own when no pool is given. */
  constructor(
    readonly capacity: number,
    data?: Float64Array,
  ) {
    this.data = data ?? new Float64Array(CommitWindow.stride(capacity));
  }

  moveTo(data: Float64Array, base: number): this {
    this.data = data;
    this.base = base;
    return this;
  }

  /** Starts an empty window; nothing is lagging yet. */
  reset(firstOffset: number): this {
    const b = this.base;
    this.data[b + HEAD] = 0;
    this.data[b + SIZE] = 0;
    this.data[b + LAST_SEEN_OFFSET] = firstOffset;
    this.data[b + LAGGING_SINCE] = Number.NaN;
    this.data[b + SEEN] = 0;
    return this;
  }

  get count(): number {
    return this.data[this.base + SIZE];
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  /** The committed offset seen in the latest collection, recorded or not. */
  get lastSeenOffset(): number {
    return this.data[this.base + LAST_SEEN_OFFSET];
  }

  set lastSeenOffset(offset: number) {
    this.data[this.base + LAST_SEEN_OFFSET] = offset;
  }

  /** Since when (ms) every collection has seen lag > 0; NaN while caught up. */
  get laggingSince(): number {
    return this.data[this.base + LAGGING_SINCE];
  }

  set laggingSince(at: number) {
    this.data[this.base + LAGGING_SINCE] = at;
  }

  /** Collection generation that last saw this partition; 0 for a slot that holds no window. */
  get seen(): number {
    return this.data[this.base + SEEN];
  }

  set seen(generation: number) {
    this.data[this.base + SEEN] = generation;
  }

  push(at: number, offset: number, lag: number): void {
    const b = this.base;
    const head = this.data[b + HEAD];
    const size = this.data[b + SIZE];
    const slot = b + HEADER + ((head + size) % this.capacity) * 3;
    this.data[slot] = at;
    this.data[slot + 1] = offset;
    this.data[slot + 2] = lag;
    if (size < this.capacity) this.data[b + SIZE] = size + 1;
    else this.data[b + HEAD] = (head + 1) % this.capacity;
  }

  /** Time of the i-th observation, 0 being the oldest. */
  at(i: number): number {
    return this.data[this.slot(i)];
  }

  offset(i: number): number {
    return this.data[this.slot(i) + 1];
  }

  lag(i: number): number {
    return this.data[this.slot(i) + 2];
  }

  private slot(i: number): number {
    return this.base + HEADER + ((this.data[this.base + HEAD] + i) % this.capacity) * 3;
  }
}
