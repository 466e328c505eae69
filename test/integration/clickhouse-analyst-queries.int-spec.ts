/**
 * The example queries of docs/clickhouse.md, run exactly as the page shows them (only `doflamingo.`
 * is pointed at a fresh test database), against a synthetic but realistic scenario written into
 * samples_raw, rollups_10s and rollups_1m. Every expectation is computed here from the scenario's
 * samples (or from the rates the scenario was built with), never copied from a run.
 *
 * The scenario's timestamps are relative to the server's now(); no sample lies within a few
 * minutes of a "last hour / 6 hours / 24 hours" boundary, so the seconds between building the
 * scenario and running a query cannot move a sample across one.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClickHouseClient } from '@clickhouse/client';
import { createClickHouseClient, MIGRATIONS, MigrationRunner, numberLiteral, qualified } from '@doflamingo/clickhouse';
import { CONSUMER_STATUS, metricCatalogue } from '@doflamingo/contracts';
import { endpoints } from '../../devstack/topology';

// ---------------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------------

const DOC_PATH = join(__dirname, '..', '..', 'docs', 'clickhouse.md');
const EXAMPLES_SECTION = 'Example queries';

interface DocExample {
  title: string;
  sql: string[];
}

/** The `### ` examples of the "Example queries" section with their ```sql blocks, and every other ```sql block. */
function parseDoc(markdown: string): { examples: DocExample[]; otherSql: string[] } {
  const examples: DocExample[] = [];
  const otherSql: string[] = [];
  let section = '';
  let block: string[] | undefined;
  for (const line of markdown.split('\n')) {
    if (block) {
      if (line.trim() === '```') {
        const sql = block.join('\n');
        if (section === EXAMPLES_SECTION && examples.length > 0) examples[examples.length - 1].sql.push(sql);
        else otherSql.push(sql);
        block = undefined;
      } else {
        block.push(line);
      }
    } else if (line.trim() === '```sql') {
      block = [];
    } else if (line.startsWith('## ')) {
      section = line.slice(3).trim();
    } else if (line.startsWith('### ') && section === EXAMPLES_SECTION) {
      examples.push({ title: line.slice(4).trim(), sql: [] });
    }
  }
  return { examples, otherSql };
}

const doc = parseDoc(readFileSync(DOC_PATH, 'utf8'));

// ---------------------------------------------------------------------------------------------
// The scenario
// ---------------------------------------------------------------------------------------------

type Labels = Record<string, string>;
interface Sample {
  cluster: string;
  metric: string;
  labels: Labels;
  ts: number; // unix seconds
  ms: number; // 0..999
  value: number;
  collector: string;
}

/** What the server says about time: now, and where its days start (its time zone, not ours). */
interface Clock {
  now: number;
  /** dayStart[k]: unix seconds at which the server's day `today() - k` starts. */
  dayStart: number[];
  /** dayName[k]: `toString(today() - k)`. */
  dayName: string[];
}

const DAYS_KNOWN = 45;
const PROD = 'prod-eu';
const STAGING = 'staging';
/** No sample within this many seconds of now() − 1 h, − 6 h, − 24 h. */
const BOUNDARY_GUARD_S = 150;

const range = (from: number, to: number, step: number) => Array.from({ length: Math.max(0, Math.ceil((to - from) / step)) }, (_, i) => from + i * step);
const seriesKey = (s: Pick<Sample, 'cluster' | 'metric' | 'labels'>) => JSON.stringify([s.cluster, s.metric, Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1))]);
/** The test's own 64-bit series id (the schema only promises a stable 64-bit hash per series). */
const seriesId = (s: Sample) => BigInt('0x' + createHash('sha256').update(seriesKey(s)).digest('hex').slice(0, 16)).toString();
const exact = (s: Sample) => s.ts + s.ms / 1000;
const byTime = (a: Sample, b: Sample) => a.ts - b.ts || a.ms - b.ms;

class Scenario {
  readonly samples: Sample[] = [];
  constructor(readonly clock: Clock) {}

  dayOf(ts: number): number {
    const k = this.clock.dayStart.findIndex((start) => start <= ts);
    if (k < 0) throw new Error(`scenario timestamp ${ts} is older than the days the test knows`);
    return k;
  }
  hourOf(ts: number): number {
    return ts - ((ts - this.clock.dayStart[this.dayOf(ts)]) % 3600);
  }

