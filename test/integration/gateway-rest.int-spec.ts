/**
 * The gateway's REST side booted in a Nest testing module (config, logging, ClickHouse, the REST
 * module, and a live store the test fills), on an ephemeral port, spoken to with real HTTP.
 *
 * History: the test writes a scenario into a fresh ClickHouse database — raw samples with
 * redeliveries, rollup windows with partial re-computations that must lose — and checks that
 * /api/v1/series answers exactly what the scenario implies (computed here in JavaScript) and what a
 * direct ClickHouse query, written differently (duplicates removed by GROUP BY on the sorting key,
 * not FINAL), returns.
 */
import { createHash } from 'node:crypto';
import { AddressInfo, createServer } from 'node:net';
import { Global, INestApplication, Module, ServiceUnavailableException } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ClickHouseClient } from '@clickhouse/client';
import { ConfigModule, loadConfig } from '@doflamingo/config';
import { ClickHouseModule, createClickHouseClient, MIGRATIONS, MigrationRunner, numberLiteral, qualified, stringLiteral } from '@doflamingo/clickhouse';
import { AlertEvent, LiveSample, metricCatalogue } from '@doflamingo/contracts';
import { LoggingModule } from '@doflamingo/logging';
import { parsePrometheusText } from '../../apps/agent/src/collectors/jmx/prometheus-text';
import { LatestValues, RecentAlerts } from '../../apps/gateway/src/live/latest-values.store';
import { RestApiModule } from '../../apps/gateway/src/rest/rest-api.module';
import { setUpOpenApi } from '../../apps/gateway/src/rest/open-api';
import { SeriesService } from '../../apps/gateway/src/rest/series.service';
import { endpoints } from '../../devstack/topology';

const KEY = 'gateway-rest-test-key-0123456789';
const DATABASE = `doflamingo_test_gwrest_${process.pid}`;
const MAX_POINTS = 2000;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

type Labels = Record<string, string>;
type Point = [number, number, number, number];
interface Series {
  cluster: string;
  metric: string;
  labels: Labels;
}
interface RawSample extends Series {
  t: number; // ms
  value: number;
}
interface Window extends Series {
  start: number; // s
  count: number;
  min: number;
  max: number;
  sum: number;
  first: number;
  last: number;
}
interface ErrorBody {
  statusCode: number;
  message: string;
  parameter?: string;
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, { get: { security: unknown; parameters: { name: string }[] } }>;
  components: { securitySchemes: Record<string, unknown> };
}
interface SeriesAnswer {
  table: string;
  step: number;
  from: number;
  to: number;
  series: (Series & { points: Point[] })[];
}

const BYTES_IN = 'kafka_broker_bytes_in_per_second';
const LAG = 'kafka_consumer_group_partition_lag';
const GROUP_LAG = 'kafka_consumer_group_lag';
const TRICKY_GROUP = `it's "quoted"; DROP TABLE x --`;
const seriesKey = (s: Series) => JSON.stringify([s.cluster, s.metric, Object.keys(s.labels).sort().map((k) => [k, s.labels[k]])]);
const seriesId = (s: Series) => BigInt('0x' + createHash('sha256').update(seriesKey(s)).digest('hex').slice(0, 16)).toString();
const labelArrays = (labels: Labels) => {
  const names = Object.keys(labels).sort();
  return { label_names: names, label_values: names.map((n) => labels[n]) };
};

/** Two hours of data ending an hour ago, on the hour. */
const ANCHOR = Math.floor((Date.now() - 3 * HOUR) / HOUR) * HOUR;
const END = ANCHOR + 2 * HOUR;

