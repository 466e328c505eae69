/**
 * A repeated error is logged once per interval with a count, not a thousand times: when Kafka or
 * ClickHouse is down, every retry fails the same way.
 */
export class LogThrottle {
  private readonly seen = new Map<string, { lastLoggedAt: number; suppressed: number }>();

  constructor(
    private readonly intervalMs = 60000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns how many were suppressed since the last logged one, or undefined to stay quiet now. */
  admit(key: string): { suppressed: number } | undefined {
    const entry = this.seen.get(key);
    const now = this.now();
    if (entry && now - entry.lastLoggedAt < this.intervalMs) {
      entry.suppressed++;
      return undefined;
    }
    this.seen.set(key, { lastLoggedAt: now, suppressed: 0 });
    return { suppressed: entry?.suppressed ?? 0 };
  }

  /** Forget a key once the condition clears, so the next failure is logged at once. */
  clear(key: string): void {
    this.seen.delete(key);
  }
}
