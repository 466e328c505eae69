import type { CollectorName } from '@doflamingo/config';

/** Per-collector counters that the agent reports about itself. */
export interface CollectorStats {
  lastDurationSeconds: number;
  errors: number;
  skipped: number;
}

export class CollectionStats {
  private readonly byKey = new Map<string, CollectorStats>();

  of(cluster: string, collector: CollectorName): CollectorStats {
    const key = `${cluster}\u0000${collector}`;
    let stats = this.byKey.get(key);
    if (!stats) this.byKey.set(key, (stats = { lastDurationSeconds: 0, errors: 0, skipped: 0 }));
    return stats;
  }

  entries(cluster: string): Array<[CollectorName, CollectorStats]> {
    const prefix = `${cluster}\u0000`;
    return [...this.byKey.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, stats]) => [key.slice(prefix.length) as CollectorName, stats]);
  }
}
