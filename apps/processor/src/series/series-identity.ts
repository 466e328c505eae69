import { createHash } from 'node:crypto';
import { seriesColumns } from '../storage/table-rows';

/** One time series: a metric of a cluster with one set of label values. */
export interface SeriesIdentity {
  /** Unique text key, used for maps and as the rollup message key. */
  key: string;
  /** Unsigned 64-bit hash of the key as a decimal string (ClickHouse `series_id`). */
  id: string;
  cluster: string;
  metric: string;
  labels: Record<string, string>;
  /** Label names sorted, with their values in the same order (ClickHouse stores parallel arrays). */
  labelNames: string[];
  labelValues: string[];
  /** cluster, metric, series_id and labels as TabSeparated columns (escaped once, used for every row). */
  columns: string;
}

/** The first 64 bits of SHA-1: stable across processes, versions and languages an analyst may use. */
export function seriesIdOf(key: string): string {
  return createHash('sha1').update(key).digest().readBigUInt64BE(0).toString();
}

/**
 * Computes series identities, remembering recent ones: the same few thousand series come back in
 * every collection, and hashing each sample again would cost more than the rest of the decode.
 * The cache is emptied when it reaches its cap, so series churn cannot grow memory without bound.
 */
export class SeriesIdentities {
  private readonly cache = new Map<string, SeriesIdentity>();

  constructor(private readonly maxCached = 200_000) {}

  of(cluster: string, metric: string, labels: Record<string, string>): SeriesIdentity {
    const labelNames = Object.keys(labels).sort();
    const parts = [cluster, metric];
    for (const name of labelNames) parts.push(name, labels[name]);
    // JSON keeps the key unambiguous whatever characters label values contain.
    const key = JSON.stringify(parts);
    const cached = this.cache.get(key);
    if (cached) return cached;
    if (this.cache.size >= this.maxCached) this.cache.clear();
    const identity: SeriesIdentity = {
      key,
      id: seriesIdOf(key),
      cluster,
      metric,
      labels,
      labelNames,
      labelValues: labelNames.map((name) => labels[name]),
      columns: '',
    };
    identity.columns = seriesColumns(identity);
    this.cache.set(key, identity);
    return identity;
  }

  get size(): number {
    return this.cache.size;
  }
}
