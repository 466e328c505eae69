import { Admin, Consumer, Kafka, logLevel, Producer } from 'kafkajs';
import { CONSUMER_STATUS, METRIC_EVENT_SCHEMA_VERSION, metricBatchSchema, metricCatalogue, MetricSample } from '@doflamingo/contracts';
import { CollectedBatch } from '../../apps/agent/src/collection/collector';
import { ConsumerGroupsCollector } from '../../apps/agent/src/collectors/consumer-groups/consumer-groups.collector';
import { endpoints } from '../../devstack/topology';
import { allSamples, collectorContext, valueOf } from '../support/collector-harness';
import { eventually } from '../support/eventually';
import { connectAdmin } from '../support/kafka-admin';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The consumer-groups collector against the devstack, with four groups of our own on four topics of
 * our own: one that keeps up, one that reads ~10 messages/s from a 200 messages/s topic, one caught
 * up on a topic nobody writes to, and one that commits and is then stopped while messages keep
 * arriving. The collector runs once a second with a window of 4 commits, so health settles in
 * seconds instead of minutes.
 */
describe('consumer-groups collector (devstack)', () => {
  const run = `doflamingo-it-cg-${process.pid}-${Date.now()}`;
  const names = { keep: `${run}-keep`, slow: `${run}-slow`, idle: `${run}-idle`, stop: `${run}-stop` };
  const partition0 = (name: string) => ({ group: name, topic: name, partition: '0' });
  const kafka = new Kafka({ clientId: 'doflamingo-it-consumer-groups', brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING });
  const context = collectorContext();
  const collections: Array<{ at: number; batches: CollectedBatch[]; samples: MetricSample[] }> = [];
  const consumers = new Map<string, Consumer>();
  let admin: Admin;
  let producer: Producer;
  let producing = true;
  let producerLoop: Promise<void> = Promise.resolve();
  let stoppedAt = 0;

  async function startConsumer(name: string, delayPerMessageMs: number): Promise<void> {
    const consumer = kafka.consumer({ groupId: name, heartbeatInterval: 500, sessionTimeout: 10000 });
    consumers.set(name, consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: name, fromBeginning: true });
    await consumer.run({
      autoCommitInterval: 500,
      eachMessage: async () => {
        if (delayPerMessageMs > 0) await sleep(delayPerMessageMs);
      },
    });
  }

  /** Messages per 100 ms tick: 200/s to the slow group's topic, 20/s to the healthy one, 50/s to the stopped one. */
  async function produce(): Promise<void> {
    const message = { value: 'x'.repeat(100) };
    while (producing) {
      await producer.sendBatch({
        acks: 1,
        topicMessages: [
          { topic: names.slow, messages: Array(20).fill(message) },
          { topic: names.keep, messages: Array(2).fill(message) },
          { topic: names.stop, messages: Array(5).fill(message) },
        ],
      });
      await sleep(100);
    }
  }

  const sut = new ConsumerGroupsCollector(context, { windowSize: 4, minStopMs: 2000 });
  async function collect(): Promise<MetricSample[]> {
    const batches = await sut.collect();
    const samples = allSamples(batches);
    collections.push({ at: Date.now(), batches, samples });
    return samples;
  }
  const statusOf = (samples: MetricSample[], name: string) => CONSUMER_STATUS[valueOf(samples, 'kafka_consumer_group_partition_status', partition0(name)) ?? -1];
  const groupStatusOf = (samples: MetricSample[], name: string) => CONSUMER_STATUS[valueOf(samples, 'kafka_consumer_group_status', { group: name }) ?? -1];

  beforeAll(async () => {
    admin = await connectAdmin(endpoints.kafkaBrokers);
    await admin.createTopics({ topics: Object.values(names).map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });
    producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: names.idle, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ value: `idle-${i}` })) });
    await Promise.all([startConsumer(names.keep, 0), startConsumer(names.slow, 100), startConsumer(names.idle, 0), startConsumer(names.stop, 0)]);
    producerLoop = produce();

    // Every group has committed something before the collector starts watching.
    await eventually(
      () => Promise.all(Object.values(names).map(async (groupId) => Number((await admin.fetchOffsets({ groupId, topics: [groupId] }))[0].partitions[0].offset))),
      (offsets) => offsets.every((offset) => offset >= 0) && offsets[2] === 10,
      30000,
      'every test group committing',
    );

    for (let i = 0; i < 6; i++) {
      await collect();
      await sleep(1000);
    }
    // The "stop" consumer leaves (committing what it read); its producer keeps writing.
    await consumers.get(names.stop)!.disconnect();
    consumers.delete(names.stop);
    stoppedAt = Date.now();
    await eventually(async () => statusOf(await collect(), names.stop), (status) => status === 'STOP', 20000, 'the stopped group to be STOP');
    for (let i = 0; i < 2; i++) {
      await sleep(1000);
      await collect();
    }
  }, 90000);

  afterAll(async () => {
    producing = false;
    await producerLoop.catch(() => undefined);
    await Promise.allSettled([...consumers.values()].map((consumer) => consumer.disconnect()));
    await producer?.disconnect();
    await context.close();
    if (admin) {
      await admin.deleteGroups(Object.values(names)).catch(() => undefined);
      await admin.deleteTopics({ topics: Object.values(names) }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('shows a group that keeps up with lag near 0 and OK in every collection', () => {
    const lags = collections.map(({ samples }) => valueOf(samples, 'kafka_consumer_group_partition_lag', partition0(names.keep)));
    expect(lags.every((lag) => lag !== undefined && lag < 100)).toBe(true); // 20 messages/s: well under 5 s of traffic
    expect(Math.min(...(lags as number[]))).toBeLessThanOrEqual(5);
    expect(collections.map(({ samples }) => statusOf(samples, names.keep))).toEqual(collections.map(() => 'OK'));
    expect(collections.map(({ samples }) => groupStatusOf(samples, names.keep))).toEqual(collections.map(() => 'OK'));
    const last = collections.at(-1)!.samples;
    expect(valueOf(last, 'kafka_consumer_group_partition_lag_seconds', partition0(names.keep))).toBeLessThan(5);
    expect(valueOf(last, 'kafka_consumer_group_members', { group: names.keep })).toBe(1);
    expect(valueOf(last, 'kafka_consumer_group_state', { group: names.keep })).toBe(3); // Stable
  });

  it('flags a group that consumes slower than its topic fills as WARN or ERR, with lag and lag seconds rising', () => {
    const last = collections.at(-1)!.samples;
    expect(['WARN', 'ERR']).toContain(groupStatusOf(last, names.slow));
    expect(['WARN', 'STALL']).toContain(statusOf(last, names.slow));

    const all = collections.map(({ samples }) => valueOf(samples, 'kafka_consumer_group_partition_lag_seconds', partition0(names.slow)));
    // Absent only until the group's first commit and a second look at the offsets; then always there.
    const firstSeen = all.findIndex((value) => value !== undefined);
    expect(firstSeen).toBeGreaterThanOrEqual(0);
    expect(firstSeen).toBeLessThanOrEqual(3);
    expect(all.slice(firstSeen).every((value) => value !== undefined)).toBe(true);
    const lagSeconds = all.slice(firstSeen) as number[];
    const elapsed = (collections.at(-1)!.at - collections[firstSeen].at) / 1000;
    // ~10 of 200 messages/s consumed: the oldest unread message ages almost as fast as the clock.
    expect(lagSeconds.at(-1)! - lagSeconds[0]).toBeGreaterThan(elapsed * 0.5);

    const lags = collections.map(({ samples }) => valueOf(samples, 'kafka_consumer_group_lag', { group: names.slow })!);
    expect(lags.at(-1)!).toBeGreaterThan(lags[0] + 1000);
    expect(valueOf(last, 'kafka_consumer_group_lag_trend', { group: names.slow })).toBeGreaterThan(50); // ~190 messages/s
  });

  it('keeps a caught-up group on a topic nobody writes to OK, with lag 0 and 0 s', () => {
    // A collection that could not read some topic's end offsets in time says so (…_unreadable) and leaves lag out.
    const readable = collections.filter(({ samples }) => valueOf(samples, 'kafka_consumer_groups_unreadable', {}) === 0);
    expect(readable.length).toBeGreaterThanOrEqual(Math.max(3, collections.length - 1));
    for (const { samples } of readable) {
      expect(valueOf(samples, 'kafka_consumer_group_partition_committed_offset', partition0(names.idle))).toBe(10);
      expect(valueOf(samples, 'kafka_consumer_group_partition_lag', partition0(names.idle))).toBe(0);
      expect(valueOf(samples, 'kafka_consumer_group_partition_lag_seconds', partition0(names.idle))).toBe(0);
      expect(statusOf(samples, names.idle)).toBe('OK');
      expect(groupStatusOf(samples, names.idle)).toBe('OK');
    }
  });

  it('calls a group whose consumer stopped while messages keep arriving STOP (ERR for the group), and not before it stopped', () => {
    // The group shows up once its first commit is visible; from then until the stop it is OK.
    const before = collections.filter(({ at, samples }) => at < stoppedAt && statusOf(samples, names.stop) !== undefined);
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.map(({ samples }) => statusOf(samples, names.stop))).toEqual(before.map(() => 'OK'));
    const last = collections.at(-1)!.samples;
    expect(statusOf(last, names.stop)).toBe('STOP');
    expect(groupStatusOf(last, names.stop)).toBe('ERR');
    expect(valueOf(last, 'kafka_consumer_group_members', { group: names.stop })).toBe(0);
    expect(valueOf(last, 'kafka_consumer_group_state', { group: names.stop })).toBe(5); // Empty
    expect(valueOf(last, 'kafka_consumer_group_partition_lag', partition0(names.stop))).toBeGreaterThan(50);
    const firstStop = collections.find(({ samples }) => statusOf(samples, names.stop) === 'STOP')!;
    expect(firstStop.at - stoppedAt).toBeGreaterThanOrEqual(2000); // minStopMs
  });

  it('publishes only valid batches of catalogued metrics with their exact labels, one batch per group', () => {
    const catalogue = metricCatalogue();
    for (const { at, batches } of collections) {
      const event = { schemaVersion: METRIC_EVENT_SCHEMA_VERSION, cluster: context.cluster.name, source: { agentId: context.agentId, collector: sut.name }, timestamp: at };
      for (const batch of batches) {
        expect(metricBatchSchema.safeParse({ ...event, samples: batch.samples }).success).toBe(true);
        for (const s of batch.samples) {
          const definition = catalogue.get(s.metric);
          expect(definition?.name).toBe(s.metric);
          expect(Object.keys(s.labels).sort()).toEqual([...definition!.labels].sort());
          if (s.labels.group !== undefined) expect(batch.scope).toBe(`consumer-group:${s.labels.group}`);
        }
      }
      const summary = allSamples(batches);
      expect(valueOf(summary, 'kafka_consumer_groups_reachable')).toBe(1);
      expect(valueOf(summary, 'kafka_consumer_groups')).toBeGreaterThanOrEqual(4);
    }
  });
});