/** The scenario: broker byte rates in two clusters, and 30 partition-lag series. */
function buildScenario(): { raw: RawSample[]; windows10s: Window[]; windows1m: Window[]; partial10s: Window[]; partial1m: Window[] } {
  const series: Series[] = [
    ...['1', '2', '3', '10'].map((broker) => ({ cluster: 'prod', metric: BYTES_IN, labels: { broker } })),
    { cluster: 'staging', metric: BYTES_IN, labels: { broker: '1' } },
  ];
  for (const group of ['billing', 'billing-eu', 'audit']) {
    for (const topic of ['orders', 'payments']) {
      for (let partition = 0; partition < 5; partition++) series.push({ cluster: 'prod', metric: LAG, labels: { group, topic, partition: String(partition) } });
    }
  }
  // A label value that would break SQL if it were pasted in.
  series.push({ cluster: 'prod', metric: GROUP_LAG, labels: { group: TRICKY_GROUP } });
  const raw: RawSample[] = [];
  series.forEach((s, n) => {
    // Every 5 s, with a different millisecond offset each time, values that vary within a minute.
    for (let i = 0; ANCHOR + i * 5000 < END; i++) {
      const t = ANCHOR + i * 5000 + ((i * 137 + n * 61) % 1000);
      raw.push({ ...s, t, value: 1000 * (n + 1) + ((i * 37 + n * 11) % 101) + (i % 3) * 0.25 });
    }
  });
  const windows = (seconds: number) => {
    const out: Window[] = [];
    const partial: Window[] = [];
    const groups = new Map<string, RawSample[]>();
    for (const sample of raw) {
      const start = Math.floor(sample.t / 1000 / seconds) * seconds;
      const key = `${seriesKey(sample)}|${start}`;
      const list = groups.get(key);
      if (list) list.push(sample);
      else groups.set(key, [sample]);
    }
    for (const list of groups.values()) {
      const values = list.map((s) => s.value);
      const { cluster, metric, labels } = list[0];
      const start = Math.floor(list[0].t / 1000 / seconds) * seconds;
      const window = { cluster, metric, labels, start, count: values.length, min: Math.min(...values), max: Math.max(...values), sum: values.reduce((a, b) => a + b, 0), first: values[0], last: values[values.length - 1] };
      out.push(window);
      // A restarted processor that saw only the first sample of some windows wrote them again.
      if (values.length > 1 && start % (seconds * 3) === 0) partial.push({ ...window, count: 1, min: values[0], max: values[0], sum: values[0], last: values[0] });
    }
    return { out, partial };
  };
  const w10 = windows(10);
  const w60 = windows(60);
  return { raw, windows10s: w10.out, partial10s: w10.partial, windows1m: w60.out, partial1m: w60.partial };
}

const scenario = buildScenario();

/** What the answer must be, from the scenario alone. */
function expected(filter: (s: Series) => boolean, fromMs: number, toMs: number, stepS: number, source: 'raw' | '10s' | '1m'): Map<string, Point[]> {
  const buckets = new Map<string, Map<number, { sum: number; count: number; min: number; max: number }>>();
  const add = (s: Series, bucket: number, sum: number, count: number, min: number, max: number) => {
    const key = seriesKey(s);
    let series = buckets.get(key);
    if (!series) buckets.set(key, (series = new Map()));
    const b = series.get(bucket) ?? { sum: 0, count: 0, min: Infinity, max: -Infinity };
    series.set(bucket, { sum: b.sum + sum, count: b.count + count, min: Math.min(b.min, min), max: Math.max(b.max, max) });
  };
  if (source === 'raw') {
    for (const s of scenario.raw) {
      if (filter(s) && s.t >= fromMs && s.t < toMs) add(s, Math.floor(Math.floor(s.t / 1000) / stepS) * stepS * 1000, s.value, 1, s.value, s.value);
    }
  } else {
    for (const w of source === '10s' ? scenario.windows10s : scenario.windows1m) {
      if (filter(w) && w.start * 1000 >= fromMs && w.start * 1000 < toMs) add(w, Math.floor(w.start / stepS) * stepS * 1000, w.sum, w.count, w.min, w.max);
    }
  }
  return new Map(
    [...buckets].map(([key, series]) => [key, [...series].sort(([a], [b]) => a - b).map(([bucket, b]) => [bucket, b.sum / b.count, b.min, b.max] as Point)]),
  );
}

function expectSamePoints(actual: Point[], wanted: Point[]) {
  expect(actual.map((p) => p[0])).toEqual(wanted.map((p) => p[0]));
  actual.forEach((point, i) => {
    expect(point[1]).toBeCloseTo(wanted[i][1], 6);
    expect(point[2]).toBe(wanted[i][2]);
    expect(point[3]).toBe(wanted[i][3]);
  });
}

