import { Migration } from '../migration';

/**
 * Alert history: one row per alert event (pending, firing, resolved) from the alerts topic, for
 * analysts and the dashboard's history. A redelivered event has the same key (id, state, at) and
 * replaces itself; query with FINAL (or GROUP BY) for exact counts.
 */
export const alerts: Migration = {
  version: 3,
  name: 'alert history',
  statements: [
    `CREATE TABLE IF NOT EXISTS {db}.alerts (
      date Date DEFAULT toDate(at),
      at DateTime,
      at_ms UInt16,
      cluster String,
      id String,
      rule String,
      state Enum8('pending' = 1, 'firing' = 2, 'resolved' = 3),
      severity Enum8('info' = 1, 'warning' = 2, 'critical' = 3),
      label_names Array(String),
      label_values Array(String),
      message String,
      value Nullable(Float64),
      starts_at DateTime,
      fired_at Nullable(DateTime),
      inserted_at DateTime DEFAULT now()
    ) ENGINE = ReplacingMergeTree(inserted_at)
    PARTITION BY date
    ORDER BY (cluster, id, at, at_ms, state)`,
  ],
};