  /** One series sampled at `times`; value(t, i) with t the exact time (seconds, milliseconds included). */
  series(cluster: string, metric: string, labels: Labels, collector: string, times: number[], value: (t: number, i: number) => number): void {
    const catalogued = metricCatalogue().get(metric);
    if (!catalogued || Object.keys(labels).sort().join() !== [...catalogued.labels].sort().join()) {
      throw new Error(`scenario series ${metric} ${JSON.stringify(labels)} does not match the catalogue`);
    }
    const salt = createHash('md5').update(seriesKey({ cluster, metric, labels })).digest().readUInt16BE(0);
    const { now } = this.clock;
    const boundaries = [now - 3600, now - 6 * 3600, now - 86400];
    times.forEach((ts, i) => {
      if (boundaries.some((b) => Math.abs(ts - b) <= BOUNDARY_GUARD_S)) return;
      const ms = (i * 379 + salt) % 1000;
      this.samples.push({ cluster, metric, labels, ts, ms, value: value(ts + ms / 1000, i), collector });
    });
  }

  of(metric: string): Sample[] {
    return this.samples.filter((s) => s.metric === metric);
  }
}

/** Builds the story the example queries tell. */
function buildScenario(clock: Clock): Scenario {
  const sc = new Scenario(clock);
  const { now, dayStart } = clock;

  // 1. Consumer lag in seconds: billing falls behind during the last hour; search-indexer had a
  //    spike two hours ago (outside the hour); staging has its own billing group.
  const lagTimes = range(now - 7200, now - 20, 30);
  const lag = 'kafka_consumer_group_max_lag_seconds';
  sc.series(PROD, lag, { group: 'billing' }, 'consumer-groups', lagTimes, (t) => (t < now - 3600 ? 5 : 10 + ((t - (now - 3600)) / 3600) * 890));
  sc.series(PROD, lag, { group: 'orders-etl' }, 'consumer-groups', lagTimes, (_, i) => 3 + (i % 5));
  sc.series(PROD, lag, { group: 'search-indexer' }, 'consumer-groups', lagTimes, (t) => (t >= now - 5400 && t < now - 4800 ? 5000 : 2));
  sc.series(STAGING, lag, { group: 'billing' }, 'consumer-groups', lagTimes, () => 50);

  // 2. Broker bytes in, every 5 s, two hours a day on three recent days and one day too old.
  for (const k of [1, 2, 3, 9]) {
    for (const b of [1, 2, 3]) {
      sc.series(PROD, 'kafka_broker_bytes_in_per_second', { broker: String(b) }, 'jmx', range(dayStart[k] + 2 * 3600, dayStart[k] + 4 * 3600, 5), (_, i) => {
        const base = 1e6 * b + ((i * 7919 + b * 104729) % 1000) * 1000 + k * 1e5;
        return i % 97 === 0 ? base * 5 : base;
      });
    }
  }

  // 3. ZooKeeper average latency, every 10 s, two hours on days 1, 5, 20 ago (and 40: too old).
  for (const k of [1, 5, 20, 40]) {
    for (const s of [1, 2, 3]) {
      sc.series(PROD, 'zookeeper_request_latency_avg_seconds', { server: String(s) }, 'zookeeper', range(dayStart[k] + 10 * 3600, dayStart[k] + 12 * 3600, 10), (_, i) => 0.001 * s + 0.0002 * ((i * 37 + s) % 50) + 0.00001 * k);
    }
  }

  // 4. Under-replicated partitions yesterday: orders/0 for 20 minutes, payments/2 for 150 s,
  //    staging orders/0 for 40 s; orders/1 today (not yesterday's). The three hours are chosen
  //    far from now - 24 h, so the boundary guard never cuts into them.
  const urp = 'kafka_partition_under_replicated';
  const y = dayStart[1] + (now - dayStart[0] < 12 * 3600 ? 14 : 2) * 3600;
  const yTimes = range(y, y + 3 * 3600, 10);
  const during = (from: number, seconds: number) => (t: number) => (t >= from && t < from + seconds ? 1 : 0);
  sc.series(PROD, urp, { topic: 'orders', partition: '0' }, 'kafka-cluster', yTimes, during(y + 3600, 1200));
  sc.series(PROD, urp, { topic: 'orders', partition: '1' }, 'kafka-cluster', yTimes, () => 0);
  sc.series(PROD, urp, { topic: 'payments', partition: '0' }, 'kafka-cluster', yTimes, () => 0);
  sc.series(PROD, urp, { topic: 'payments', partition: '2' }, 'kafka-cluster', yTimes, during(y + 7800, 150));
  sc.series(STAGING, urp, { topic: 'orders', partition: '0' }, 'kafka-cluster', yTimes, during(y + 1800, 40));
  sc.series(PROD, urp, { topic: 'orders', partition: '1' }, 'kafka-cluster', range(now - 900, now - 300, 10), () => 1);

  // 5. Log-end offsets growing at known rates (messages/s), per partition and hour, over the last
  //    three hours; and a burst 30 hours ago, outside the 24 hours.
  const h0 = sc.hourOf(now) - 2 * 3600;
  for (const [topic, rates] of Object.entries(LOG_END_RATES)) {
    rates.forEach((perHour, partition) => {
      const offset = (t: number) => {
        let total = 1_000_000 * (partition + 1);
        for (let h = 0; h < perHour.length; h++) total += perHour[h] * Math.min(Math.max(t - h0 - h * 3600, 0), 3600);
        return total;
      };
      sc.series(PROD, 'kafka_partition_log_end_offset', { topic, partition: String(partition) }, 'kafka-cluster', range(h0, now - 40, 10), offset);
    });
  }
  const burst = now - 30 * 3600;
  sc.series(PROD, 'kafka_partition_log_end_offset', { topic: 'orders', partition: '0' }, 'kafka-cluster', range(burst, burst + 600, 10), (t) => 1000 * (t - burst));

  // 6. Brokers down: 2 for 180 s five hours ago, 3 for 90 s twenty hours ago, 3 for 300 s thirty
  //    hours ago (outside the 24 hours); staging's broker 1 for 20 s three hours ago.
  for (const [center, down, seconds] of [[now - 5 * 3600, '2', 180], [now - 20 * 3600, '3', 90], [now - 30 * 3600, '3', 300]] as const) {
    for (const b of ['1', '2', '3']) {
      sc.series(PROD, 'kafka_broker_up', { broker: b }, 'kafka-cluster', range(center - 600, center + 600, 10), (t) => (b === down && t >= center && t < center + seconds ? 0 : 1));
    }
  }
  sc.series(STAGING, 'kafka_broker_up', { broker: '1' }, 'kafka-cluster', range(now - 3 * 3600 - 300, now - 3 * 3600 + 300, 10), (t) => (t >= now - 3 * 3600 && t < now - 3 * 3600 + 20 ? 0 : 1));

  // 7. Group status: billing OK → WARN → ERR → OK; an ERR seven hours ago (outside the 6 hours);
  //    staging billing WARN → OK; orders-etl always OK.
  const status = 'kafka_consumer_group_status';
  const [OK, WARN, ERR] = [0, 1, 2];
  const statusTimes = range(now - 5 * 3600, now - 20, 30);
  sc.series(PROD, status, { group: 'billing' }, 'consumer-groups', range(now - 8 * 3600, now - 7 * 3600, 30), () => ERR);
  sc.series(PROD, status, { group: 'billing' }, 'consumer-groups', statusTimes, (t) => (t < now - 7200 ? OK : t < now - 5400 ? WARN : t < now - 3900 ? ERR : OK));
  sc.series(PROD, status, { group: 'orders-etl' }, 'consumer-groups', statusTimes, () => OK);
  sc.series(STAGING, status, { group: 'billing' }, 'consumer-groups', statusTimes, (t) => (t < now - 3 * 3600 ? WARN : OK));

  // 8. Probe produce latency every 5 s: broker 2 slow, broker 3 with rare outliers, partition 2
  //    led by broker 1 for a while; broker 2 very slow two hours ago (outside the hour). Broker 3's
  //    outliers are 2% of its probes, enough to make its p99 the worst.
  const probe = 'kafka_probe_produce_latency_seconds';
  const latency = (broker: string, i: number) =>
    broker === '1' ? 0.008 + ((i * 13) % 20) * 0.0005 : broker === '2' ? 0.04 + ((i * 17) % 100) * 0.0015 : i % 50 === 7 ? 0.9 : 0.009 + ((i * 11) % 20) * 0.0005;
  const probeTimes = range(now - 3300, now - 20, 5);
  sc.series(PROD, probe, { partition: '0', broker: '1' }, 'probe', probeTimes, (_, i) => latency('1', i));
  sc.series(PROD, probe, { partition: '1', broker: '2' }, 'probe', probeTimes, (_, i) => latency('2', i));
  const moved = (t: number) => t >= now - 2000 && t < now - 1500;
  sc.series(PROD, probe, { partition: '2', broker: '3' }, 'probe', probeTimes.filter((t) => !moved(t)), (_, i) => latency('3', i));
  sc.series(PROD, probe, { partition: '2', broker: '1' }, 'probe', probeTimes.filter(moved), (_, i) => latency('1', i + 3));
  sc.series(PROD, probe, { partition: '1', broker: '2' }, 'probe', range(now - 7200, now - 5000, 5), () => 5);

  // 10. Log size per broker and topic, growing during the day, orders on broker 1 losing a
  //     deleted segment at 07:30; days 1-3 ago and 35 (too old).
  for (const k of [1, 2, 3, 35]) {
    for (const b of [1, 2, 3]) {
      for (const topic of ['orders', 'payments']) {
        const growth = 1000 * b * (topic === 'orders' ? 3 : 1) * (1 + (k % 4));
        sc.series(PROD, 'kafka_broker_topic_log_size_bytes', { broker: String(b), topic }, 'jmx', range(dayStart[k] + 6 * 3600, dayStart[k] + 9 * 3600, 20), (t) => {
          const deleted = topic === 'orders' && b === 1 && t >= dayStart[k] + 7.5 * 3600 ? 3e8 : 0;
          return 1e9 * b + (topic === 'orders' ? 5e8 : 1e8) + Math.round(growth * (t - dayStart[k])) - deleted;
        });
      }
    }
  }
  return sc;
}

