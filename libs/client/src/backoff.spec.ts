import { checkReconnectOptions, reconnectDelay } from './backoff';

describe('reconnectDelay', () => {
  const options = { initialDelayMs: 100, maxDelayMs: 5_000 };

  /** The ceiling by repeated doubling, capped: an independent statement of the rule. */
  function ceilingFor(attempt: number): number {
    let ceiling = options.initialDelayMs;
    for (let i = 0; i < attempt; i++) ceiling = Math.min(options.maxDelayMs, ceiling * 2);
    return ceiling;
  }

  it.each([0, 0.25, 0.5, 0.999999, 1])('with random %p stays within [ceiling/2, ceiling] for every attempt', (r) => {
    for (let attempt = 0; attempt <= 60; attempt++) {
      const ceiling = ceilingFor(attempt);
      const delay = reconnectDelay(attempt, options, () => r);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });

  it('reaches the cap and stays there: [cap/2, cap] from then on, even for huge attempt numbers', () => {
    expect(reconnectDelay(6, options, () => 0)).toBe(2_500); // ceiling 6400 → capped at 5000
    expect(reconnectDelay(6, options, () => 1)).toBe(5_000);
    expect(reconnectDelay(10_000, options, () => 0)).toBe(2_500);
    expect(reconnectDelay(10_000, options, () => 1)).toBe(5_000);
  });

  it('doubles the ceiling per attempt before the cap', () => {
    expect([0, 1, 2, 3].map((attempt) => reconnectDelay(attempt, options, () => 1))).toEqual([100, 200, 400, 800]);
    expect([0, 1, 2, 3].map((attempt) => reconnectDelay(attempt, options, () => 0))).toEqual([50, 100, 200, 400]);
  });

  it('spreads clients: different random draws give different delays', () => {
    const delays = new Set([0, 0.2, 0.4, 0.6, 0.8].map((r) => reconnectDelay(5, options, () => r)));
    expect(delays.size).toBe(5);
  });

  it('refuses settings that make no sense', () => {
    expect(() => checkReconnectOptions({ initialDelayMs: 0, maxDelayMs: 10, stableAfterMs: 0 })).toThrow(RangeError);
    expect(() => checkReconnectOptions({ initialDelayMs: 10, maxDelayMs: 5, stableAfterMs: 0 })).toThrow(RangeError);
    expect(() => checkReconnectOptions({ initialDelayMs: 10, maxDelayMs: 10, stableAfterMs: -1 })).toThrow(RangeError);
  });
});
