import { Injectable } from '@nestjs/common';
import { AlertEvent, AnomalyEvent, LiveSample, MetricBatch } from '@doflamingo/contracts';
import { SeriesPredicate } from './series-filter';

/** A series' text key: cluster, metric and sorted labels (unambiguous whatever the values hold). */
export function seriesKey(sample: Pick<LiveSample, 'cluster' | 'metric' | 'labels'>): string {
  const parts = [sample.cluster, sample.metric];
  for (const name of Object.keys(sample.labels).sort()) parts.push(name, sample.labels[name]);
  return JSON.stringify(parts);
}

export interface KeyedSample {
  key: string;
  sample: LiveSample;
}

/**
 * The latest value of every live series, from the metrics topic: what a new subscriber gets as
 * its snapshot, and what the REST state endpoints and /metrics read. A series not updated for
 * `ttlMs` is forgotten (a broker removed, a topic deleted), so memory follows the live set.
 */
@Injectable()
export class LatestValues {
  private readonly series = new Map<string, LiveSample>();
  ttlMs = 10 * 60 * 1000;

  /** Stores a batch; returns its samples with their keys, for the subscription hub. */
  apply(batch: MetricBatch): KeyedSample[] {
    const keyed: KeyedSample[] = [];
    for (const { metric, labels, value } of batch.samples) {
      const sample: LiveSample = { cluster: batch.cluster, metric, labels, value, ts: batch.timestamp };
      const key = seriesKey(sample);
      const previous = this.series.get(key);
      if (previous && previous.ts > sample.ts) continue; // an older batch arriving late does not overwrite
      this.series.set(key, sample);
      keyed.push({ key, sample });
    }
    return keyed;
  }

  get(key: string): LiveSample | undefined {
    return this.series.get(key);
  }

  /** Latest samples matching a predicate. */
  matching(predicate: SeriesPredicate): LiveSample[] {
    const found: LiveSample[] = [];
    for (const sample of this.series.values()) if (predicate(sample)) found.push(sample);
    return found;
  }

  /** Every series of one metric, optionally of one cluster. */
  metric(name: string, cluster?: string): LiveSample[] {
    return this.matching((s) => s.metric === name && (cluster === undefined || s.cluster === cluster));
  }

  clusters(): string[] {
    const names = new Set<string>();
    for (const sample of this.series.values()) names.add(sample.cluster);
    return [...names].sort();
  }

  all(): IterableIterator<LiveSample> {
    return this.series.values();
  }

  get size(): number {
    return this.series.size;
  }

  /** Forgets series older than the TTL; returns their keys. */
  expire(now = Date.now()): string[] {
    const removed: string[] = [];
    for (const [key, sample] of this.series) {
      if (now - sample.ts > this.ttlMs) {
        this.series.delete(key);
        removed.push(key);
      }
    }
    return removed;
  }
}

/** Alerts as they last changed, newest first: the alerts snapshot and GET /api/v1/alerts. */
@Injectable()
export class RecentAlerts {
  private readonly byId = new Map<string, AlertEvent>();

  constructor(private readonly capacity = 1000) {}

  apply(alert: AlertEvent): void {
    const previous = this.byId.get(alert.id);
    if (previous && previous.at > alert.at) return;
    this.byId.delete(alert.id);
    this.byId.set(alert.id, alert);
    if (this.byId.size > this.capacity) this.byId.delete(this.byId.keys().next().value!);
  }

  /** Newest first. */
  list(filter: { cluster?: string; state?: AlertEvent['state'] } = {}): AlertEvent[] {
    return [...this.byId.values()]
      .filter((a) => (filter.cluster === undefined || a.cluster === filter.cluster) && (filter.state === undefined || a.state === filter.state))
      .sort((a, b) => b.at - a.at);
  }
}

/** The latest anomalies, oldest first: the anomalies channel's snapshot, so a chart opened now can mark what just happened. */
@Injectable()
export class RecentAnomalies {
  private readonly anomalies: AnomalyEvent[] = [];

  constructor(private readonly capacity = 500) {}

  apply(anomaly: AnomalyEvent): void {
    this.anomalies.push(anomaly);
    if (this.anomalies.length > this.capacity) this.anomalies.shift();
  }

  list(): AnomalyEvent[] {
    return [...this.anomalies];
  }
}