/** Messages per second appended to each partition, in each of the last three hours (oldest first). */
const LOG_END_RATES: Record<string, number[][]> = {
  orders: [
    [10, 20, 5],
    [12, 0, 7],
    [8, 16, 3],
  ],
  payments: [
    [2, 4, 6],
    [1, 1, 1],
  ],
};

// ---------------------------------------------------------------------------------------------
// Rows as the processor writes them (the schema's semantics, implemented independently here)
// ---------------------------------------------------------------------------------------------

const RAW_COLUMNS = ['ts', 'ts_ms', 'cluster', 'metric', 'series_id', 'label_names', 'label_values', 'value', 'agent', 'collector'] as const;
const ROLLUP_COLUMNS = ['window_start', 'cluster', 'metric', 'series_id', 'label_names', 'label_values', 'sample_count', 'value_min', 'value_max', 'value_sum', 'value_avg', 'value_first', 'value_last', 'counter_delta', 'counter_rate'] as const;

function labelArrays(labels: Labels): { label_names: string[]; label_values: string[] } {
  const names = Object.keys(labels).sort();
  return { label_names: names, label_values: names.map((n) => labels[n]) };
}

function rawRow(s: Sample) {
  return { ts: s.ts, ts_ms: s.ms, cluster: s.cluster, metric: s.metric, series_id: seriesId(s), ...labelArrays(s.labels), value: s.value, agent: 'agent-test-1', collector: s.collector };
}

