/** What a closed window says about one series. */
export interface WindowSummary {
  count: number;
  min: number;
  max: number;
  sum: number;
  avg: number;
  /** Values of the earliest and the latest sample (by event time, not arrival). */
  first: number;
  last: number;
  /** Counters with two samples or more: increase over the window, resets counted. Otherwise null. */
  delta: number | null;
  /** `delta` per second between the first and the last sample; null when delta is. */
  rate: number | null;
}

/**
 * The running aggregate of one series in one window. Samples may arrive out of order (within the
 * allowed lateness): first/last go by timestamp. Counters keep their points, because the increase
 * across a reset depends on the order of the samples; gauges keep only running figures.
 * (Redelivered messages are filtered before they get here: see DuplicateFilter.)
 */
export class WindowAggregate {
  count = 0;
  private min = Infinity;
  private max = -Infinity;
  private sum = 0;
  private firstTs = Infinity;
  private lastTs = -Infinity;
  private first = 0;
  private last = 0;
  private readonly points: Array<[number, number]> | undefined;

  constructor(readonly isCounter: boolean) {
    this.points = isCounter ? [] : undefined;
  }

  add(timestampMs: number, value: number): void {
    this.count++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.sum += value;
    if (timestampMs < this.firstTs) {
      this.firstTs = timestampMs;
      this.first = value;
    }
    if (timestampMs > this.lastTs) {
      this.lastTs = timestampMs;
      this.last = value;
    }
    this.points?.push([timestampMs, value]);
  }

  summary(): WindowSummary {
    const delta = this.points && this.points.length >= 2 ? counterIncrease(this.points) : null;
    const seconds = (this.lastTs - this.firstTs) / 1000;
    return {
      count: this.count,
      min: this.min,
      max: this.max,
      sum: this.sum,
      avg: this.sum / this.count,
      first: this.first,
      last: this.last,
      delta,
      rate: delta === null || seconds <= 0 ? null : delta / seconds,
    };
  }
}

/**
 * Increase of a counter over time-ordered points. A value lower than the one before means the
 * counter restarted (a broker restart), and it counted up from zero to the new value.
 */
export function counterIncrease(points: Array<[number, number]>): number {
  const ordered = [...points].sort((a, b) => a[0] - b[0]);
  let increase = 0;
  for (let i = 1; i < ordered.length; i++) {
    const step = ordered[i][1] - ordered[i - 1][1];
    increase += step >= 0 ? step : ordered[i][1];
  }
  return increase;
}
