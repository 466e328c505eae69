import { MetricBatch, metricBatchSchema } from './metric-event';

export type DecodedMetricBatch = { ok: true; batch: MetricBatch } | { ok: false; reason: string };

/**
 * The bytes of one metrics-topic message as a validated batch, or exactly why not (the processor
 * puts the reason in its dead-letter header, so an operator can fix the producer). A schema
 * version this code does not know fails on `schemaVersion` rather than being half-read. Every
 * consumer of the metrics topic (processor, alerter, anomaly detector, gateway) decodes with this.
 */
export function decodeMetricBatch(value: Buffer | null): DecodedMetricBatch {
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
  const path = issue.path.length > 0 ? issue.path.join('.') : '(event)';
  const more = checked.error.issues.length > 1 ? ` (and ${checked.error.issues.length - 1} more problems)` : '';
  return { ok: false, reason: `does not match metric event v1 at ${path}: ${issue.message}${more}` };
}
