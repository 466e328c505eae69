import { MetricBatch } from '@doflamingo/contracts';
import { SeriesIdentity } from '../series/series-identity';
import { ClosedWindow } from '../windows/event-time-windows';

/** A row of `samples_raw` (docs/clickhouse.md). `date` and `inserted_at` are filled by ClickHouse. */
export interface RawRow {
  ts: number;
  ts_ms: number;
  cluster: string;
  metric: string;
  series_id: string;
  label_names: string[];
  label_values: string[];
  value: number;
  agent: string;
  collector: string;
}

/** A row of `rollups_10s` / `rollups_1m`. */
export interface RollupRow {
  window_start: number;
  cluster: string;
  metric: string;
  series_id: string;
  label_names: string[];
  label_values: string[];
  sample_count: number;
  value_min: number;
  value_max: number;
  value_sum: number;
  value_avg: number;
  value_first: number;
  value_last: number;
  counter_delta: number | null;
  counter_rate: number | null;
}

export const RAW_COLUMNS = ['ts', 'ts_ms', 'cluster', 'metric', 'series_id', 'label_names', 'label_values', 'value', 'agent', 'collector'] as const satisfies ReadonlyArray<keyof RawRow>;

export const ROLLUP_COLUMNS = [
  'window_start', 'cluster', 'metric', 'series_id', 'label_names', 'label_values', 'sample_count',
  'value_min', 'value_max', 'value_sum', 'value_avg', 'value_first', 'value_last', 'counter_delta', 'counter_rate',
] as const satisfies ReadonlyArray<keyof RollupRow>;

export function rawRow(batch: MetricBatch, series: SeriesIdentity, value: number): RawRow {
  return {
    ts: Math.floor(batch.timestamp / 1000),
    ts_ms: batch.timestamp % 1000,
    cluster: series.cluster,
    metric: series.metric,
    series_id: series.id,
    label_names: series.labelNames,
    label_values: series.labelValues,
    value,
    agent: batch.source.agentId,
    collector: batch.source.collector,
  };
}

export function rollupRow(window: ClosedWindow): RollupRow {
  const { series, summary } = window;
  return {
    window_start: Math.floor(window.windowStart / 1000),
    cluster: series.cluster,
    metric: series.metric,
    series_id: series.id,
    label_names: series.labelNames,
    label_values: series.labelValues,
    sample_count: summary.count,
    value_min: summary.min,
    value_max: summary.max,
    value_sum: summary.sum,
    value_avg: summary.avg,
    value_first: summary.first,
    value_last: summary.last,
    counter_delta: summary.delta,
    counter_rate: summary.rate,
  };
}
