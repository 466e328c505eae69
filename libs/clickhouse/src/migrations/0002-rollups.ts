import { Migration } from '../migration';

/** Window sizes the processor aggregates into, and the table each lands in. */
export const ROLLUP_TABLES = { '10s': 'rollups_10s', '1m': 'rollups_1m' } as const;
export type RollupResolution = keyof typeof ROLLUP_TABLES;

const rollupTable = (table: string) => `CREATE TABLE IF NOT EXISTS {db}.${table} (
      date Date DEFAULT toDate(window_start),
      window_start DateTime,
      cluster String,
      metric String,
      series_id UInt64,
      label_names Array(String),
      label_values Array(String),
      sample_count UInt64,
      value_min Float64,
      value_max Float64,
      value_sum Float64,
      value_avg Float64,
      value_first Float64,
      value_last Float64,
      counter_delta Nullable(Float64),
      counter_rate Nullable(Float64),
      inserted_at DateTime DEFAULT now()
    ) ENGINE = ReplacingMergeTree(sample_count)
    PARTITION BY date
    ORDER BY (cluster, metric, series_id, window_start)`;

/**
 * Closed aggregation windows, one row per series and window. The version column is the sample
 * count: when a restarted processor replays part of a window that was already written, the
 * partial re-computation has fewer samples and never replaces the complete row.
 */
export const rollups: Migration = {
  version: 2,
  name: 'rollups 10s and 1m',
  statements: Object.values(ROLLUP_TABLES).map(rollupTable),
};
