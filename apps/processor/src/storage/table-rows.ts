import type { MetricBatch } from '@doflamingo/contracts';
import type { SeriesIdentity } from '../series/series-identity';
import type { ClosedWindow } from '../windows/event-time-windows';

/**
 * Rows for ClickHouse, as TabSeparated lines. Text built here, rather than objects for the client
 * to JSON-encode, because it is the processor's hottest path: the part of a line that depends on
 * the series alone (cluster, metric, id, labels) is escaped once per series and reused for every
 * sample (see seriesColumns). Columns are named on every insert (RAW_COLUMNS, ROLLUP_COLUMNS):
 * ClickHouse 18.16 fills omitted columns with zeros, not their DEFAULT, without a column list.
 */
export const RAW_COLUMNS = ['ts', 'ts_ms', 'cluster', 'metric', 'series_id', 'label_names', 'label_values', 'value', 'agent', 'collector'] as const;

export const ROLLUP_COLUMNS = [
  'window_start', 'cluster', 'metric', 'series_id', 'label_names', 'label_values', 'sample_count',
  'value_min', 'value_max', 'value_sum', 'value_avg', 'value_first', 'value_last', 'counter_delta', 'counter_rate',
] as const;

const TSV_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0', "'": "\\'" };

/** A String field of a TabSeparated line. */
export function tsvString(value: string): string {
  return /[\\\t\n\r\0]/.test(value) ? value.replace(/[\\\t\n\r\0]/g, (ch) => TSV_ESCAPES[ch]) : value;
}

/** An Array(String) field: quoted elements, with the same backslash escapes (quotes too). */
export function tsvStringArray(values: readonly string[]): string {
  return `[${values.map((value) => `'${value.replace(/[\\\t\n\r\0']/g, (ch) => TSV_ESCAPES[ch])}'`).join(',')}]`;
}

/** A Float64 field; numbers are finite (the metric event contract refuses NaN and infinities). */
const tsvNumber = (value: number): string => String(value);
const tsvNullable = (value: number | null): string => (value === null ? '\\N' : String(value));

/** cluster, metric, series_id, label_names, label_values — escaped once per series. */
export function seriesColumns(series: SeriesIdentity): string {
  return `${tsvString(series.cluster)}\t${tsvString(series.metric)}\t${series.id}\t${tsvStringArray(series.labelNames)}\t${tsvStringArray(series.labelValues)}`;
}

/** The agent and collector columns of every sample of a batch, escaped once per batch. */
export function sourceColumns(batch: MetricBatch): string {
  return `${tsvString(batch.source.agentId)}\t${tsvString(batch.source.collector)}`;
}

/** One `samples_raw` line. */
export function rawLine(batch: MetricBatch, series: SeriesIdentity, value: number, source: string): string {
  return `${Math.floor(batch.timestamp / 1000)}\t${batch.timestamp % 1000}\t${series.columns}\t${tsvNumber(value)}\t${source}\n`;
}

/** One `rollups_10s` / `rollups_1m` line. */
export function rollupLine(window: ClosedWindow): string {
  const s = window.summary;
  return (
    `${Math.floor(window.windowStart / 1000)}\t${window.series.columns}\t${s.count}\t${tsvNumber(s.min)}\t${tsvNumber(s.max)}\t` +
    `${tsvNumber(s.sum)}\t${tsvNumber(s.avg)}\t${tsvNumber(s.first)}\t${tsvNumber(s.last)}\t${tsvNullable(s.delta)}\t${tsvNullable(s.rate)}\n`
  );
}