/** One window of one series, from its samples in time order. */
function rollupRow(windowStart: number, samples: Sample[], counter: boolean) {
  const values = samples.map((s) => s.value);
  const sum = values.reduce((a, v) => a + v, 0);
  let delta: number | null = null;
  let rate: number | null = null;
  if (counter && samples.length > 1) {
    delta = 0;
    for (let i = 1; i < values.length; i++) delta += values[i] >= values[i - 1] ? values[i] - values[i - 1] : values[i];
    const first = samples[0];
    const last = samples[samples.length - 1];
    const seconds = last.ts - first.ts + (last.ms - first.ms) / 1000;
    rate = seconds > 0 ? delta / seconds : null;
    if (rate === null) delta = null;
  }
  const s = samples[0];
  return {
    window_start: windowStart,
    cluster: s.cluster,
    metric: s.metric,
    series_id: seriesId(s),
    ...labelArrays(s.labels),
    sample_count: samples.length,
    value_min: Math.min(...values),
    value_max: Math.max(...values),
    value_sum: sum,
    value_avg: sum / samples.length,
    value_first: values[0],
    value_last: values[values.length - 1],
    counter_delta: delta,
    counter_rate: rate,
  };
}

function windowsOf(samples: Sample[], seconds: number): Map<string, { start: number; samples: Sample[] }> {
  const windows = new Map<string, { start: number; samples: Sample[] }>();
  for (const s of samples) {
    const start = s.ts - (((s.ts % seconds) + seconds) % seconds);
    const key = `${seriesKey(s)}@${start}`;
    const w = windows.get(key) ?? { start, samples: [] };
    w.samples.push(s);
    windows.set(key, w);
  }
  for (const w of windows.values()) w.samples.sort(byTime);
  return windows;
}

/** Complete windows, and the partial re-computations a restarted processor would write after them. */
function rollupRows(samples: Sample[], seconds: number) {
  const catalogue = metricCatalogue();
  const complete: ReturnType<typeof rollupRow>[] = [];
  const partial: ReturnType<typeof rollupRow>[] = [];
  for (const w of windowsOf(samples, seconds).values()) {
    const counter = catalogue.get(w.samples[0].metric)!.type === 'counter';
    complete.push(rollupRow(w.start, w.samples, counter));
    if (w.samples.length > 1) partial.push(rollupRow(w.start, w.samples.slice(0, Math.ceil(w.samples.length / 2)), counter));
  }
  return { complete, partial };
}

// ---------------------------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------------------------

type Row = Record<string, unknown>;

function quantileLinear(values: number[], level: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = level * (sorted.length - 1);
  const low = Math.floor(index);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low] + (sorted[high] - sorted[low]) * (index - low);
}

const mean = (values: number[]) => values.reduce((a, v) => a + v, 0) / values.length;

