import { Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { ClickHouseClient, ClickHouseError } from '@clickhouse/client';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { CLICKHOUSE_CLIENT } from '@doflamingo/clickhouse';
import { LogThrottle } from '@doflamingo/logging';
import { fitPoints, planSeries, SeriesLimits } from './series-plan';
import { parseSeriesParams, SeriesParameterError } from './series-params';
import { seriesDataSql, seriesListSql } from './series-sql';
import { SeriesHistoryDto, SeriesResponseDto } from './series.dto';

/**
 * Series of one metric whose labels are read before a glob filter is applied in the gateway.
 * Bounds the memory and time of a query like `labels=group:*-billing` over a metric with very many
 * series; exact label values (pushed into SQL) avoid the bound.
 */
export const MAX_CANDIDATE_SERIES = 50_000;

interface ListRow {
  sid: string;
  s_cluster: string;
  s_names: string[];
  s_values: string[];
}

interface DataRow {
  sid: string;
  bucket: number | string;
  v_avg: number;
  v_min: number;
  v_max: number;
}

/** GET /api/v1/series: history from ClickHouse. */
@Injectable()
export class SeriesService {
  private readonly logger = new Logger(SeriesService.name);
  private readonly throttle = new LogThrottle();

  constructor(
    @Inject(CLICKHOUSE_CLIENT) private readonly client: ClickHouseClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async query(query: Record<string, unknown>, now = Date.now()): Promise<SeriesResponseDto> {
    const { gateway, processor, clickhouse } = this.config;
    const limits: SeriesLimits = { maxPoints: gateway.seriesMaxPoints, retentionDays: processor.retentionDays };
    const params = parseSeriesParams(query, { maxRangeDays: gateway.seriesMaxRangeDays }, now);
    // Refuse a range × step too large for even one series before asking ClickHouse anything.
    let plan = fitPoints(planSeries(params, limits, now), 1, limits, now);

    const globs = params.labels.some((f) => !f.exact && f.pattern !== '*') || (params.cluster !== undefined && !params.cluster.exact);
    const listLimit = globs ? MAX_CANDIDATE_SERIES : limits.maxPoints;
    const listed = await this.rows<ListRow>(seriesListSql(clickhouse.database, params, plan, listLimit));
    if (listed.length > listLimit) {
      throw globs
        ? new SeriesParameterError('labels', `more than ${MAX_CANDIDATE_SERIES} series of ${params.metric} to match the patterns against: give exact values for some labels, or an exact cluster`)
        : new SeriesParameterError('labels', `more than ${limits.maxPoints} series match, more than the ${limits.maxPoints} points allowed (GATEWAY_SERIES_MAX_POINTS) even with one point each: narrow the cluster or label filter`);
    }
    const series = new Map<string, SeriesHistoryDto>();
    for (const row of listed) {
      const labels: Record<string, string> = {};
      row.s_names.forEach((name, i) => (labels[name] = row.s_values[i]));
      const found = { cluster: row.s_cluster, metric: params.metric, labels, points: [] };
      if (params.predicate(found)) series.set(row.sid, found);
    }
    plan = fitPoints(plan, series.size, limits, now);
    const answer = (list: SeriesHistoryDto[]): SeriesResponseDto => ({ table: plan.table.name, step: plan.stepS * 1000, from: plan.fromMs, to: plan.toMs, series: list });
    if (series.size === 0) return answer([]);

    const rows = await this.rows<DataRow>(seriesDataSql(clickhouse.database, params, plan, globs ? [...series.keys()] : undefined, limits.maxPoints));
    if (rows.length > limits.maxPoints) {
      // Only when series appeared between the two queries.
      throw new SeriesParameterError('step', `the answer grew past the ${limits.maxPoints} points allowed (GATEWAY_SERIES_MAX_POINTS) while it was read: use a larger step or a narrower filter`);
    }
    for (const row of rows) {
      series.get(row.sid)?.points.push([Number(row.bucket) * 1000, Number(row.v_avg), Number(row.v_min), Number(row.v_max)]);
    }
    const list = [...series.values()].filter((s) => s.points.length > 0);
    list.sort((a, b) => compare(a.cluster, b.cluster) || compare(labelKey(a.labels), labelKey(b.labels)));
    return answer(list);
  }

  private async rows<T>(query: string): Promise<T[]> {
    const { requestTimeoutMs } = this.config.clickhouse;
    try {
      const result = await this.client.query({
        query,
        format: 'JSONEachRow',
        clickhouse_settings: {
          // The server stops too, not only the client waiting for it.
          max_execution_time: Math.max(1, Math.ceil(requestTimeoutMs / 1000)),
          // A glob filter's series ids can make the query longer than the 256 KiB default.
          ...(query.length > 200_000 ? { max_query_size: String(query.length + 65536) } : {}),
        },
      });
      const rows = await result.json<T>();
      this.throttle.clear('clickhouse');
      return rows;
    } catch (error) {
      // A server-side error is a bug in this query: let Nest log it and answer 500.
      if (error instanceof ClickHouseError) throw error;
      const admitted = this.throttle.admit('clickhouse');
      if (admitted) this.logger.warn(`history query failed: ${(error as Error).message}${admitted.suppressed ? ` (${admitted.suppressed} more since the last report)` : ''}`);
      throw new ServiceUnavailableException('history is unavailable: ClickHouse did not answer');
    }
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const labelKey = (labels: Record<string, string>) => JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
