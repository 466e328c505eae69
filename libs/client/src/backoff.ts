/** How the client waits between connection attempts. */
export interface ReconnectOptions {
  /** Ceiling of the first delay (ms). */
  initialDelayMs: number;
  /** Ceiling of every later delay (ms): the ceiling doubles per failed attempt up to this. */
  maxDelayMs: number;
  /** A connection that stayed open this long (ms) counts as stable: the next failure starts over at `initialDelayMs`. */
  stableAfterMs: number;
}

export const DEFAULT_RECONNECT: ReconnectOptions = { initialDelayMs: 1_000, maxDelayMs: 30_000, stableAfterMs: 10_000 };

/**
 * Delay before reconnect attempt `attempt` (0 for the first retry): exponential backoff with jitter.
 * The ceiling is `min(maxDelayMs, initialDelayMs · 2^attempt)`; the delay is drawn uniformly from
 * `[ceiling/2, ceiling]`, so many clients dropped together spread out, yet none retries immediately.
 * (The same rule as `backoffDelay` in libs/runtime, which this browser library cannot import.)
 */
export function reconnectDelay(attempt: number, options: Pick<ReconnectOptions, 'initialDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  // 2 ** attempt overflows to Infinity long after the cap is reached; Math.min keeps the cap.
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.max(0, attempt));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(ceiling / 2 + (r * ceiling) / 2);
}

export function checkReconnectOptions(options: ReconnectOptions): ReconnectOptions {
  const { initialDelayMs, maxDelayMs, stableAfterMs } = options;
  if (!(Number.isFinite(initialDelayMs) && initialDelayMs > 0)) throw new RangeError(`reconnect.initialDelayMs must be a positive number, got ${initialDelayMs}`);
  if (!(Number.isFinite(maxDelayMs) && maxDelayMs >= initialDelayMs)) throw new RangeError(`reconnect.maxDelayMs must be a number >= initialDelayMs, got ${maxDelayMs}`);
  if (!(Number.isFinite(stableAfterMs) && stableAfterMs >= 0)) throw new RangeError(`reconnect.stableAfterMs must be a number >= 0, got ${stableAfterMs}`);
  return options;
}
