import type { AlertEvent } from '@doflamingo/contracts';
import type { StoreChange } from './live-series-store';

/** Newest first: by the time of the last change (`at`), then by start, then by id (stable order). */
function newestFirst(a: AlertEvent, b: AlertEvent): number {
  return b.at - a.at || b.startsAt - a.startsAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The alerts of one `alerts` subscription, one entry per alert id: a state change (pending →
 * firing → resolved) replaces the entry. Bounded: past `max` entries, resolved alerts go first,
 * oldest first, then the oldest of the rest.
 */
export class AlertStore {
  private readonly alerts = new Map<string, AlertEvent>();
  private sorted: AlertEvent[] | undefined;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.alerts.size;
  }

  get(id: string): AlertEvent | undefined {
    return this.alerts.get(id);
  }

  /** Newest first (a copy). */
  values(): AlertEvent[] {
    this.sorted ??= [...this.alerts.values()].sort(newestFirst);
    return [...this.sorted];
  }

  replace(alerts: readonly AlertEvent[]): StoreChange<AlertEvent> {
    const previous = new Map(this.alerts);
    this.alerts.clear();
    this.sorted = undefined;
    this.put(alerts);
    for (const id of this.alerts.keys()) previous.delete(id);
    const evicted = this.evict();
    const changed = [...this.alerts.values()].sort(newestFirst);
    return { changed, removed: [...previous.values(), ...evicted] };
  }

  merge(alerts: readonly AlertEvent[]): StoreChange<AlertEvent> {
    const changed = this.put(alerts);
    const evicted = this.evict();
    const gone = new Set(evicted);
    return { changed: changed.filter((alert) => !gone.has(alert)), removed: evicted };
  }

  /** Delivery is at least once: an event older than the one held for its id is a replay. */
  private put(alerts: readonly AlertEvent[]): AlertEvent[] {
    const changed: AlertEvent[] = [];
    for (const alert of alerts) {
      const held = this.alerts.get(alert.id);
      if (held && held.at > alert.at) continue;
      this.alerts.set(alert.id, alert);
      changed.push(alert);
    }
    if (changed.length > 0) this.sorted = undefined;
    return changed;
  }

  private evict(): AlertEvent[] {
    const excess = this.alerts.size - this.max;
    if (excess <= 0) return [];
    const candidates = [...this.alerts.values()].sort((a, b) => {
      const aResolved = a.state === 'resolved' ? 0 : 1;
      const bResolved = b.state === 'resolved' ? 0 : 1;
      return aResolved - bResolved || -newestFirst(a, b);
    });
    const evicted = candidates.slice(0, excess);
    for (const alert of evicted) this.alerts.delete(alert.id);
    this.sorted = undefined;
    return evicted;
  }
}
