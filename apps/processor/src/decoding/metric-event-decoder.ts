import { MetricBatch, metricBatchSchema } from '@doflamingo/contracts';

export type Decoded = { ok: true; batch: MetricBatch } | { ok: false; reason: string };

/**
 * Turns the bytes of one message on the metrics topic into a validated batch, or says exactly why
 * not (the reason goes into the dead-letter header, so an operator can fix the producer).
 */
export function decodeMetricEvent(value: Buffer | null, now: number, maxFutureSkewMs: number): Decoded {
  if (value === null || value.length === 0) return { ok: false, reason: 'empty message (no value)' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
  const checked = metricBatchSchema.safeParse(parsed);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const path = issue.path.length > 0 ? issue.path.join('.') : '(event)';
    const more = checked.error.issues.length > 1 ? ` (and ${checked.error.issues.length - 1} more problems)` : '';
    return { ok: false, reason: `does not match metric event v1 at ${path}: ${issue.message}${more}` };
  }
  if (checked.data.timestamp > now + maxFutureSkewMs) {
    const ahead = Math.round((checked.data.timestamp - now) / 1000);
    return { ok: false, reason: `timestamp is ${ahead} s in the future (check the agent's clock)` };
  }
  return { ok: true, batch: checked.data };
}
