import { z } from 'zod';

/**
 * Closed aggregation windows, published by the processor on the rollup topic: one message holds up
 * to 500 windows of one metric of one cluster (key `<cluster>/<metric>`, so every series of a
 * metric stays in one partition, in order). Delivery is at least once: after a processor restart a
 * window can be published again, possibly from fewer samples. Keep, per series and window, the
 * one with the highest `count` — the same rule ClickHouse's rollup tables apply.
 */
export const ROLLUP_EVENT_SCHEMA_VERSION = 1;

export const ROLLUP_RESOLUTIONS = { '10s': 10_000, '1m': 60_000 } as const;
export type RollupResolutionName = keyof typeof ROLLUP_RESOLUTIONS;

/** One closed window of one series. */
export const rollupEventSchema = z.object({
  cluster: z.string(),
  metric: z.string(),
  labels: z.record(z.string(), z.string()),
  /** Decimal string of the unsigned 64-bit series id (the `series_id` column in ClickHouse). */
  seriesId: z.string().regex(/^\d+$/),
  resolution: z.enum(['10s', '1m']),
  /** Window start and end (exclusive), ms since the Unix epoch, in event time. */
  windowStart: z.number().int(),
  windowEnd: z.number().int(),
  count: z.number().int().positive(),
  min: z.number(),
  max: z.number(),
  sum: z.number(),
  avg: z.number(),
  first: z.number(),
  last: z.number(),
  /** Counters only, and only with two samples or more: increase over the window, resets counted. */
  delta: z.number().nullable(),
  /** `delta` per second between the first and the last sample. */
  rate: z.number().nullable(),
});

export type RollupEvent = z.infer<typeof rollupEventSchema>;

/** One message on the rollup topic. */
export const rollupBatchSchema = z.object({
  schemaVersion: z.literal(ROLLUP_EVENT_SCHEMA_VERSION),
  windows: z.array(rollupEventSchema),
});

export type RollupBatch = z.infer<typeof rollupBatchSchema>;

/** Headers the processor sets on every dead-lettered event (the value and key are the original bytes). */
export const DEAD_LETTER_HEADERS = {
  reason: 'doflamingo-dlq-reason',
  sourceTopic: 'doflamingo-dlq-source-topic',
  sourcePartition: 'doflamingo-dlq-source-partition',
  sourceOffset: 'doflamingo-dlq-source-offset',
  failedAt: 'doflamingo-dlq-failed-at',
} as const;
