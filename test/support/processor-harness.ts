import { ClickHouseClient } from '@clickhouse/client';
import { CompressionTypes, Kafka, logLevel, Producer } from 'kafkajs';
import { createClickHouseClient } from '@doflamingo/clickhouse';
import { METRIC_EVENT_SCHEMA_VERSION, MetricBatch, topicNames } from '@doflamingo/contracts';
import { endpoints } from '../../devstack/topology';
import { AppName, RunningApp, startApp } from './app-process';
import { eventually } from './eventually';

/**
 * Everything a processor integration test needs, isolated by a unique topic prefix and ClickHouse
 * database so tests never see each other's data (or the demo's).
 */
export class ProcessorScenario {
  readonly prefix: string;
  readonly database: string;
  readonly topics;
  readonly clickhouse: ClickHouseClient;
  private readonly kafka = new Kafka({ clientId: 'doflamingo-tests', brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING });
  private producer?: Producer;
  private readonly apps: RunningApp[] = [];
  private httpPort = 9460 + Math.floor(Math.random() * 30);

  constructor(name: string) {
    const id = `${name}_${process.pid}_${Date.now() % 1_000_000}`;
    this.prefix = `test-${id.replace(/_/g, '-')}`;
    this.database = `doflamingo_test_${id}`;
    this.topics = topicNames(this.prefix);
    this.clickhouse = createClickHouseClient({ url: endpoints.clickhouseUrl, database: 'default', username: 'default', password: '', requestTimeoutMs: 30000 });
  }

  /** Starts a processor instance on this scenario's topics and database. */
  startProcessor(env: Record<string, string> = {}, instance = 'p1'): RunningApp {
    const app = startApp('processor' as AppName, {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      CLICKHOUSE_URL: endpoints.clickhouseUrl,
      CLICKHOUSE_DATABASE: this.database,
      TOPIC_PREFIX: this.prefix,
      DOFLAMINGO_INSTANCE_ID: instance,
      PROCESSOR_HTTP_PORT: String(this.httpPort++),
      PROCESSOR_IDLE_FLUSH_MS: '3000',
      PROCESSOR_COMMIT_INTERVAL_MS: '500',
      PROCESSOR_SESSION_TIMEOUT_MS: '10000',
      PROCESSOR_SELF_METRICS_INTERVAL_MS: '3600000',
      METRICS_TOPIC_PARTITIONS: '6',
      LOG_LEVEL: 'info',
      ...env,
    });
    this.apps.push(app);
    return app;
  }

  /** Waits until a processor logs that it consumes (topics and schema exist by then). */
  async consuming(app: RunningApp, timeoutMs = 60000): Promise<void> {
    await eventually(async () => app.output(), (out) => out.includes('partitions assigned'), timeoutMs, 'the processor joining its group');
  }

  async send(messages: Array<{ key: string; value: Buffer | string | null }>, topic = this.topics.metrics): Promise<void> {
    if (!this.producer) {
      this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
      await this.producer.connect();
    }
    for (let i = 0; i < messages.length; i += 200) {
      await this.producer.send({ topic, messages: messages.slice(i, i + 200), acks: -1, compression: CompressionTypes.GZIP });
    }
  }

  async query<T>(sql: string): Promise<T[]> {
    const result = await this.clickhouse.query({ query: sql.replaceAll('{db}', this.database), format: 'JSONEachRow' });
    return result.json<T>();
  }

  async count(table: string, expression = 'count()'): Promise<number> {
    const [row] = await this.query<{ n: string | number }>(`SELECT ${expression} AS n FROM {db}.${table} FINAL`);
    return Number(row.n);
  }

  /** Waits for raw rows and both rollup tables to reach the expected totals, then lets them settle. */
  async storedTotals(expectedSamples: number, timeoutMs: number): Promise<{ raw: number; tenSeconds: number; minute: number }> {
    const totals = async () => ({
      raw: await this.count('samples_raw'),
      tenSeconds: await this.count('rollups_10s', 'sum(sample_count)'),
      minute: await this.count('rollups_1m', 'sum(sample_count)'),
    });
    await eventually(totals, (t) => t.raw >= expectedSamples && t.tenSeconds >= expectedSamples && t.minute >= expectedSamples, timeoutMs, `${expectedSamples} samples stored raw and in both rollups`);
    // Anything doubled would show up a moment later: look again after the commit and flush timers ran.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    return totals();
  }

  async close(): Promise<void> {
    for (const app of this.apps) if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
    await this.producer?.disconnect().catch(() => undefined);
    const admin = this.kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${this.prefix}.`));
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
    await this.clickhouse.command({ query: `DROP DATABASE IF EXISTS ${this.database}` });
    await this.clickhouse.close();
  }
}

/** A batch of gauge and counter samples as an agent would publish it. */
export function metricBatch(timestamp: number, samples: MetricBatch['samples'], collector = 'test', cluster = 'test-cluster'): MetricBatch {
  return { schemaVersion: METRIC_EVENT_SCHEMA_VERSION, cluster, source: { agentId: 'test-agent', collector }, timestamp, samples };
}

/**
 * Publishes a steady stream of batches stamped with the current time, like a few agents would,
 * until `stop()` is called. Returns the number of samples it published.
 */
export function steadyStream(scenario: ProcessorScenario, options: { scopes: number; seriesPerScope: number; everyMs: number }) {
  let published = 0;
  let stopped = false;
  let tick = 0;
  const done = (async () => {
    while (!stopped) {
      const timestamp = Date.now();
      const messages = Array.from({ length: options.scopes }, (_, scope) => {
        const samples = Array.from({ length: options.seriesPerScope }, (__, series) => ({
          metric: series % 2 === 0 ? 'test_gauge' : 'test_requests_total',
          labels: { scope: String(scope), series: String(series) },
          value: series % 2 === 0 ? Math.sin(tick + series) * 100 : tick * 10 + series,
        }));
        return { key: `test-cluster/test/${scope}`, value: JSON.stringify(metricBatch(timestamp, samples)) };
      });
      await scenario.send(messages);
      published += options.scopes * options.seriesPerScope;
      tick++;
      await new Promise((resolve) => setTimeout(resolve, options.everyMs));
    }
  })();
  return {
    get published() {
      return published;
    },
    async stop(): Promise<number> {
      stopped = true;
      await done;
      return published;
    },
  };
}
