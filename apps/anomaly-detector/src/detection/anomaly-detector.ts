import { ANOMALY_EVENT_SCHEMA_VERSION, AnomalyEvent, MetricBatch } from '@doflamingo/contracts';
import { CounterReading, counterRate } from '../baseline/counter-rate';
import { BaselineOptions, RobustBaseline } from '../baseline/robust-baseline';

export interface DetectorOptions extends BaselineOptions {
  maxSeries: number;
  seriesIdleMs: number;
  /** Whether a metric is a counter (judged by its per-second rate). */
  isCounter: (metric: string) => boolean;
  /** An episode ends after this many samples in a row back inside the band (hysteresis: a value hovering at the edge is one episode, not ten). */
  episodeEndSamples?: number;
}

const DEFAULT_EPISODE_END_SAMPLES = 3;

interface SeriesState {
  cluster: string;
  metric: string;
  labels: Record<string, string>;
  /** The metrics-topic partition the series arrives on (a series always arrives on the same one). */
  partition: number;
  baseline: RobustBaseline;
  counter?: CounterReading;
  /** Event time of the last sample learnt: older or equal ones are replays. */
  lastAt: number;
  /** Wall-clock time of the last sample, for idle eviction. */
  lastSeenAt: number;
  /** The episode in progress, if any, and the samples in a row back inside the band. */
  episode?: 'high' | 'low';
  normalRun: number;
}

export interface DetectorStats {
  samples: number;
  /** Samples whose event time was not after the series' last one (at-least-once replays, late duplicates). */
  replays: number;
  anomalies: number;
  /** New series ignored because `maxSeries` were tracked. */
  seriesRefused: number;
  seriesForgotten: number;
}

/** A series' map key: cluster, metric and sorted labels (JSON keeps it unambiguous whatever the values hold). */
export function seriesKey(cluster: string, metric: string, labels: Record<string, string>): string {
  const parts = [cluster, metric];
  for (const name of Object.keys(labels).sort()) parts.push(name, labels[name]);
  return JSON.stringify(parts);
}

/**
 * Anomaly detection over metric batches, one robust baseline per series (cluster + metric +
 * labels). Counters are judged by their per-second rate. One event is returned per anomaly
 * *episode*: when a series leaves its band (or jumps to the other side of it); the samples that
 * stay outside add nothing, and the episode ends after `episodeEndSamples` in-band samples in a row.
 * Memory is bounded: at most `maxSeries` series, and series idle for `seriesIdleMs` are forgotten.
 */
export class AnomalyDetector {
  private readonly series = new Map<string, SeriesState>();
  private readonly episodeEndSamples: number;
  readonly name: string;
  readonly stats: DetectorStats = { samples: 0, replays: 0, anomalies: 0, seriesRefused: 0, seriesForgotten: 0 };

  constructor(private readonly options: DetectorOptions) {
    this.episodeEndSamples = options.episodeEndSamples ?? DEFAULT_EPISODE_END_SAMPLES;
    this.name = `ewma-mad(k=${options.threshold},window=${options.windowSamples})`;
  }

  get size(): number {
    return this.series.size;
  }

  /** Learns every sample of a batch; returns the anomalies that start with it. */
  observe(batch: MetricBatch, partition: number, now = Date.now()): AnomalyEvent[] {
    const anomalies: AnomalyEvent[] = [];
    const at = batch.timestamp;
    for (const { metric, labels, value } of batch.samples) {
      this.stats.samples++;
      const key = seriesKey(batch.cluster, metric, labels);
      let state = this.series.get(key);
      if (!state) {
        if (this.series.size >= this.options.maxSeries) {
          this.stats.seriesRefused++;
          continue;
        }
        state = { cluster: batch.cluster, metric, labels, partition, baseline: new RobustBaseline(this.options), lastAt: -Infinity, lastSeenAt: now, normalRun: 0 };
        this.series.set(key, state);
      }
      if (at <= state.lastAt) {
        this.stats.replays++;
        continue;
      }
      state.lastAt = at;
      state.lastSeenAt = now;
      state.partition = partition;
      let observed = value;
      if (this.options.isCounter(metric)) {
        const step = counterRate(state.counter, value, at);
        state.counter = step.reading;
        if (step.rate === undefined) continue;
        observed = step.rate;
      }
      const anomaly = this.judge(state, observed, at);
      if (anomaly) anomalies.push(anomaly);
    }
    this.stats.anomalies += anomalies.length;
    return anomalies;
  }

  /** Forgets series with no sample since `now − seriesIdleMs`; returns how many. */
  forgetIdle(now = Date.now()): number {
    const before = now - this.options.seriesIdleMs;
    let forgotten = 0;
    for (const [key, state] of this.series) {
      if (state.lastSeenAt < before) {
        this.series.delete(key);
        forgotten++;
      }
    }
    this.stats.seriesForgotten += forgotten;
    return forgotten;
  }

  /** After a rebalance: forgets the series of partitions this instance no longer owns (their new owner learns them). */
  keepPartitions(assigned: readonly number[]): number {
    const keep = new Set(assigned);
    let forgotten = 0;
    for (const [key, state] of this.series) {
      if (!keep.has(state.partition)) {
        this.series.delete(key);
        forgotten++;
      }
    }
    this.stats.seriesForgotten += forgotten;
    return forgotten;
  }

  private judge(state: SeriesState, value: number, at: number): AnomalyEvent | undefined {
    const verdict = state.baseline.observe(value);
    if (!verdict.anomalous) {
      if (state.episode && ++state.normalRun >= this.episodeEndSamples) state.episode = undefined;
      return undefined;
    }
    state.normalRun = 0;
    if (state.episode === verdict.direction) return undefined;
    state.episode = verdict.direction;
    return {
      schemaVersion: ANOMALY_EVENT_SCHEMA_VERSION,
      cluster: state.cluster,
      metric: state.metric,
      labels: state.labels,
      at,
      value,
      basis: state.counter ? 'rate' : 'value',
      expected: { low: verdict.low, center: verdict.center, high: verdict.high },
      score: verdict.score,
      direction: verdict.direction,
      detector: this.name,
    };
  }
}