/** Same rows in the same order; numbers (ClickHouse sends 64-bit integers as strings) to a relative 1e-9. */
function expectRows(actual: Row[], expected: Row[]): void {
  const normalise = (rows: Row[], like: Row[]) =>
    rows.map((row, i) =>
      Object.fromEntries(
        Object.entries(row).map(([key, value]) => {
          const want = like[i]?.[key];
          if (typeof want === 'number' && value !== null) {
            const got = Number(value);
            const close = Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want)); // ClickHouse sums floats in its own order
            return [key, close ? want : got];
          }
          return [key, value];
        }),
      ),
    );
  expect(normalise(actual, expected)).toEqual(expected);
}

const compareBy =
  <T>(...keys: ((row: T) => number | string)[]) =>
  (a: T, b: T): number => {
    for (const key of keys) {
      const [x, y] = [key(a), key(b)];
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  };

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

describe('docs/clickhouse.md example queries (devstack ClickHouse)', () => {
  const database = `doflamingo_test_analyst_${process.pid}_${Date.now()}`;
  let client: ClickHouseClient;
  let scenario: Scenario;

  const rows = async (query: string): Promise<Row[]> => (await client.query({ query, format: 'JSONEachRow' })).json<Row>();
  const forTest = (sql: string) => sql.replace(/\bdoflamingo\./g, `${database}.`).replace(/'doflamingo'/g, `'${database}'`).trim().replace(/;$/, '');
  /** DateTime values as the server prints them (its time zone). */
  const serverTimes = async (unix: number[]): Promise<(t: number) => string> => {
    const list = [...new Set(unix)];
    const printed = new Map<number, string>();
    if (list.length > 0) {
      const [row] = await rows(`SELECT arrayMap(x -> toString(toDateTime(x)), [${list.map(numberLiteral).join(', ')}]) AS printed`);
      (row.printed as string[]).forEach((p, i) => printed.set(list[i], p));
    }
    return (t) => printed.get(t)!;
  };
  const run = (title: string) => {
    const example = doc.examples.find((e) => e.title === title);
    if (!example) throw new Error(`docs/clickhouse.md has no example "${title}"`);
    return rows(forTest(example.sql[0]));
  };

  beforeAll(async () => {
    client = createClickHouseClient({ url: endpoints.clickhouseUrl, database: 'default', username: 'default', password: '', requestTimeoutMs: 60000 });
    await new MigrationRunner(client, database, MIGRATIONS).migrate();

    const [anchor] = await rows(
      `SELECT toUInt32(now()) AS now,
              arrayMap(k -> toUInt32(toDateTime(today() - k)), range(${DAYS_KNOWN})) AS day_start,
              arrayMap(k -> toString(today() - k), range(${DAYS_KNOWN})) AS day_name`,
    );
    scenario = buildScenario({
      now: Number(anchor.now),
      dayStart: (anchor.day_start as (string | number)[]).map(Number),
      dayName: anchor.day_name as string[],
    });

    const insert = async (table: string, columns: readonly string[], values: object[]) => {
      for (let i = 0; i < values.length; i += 20000) {
        // The column list makes ClickHouse fill `date` and `inserted_at` from their DEFAULT expressions.
        await client.insert({ table: qualified(database, table), values: values.slice(i, i + 20000), format: 'JSONEachRow', columns: [...columns] as [string, ...string[]] });
      }
    };
    const raw = scenario.samples.map(rawRow);
    await insert('samples_raw', RAW_COLUMNS, raw);
    // Redeliveries: every 7th sample a second time.
    await insert('samples_raw', RAW_COLUMNS, raw.filter((_, i) => i % 7 === 3));
    for (const [table, seconds] of [['rollups_10s', 10], ['rollups_1m', 60]] as const) {
      const { complete, partial } = rollupRows(scenario.samples, seconds);
      await insert(table, ROLLUP_COLUMNS, complete);
      // A restarted processor re-computing part of windows already written: must not win.
      await insert(table, ROLLUP_COLUMNS, partial);
    }
  });

  afterAll(async () => {
    if (!client) return;
    await client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await client.close();
  });

  const recent = (seconds: number) => (s: Sample) => s.ts >= scenario.clock.now - seconds;

  // --- the page itself -------------------------------------------------------------------------

  it('has exactly ten example queries, each with exactly one SQL block', () => {
    expect(doc.examples).toHaveLength(10);
    for (const example of doc.examples) expect({ title: example.title, blocks: example.sql.length }).toEqual({ title: example.title, blocks: 1 });
  });

  it('has a check here for every example, and an example for every check', () => {
    expect(doc.examples.map((e) => e.title).sort()).toEqual(Object.keys(checks).sort());
  });

  it('names only catalogued metrics, with labels those metrics have', () => {
    const catalogue = metricCatalogue();
    for (const sql of [...doc.examples.flatMap((e) => e.sql), ...doc.otherSql]) {
      const metrics = [...sql.matchAll(/metric = '([^']+)'/g)].map((m) => m[1]);
      const labels = [...sql.matchAll(/indexOf\(label_names, '([^']+)'\)/g)].map((m) => m[1]);
      for (const metric of metrics) {
        expect({ metric, catalogued: catalogue.has(metric) }).toEqual({ metric, catalogued: true });
        for (const label of labels) expect({ metric, label, known: catalogue.get(metric)!.labels.includes(label) }).toEqual({ metric, label, known: true });
      }
    }
  });

  it('spells the status codes as the contract does', () => {
    const sql = doc.examples.find((e) => e.title === 'Consumer group status changes')!.sql[0];
    const names = [...sql.matchAll(/\[('[A-Z]+'(?:, '[A-Z]+')*)\]/g)].map((m) => m[1].split(', ').map((n) => n.slice(1, -1)));
    expect(names).toEqual([[...CONSUMER_STATUS], [...CONSUMER_STATUS]]);
  });

  // --- the ten examples ------------------------------------------------------------------------

  const checks: Record<string, () => Promise<void>> = {
    'Top lagging consumer groups in the last hour': async () => {
      const samples = scenario.of('kafka_consumer_group_max_lag_seconds').filter(recent(3600));
      const expected = [...groupBy(samples, (s) => `${s.cluster}|${s.labels.group}`).values()]
        .map((series) => ({
          cluster: series[0].cluster,
          consumer_group: series[0].labels.group,
          max_lag_seconds: Math.max(...series.map((s) => s.value)),
          latest_lag_seconds: [...series].sort(byTime).pop()!.value,
        }))
        .sort(compareBy((r) => -r.max_lag_seconds, (r) => r.cluster, (r) => r.consumer_group))
        .slice(0, 10);
      // The story: billing leads, and search-indexer's spike two hours ago is not in the hour.
      expect(expected[0]).toMatchObject({ cluster: PROD, consumer_group: 'billing' });
      expect(expected.find((r) => r.consumer_group === 'search-indexer')!.max_lag_seconds).toBe(2);

      expectRows(await run('Top lagging consumer groups in the last hour'), expected);
    },

    'Broker bytes-in p99 per day': async () => {
      const { dayName } = scenario.clock;
      const samples = scenario.of('kafka_broker_bytes_in_per_second').filter((s) => scenario.dayOf(s.ts) <= 6);
      const expected = [...groupBy(samples, (s) => `${scenario.dayOf(s.ts)}|${s.cluster}|${s.labels.broker}`).values()]
        .map((group) => {
          const windowAverages = [...windowsOf(group, 10).values()].map((w) => mean(w.samples.map((s) => s.value)));
          return {
            day: dayName[scenario.dayOf(group[0].ts)],
            cluster: group[0].cluster,
            broker: group[0].labels.broker,
            p99_bytes_per_second: quantileLinear(windowAverages, 0.99),
            max_bytes_per_second: Math.max(...group.map((s) => s.value)),
            avg_bytes_per_second: mean(group.map((s) => s.value)),
          };
        })
        .sort(compareBy((r) => r.day, (r) => r.cluster, (r) => r.broker));
      expect(expected).toHaveLength(3 * 3); // three days of three brokers; the day 9 ago is not in the week

      expectRows(await run('Broker bytes-in p99 per day'), expected);
    },

    'ZooKeeper latency trend over 30 days': async () => {
      const samples = scenario.of('zookeeper_request_latency_avg_seconds').filter((s) => scenario.dayOf(s.ts) <= 30);
      const groups = [...groupBy(samples, (s) => `${scenario.hourOf(s.ts)}|${s.cluster}|${s.labels.server}`).values()];
      const hour = await serverTimes(groups.map((g) => scenario.hourOf(g[0].ts)));
      const expected = groups
        .map((group) => ({
          hour: hour(scenario.hourOf(group[0].ts)),
          cluster: group[0].cluster,
          server: group[0].labels.server,
          avg_latency_seconds: mean(group.map((s) => s.value)),
          max_latency_seconds: Math.max(...group.map((s) => s.value)),
        }))
        .sort(compareBy((r) => r.cluster, (r) => r.server, (r) => r.hour));
      expect(expected).toHaveLength(3 * 3 * 2); // three servers, three days, two hours each

      expectRows(await run('ZooKeeper latency trend over 30 days'), expected);
    },

    'Partitions under-replicated yesterday, and for how long': async () => {
      const samples = scenario.of('kafka_partition_under_replicated').filter((s) => scenario.dayOf(s.ts) === 1 && s.value >= 1);
      const groups = [...groupBy(samples, (s) => `${s.cluster}|${s.labels.topic}|${s.labels.partition}`).values()];
      const windows = groups.map((group) => [...new Set(group.map((s) => s.ts - (s.ts % 10)))]);
      const time = await serverTimes(windows.flatMap((w) => [Math.min(...w), Math.max(...w) + 10]));
      const expected = groups
        .map((group, i) => ({
          cluster: group[0].cluster,
          topic: group[0].labels.topic,
          partition: group[0].labels.partition,
          seconds_under_replicated: windows[i].length * 10,
          first_seen: time(Math.min(...windows[i])),
          last_seen: time(Math.max(...windows[i]) + 10),
        }))
        .sort(compareBy((r) => -r.seconds_under_replicated, (r) => r.cluster, (r) => r.topic, (r) => r.partition));
      // The story (unless a guard gap around now - 24 h happens to cut into yesterday's block).
      expect(expected.map((r) => `${r.cluster}/${r.topic}/${r.partition}`)).toEqual([`${PROD}/orders/0`, `${PROD}/payments/2`, `${STAGING}/orders/0`]);

      expectRows(await run('Partitions under-replicated yesterday, and for how long'), expected);
    },

    'Topic message rate per hour': async () => {
      const { now } = scenario.clock;
      const h0 = scenario.hourOf(now) - 2 * 3600;
      // The 1-minute windows that start within the last 24 hours; a partition's rate counts for an
      // hour when it has a window with two samples or more in it (a rate needs two).
      const windows = [...windowsOf(scenario.of('kafka_partition_log_end_offset'), 60).values()].filter((w) => w.start >= now - 86400);
      const key = (w: { start: number; samples: Sample[] }) => `${w.samples[0].labels.topic}|${scenario.hourOf(w.start)}`;
      const topicHours = new Set(windows.map(key));
      const rated = new Set(windows.filter((w) => w.samples.length > 1).map((w) => `${key(w)}|${w.samples[0].labels.partition}`));
      const hours = [h0, h0 + 3600, h0 + 7200];
      const hour = await serverTimes(hours);
      const expected = Object.entries(LOG_END_RATES)
        .flatMap(([topic, rates]) =>
          hours.flatMap((h, hourIndex) => {
            if (!topicHours.has(`${topic}|${h}`)) return [];
            const counted = rates.map((perHour, partition) => (rated.has(`${topic}|${h}|${partition}`) ? perHour[hourIndex] : null));
            const perSecond = counted.every((r) => r === null) ? null : counted.reduce<number>((sum, r) => sum + (r ?? 0), 0);
            return [{ hour: hour(h), cluster: PROD, topic, messages_per_second: perSecond, messages_per_hour: perSecond === null ? null : Math.round(perSecond * 3600) }];
          }),
        )
        .sort(compareBy((r) => r.cluster, (r) => r.topic, (r) => r.hour));
      expect(expected.find((r) => r.topic === 'orders' && r.hour === hour(h0))!.messages_per_second).toBe(10 + 12 + 8);

      expectRows(await run('Topic message rate per hour'), expected);
    },

    'Brokers down in the last 24 hours': async () => {
      const { now } = scenario.clock;
      const down = scenario.of('kafka_broker_up').filter((s) => s.value === 0 && s.ts - (s.ts % 10) >= now - 86400);
      const groups = [...groupBy(down, (s) => `${s.cluster}|${s.labels.broker}`).values()];
      const windows = groups.map((group) => [...new Set(group.map((s) => s.ts - (s.ts % 10)))]);
      const time = await serverTimes(windows.flatMap((w) => [Math.min(...w), Math.max(...w) + 10]));
      const expected = groups
        .map((group, i) => ({
          cluster: group[0].cluster,
          broker: group[0].labels.broker,
          seconds_down: windows[i].length * 10,
          first_down: time(Math.min(...windows[i])),
          last_down: time(Math.max(...windows[i]) + 10),
        }))
        .sort(compareBy((r) => -r.seconds_down, (r) => r.cluster, (r) => r.broker));
      expect(expected.map((r) => [r.cluster, r.broker])).toEqual([[PROD, '2'], [PROD, '3'], [STAGING, '1']]);

      expectRows(await run('Brokers down in the last 24 hours'), expected);
    },

    'Consumer group status changes': async () => {
      const samples = scenario.of('kafka_consumer_group_status').filter(recent(6 * 3600));
      const changes = [...groupBy(samples, (s) => `${s.cluster}|${s.labels.group}`).values()].flatMap((series) => {
        const sorted = [...series].sort(byTime);
        return sorted.slice(1).flatMap((s, i) => (s.value === sorted[i].value ? [] : [{ cluster: s.cluster, group: s.labels.group, at: s.ts, from: sorted[i].value, to: s.value }]));
      });
      const time = await serverTimes(changes.map((c) => c.at));
      const expected = changes
        .sort(compareBy((c) => c.at, (c) => c.cluster, (c) => c.group))
        .map((c) => ({ cluster: c.cluster, consumer_group: c.group, changed_at: time(c.at), from_status: CONSUMER_STATUS[c.from], to_status: CONSUMER_STATUS[c.to] }));
      expect(expected.map((r) => `${r.cluster}/${r.consumer_group}: ${r.from_status}→${r.to_status}`)).toEqual([
        `${STAGING}/billing: WARN→OK`,
        `${PROD}/billing: OK→WARN`,
        `${PROD}/billing: WARN→ERR`,
        `${PROD}/billing: ERR→OK`,
      ]);

      expectRows(await run('Consumer group status changes'), expected);
    },

    'Probe produce latency p50 and p99 per broker': async () => {
      const samples = scenario.of('kafka_probe_produce_latency_seconds').filter(recent(3600));
      const expected = [...groupBy(samples, (s) => `${s.cluster}|${s.labels.broker}`).values()]
        .map((group) => {
          const values = group.map((s) => s.value);
          return {
            cluster: group[0].cluster,
            broker: group[0].labels.broker,
            probes: group.length,
            p50_seconds: quantileLinear(values, 0.5),
            p99_seconds: quantileLinear(values, 0.99),
            max_seconds: Math.max(...values),
          };
        })
        .sort(compareBy((r) => -r.p99_seconds, (r) => r.cluster, (r) => r.broker));
      expect(expected.map((r) => r.broker)).toEqual(['3', '2', '1']); // broker 3's rare outliers make its p99 worst

      expectRows(await run('Probe produce latency p50 and p99 per broker'), expected);
    },

    'Series count per metric (cardinality)': async () => {
      const samples = scenario.samples.filter(recent(3600));
      const expected = [...groupBy(samples, (s) => s.metric).values()]
        .map((group) => ({
          metric: group[0].metric,
          series: new Set(group.map(seriesKey)).size,
          clusters: new Set(group.map((s) => s.cluster)).size,
          samples: group.length,
          labels: Object.keys(group[0].labels).sort(),
        }))
        .sort(compareBy((r) => -r.series, (r) => r.metric));
      expect(expected.length).toBeGreaterThanOrEqual(4);

      expectRows(await run('Series count per metric (cardinality)'), expected);
    },

    'Daily log size growth per topic': async () => {
      const { dayName } = scenario.clock;
      const samples = scenario.of('kafka_broker_topic_log_size_bytes').filter((s) => scenario.dayOf(s.ts) <= 30);
      const perSeriesDay = [...groupBy(samples, (s) => `${scenario.dayOf(s.ts)}|${seriesKey(s)}`).values()].map((group) => {
        const sorted = [...group].sort(byTime);
        return { day: dayName[scenario.dayOf(group[0].ts)], cluster: group[0].cluster, topic: group[0].labels.topic, first: sorted[0].value, last: sorted[sorted.length - 1].value };
      });
      const expected = [...groupBy(perSeriesDay, (r) => `${r.day}|${r.cluster}|${r.topic}`).values()]
        .map((group) => ({
          day: group[0].day,
          cluster: group[0].cluster,
          topic: group[0].topic,
          bytes_at_end_of_day: group.reduce((a, r) => a + r.last, 0),
          growth_bytes: group.reduce((a, r) => a + r.last - r.first, 0),
        }))
        .sort(compareBy((r) => r.cluster, (r) => r.topic, (r) => r.day));
      expect(expected).toHaveLength(2 * 3); // two topics, three days; 35 days ago is outside the month

      expectRows(await run('Daily log size growth per topic'), expected);
    },
  };

  it.each(Object.keys(checks))('%s', async (title) => {
    await checks[title]();
  });

  it('reads every redelivered sample and re-computed window once with FINAL, as the page says', async () => {
    const count = async (table: string) => Number((await rows(`SELECT count() AS n FROM ${database}.${table} FINAL`))[0].n);
    expect(await count('samples_raw')).toBe(scenario.samples.length);
    expect(await count('rollups_10s')).toBe(windowsOf(scenario.samples, 10).size);
    expect(await count('rollups_1m')).toBe(windowsOf(scenario.samples, 60).size);
    // ... and the complete window wins over the partial one written after it.
    const [partialLeft] = await rows(`SELECT count() AS n FROM ${database}.rollups_1m FINAL WHERE metric = 'zookeeper_request_latency_avg_seconds' AND sample_count < 6`);
    const shortWindows = [...windowsOf(scenario.of('zookeeper_request_latency_avg_seconds'), 60).values()].filter((w) => w.samples.length < 6);
    expect(Number(partialLeft.n)).toBe(shortWindows.length);
  });

  // Last: OPTIMIZE … FINAL among them merges away the duplicates the examples must cope with.
  it('every other SQL snippet on the page runs', async () => {
    expect(doc.otherSql.length).toBeGreaterThan(0);
    for (const sql of doc.otherSql) {
      const query = forTest(sql);
      if (/^\s*SELECT\b/i.test(query)) await rows(query);
      else await client.command({ query });
    }
  });
});
