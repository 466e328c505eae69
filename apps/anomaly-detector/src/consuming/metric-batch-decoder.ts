import { MetricBatch, metricBatchSchema } from '@doflamingo/contracts';

export type Decoded = { ok: true; batch: MetricBatch } | { ok: false; reason: string };

/**
 * The bytes of one metrics-topic message as a validated batch, or why not. The schema is the
 * contract's (`metricBatchSchema`): a version this code does not know fails on `schemaVersion`
 * and is skipped, rather than being half-read.
 */
export function decodeMetricBatch(value: Buffer | null): Decoded {
  if (value === null || value.length === 0) return { ok: false, reason: 'empty message (no value)' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
  const checked = metricBatchSchema.safeParse(parsed);
  if (checked.success) return { ok: true, batch: checked.data };
  const issue = checked.error.issues[0];
  return { ok: false, reason: `does not match the metric event at ${issue.path.join('.') || '(event)'}: ${issue.message}` };
}
