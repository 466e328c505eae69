import { ClickHouseClient } from '@clickhouse/client';
import { identifier, qualified, stringLiteral } from './sql';

/**
 * How many days each table keeps, by table name. ClickHouse 18.16 has no TTL, so retention drops
 * whole daily partitions (`PARTITION BY date`), which works on every version and frees the disk at once.
 */
export type RetentionPolicy = Record<string, number>;

/** The defaults of RETENTION_RAW_DAYS, RETENTION_10S_DAYS, RETENTION_1M_DAYS and RETENTION_ALERTS_DAYS (docs/clickhouse.md). */
export const DEFAULT_RETENTION_POLICY: Readonly<RetentionPolicy> = Object.freeze({
  samples_raw: 7,
  rollups_10s: 30,
  rollups_1m: 365,
  alerts: 365,
});

/** One active partition as `system.parts` describes it (its parts folded together). */
export interface PartitionInfo {
  table: string;
  partitionId: string;
  /** Newest day in the partition, `YYYY-MM-DD`. */
  maxDate: string;
}

export type DroppedPartition = PartitionInfo;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` of a day given as `YYYY-MM-DD` or a Date (its UTC calendar day), minus `days`. */
export function dayMinus(day: string | Date, days: number): string {
  let utc: number;
  if (typeof day === 'string') {
    const match = DAY.exec(day);
    if (!match) throw new RangeError(`expected a day as YYYY-MM-DD, got ${JSON.stringify(day)}`);
    utc = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  } else {
    if (Number.isNaN(day.getTime())) throw new RangeError('expected a valid Date');
    utc = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  }
  return new Date(utc - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The first day a table with this retention keeps: `today − days`. Partitions whose newest day is
 * before it are expired; with 7 days, on the 24th the 17th to the 24th are kept.
 */
export function retentionCutoff(today: string | Date, days: number): string {
  if (!Number.isInteger(days) || days < 1) {
    throw new RangeError(`retention must be a whole number of days ≥ 1, got ${days}`);
  }
  return dayMinus(today, days);
}

/**
 * The partitions a policy expires. Only daily partitions are ever candidates — those whose id is the
 * day itself (`20250101` for 2025-01-01, what `PARTITION BY date` makes) — so a table partitioned
 * otherwise, or not at all, loses nothing by being named in the policy by mistake.
 */
export function expiredPartitions(partitions: PartitionInfo[], policy: RetentionPolicy, today: string | Date): PartitionInfo[] {
  const cutoffs = new Map(Object.entries(policy).map(([table, days]) => [table, retentionCutoff(today, days)]));
  return partitions.filter((p) => {
    const cutoff = cutoffs.get(p.table);
    return cutoff !== undefined && isDailyPartition(p) && p.maxDate < cutoff;
  });
}

function isDailyPartition(p: PartitionInfo): boolean {
  return DAY.test(p.maxDate) && p.partitionId === p.maxDate.replaceAll('-', '');
}

/**
 * Drops every daily partition of the policy's tables in `database` whose newest day is older than
 * the table's limit, and returns what it dropped. `today` defaults to the ClickHouse server's own
 * `today()`, because `date` is computed in the server's time zone; a Date given is taken by its
 * UTC calendar day.
 */
export async function dropExpiredPartitions(
  client: ClickHouseClient,
  database: string,
  policy: RetentionPolicy,
  today?: Date,
): Promise<DroppedPartition[]> {
  const tables = Object.keys(policy).map(identifier);
  if (tables.length === 0) return [];
  const day = today ?? (await serverToday(client));
  // Validate the whole policy before touching anything.
  for (const table of tables) retentionCutoff(day, policy[table]);

  const result = await client.query({
    query: `SELECT table, partition_id, toString(max(max_date)) AS max_date
      FROM system.parts
      WHERE database = ${stringLiteral(identifier(database))} AND active
        AND table IN (${tables.map(stringLiteral).join(', ')})
      GROUP BY table, partition_id
      ORDER BY table, partition_id`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ table: string; partition_id: string; max_date: string }>();
  const partitions = rows.map((r) => ({ table: r.table, partitionId: r.partition_id, maxDate: r.max_date }));

  const dropped: DroppedPartition[] = [];
  for (const partition of expiredPartitions(partitions, policy, day)) {
    await client.command({
      query: `ALTER TABLE ${qualified(database, partition.table)} DROP PARTITION ID ${stringLiteral(partition.partitionId)}`,
    });
    dropped.push(partition);
  }
  return dropped;
}

async function serverToday(client: ClickHouseClient): Promise<string> {
  const result = await client.query({ query: 'SELECT toString(today()) AS today', format: 'JSONEachRow' });
  const [row] = await result.json<{ today: string }>();
  return row.today;
}
