import { Migration } from '../migration';

/**
 * Raw samples, one row per sample of every metric batch. ClickHouse 18.16 has neither Map nor
 * DateTime64, hence the parallel label arrays and the separate millisecond column.
 * ReplacingMergeTree keyed by the whole sample identity makes a redelivered sample replace itself.
 */
export const rawSamples: Migration = {
  version: 1,
  name: 'raw samples',
  statements: [
    `CREATE TABLE IF NOT EXISTS {db}.samples_raw (
      date Date DEFAULT toDate(ts),
      ts DateTime,
      ts_ms UInt16,
      cluster String,
      metric String,
      series_id UInt64,
      label_names Array(String),
      label_values Array(String),
      value Float64,
      agent String,
      collector String,
      inserted_at DateTime DEFAULT now()
    ) ENGINE = ReplacingMergeTree(inserted_at)
    PARTITION BY date
    ORDER BY (cluster, metric, series_id, ts, ts_ms)`,
  ],
};
