/** The time ranges the dashboard offers. `live` shows the last 5 minutes and follows the clock. */
export const TIME_RANGES = ['live', '15m', '1h', '24h', '7d'] as const;
export type TimeRange = (typeof TIME_RANGES)[number];

const SPAN_MS: Record<TimeRange, number> = { live: 5 * 60_000, '15m': 15 * 60_000, '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 };

export function isTimeRange(value: unknown): value is TimeRange {
  return typeof value === 'string' && (TIME_RANGES as readonly string[]).includes(value);
}

export function rangeSpanMs(range: TimeRange): number {
  return SPAN_MS[range];
}

/**
 * Live points are kept at this resolution (rounded timestamps line series up on one x axis);
 * history comes at the gateway's step, which is coarser for long ranges.
 */
export function liveResolutionMs(range: TimeRange): number {
  return range === 'live' || range === '15m' ? 1_000 : range === '1h' ? 10_000 : 60_000;
}

export function rangeWindow(range: TimeRange, now: number): { from: number; to: number } {
  return { from: now - SPAN_MS[range], to: now };
}
