import { z } from 'zod';

/**
 * One anomaly the anomaly detector saw in one series, published on the anomalies topic (key:
 * `<cluster>/<metric>`). The expected range is the detector's baseline band at that moment, so a
 * chart can draw the band and mark the point outside it.
 */
export const ANOMALY_EVENT_SCHEMA_VERSION = 1;

export const anomalyEventSchema = z.object({
  schemaVersion: z.literal(ANOMALY_EVENT_SCHEMA_VERSION),
  cluster: z.string().min(1).max(256),
  metric: z.string().min(1).max(256),
  labels: z.record(z.string(), z.string()),
  /** The sample's time (ms since the epoch) and value. */
  at: z.number().int(),
  value: z.number(),
  /**
   * What `value` and `expected` measure: `value`, the sample as published; `rate`, the per-second
   * rate of a counter since its previous sample (a counter only grows, its rate is what varies).
   * Added in v1 (additive); absent means `value`.
   */
  basis: z.enum(['value', 'rate']).optional(),
  /** The baseline band: centre ± k × robust spread. */
  expected: z.object({ low: z.number(), center: z.number(), high: z.number() }),
  /** How far outside, in robust standard deviations: |value − centre| / σ, σ = 1.4826 × MAD of recent values, never below the detector's floors (so always finite; docs/consumers.md). */
  score: z.number().nonnegative(),
  direction: z.enum(['high', 'low']),
  /** Which detector and settings produced it, e.g. `ewma-mad`. */
  detector: z.string().min(1).max(128),
});

export type AnomalyEvent = z.infer<typeof anomalyEventSchema>;
