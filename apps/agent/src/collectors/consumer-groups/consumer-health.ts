import { CONSUMER_STATUS_CODE } from '@doflamingo/contracts';
import { CommitWindow } from './commit-window';

const { OK, WARN, ERR, STOP, STALL, REWIND } = CONSUMER_STATUS_CODE;

export interface ConsumerHealthOptions {
  /** Commit observations kept per group and partition (Burrow's window). */
  windowSize: number;
  /**
   * STOP needs at least this long without a commit, however short the window spans: a window of one
   * or two commits (a new group, a restart) would otherwise call every pause of a few seconds STOP.
   */
  minStopMs: number;
}

export const DEFAULT_CONSUMER_HEALTH_OPTIONS: ConsumerHealthOptions = { windowSize: 10, minStopMs: 60_000 };

/** What one collection saw of one partition of one group. */
export interface PartitionObservation {
  committedOffset: number;
  /** Log-end offset minus committed offset, never negative. */
  lag: number;
  /** A live member of the group owns the partition (or the group is rebalancing with members). */
  owned: boolean;
}

/**
 * Burrow's partition rules (linkedin/Burrow core/internal/evaluator/caching.go), evaluated over the
 * window of commit observations plus the lag right now, worst first:
 * - REWIND: a committed offset in the window is lower than the one before it;
 * - STOP: no commit for longer than the window spans (last minus first commit);
 * - (OK when the lag was 0 at some commit in the window: the consumer caught up recently);
 * - STALL: commits keep coming but the offset never moved across the full window;
 * - WARN: the lag never decreased from one commit to the next across the full window.
 * Differences from Burrow, on purpose, against its known false alarms:
 * - lag 0 now is OK before anything else: a caught-up consumer on an idle topic stops committing
 *   because nothing arrives, and is healthy, not STOP;
 * - no commit observed yet is OK (a new group is not an error);
 * - STOP needs the lag to have been > 0 for `minStopMs` and no commit for at least `minStopMs`: one
 *   message landing on a quiet partition just before a collection, or a window of one or two points
 *   after a restart, does not raise it. It is checked before the "lag was 0 in the window" rule,
 *   which otherwise hides a consumer that died while caught up and never commits again;
 * - STALL and WARN need a full window, so two points cannot make a trend.
 */
export function evaluatePartition(window: CommitWindow, currentLag: number, now: number, options: ConsumerHealthOptions): number {
  const n = window.count;
  if (n === 0 || currentLag <= 0) return OK;
  for (let i = 1; i < n; i++) if (window.offset(i) < window.offset(i - 1)) return REWIND;

  const first = window.at(0);
  const last = window.at(n - 1);
  if (now - last > Math.max(last - first, options.minStopMs) && now - window.laggingSince >= options.minStopMs) return STOP;
  for (let i = 0; i < n; i++) if (window.lag(i) === 0) return OK;
  if (!window.full) return OK;

  let moved = false;
  let decreased = false;
  for (let i = 1; i < n; i++) {
    if (window.offset(i) !== window.offset(i - 1)) moved = true;
    if (window.lag(i) < window.lag(i - 1)) decreased = true;
  }
  if (!moved) return STALL;
  if (!decreased) return WARN;
  return OK;
}

/**
 * Folds one more partition status into a group status (start from OK): the worst partition wins,
 * with STOP, STALL and REWIND rolled up into ERR, so a group is OK, WARN or ERR.
 */
export function worseGroupStatus(groupStatus: number, partitionStatus: number): number {
  if (groupStatus === ERR || partitionStatus >= ERR) return ERR;
  return partitionStatus === WARN ? WARN : groupStatus;
}

interface GroupWindows {
  seen: number;
  /** Whether this collection read the group's offsets; a group only retained keeps every window. */
  observed: boolean;
  /** Per topic, the windows of its partitions in one pool, partition p at p × stride. */
  topics: Map<string, Float64Array>;
}

/**
 * Keeps the commit windows of every group and partition between collections and evaluates them.
 *
 * kafkajs cannot tell when a group committed (OffsetFetch carries no timestamp), so a commit is
 * *observed* per collection when the committed offset changed since the previous collection, or when
 * a live member owns the partition: a running consumer keeps (re-)committing its position, while
 * a stopped one leaves the offset untouched. The observation time is the collection time, so commit
 * times are known to one collection interval.
 *
 * Memory follows the groups that exist: each collection is bracketed by `beginCollection` and
 * `endCollection`, and windows of groups and partitions not seen in between are dropped.
 */
export class ConsumerHealth {
  private readonly groups = new Map<string, GroupWindows>();
  private readonly stride: number;
  /** One view, moved over the pools: evaluating a partition allocates nothing. */
  private readonly window: CommitWindow;
  /** Collections begun; starts above 0, which marks an empty slot in a pool. */
  private generation = 1;
  private trend = 0;
  readonly options: ConsumerHealthOptions;