describe('gateway REST API', () => {
  let client: ClickHouseClient;
  let nest: INestApplication;
  let base: string;
  const latest = new LatestValues();
  const alerts = new RecentAlerts();

  const get = (path: string, headers: Record<string, string> = { authorization: `Bearer ${KEY}` }) => fetch(`${base}${path}`, { headers });
  const getJson = async <T>(path: string, status = 200): Promise<T> => {
    const response = await get(path);
    const body = await response.text();
    if (response.status !== status) throw new Error(`GET ${path}: expected ${status}, got ${response.status}: ${body}`);
    return JSON.parse(body) as T;
  };
  const series = (query: Record<string, string | number>) => getJson<SeriesAnswer>(`/api/v1/series?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`);
  const rows = async (query: string) => (await client.query({ query, format: 'JSONEachRow' })).json<Record<string, unknown>>();

  beforeAll(async () => {
    client = createClickHouseClient({ url: endpoints.clickhouseUrl, database: 'default', username: 'default', password: '', requestTimeoutMs: 60000 });
    await new MigrationRunner(client, DATABASE, MIGRATIONS).migrate();
    const insert = async (table: string, columns: string[], values: object[]) => {
      for (let i = 0; i < values.length; i += 20000) {
        // Listing the columns makes ClickHouse 18.16 fill `date` and `inserted_at` from their DEFAULTs.
        await client.insert({ table: qualified(DATABASE, table), values: values.slice(i, i + 20000), format: 'JSONEachRow', columns: columns as [string, ...string[]] });
      }
    };
    const rawRows = scenario.raw.map((s) => ({ ts: Math.floor(s.t / 1000), ts_ms: s.t % 1000, cluster: s.cluster, metric: s.metric, series_id: seriesId(s), ...labelArrays(s.labels), value: s.value, agent: 'agent-test', collector: 'test' }));
    const rawColumns = ['ts', 'ts_ms', 'cluster', 'metric', 'series_id', 'label_names', 'label_values', 'value', 'agent', 'collector'];
    await insert('samples_raw', rawColumns, rawRows);
    // Redeliveries: every 4th sample a second time (FINAL must count it once).
    await insert('samples_raw', rawColumns, rawRows.filter((_, i) => i % 4 === 1));
    const rollupColumns = ['window_start', 'cluster', 'metric', 'series_id', 'label_names', 'label_values', 'sample_count', 'value_min', 'value_max', 'value_sum', 'value_avg', 'value_first', 'value_last', 'counter_delta', 'counter_rate'];
    const rollupRow = (w: Window) => ({ window_start: w.start, cluster: w.cluster, metric: w.metric, series_id: seriesId(w), ...labelArrays(w.labels), sample_count: w.count, value_min: w.min, value_max: w.max, value_sum: w.sum, value_avg: w.sum / w.count, value_first: w.first, value_last: w.last, counter_delta: null, counter_rate: null });
    await insert('rollups_10s', rollupColumns, scenario.windows10s.map(rollupRow));
    await insert('rollups_10s', rollupColumns, scenario.partial10s.map(rollupRow));
    await insert('rollups_1m', rollupColumns, scenario.windows1m.map(rollupRow));
    await insert('rollups_1m', rollupColumns, scenario.partial1m.map(rollupRow));

    const config = loadConfig('gateway', {
      GATEWAY_API_KEYS: `${KEY},another-key-of-16-chars`,
      CLICKHOUSE_URL: endpoints.clickhouseUrl,
      CLICKHOUSE_DATABASE: DATABASE,
      GATEWAY_SERIES_MAX_POINTS: String(MAX_POINTS),
      GATEWAY_SERIES_MAX_RANGE_DAYS: '31',
      LOG_LEVEL: 'warn',
    });
    @Global()
    @Module({ providers: [{ provide: LatestValues, useValue: latest }, { provide: RecentAlerts, useValue: alerts }], exports: [LatestValues, RecentAlerts] })
    class TestLiveModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), LoggingModule.forRoot(config), ClickHouseModule, TestLiveModule, RestApiModule],
    }).compile();
    nest = moduleRef.createNestApplication({ logger: false });
    setUpOpenApi(nest);
    await nest.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(nest.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await nest?.close();
    if (client) {
      await client.command({ query: `DROP DATABASE IF EXISTS ${DATABASE}` });
      await client.close();
    }
  });

  describe('authentication', () => {
    it.each(['/api/v1/clusters', '/api/v1/alerts', `/api/v1/series?metric=${BYTES_IN}`, '/metrics', '/api/v1/clusters/prod/brokers'])('refuses %s without a key or with a wrong one', async (path) => {
      const missing = await get(path, {});
      expect(missing.status).toBe(401);
      expect(((await missing.json()) as ErrorBody).message).toMatch(/an API key is required/);
      const wrong = await get(path, { authorization: `Bearer ${KEY.replace(/.$/, 'X')}` });
      expect(wrong.status).toBe(401);
      expect(((await wrong.json()) as ErrorBody).message).toBe('the API key is not valid');
    });

    it('accepts a configured key as a bearer token, an X-API-Key header or an access_token parameter', async () => {
      expect((await get('/api/v1/clusters')).status).toBe(200);
      expect((await get('/api/v1/clusters', { 'x-api-key': 'another-key-of-16-chars' })).status).toBe(200);
      expect((await get(`/api/v1/clusters?access_token=${KEY}`, {})).status).toBe(200);
      expect((await get(`/api/v1/series?metric=${BYTES_IN}&access_token=${KEY}`, {})).status).toBe(200);
    });
  });

  describe('GET /api/v1/series', () => {
    const brokers = (cluster: string, ids?: string[]) => (s: Series) => s.metric === BYTES_IN && s.cluster === cluster && (!ids || ids.includes(s.labels.broker));

    /** The same answer from ClickHouse directly: duplicates removed by grouping on the sorting key, buckets by arithmetic. */
    async function direct(metric: string, cluster: string, fromMs: number, toMs: number, stepS: number, table: 'samples_raw' | 'rollups_10s' | 'rollups_1m'): Promise<Map<string, Point[]>> {
      const db = (t: string) => qualified(DATABASE, t);
      const step = numberLiteral(stepS);
      const sql =
        table === 'samples_raw'
          ? `SELECT label_names, label_values, (toUInt32(ts) - toUInt32(ts) % ${step}) * 1000 AS bucket, avg(v) AS a, min(v) AS lo, max(v) AS hi
             FROM (SELECT label_names, label_values, ts, ts_ms, any(value) AS v FROM ${db('samples_raw')}
                   WHERE metric = ${stringLiteral(metric)} AND cluster = ${stringLiteral(cluster)}
                   GROUP BY series_id, label_names, label_values, ts, ts_ms)
             WHERE toUInt32(ts) * 1000 + ts_ms >= ${numberLiteral(fromMs)} AND toUInt32(ts) * 1000 + ts_ms < ${numberLiteral(toMs)}
             GROUP BY label_names, label_values, bucket ORDER BY label_values, bucket`
          : `SELECT label_names, label_values, (toUInt32(window_start) - toUInt32(window_start) % ${step}) * 1000 AS bucket, sum(s) / sum(c) AS a, min(lo1) AS lo, max(hi1) AS hi
             FROM (SELECT label_names, label_values, window_start, argMax(value_sum, sample_count) AS s, max(sample_count) AS c,
                          argMax(value_min, sample_count) AS lo1, argMax(value_max, sample_count) AS hi1
                   FROM ${db(table)} WHERE metric = ${stringLiteral(metric)} AND cluster = ${stringLiteral(cluster)}
                   GROUP BY series_id, label_names, label_values, window_start)
             WHERE toUInt32(window_start) * 1000 >= ${numberLiteral(fromMs)} AND toUInt32(window_start) * 1000 < ${numberLiteral(toMs)}
             GROUP BY label_names, label_values, bucket ORDER BY label_values, bucket`;
      const result = new Map<string, Point[]>();
      for (const row of await rows(sql)) {
        const names = row.label_names as string[];
        const labels = Object.fromEntries(names.map((n, i) => [n, (row.label_values as string[])[i]]));
        const key = seriesKey({ cluster, metric, labels });
        if (!result.has(key)) result.set(key, []);
        result.get(key)!.push([Number(row.bucket), Number(row.a), Number(row.lo), Number(row.hi)]);
      }
      return result;
    }

    async function check(query: Record<string, string | number>, want: { table: string; stepS: number; filter: (s: Series) => boolean; source: 'raw' | '10s' | '1m'; fromMs: number; toMs: number; cluster: string }) {
      const answer = await series(query);
      expect(answer).toMatchObject({ table: want.table, step: want.stepS * 1000, from: want.fromMs, to: want.toMs });
      const fromScenario = expected(want.filter, want.fromMs, want.toMs, want.stepS, want.source);
      const fromClickHouse = await direct(String(query.metric), want.cluster, want.fromMs, want.toMs, want.stepS, want.table as 'samples_raw');
      expect(answer.series.map(seriesKey).sort()).toEqual([...fromScenario.keys()].sort());
      expect(fromScenario.size).toBeGreaterThan(0);
      for (const s of answer.series) {
        expect(s.metric).toBe(query.metric);
        expectSamePoints(s.points, fromScenario.get(seriesKey(s))!);
        if (want.cluster === s.cluster) expectSamePoints(s.points, fromClickHouse.get(seriesKey(s))!);
      }
      return answer;
    }

    it('answers an hour from samples_raw, to the millisecond, duplicates counted once', async () => {
      const fromMs = ANCHOR + 10 * MIN + 500;
      const toMs = ANCHOR + 70 * MIN + 500;
      const answer = await check(
        { metric: BYTES_IN, cluster: 'prod', from: new Date(fromMs).toISOString(), to: String(toMs), step: '1m' },
        { table: 'samples_raw', stepS: 60, filter: brokers('prod'), source: 'raw', fromMs, toMs, cluster: 'prod' },
      );
      // 60 whole minutes and the partial one at the end; brokers in label order.
      expect(answer.series.map((s) => s.labels.broker)).toEqual(['1', '10', '2', '3']);
      expect(answer.series[0].points).toHaveLength(61);
    });

    it('answers two days from rollups_10s, the complete windows winning over partial re-computations', async () => {
      const fromMs = ANCHOR - DAY;
      const toMs = ANCHOR + DAY;
      await check(
        { metric: BYTES_IN, cluster: 'prod', labels: 'broker:{1,2}', from: fromMs, to: toMs, step: '10m' },
        { table: 'rollups_10s', stepS: 600, filter: brokers('prod', ['1', '2']), source: '10s', fromMs, toMs, cluster: 'prod' },
      );
    });

    it('answers ten days from rollups_1m', async () => {
      const fromMs = ANCHOR - 5 * DAY;
      const toMs = ANCHOR + 5 * DAY;
      await check(
        { metric: BYTES_IN, cluster: 'staging', from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), step: '1h' },
        { table: 'rollups_1m', stepS: 3600, filter: brokers('staging'), source: '1m', fromMs, toMs, cluster: 'staging' },
      );
    });

    it('matches cluster and label globs like WebSocket subscriptions, and every cluster without one', async () => {
      const fromMs = ANCHOR + 30 * MIN;
      const toMs = ANCHOR + 40 * MIN;
      const all = await series({ metric: BYTES_IN, from: fromMs, to: toMs, step: '5m' });
      expect(all.series.map((s) => `${s.cluster}/${s.labels.broker}`)).toEqual(['prod/1', 'prod/10', 'prod/2', 'prod/3', 'staging/1']);
      const globbed = await series({ metric: BYTES_IN, cluster: 'st*', labels: 'broker:?', from: fromMs, to: toMs, step: '5m' });
      expect(globbed.series.map((s) => `${s.cluster}/${s.labels.broker}`)).toEqual(['staging/1']);

      const lag = (s: Series) => s.metric === LAG && s.labels.group.startsWith('billing') && ['1', '2'].includes(s.labels.partition);
      await check(
        { metric: LAG, labels: 'group:billing*,partition:[12]', from: fromMs, to: toMs, step: '1m' },
        { table: 'samples_raw', stepS: 60, filter: lag, source: 'raw', fromMs, toMs, cluster: 'prod' },
      ).then((answer) => expect(answer.series).toHaveLength(8));
      const exactAndStar = await series({ metric: LAG, labels: 'group:audit,topic:*', from: fromMs, to: toMs, step: '1m' });
      expect(exactAndStar.series).toHaveLength(10);
      expect(await series({ metric: LAG, labels: 'group:nobody*', from: fromMs, to: toMs })).toMatchObject({ series: [] });
    });

    it('passes quotes in label values safely, as an exact value and through a glob', async () => {
      const fromMs = ANCHOR + 30 * MIN;
      const toMs = ANCHOR + 40 * MIN;
      const tricky = (s: Series) => s.metric === GROUP_LAG;
      for (const pattern of [TRICKY_GROUP, "it's*"]) {
        const answer = await check(
          { metric: GROUP_LAG, cluster: 'prod', labels: `group:${pattern}`, from: fromMs, to: toMs, step: '1m' },
          { table: 'samples_raw', stepS: 60, filter: tricky, source: 'raw', fromMs, toMs, cluster: 'prod' },
        );
        expect(answer.series.map((s) => s.labels.group)).toEqual([TRICKY_GROUP]);
      }
      expect(await series({ metric: GROUP_LAG, labels: "group:it's", from: fromMs, to: toMs })).toMatchObject({ series: [] });
    });

    it('answers 503 when ClickHouse does not answer', async () => {
      // A port that was just free: connection refused.
      const closed = await new Promise<number>((resolve) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
          const { port } = server.address() as AddressInfo;
          server.close(() => resolve(port));
        });
      });
      const config = loadConfig('gateway', { GATEWAY_API_KEYS: KEY, CLICKHOUSE_DATABASE: DATABASE, CLICKHOUSE_REQUEST_TIMEOUT_MS: '2000' });
      const unreachable = createClickHouseClient({ ...config.clickhouse, url: `http://127.0.0.1:${closed}` });
      const sut = new SeriesService(unreachable, config);
      await expect(sut.query({ metric: BYTES_IN })).rejects.toThrow(ServiceUnavailableException);
      await unreachable.close();
    });

    it('chooses a step itself, raising it when series × buckets would pass the points limit', async () => {
      const fromMs = ANCHOR + 30 * MIN;
      const toMs = ANCHOR + 90 * MIN;
      // Five series over an hour: 10 s buckets (360 each, 1,800 points) fit in 2,000.
      expect(await series({ metric: BYTES_IN, from: fromMs, to: toMs })).toMatchObject({ table: 'samples_raw', step: 10_000 });
      // Thirty series: 10 s would be 10,800 points, 15 s 7,200, 30 s 3,600; 1 min is 1,800.
      const answer = await series({ metric: LAG, from: fromMs, to: toMs });
      expect(answer).toMatchObject({ table: 'samples_raw', step: 60_000 });
      expect(answer.series).toHaveLength(30);
      expect(answer.series.reduce((n, s) => n + s.points.length, 0)).toBe(1800);
    });

    it.each([
      [{}, 'metric', /^metric: is required$/],
      [{ metric: 'kafka_nothing' }, 'metric', /^metric: unknown metric "kafka_nothing"/],
      [{ metric: BYTES_IN, from: 'last tuesday' }, 'from', /^from: expected ISO-8601 with a time zone/],
      [{ metric: BYTES_IN, to: '2025-01-01T00:00:00' }, 'to', /^to: expected ISO-8601 with a time zone/],
      [{ metric: BYTES_IN, from: '2025-01-02T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'from', /^from: must be before to/],
      [{ metric: BYTES_IN, from: '2024-01-01T00:00:00Z', to: '2024-03-01T00:00:00Z' }, 'from', /^from: the range from\.\.to is 60d, more than the 31 days allowed/],
      [{ metric: BYTES_IN, step: 'fast' }, 'step', /^step: expected a duration like 10s/],
      [{ metric: BYTES_IN, step: '500ms' }, 'step', /^step: must be whole seconds/],
      [{ metric: BYTES_IN, from: String(ANCHOR - 2 * DAY), to: String(ANCHOR), step: '15s' }, 'step', /^step: 15s cannot be built from rollups_10s, the finest table a 2d range reads: use a multiple of 10s$/],
      [{ metric: BYTES_IN, step: '1s' }, 'step', /^step: 1 series × 360[01] buckets of 1s is 360[01] points, more than the 2000 allowed/],
      [{ metric: BYTES_IN, labels: 'topic:orders' }, 'labels', /^labels: kafka_broker_bytes_in_per_second has no label "topic"/],
      [{ metric: BYTES_IN, labels: 'broker:[1' }, 'labels', /^labels: labels\.broker: "\[1" is not a valid pattern/],
      [{ metric: BYTES_IN, cluster: 'prod-{eu' }, 'cluster', /^cluster: "prod-\{eu" is not a valid pattern/],
      [{ metric: BYTES_IN, sterp: '1m' }, 'sterp', /^sterp: unknown parameter/],
    ])('refuses %j with 400 naming %s', async (query, parameter, message) => {
      const response = await get(`/api/v1/series?${new URLSearchParams(query as Record<string, string>)}`);
      expect(response.status).toBe(400);
      const body = (await response.json()) as ErrorBody;
      expect(body.parameter).toBe(parameter);
      expect(body.message).toMatch(message);
    });

    it('refuses an explicit step whose points do not fit once the series are known, and a parameter given twice', async () => {
      const response = await get(`/api/v1/series?metric=${LAG}&from=${ANCHOR}&to=${ANCHOR + HOUR}&step=10s`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ parameter: 'step', message: expect.stringMatching(/^step: 30 series × 360 buckets of 10s is 10800 points/) });
      const twice = await get(`/api/v1/series?metric=${BYTES_IN}&metric=${LAG}`);
      expect(twice.status).toBe(400);
      expect(await twice.json()).toMatchObject({ parameter: 'metric', message: 'metric: must be given once' });
    });
  });

  describe('state from the live store', () => {
    const T = Date.now();
    const batch = (cluster: string, samples: [string, Labels, number][], timestamp = T) =>
      latest.apply({ schemaVersion: 1, cluster, source: { agentId: 'a', collector: 'test' }, timestamp, samples: samples.map(([metric, labels, value]) => ({ metric, labels, value })) });
    const alert = (id: string, cluster: string, state: AlertEvent['state'], at: number): AlertEvent => ({ schemaVersion: 1, id, rule: 'broker-down', state, severity: 'critical', cluster, labels: { broker: '2' }, message: 'broker 2 is down', value: 0, startsAt: at, at });

    beforeAll(() => {
      batch('prod', [
        ['kafka_brokers_up', {}, 2],
        ['kafka_brokers_known', {}, 3],
        ['kafka_controller_id', {}, 1],
        ['kafka_broker_up', { broker: '1' }, 1],
        ['kafka_broker_up', { broker: '2' }, 0],
        ['kafka_topic_partitions', { topic: 'orders' }, 2],
        ['kafka_partition_leader', { topic: 'orders', partition: '0' }, 1],
        ['kafka_partition_leader', { topic: 'orders', partition: '1' }, -1],
        ['kafka_partition_replica_in_sync', { topic: 'orders', partition: '0', broker: '2' }, 0],
        ['kafka_partition_replica_in_sync', { topic: 'orders', partition: '0', broker: '1' }, 1],
        ['kafka_consumer_group_status', { group: 'billing "eu"\\x' }, 1],
        ['kafka_consumer_group_lag', { group: 'billing "eu"\\x' }, 42],
        ['zookeeper_quorum_up', {}, 1],
        ['zookeeper_server_up', { server: 'zk1:2181' }, 1],
        ['zookeeper_server_state', { server: 'zk1:2181' }, 4],
      ]);
      batch('kraft', [['kafka_brokers_up', {}, 3]], T - 1000);
      alerts.apply(alert('a1', 'prod', 'firing', T - 5000));
      alerts.apply(alert('a2', 'prod', 'resolved', T - 4000));
      alerts.apply(alert('a3', 'kraft', 'firing', T - 3000));
    });

    it('lists clusters and answers per-cluster views', async () => {
      const clusters = await getJson<{ name: string; brokersUp: number; firingAlerts: number; zookeeper: unknown }[]>('/api/v1/clusters');
      expect(clusters.map((c) => [c.name, c.brokersUp, c.firingAlerts])).toEqual([
        ['kraft', 3, 1],
        ['prod', 2, 1],
      ]);
      expect(clusters[1].zookeeper).toEqual({ quorum: true, leader: null, serversUp: null, serversConfigured: null });
      expect((await getJson<{ id: string; up: boolean; controller: boolean }[]>('/api/v1/clusters/prod/brokers')).map((b) => [b.id, b.up, b.controller])).toEqual([
        ['1', true, true],
        ['2', false, false],
      ]);
      const orders = await getJson<{ partitions: number; partitionDetails: { partition: number; leader: number; offline: boolean; replicas: number[] | null; isr: number[] | null }[] }>(
        '/api/v1/clusters/prod/topics/orders',
      );
      expect(orders.partitions).toBe(2);
      expect(orders.partitionDetails.map((p) => [p.partition, p.leader, p.offline, p.replicas, p.isr])).toEqual([
        [0, 1, false, [1, 2], [1]],
        [1, -1, true, null, null],
      ]);
      const groups = await getJson<{ group: string; status: string; lag: number }[]>('/api/v1/clusters/prod/consumer-groups');
      expect(groups).toMatchObject([{ group: 'billing "eu"\\x', status: 'WARN', lag: 42 }]);
      expect(await getJson(`/api/v1/clusters/prod/consumer-groups/${encodeURIComponent('billing "eu"\\x')}`)).toMatchObject({ status: 'WARN', partitionDetails: [] });
      expect(await getJson('/api/v1/clusters/prod/zookeeper')).toMatchObject({ quorum: true, servers: [{ server: 'zk1:2181', up: true, mode: 'standalone' }] });
    });

    it('answers 404 with a message for an unknown cluster, topic, group, or a cluster without ZooKeeper', async () => {
      for (const [path, message] of [
        ['/api/v1/clusters/nope/brokers', /^unknown cluster "nope": no live metrics for it \(known: kraft, prod\)$/],
        ['/api/v1/clusters/nope/topics', /^unknown cluster "nope"/],
        ['/api/v1/clusters/prod/topics/nope', /has no live metrics for topic "nope"/],
        ['/api/v1/clusters/prod/consumer-groups/nope', /has no live metrics for consumer group "nope"/],
        ['/api/v1/clusters/kraft/zookeeper', /cluster "kraft" has no ZooKeeper metrics/],
      ] as const) {
        const body = await getJson<{ statusCode: number; message: string }>(path, 404);
        expect(body.statusCode).toBe(404);
        expect(body.message).toMatch(message);
      }
    });

    it('lists alerts newest first, by cluster and state, and refuses an unknown state', async () => {
      expect((await getJson<AlertEvent[]>('/api/v1/alerts')).map((a) => a.id)).toEqual(['a3', 'a2', 'a1']);
      expect((await getJson<AlertEvent[]>('/api/v1/alerts?cluster=prod')).map((a) => a.id)).toEqual(['a2', 'a1']);
      expect((await getJson<AlertEvent[]>('/api/v1/alerts?state=firing')).map((a) => a.id)).toEqual(['a3', 'a1']);
      expect(await getJson('/api/v1/alerts?state=burning', 400)).toMatchObject({ parameter: 'state', message: 'state: expected one of pending, firing, resolved, got "burning"' });
    });

    it('renders the store as Prometheus text that reads back to the same series', async () => {
      const response = await get('/metrics');
      expect(response.status).toBe(200);
      // Express puts charset first; the media type and its parameters are what Prometheus reads.
      expect(response.headers.get('content-type')!.split(/;\s*/).sort()).toEqual(['charset=utf-8', 'text/plain', 'version=0.0.4']);
      const text = await response.text();
      const parsed = parsePrometheusText(text);
      expect(parsed.invalidLines).toBe(0);
      const stored = [...latest.all()];
      const asParsed = (s: LiveSample) => ({ name: s.metric, labels: { cluster: s.cluster, ...s.labels }, value: s.value });
      const order = (list: { name: string; labels: Labels }[]) => [...list].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
      expect(order(parsed.samples)).toEqual(order(stored.map(asParsed)));
      expect(text).toContain(`kafka_consumer_group_lag{cluster="prod",group="billing \\"eu\\"\\\\x"} 42 ${T}\n`);
      expect(text).toContain('# TYPE kafka_broker_up gauge\n');
      const catalogue = metricCatalogue();
      for (const name of new Set(stored.map((s) => s.metric))) expect(text).toContain(`# HELP ${name} ${catalogue.get(name)!.help}\n`);
    });
  });

  describe('OpenAPI', () => {
    it('serves the document at /api/docs-json and Swagger UI at /api/docs, without a key', async () => {
      const response = await fetch(`${base}/api/docs-json`);
      expect(response.status).toBe(200);
      const document = (await response.json()) as OpenApiDocument;
      expect(document.openapi).toMatch(/^3\./);
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/clusters',
          '/api/v1/clusters/{cluster}/brokers',
          '/api/v1/clusters/{cluster}/topics',
          '/api/v1/clusters/{cluster}/topics/{topic}',
          '/api/v1/clusters/{cluster}/consumer-groups',
          '/api/v1/clusters/{cluster}/zookeeper',
          '/api/v1/alerts',
          '/api/v1/series',
          '/metrics',
        ]),
      );
      expect(document.components.securitySchemes['api-key']).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(document.paths['/api/v1/series'].get.security).toEqual([{ 'api-key': [] }]);
      expect(document.paths['/api/v1/series'].get.parameters.map((p) => p.name).sort()).toEqual(['cluster', 'from', 'labels', 'metric', 'step', 'to']);
      const ui = await fetch(`${base}/api/docs`);
      expect(ui.status).toBe(200);
      expect(await ui.text()).toContain('swagger-ui');
    });
  });
});
