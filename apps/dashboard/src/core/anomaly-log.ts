import type { AnomalyEvent } from '@doflamingo/contracts';

/** A series' identity within one metric: its labels, sorted, as one string. */
export function labelsKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * The anomalies a chart marks: the gateway's snapshot replaces them (after every reconnect), later
 * events are added once each, the newest `limit` are kept. Anomalies of a counter's rate
 * (`basis: 'rate'`) are left out: the dashboard's charts plot values, and a rate band drawn on a
 * counter's values would be in another unit.
 */
export class AnomalyLog {
  private readonly byId = new Map<string, AnomalyEvent>();

  constructor(private readonly limit = 200) {}

  apply(anomalies: readonly AnomalyEvent[], reason: 'snapshot' | 'update'): void {
    if (reason === 'snapshot') this.byId.clear();
    for (const a of anomalies) {
      if (a.basis === 'rate') continue;
      this.byId.set(`${a.cluster}\n${a.metric}\n${labelsKey(a.labels)}\n${a.at}`, a);
    }
    if (this.byId.size > this.limit) {
      const oldest = [...this.byId].sort(([, a], [, b]) => a.at - b.at).slice(0, this.byId.size - this.limit);
      for (const [id] of oldest) this.byId.delete(id);
    }
  }

  /** Anomalies at or after `from` (ms), oldest first. */
  since(from: number): AnomalyEvent[] {
    return [...this.byId.values()].filter((a) => a.at >= from).sort((a, b) => a.at - b.at);
  }
}
