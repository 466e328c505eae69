import { LogThrottle, PinoLogger } from '@doflamingo/logging';

export interface SinkState {
  up: boolean;
  /** When the current outage began (ms since epoch); undefined while up. */
  downSince?: number;
  lastError?: string;
  failures: number;
  outages: number;
}

/**
 * Whether a downstream (ClickHouse, or Kafka for the processor's own output) is taking writes.
 * The first failure of an outage calls `onDown` (the consumer pauses) and is logged; further
 * failures are logged once per interval with a count; the first success after calls `onUp`.
 */
export class SinkHealth {
  private current: SinkState = { up: true, failures: 0, outages: 0 };
  private readonly throttle: LogThrottle;
  private readonly listeners: Array<{ down: () => void; up: () => void }> = [];

  constructor(
    readonly name: string,
    private readonly logger: PinoLogger,
    logIntervalMs = 60000,
    private readonly now: () => number = Date.now,
  ) {
    this.throttle = new LogThrottle(logIntervalMs, now);
  }

  onChange(down: () => void, up: () => void): void {
    this.listeners.push({ down, up });
  }

  failed(error: Error, context: Record<string, unknown> = {}): void {
    this.current.failures++;
    this.current.lastError = error.message;
    if (this.current.up) {
      this.current.up = false;
      this.current.downSince = this.now();
      this.current.outages++;
      for (const listener of this.listeners) listener.down();
    }
    const admitted = this.throttle.admit('failed');
    if (admitted) {
      this.logger.warn(
        { sink: this.name, err: error.message, failuresSinceLastLog: admitted.suppressed + 1, downForS: this.downForSeconds(), ...context },
        `${this.name} is not taking writes; holding the consumer and retrying`,
      );
    }
  }

  succeeded(): void {
    if (this.current.up) return;
    const downForS = this.downForSeconds();
    this.current = { up: true, failures: this.current.failures, outages: this.current.outages };
    this.throttle.clear('failed');
    this.logger.info({ sink: this.name, downForS }, `${this.name} is taking writes again; resuming`);
    for (const listener of this.listeners) listener.up();
  }

  get state(): SinkState {
    return { ...this.current };
  }

  /** Seconds since the outage began; 0 while up. */
  downForSeconds(): number {
    return this.current.downSince === undefined ? 0 : Math.round((this.now() - this.current.downSince) / 100) / 10;
  }
}
