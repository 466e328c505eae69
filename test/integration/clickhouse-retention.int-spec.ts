import { ClickHouseClient } from '@clickhouse/client';
import {
  createClickHouseClient,
  DEFAULT_RETENTION_POLICY,
  dropExpiredPartitions,
  MIGRATIONS,
  MigrationRunner,
  qualified,
  RetentionPolicy,
  stringLiteral,
} from '@doflamingo/clickhouse';
import { endpoints } from '../../devstack/topology';

/** Days (before the server's today) that get rows in each table: some inside each limit, some just past it. */
const DAYS: Record<string, number[]> = {
  samples_raw: [0, 1, 5, 6, 7, 8, 9, 30],
  rollups_10s: [0, 1, 29, 30, 31, 45],
  rollups_1m: [0, 200, 364, 365, 366, 400],
};
const ROWS_PER_DAY = 4;

describe('ClickHouse retention: dropExpiredPartitions (devstack)', () => {
  const suffix = `${process.pid}_${Date.now()}`;
  const database = `doflamingo_test_retention_${suffix}`;
  const bystander = `doflamingo_test_retention_other_${suffix}`;
  let client: ClickHouseClient;
  /** dayName[k] = toString(today() - k) and dayStart[k] its first second, as the server sees them. */
  let dayName: string[];
  let dayStart: number[];

  const rows = async <T>(query: string) => (await client.query({ query, format: 'JSONEachRow' })).json<T>();
  const rowsPerDay = async (db: string, table: string): Promise<Record<string, number>> =>
    Object.fromEntries(
      (await rows<{ day: string; n: string }>(`SELECT toString(date) AS day, count() AS n FROM ${qualified(db, table)} GROUP BY day ORDER BY day`)).map((r) => [r.day, Number(r.n)]),
    );
  const activePartitions = async (db: string, table: string) =>
    (await rows<{ partition_id: string }>(`SELECT DISTINCT partition_id FROM system.parts WHERE database = ${stringLiteral(db)} AND table = ${stringLiteral(table)} AND active ORDER BY partition_id`)).map((r) => r.partition_id);

  async function fill(db: string): Promise<void> {
    await new MigrationRunner(client, db, MIGRATIONS).migrate();
    for (const [table, days] of Object.entries(DAYS)) {
      const values = days.flatMap((k) =>
        Array.from({ length: ROWS_PER_DAY }, (_, i) => {
          const t = dayStart[k] + 3600 * (i + 1);
          const common = { cluster: 'c', metric: 'kafka_broker_up', series_id: String(1000 + i), label_names: ['broker'], label_values: [String(i)] };
          return table === 'samples_raw'
            ? { ...common, ts: t, ts_ms: 0, value: 1, agent: 'a', collector: 'kafka-cluster' }
            : { ...common, window_start: t, sample_count: 1, value_min: 1, value_max: 1, value_sum: 1, value_avg: 1, value_first: 1, value_last: 1, counter_delta: null, counter_rate: null };
        }),
      );
      // With the column list, `date` comes from its DEFAULT (the day of ts / window_start).
      await client.insert({ table: qualified(db, table), values, format: 'JSONEachRow', columns: Object.keys(values[0]) as [string, ...string[]] });
    }
  }

  beforeAll(async () => {
    client = createClickHouseClient({ url: endpoints.clickhouseUrl, database: 'default', username: 'default', password: '', requestTimeoutMs: 30000 });
    const [anchor] = await rows<{ names: string[]; starts: (string | number)[] }>(
      `SELECT arrayMap(k -> toString(today() - k), range(401)) AS names, arrayMap(k -> toUInt32(toDateTime(today() - k)), range(401)) AS starts`,
    );
    dayName = anchor.names;
    dayStart = anchor.starts.map(Number);
    await fill(database);
    await fill(bystander);
  });

  afterAll(async () => {
    if (!client) return;
    await client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await client.command({ query: `DROP DATABASE IF EXISTS ${bystander}` });
    await client.close();
  });

  const expectedPerDay = (table: string, keepUpTo: number) =>
    Object.fromEntries(DAYS[table].filter((k) => k <= keepUpTo).map((k) => [dayName[k], ROWS_PER_DAY]));

  it('stores each day of the scenario in its own partition (the precondition)', async () => {
    for (const table of Object.keys(DAYS)) {
      expect(await rowsPerDay(database, table)).toEqual(expectedPerDay(table, Infinity));
      expect(await activePartitions(database, table)).toEqual(DAYS[table].map((k) => dayName[k].replaceAll('-', '')).sort());
    }
  });

  it("drops exactly the days older than each table's limit (server's today), and keeps every row of the others", async () => {
    const policy: RetentionPolicy = { ...DEFAULT_RETENTION_POLICY };

    const dropped = await dropExpiredPartitions(client, database, policy);

    // A day k days ago is kept while k <= the table's days.
    const expectedDropped = Object.entries(DAYS).flatMap(([table, days]) =>
      days.filter((k) => k > policy[table]).map((k) => ({ table, partitionId: dayName[k].replaceAll('-', ''), maxDate: dayName[k] })),
    );
    const order = (list: { table: string; partitionId: string }[]) => [...list].sort((a, b) => `${a.table}/${a.partitionId}`.localeCompare(`${b.table}/${b.partitionId}`));
    expect(order(dropped)).toEqual(order(expectedDropped));
    expect(expectedDropped.map((d) => d.table)).toEqual(expect.arrayContaining(['samples_raw', 'rollups_10s', 'rollups_1m']));
    for (const table of Object.keys(DAYS)) {
      expect(await rowsPerDay(database, table)).toEqual(expectedPerDay(table, policy[table]));
    }
  });

  it('leaves other databases and tables the policy does not name alone', async () => {
    for (const table of Object.keys(DAYS)) expect(await rowsPerDay(bystander, table)).toEqual(expectedPerDay(table, Infinity));
    const [migrations] = await rows<{ n: string }>(`SELECT count() AS n FROM ${qualified(database, 'schema_migrations')}`);
    expect(Number(migrations.n)).toBe(MIGRATIONS.length);
  });

  it('drops nothing more when run again the same day', async () => {
    expect(await dropExpiredPartitions(client, database, DEFAULT_RETENTION_POLICY)).toEqual([]);
  });

  it('takes an explicit today: two days later, two more raw days expire', async () => {
    const inTwoDays = new Date(Date.parse(`${dayName[0]}T12:00:00Z`) + 2 * 86_400_000);

    const dropped = await dropExpiredPartitions(client, database, { samples_raw: 7 }, inTwoDays);

    // Kept now: k + 2 <= 7.
    expect(dropped.map((d) => d.maxDate).sort()).toEqual(DAYS.samples_raw.filter((k) => k <= 7 && k + 2 > 7).map((k) => dayName[k]).sort());
    expect(await rowsPerDay(database, 'samples_raw')).toEqual(expectedPerDay('samples_raw', 5));
    expect(await rowsPerDay(database, 'rollups_10s')).toEqual(expectedPerDay('rollups_10s', DEFAULT_RETENTION_POLICY.rollups_10s));
  });

  it('refuses a bad policy before dropping anything', async () => {
    await expect(dropExpiredPartitions(client, bystander, { samples_raw: 0, rollups_1m: 1 })).rejects.toThrow(RangeError);
    await expect(dropExpiredPartitions(client, bystander, { 'samples_raw; DROP DATABASE x': 1 })).rejects.toThrow(/refusing/);
    for (const table of Object.keys(DAYS)) expect(await rowsPerDay(bystander, table)).toEqual(expectedPerDay(table, Infinity));
  });
});
