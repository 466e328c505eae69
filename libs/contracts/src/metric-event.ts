import { z } from 'zod';

/**
 * The metric event: one Kafka message on the metrics topic carries one batch of samples from one
 * collection. This is a public contract (downstream consumers read it), so changes that are not
 * purely additive bump METRIC_EVENT_SCHEMA_VERSION.
 */
export const METRIC_EVENT_SCHEMA_VERSION = 1;

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'label names look like Prometheus label names');
const metricName = z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'metric names look like Prometheus metric names');

export const metricSampleSchema = z.object({
  metric: metricName,
  labels: z.record(labelName, z.string().max(1024)),
  value: z.number(), // zod 4 rejects NaN and ±Infinity
});

export const metricBatchSchema = z.object({
  schemaVersion: z.literal(METRIC_EVENT_SCHEMA_VERSION),
  cluster: z.string().min(1).max(256),
  source: z.object({
    agentId: z.string().min(1).max(256),
    collector: z.string().min(1).max(256),
  }),
  /** When the collection ran, in milliseconds since the Unix epoch. */
  timestamp: z.number().int().positive(),
  samples: z.array(metricSampleSchema),
});

export type MetricSample = z.infer<typeof metricSampleSchema>;
export type MetricBatch = z.infer<typeof metricBatchSchema>;
