import type { LiveSample } from '@doflamingo/contracts';

/** What identifies a series: cluster, metric and labels. */
export type SeriesIdentity = Pick<LiveSample, 'cluster' | 'metric' | 'labels'>;

/**
 * A stable key for one series: cluster, metric and its labels sorted by name. Label order does not
 * matter; any characters in names and values are safe (the parts are JSON-encoded, not joined).
 */
export function seriesKey(series: SeriesIdentity): string {
  const names = Object.keys(series.labels).sort(byCodeUnits);
  const parts: string[] = [series.cluster, series.metric];
  for (const name of names) parts.push(name, series.labels[name]);
  return JSON.stringify(parts);
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface StoreChange<T> {
  /** Items that are new or have a new value. */
  changed: T[];
  /** Items that were dropped (a snapshot that no longer contains them). */
  removed: T[];
}

/** The latest value of every series of one `metrics` subscription. */
export class LiveSeriesStore {
  private readonly series = new Map<string, LiveSample>();

  get size(): number {
    return this.series.size;
  }

  get(key: string): LiveSample | undefined {
    return this.series.get(key);
  }

  values(): LiveSample[] {
    return [...this.series.values()];
  }

  /** A snapshot is the whole truth: series it does not contain are gone. */
  replace(samples: readonly LiveSample[]): StoreChange<LiveSample> {
    const previous = new Map(this.series);
    this.series.clear();
    const changed: LiveSample[] = [];
    for (const sample of samples) {
      const key = seriesKey(sample);
      const seen = this.series.get(key);
      if (seen && seen.ts > sample.ts) continue;
      this.series.set(key, sample);
      previous.delete(key);
    }
    for (const sample of this.series.values()) changed.push(sample);
    return { changed, removed: [...previous.values()] };
  }

  /**
   * Updates carry new values, at most one per series. A value older than the one held (a replay
   * after reconnecting to another gateway instance) is ignored, as is an exact repeat.
   */
  merge(samples: readonly LiveSample[]): StoreChange<LiveSample> {
    const changed: LiveSample[] = [];
    for (const sample of samples) {
      const key = seriesKey(sample);
      const held = this.series.get(key);
      if (held && (held.ts > sample.ts || (held.ts === sample.ts && Object.is(held.value, sample.value)))) continue;
      this.series.set(key, sample);
      changed.push(sample);
    }
    return { changed, removed: [] };
  }
}
