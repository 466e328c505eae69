import { Inject, Injectable, Logger, OnApplicationBootstrap, ServiceUnavailableException } from '@nestjs/common';
import { ClickHouseClient } from '@clickhouse/client';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { CLICKHOUSE_CLIENT, numberLiteral, qualified, stringLiteral } from '@doflamingo/clickhouse';
import { ALERT_EVENT_SCHEMA_VERSION, ALERT_STATES, AlertEvent } from '@doflamingo/contracts';
import { RecentAlerts } from '../live/latest-values.store';
import { badParameter } from './rest-errors';
import { parseTime } from './series-params';

export interface AlertHistoryQuery {
  from: number;
  to: number;
  cluster?: string;
  state?: AlertEvent['state'];
  rule?: string;
  limit: number;
}

interface AlertRow {
  id: string;
  rule: string;
  state: AlertEvent['state'];
  severity: AlertEvent['severity'];
  cluster: string;
  label_names: string[];
  label_values: string[];
  message: string;
  value: number | null;
  at_ms: string | number;
  starts_at_ms: string | number;
  fired_at_ms: string | number | null;
}

export const MAX_ALERT_HISTORY_ROWS = 10_000;
const DAY_MS = 86_400_000;

/**
 * Alert history from the `alerts` table the processor fills. At start it also tells the live
 * RecentAlerts which alerts are open (pending or firing) right now, so a restarted gateway does not
 * show a burning cluster as quiet until the next alert changes.
 */
@Injectable()
export class AlertHistoryService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AlertHistoryService.name);

  constructor(
    @Inject(CLICKHOUSE_CLIENT) private readonly client: ClickHouseClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly recent: RecentAlerts,
  ) {}

  onApplicationBootstrap(): void {
    const now = Date.now();
    void this.query({ from: now - 30 * DAY_MS, to: now, limit: MAX_ALERT_HISTORY_ROWS })
      .then((events) => {
        const latest = new Map<string, AlertEvent>();
        for (const event of events) if (!latest.has(event.id)) latest.set(event.id, event); // newest first
        const open = [...latest.values()].filter((event) => event.state !== 'resolved');
        for (const event of open.reverse()) this.recent.apply(event);
        this.logger.log(`open alerts from the history: ${open.length}`);
      })
      .catch((error: Error) => this.logger.warn(`cannot read open alerts from the history yet (${error.message}); live alerts will fill in`));
  }

  parse(query: Record<string, unknown>, now = Date.now()): AlertHistoryQuery {
    const allowed = ['from', 'to', 'cluster', 'state', 'rule', 'limit'];
    for (const [name, value] of Object.entries(query)) {
      if (!allowed.includes(name)) throw badParameter(name, `unknown parameter (expected ${allowed.join(', ')})`);
      if (typeof value !== 'string') throw badParameter(name, 'must be given once');
    }
    const text = query as Record<string, string | undefined>;
    const time = (name: 'from' | 'to', fallback: number) => {
      if (text[name] === undefined) return fallback;
      try {
        return parseTime(text[name]!);
      } catch (error) {
        throw badParameter(name, (error as Error).message);
      }
    };
    const to = time('to', now);
    const from = time('from', to - DAY_MS);
    if (from >= to) throw badParameter('from', 'must be before to');
    if (text.state !== undefined && !(ALERT_STATES as readonly string[]).includes(text.state)) throw badParameter('state', `expected one of ${ALERT_STATES.join(', ')}, got ${JSON.stringify(text.state)}`);
    const limit = text.limit === undefined ? 500 : Number(text.limit);
    if (!/^\d+$/.test(text.limit ?? '500') || limit < 1 || limit > MAX_ALERT_HISTORY_ROWS) throw badParameter('limit', `expected a whole number from 1 to ${MAX_ALERT_HISTORY_ROWS}`);
    return { from, to, cluster: text.cluster || undefined, state: text.state as AlertEvent['state'] | undefined, rule: text.rule || undefined, limit };
  }

  /** Events in [from, to], newest first (ties: by id, then resolved before firing before pending). */
  async query(q: AlertHistoryQuery): Promise<AlertEvent[]> {
    const where = [`at >= toDateTime(${numberLiteral(Math.floor(q.from / 1000))})`, `at <= toDateTime(${numberLiteral(Math.floor(q.to / 1000))})`];
    if (q.cluster) where.push(`cluster = ${stringLiteral(q.cluster)}`);
    if (q.state) where.push(`state = ${stringLiteral(q.state)}`);
    if (q.rule) where.push(`rule = ${stringLiteral(q.rule)}`);
    // FINAL: a redelivered event is stored twice until ClickHouse merges the parts.
    const sql = `SELECT id, rule, toString(state) AS state, toString(severity) AS severity, cluster, label_names, label_values, message, value,
        toUInt64(at) * 1000 + at_ms AS at_ms, toUInt64(starts_at) * 1000 AS starts_at_ms, toUInt64(fired_at) * 1000 AS fired_at_ms
      FROM ${qualified(this.config.clickhouse.database, 'alerts')} FINAL
      WHERE ${where.join(' AND ')}
      ORDER BY at DESC, at_ms DESC, id, state DESC
      LIMIT ${q.limit}`;
    let rows: AlertRow[];
    try {
      rows = await (await this.client.query({ query: sql, format: 'JSONEachRow' })).json<AlertRow>();
    } catch (error) {
      throw new ServiceUnavailableException(`the alert history (ClickHouse) cannot be read: ${(error as Error).message.split('\n')[0]}`);
    }
    return rows.map((row) => ({
      schemaVersion: ALERT_EVENT_SCHEMA_VERSION,
      id: row.id,
      rule: row.rule,
      state: row.state,
      severity: row.severity,
      cluster: row.cluster,
      labels: Object.fromEntries(row.label_names.map((name, i) => [name, row.label_values[i]])),
      message: row.message,
      value: row.value === null ? null : Number(row.value),
      startsAt: Number(row.starts_at_ms),
      at: Number(row.at_ms),
      firedAt: row.fired_at_ms === null ? null : Number(row.fired_at_ms),
    }));
  }
}
