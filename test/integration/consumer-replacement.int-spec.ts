import { Consumer, Kafka, logLevel, PartitionAssigner, PartitionAssigners, Producer } from 'kafkajs';
import { createClickHouseClient } from '@doflamingo/clickhouse';
import { envName } from '@doflamingo/config';
import { METRIC_EVENT_SCHEMA_VERSION, MetricBatch, topicNames } from '@doflamingo/contracts';
import { endpoints } from '../../devstack/topology';
import { AppName, RunningApp, startApp } from '../support/app-process';
import { eventually } from '../support/eventually';
import { freePort } from '../support/free-port';

/**
 * kafkajs stops a consumer for good after a non-retriable error. A real one, caused from outside:
 * another member holds the app's consumer group and speaks only the "range" assignor (what a Java
 * consumer announces by default), so the app's join is refused with INCONSISTENT_GROUP_PROTOCOL.
 * The app must say so on /health and keep starting new consumers; once the other member leaves,
 * its next consumer joins and consumes.
 */
const rangeOnly: PartitionAssigner = (config) => ({ ...PartitionAssigners.roundRobin(config), name: 'range' });

interface Case {
  /** The /health detail of the app's consumer. */
  detail: string;
  /** The detail's count of the messages read. */
  counter: string;
  /** The app's consumer group, given the test's topic prefix and instance id. */
  group: (prefix: string, instanceId: string) => string;
  /** The first consumer's crash, logged. */
  crashLog: string;
}

describe.each<[AppName, Case]>([
  ['gateway', { detail: 'liveFeed', counter: 'eventsReceived', group: (prefix, instance) => `${prefix}-gateway-${instance}`, crashLog: 'the live feed consumer stopped on an error; starting a new one' }],
  ['anomaly-detector', { detail: 'consumer', counter: 'eventsConsumed', group: (prefix) => `${prefix}-anomaly-detector`, crashLog: 'the anomaly consumer stopped on an error; starting a new one' }],
  ['processor', { detail: 'consumer', counter: 'eventsConsumed', group: (prefix) => `${prefix}-processor`, crashLog: 'the metrics consumer stopped on an error; starting a new one' }],
])('the %s app, when kafkajs gives up on its consumer', (app, { detail, counter, group, crashLog }) => {
  const prefix = `test-replace-${app}-${process.pid}`;
  const instanceId = `replace-${process.pid}`;
  const topics = topicNames(prefix);
  const groupId = group(prefix, instanceId);
  const database = `doflamingo_replace_test_${process.pid}`;
  const kafka = new Kafka({ clientId: 'doflamingo-tests', brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING });
  let port: number;
  let running: RunningApp | undefined;
  let holder: Consumer | undefined;
  let producer: Producer | undefined;

  async function health(): Promise<{ status: string; restarts: number; read: number; partitions?: number[]; message?: string }> {
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    const body = (await response.json()) as { details?: Record<string, Record<string, unknown>> };
    const details = body.details?.[detail] ?? {};
    return { status: String(details.status), restarts: Number(details.restarts), read: Number(details[counter]), partitions: details.partitions as number[] | undefined, message: details.message as string | undefined };
  }

  const metricBatch = (): MetricBatch => ({
    schemaVersion: METRIC_EVENT_SCHEMA_VERSION,
    cluster: `replace-${process.pid}`,
    source: { agentId: 'replacement-test', collector: 'synthetic' },
    timestamp: Date.now(),
    samples: [{ metric: 'kafka_brokers_up', labels: {}, value: 3 }],
  });

  beforeAll(async () => {
    port = await freePort();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.metrics, numPartitions: 3, replicationFactor: 3 }] });
    await admin.disconnect();
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
  });

  afterAll(async () => {
    await holder?.disconnect();
    await producer?.disconnect();
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGTERM');
      await running.exited;
    }
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`)) }).catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
    const clickhouse = createClickHouseClient({ url: endpoints.clickhouseUrl, database: 'default', username: 'default', password: '', requestTimeoutMs: 10000 });
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await clickhouse.close();
  });

  it('reports it down on /health with the restarts, keeps starting new consumers, and consumes once it can join', async () => {
    holder = kafka.consumer({ groupId, partitionAssigners: [rangeOnly] });
    const joined = new Promise<void>((resolve) => holder!.on(holder!.events.GROUP_JOIN, () => resolve()));
    await holder.connect();
    await holder.subscribe({ topic: topics.metrics });
    await holder.run({ eachMessage: async () => undefined });
    await joined;

    running = startApp(app, {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      CLICKHOUSE_URL: endpoints.clickhouseUrl,
      CLICKHOUSE_DATABASE: database,
      TOPIC_PREFIX: prefix,
      DOFLAMINGO_INSTANCE_ID: instanceId,
      GATEWAY_API_KEYS: 'replacement-test-key-0123456789',
      [`${envName(app)}_HTTP_PORT`]: String(port),
      LOG_LEVEL: 'info',
    });
    const refused = await eventually(health, (h) => h.restarts >= 1, 60000, 'the app starting a second consumer');
    expect(refused.status).toBe('down');
    expect(refused.message).toBe(app === 'gateway' ? 'the live feed consumer stopped on an error and is being restarted' : 'the metrics consumer stopped on an error and is being restarted');
    const crash = running
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; err?: string; restartInMs?: number })
      .find((log) => log.msg === crashLog);
    expect(crash?.err).toMatch(/protocol/i);
    expect(crash?.restartInMs).toBeGreaterThan(0);

    await holder.disconnect();
    holder = undefined;
    const consuming = await eventually(health, (h) => h.status === 'up', 90000, 'a new consumer joining once the other member left');
    expect(consuming.restarts).toBeGreaterThanOrEqual(1);
    // The replacement's assignment reached the app (the anomaly detector and the processor keep per-partition state by it).
    if (app !== 'gateway') expect(consuming.partitions).toEqual([0, 1, 2]);

    // A new group starts at the end of the topic: keep sending until one message lands after its start.
    const before = consuming.read;
    await eventually(
      async () => {
        await producer!.send({ topic: topics.metrics, acks: -1, messages: [{ key: 'replace/synthetic/cluster', value: JSON.stringify(metricBatch()) }] });
        return health();
      },
      (h) => h.read > before,
      30000,
      'the replacement consumer reading the metrics topic',
    );
  });
});