  constructor(options: Partial<ConsumerHealthOptions> = {}) {
    this.options = { ...DEFAULT_CONSUMER_HEALTH_OPTIONS, ...options };
    if (!Number.isInteger(this.options.windowSize) || this.options.windowSize < 2) throw new RangeError('windowSize must be an integer >= 2');
    this.stride = CommitWindow.stride(this.options.windowSize);
    this.window = new CommitWindow(this.options.windowSize);
  }

  beginCollection(): void {
    this.generation++;
  }

  /**
   * Records what this collection saw of a partition and evaluates it: returns a CONSUMER_STATUS code
   * (never ERR) and leaves the partition's lag trend in `lastTrend`.
   */
  observe(group: string, topic: string, partition: number, observation: PartitionObservation, now: number): number {
    const { committedOffset, lag, owned } = observation;
    const window = this.window.moveTo(this.poolOf(this.groupWindows(group), topic, partition), partition * this.stride);
    if (window.seen === 0) {
      window.reset(committedOffset);
      window.push(now, committedOffset, lag);
    } else if (owned || committedOffset !== window.lastSeenOffset) {
      window.push(now, committedOffset, lag);
    }
    window.lastSeenOffset = committedOffset;
    if (lag <= 0) window.laggingSince = Number.NaN;
    else if (Number.isNaN(window.laggingSince)) window.laggingSince = now;
    window.seen = this.generation;
    this.trend = lagTrend(window, lag, now);
    return evaluatePartition(window, lag, now, this.options);
  }

  /**
   * Sizes a group's pool for a topic to hold partitions 0 … partitions − 1 before they are observed,
   * so that a pool is allocated once rather than grown partition by partition.
   */
  reserve(group: string, topic: string, partitions: number): void {
    if (partitions > 0) this.poolOf(this.groupWindows(group), topic, partitions - 1, true);
  }

  /** Lag change per second from the oldest observation in the window to now, for the partition observed last. */
  get lastTrend(): number {
    return this.trend;
  }

  /** Keeps a partition's window, unchanged, through a collection that could not evaluate it. */
  touch(group: string, topic: string, partition: number): void {
    const pool = this.groupWindows(group).topics.get(topic);
    if (!pool || (partition + 1) * this.stride > pool.length) return;
    const window = this.window.moveTo(pool, partition * this.stride);
    if (window.seen !== 0) window.seen = this.generation;
  }

  /** Keeps a group's windows untouched through a collection that could not read it. */
  retain(group: string): void {
    const windows = this.groups.get(group);
    if (windows && windows.seen !== this.generation) {
      windows.seen = this.generation;
      windows.observed = false;
    }
  }

  /** Drops the windows of groups and partitions this collection did not see. */
  endCollection(): void {
    for (const [group, windows] of this.groups) {
      if (windows.seen !== this.generation) {
        this.groups.delete(group);
        continue;
      }
      if (!windows.observed) continue;
      for (const [topic, pool] of windows.topics) {
        let kept = 0;
        for (let base = 0; base < pool.length; base += this.stride) {
          const window = this.window.moveTo(pool, base);
          if (window.seen === this.generation) kept++;
          else window.seen = 0;
        }
        if (kept === 0) windows.topics.delete(topic);
      }
    }
  }

  /** Groups and partitions currently tracked (for tests and the agent's own metrics). */
  get size(): { groups: number; partitions: number } {
    let partitions = 0;
    for (const windows of this.groups.values()) {
      for (const pool of windows.topics.values()) for (let base = 0; base < pool.length; base += this.stride) if (this.window.moveTo(pool, base).seen !== 0) partitions++;
    }
    return { groups: this.groups.size, partitions };
  }

  private groupWindows(group: string): GroupWindows {
    let windows = this.groups.get(group);
    if (!windows) {
      windows = { seen: this.generation, observed: true, topics: new Map() };
      this.groups.set(group, windows);
    }
    windows.seen = this.generation;
    windows.observed = true;
    return windows;
  }

  /** The pool of a group's windows on a topic, grown to hold `partition` (to exactly that size when `exact`). */
  private poolOf(group: GroupWindows, topic: string, partition: number, exact = false): Float64Array {
    const pool = group.topics.get(topic);
    const needed = (partition + 1) * this.stride;
    if (pool && pool.length >= needed) return pool;
    const grown = new Float64Array(exact || !pool ? needed : Math.max(needed, pool.length * 2));
    if (pool) grown.set(pool);
    group.topics.set(topic, grown);
    return grown;
  }
}

/** Lag change per second between the oldest observation in the window and now; 0 without history. */
export function lagTrend(window: CommitWindow, currentLag: number, now: number): number {
  const since = window.at(0);
  return now > since ? ((currentLag - window.lag(0)) * 1000) / (now - since) : 0;
}
