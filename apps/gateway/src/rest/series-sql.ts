import { numberLiteral, qualified, stringLiteral } from '@doflamingo/clickhouse';
import { SeriesPlan } from './series-plan';
import { SeriesParams } from './series-params';

/**
 * SQL for GET /api/v1/series, for ClickHouse 18.16 and current versions alike: no query
 * parameters (every value goes through stringLiteral / numberLiteral / qualified), no
 * toStartOfInterval (buckets are `intDiv(toUInt32(t), step) * step`), no DateTime64 (raw samples
 * keep their milliseconds in `ts_ms`).
 */

const label = (name: string) => `label_values[indexOf(label_names, ${stringLiteral(name)})]`;

/**
 * Conditions on partition, time, metric and the exact parts of the filter. Globs are matched
 * afterwards, in the gateway, by the same matcher as WebSocket subscriptions. Only columns that are
 * equal in every version of a row are used, as FINAL requires (docs/clickhouse.md).
 */
export function seriesConditions(params: SeriesParams, plan: SeriesPlan): string[] {
  const raw = plan.table.name === 'samples_raw';
  const fromS = Math.floor(plan.fromMs / 1000);
  const lastS = Math.floor((plan.toMs - 1) / 1000);
  const conditions = [
    `date >= toDate(toDateTime(${numberLiteral(fromS)}))`,
    `date <= toDate(toDateTime(${numberLiteral(lastS)}))`,
  ];
  if (raw) {
    // The sample's exact time is ts + ts_ms: [from, to) to the millisecond; the ts bounds use the index.
    conditions.push(
      `ts >= toDateTime(${numberLiteral(fromS)})`,
      `ts <= toDateTime(${numberLiteral(lastS)})`,
      `toUInt64(toUInt32(ts)) * 1000 + ts_ms >= ${numberLiteral(plan.fromMs)}`,
      `toUInt64(toUInt32(ts)) * 1000 + ts_ms < ${numberLiteral(plan.toMs)}`,
    );
  } else {
    // Windows starting in [from, to).
    conditions.push(`window_start >= toDateTime(${numberLiteral(Math.ceil(plan.fromMs / 1000))})`, `window_start < toDateTime(${numberLiteral(Math.ceil(plan.toMs / 1000))})`);
  }
  conditions.push(`metric = ${stringLiteral(params.metric)}`);
  if (params.cluster?.exact) conditions.push(`cluster = ${stringLiteral(params.cluster.pattern)}`);
  for (const filter of params.labels) {
    conditions.push(`has(label_names, ${stringLiteral(filter.name)})`);
    if (filter.exact) conditions.push(`${label(filter.name)} = ${stringLiteral(filter.pattern)}`);
  }
  return conditions;
}

/** The series the conditions select: id, cluster and labels, at most `limit` + 1 (to tell "more than limit"). */
export function seriesListSql(database: string, params: SeriesParams, plan: SeriesPlan, limit: number): string {
  return `SELECT toString(series_id) AS sid, any(cluster) AS s_cluster, any(label_names) AS s_names, any(label_values) AS s_values
FROM ${qualified(database, plan.table.name)}
WHERE ${seriesConditions(params, plan).join('\n  AND ')}
GROUP BY series_id
LIMIT ${numberLiteral(limit + 1)}`;
}

/**
 * One row per series and non-empty bucket: the average (weighted by sample count on rollups, so
 * it is the average of the samples themselves), minimum and maximum. FINAL removes duplicates left
 * by at-least-once delivery before anything is counted. `seriesIds` restricts the answer to the
 * series the glob filter kept (undefined: every series the conditions select).
 */
export function seriesDataSql(database: string, params: SeriesParams, plan: SeriesPlan, seriesIds: string[] | undefined, limit: number): string {
  const raw = plan.table.name === 'samples_raw';
  const time = raw ? 'ts' : 'window_start';
  const step = numberLiteral(plan.stepS);
  const conditions = seriesConditions(params, plan);
  if (seriesIds) {
    // Ids are UInt64 (beyond a double's exact range): passed as strings, converted by ClickHouse.
    conditions.push(`series_id IN (${seriesIds.map((id) => `toUInt64(${stringLiteral(id)})`).join(', ')})`);
  }
  const aggregates = raw
    ? 'avg(value) AS v_avg, min(value) AS v_min, max(value) AS v_max'
    : 'sum(value_sum) / sum(sample_count) AS v_avg, min(value_min) AS v_min, max(value_max) AS v_max';
  return `SELECT toString(series_id) AS sid, toUInt32(intDiv(toUInt32(${time}), ${step}) * ${step}) AS bucket, ${aggregates}
FROM ${qualified(database, plan.table.name)} FINAL
WHERE ${conditions.join('\n  AND ')}
GROUP BY series_id, bucket
ORDER BY series_id, bucket
LIMIT ${numberLiteral(limit + 1)}`;
}
