import { RollupResolutionName } from '@doflamingo/contracts';
import { SeriesIdentity } from '../series/series-identity';
import { WindowAggregate, WindowSummary } from './window-aggregate';

export interface Resolution {
  name: RollupResolutionName;
  sizeMs: number;
}

export interface ClosedWindow {
  partition: number;
  /** Offset of the earliest message that contributed: the commit must not pass it before the window is stored. */
  firstOffset: number;
  resolution: RollupResolutionName;
  windowStart: number;
  windowEnd: number;
  series: SeriesIdentity;
  summary: WindowSummary;
}

interface OpenWindow {
  series: SeriesIdentity;
  aggregate: WindowAggregate;
}

/** All open windows of one resolution that end at the same instant (windows are aligned to the epoch). */
interface WindowBucket {
  firstOffset: number;
  windows: Map<string, OpenWindow>;
}

class PartitionWindows {
  maxEventTime = -Infinity;
  watermark = -Infinity;
  /** Per resolution: bucket by window end. Few distinct ends are open at once, so closing is cheap. */
  readonly buckets: Array<Map<number, WindowBucket>>;

  constructor(resolutions: number) {
    this.buckets = Array.from({ length: resolutions }, () => new Map());
  }
}

export interface EventTimeWindowsOptions {
  resolutions: Resolution[];
  allowedLatenessMs: number;
  isCounter: (metric: string) => boolean;
}

/**
 * Tumbling event-time windows per series, kept per Kafka partition. A partition's watermark is the
 * latest event time it has seen minus the allowed lateness; a window closes when the watermark
 * passes its end, and a sample for a closed window is late (it still reaches the raw table, but no
 * rollup). State is per partition because every series lives in one partition (the agent keys by
 * scope), and because on a rebalance a partition's state must go with it. A series keeps no state
 * between windows, so series that stop reporting cost nothing.
 */
export class EventTimeWindows {
  private readonly partitions = new Map<number, PartitionWindows>();

  constructor(private readonly options: EventTimeWindowsOptions) {}

  /** Adds one sample. Returns how many resolutions found its window already closed (0 = on time). */
  add(partition: number, offset: number, series: SeriesIdentity, timestampMs: number, value: number): number {
    const state = this.partition(partition);
    let late = 0;
    this.options.resolutions.forEach((resolution, index) => {
      const start = Math.floor(timestampMs / resolution.sizeMs) * resolution.sizeMs;
      const end = start + resolution.sizeMs;
      if (end <= state.watermark) {
        late++;
        return;
      }
      let bucket = state.buckets[index].get(end);
      if (!bucket) {
        bucket = { firstOffset: offset, windows: new Map() };
        state.buckets[index].set(end, bucket);
      }
      let window = bucket.windows.get(series.key);
      if (!window) {
        window = { series, aggregate: new WindowAggregate(this.options.isCounter(series.metric)) };
        bucket.windows.set(series.key, window);
      }
      window.aggregate.add(timestampMs, value);
    });
    return late;
  }

  /** Records that a partition has seen an event stamped `timestampMs`; watermarks only move forward. */
  observe(partition: number, timestampMs: number): void {
    const state = this.partition(partition);
    if (timestampMs > state.maxEventTime) {
      state.maxEventTime = timestampMs;
      state.watermark = Math.max(state.watermark, timestampMs - this.options.allowedLatenessMs);
    }
  }

  /** Closes the windows the partition's watermark has passed. */
  closeDue(partition: number): ClosedWindow[] {
    const state = this.partitions.get(partition);
    return state ? this.close(partition, state, (end) => end <= state.watermark) : [];
  }

  /** Closes every open window of a partition (it went idle); later samples for them are late. */
  closeAll(partition: number): ClosedWindow[] {
    const state = this.partitions.get(partition);
    if (!state) return [];
    const closed = this.close(partition, state, () => true);
    for (const window of closed) state.watermark = Math.max(state.watermark, window.windowEnd);
    return closed;
  }

  /** Forgets a partition's open windows (it was revoked, or will be consumed again from the last commit). */
  drop(partition: number): void {
    this.partitions.delete(partition);
  }

  dropAll(): void {
    this.partitions.clear();
  }

  /** The earliest offset an open window of the partition depends on; undefined when none is open. */
  lowestOpenOffset(partition: number): number | undefined {
    let lowest: number | undefined;
    for (const buckets of this.partitions.get(partition)?.buckets ?? []) {
      for (const bucket of buckets.values()) {
        if (lowest === undefined || bucket.firstOffset < lowest) lowest = bucket.firstOffset;
      }
    }
    return lowest;
  }

  hasOpenWindows(partition: number): boolean {
    return this.lowestOpenOffset(partition) !== undefined;
  }

  /** Open windows over all partitions and resolutions (a gauge for memory use). */
  get openWindows(): number {
    let count = 0;
    for (const state of this.partitions.values()) {
      for (const buckets of state.buckets) for (const bucket of buckets.values()) count += bucket.windows.size;
    }
    return count;
  }

  private partition(partition: number): PartitionWindows {
    let state = this.partitions.get(partition);
    if (!state) {
      state = new PartitionWindows(this.options.resolutions.length);
      this.partitions.set(partition, state);
    }
    return state;
  }

  private close(partition: number, state: PartitionWindows, due: (end: number) => boolean): ClosedWindow[] {
    const closed: ClosedWindow[] = [];
    this.options.resolutions.forEach((resolution, index) => {
      for (const [end, bucket] of state.buckets[index]) {
        if (!due(end)) continue;
        state.buckets[index].delete(end);
        for (const window of bucket.windows.values()) {
          closed.push({
            partition,
            firstOffset: bucket.firstOffset,
            resolution: resolution.name,
            windowStart: end - resolution.sizeMs,
            windowEnd: end,
            series: window.series,
            summary: window.aggregate.summary(),
          });
        }
      }
    });
    return closed;
  }
}
