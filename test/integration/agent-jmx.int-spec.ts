import { createServer } from 'node:net';
import { Admin, Consumer, Kafka, logLevel, Producer } from 'kafkajs';
import { jmxMetrics, metricCatalogue, MetricSample, metricSampleSchema } from '@doflamingo/contracts';
import { CollectedBatch, Collector } from '../../apps/agent/src/collection/collector';
import { jmxCollector } from '../../apps/agent/src/collectors/jmx/jmx.collector';
import { endpoints } from '../../devstack/topology';
import { allSamples, collectorContext, devstackCluster, valueOf } from '../support/collector-harness';
import { eventually } from '../support/eventually';
import { connectAdmin } from '../support/kafka-admin';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const BROKERS = ['1', '2', '3'];

/** Metrics that exist only on KRaft nodes: the devstack's default profile runs ZooKeeper mode. */
const KRAFT_ONLY = [jmxMetrics.raftCurrentLeader, jmxMetrics.raftCurrentEpoch, jmxMetrics.raftHighWatermark, jmxMetrics.raftCommitLatency, jmxMetrics.raftUnknownVoterConnections].map((m) => m.name);
/** Text-valued MBeans, which the JMX exporter does not export. */
const JOLOKIA_ONLY = [jmxMetrics.zookeeperConnected.name];

const series = (s: MetricSample) => `${s.metric}${JSON.stringify(Object.entries(s.labels).sort())}`;
const ofBroker = (samples: MetricSample[], broker: string) => samples.filter((s) => s.labels.broker === broker);

/** A port on which nothing listens: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The jmx collector against the devstack brokers: Jolokia (bulk reads) and the Prometheus JMX
 * exporter attached next to it. A topic of our own gets known traffic (produced and consumed
 * between two collections) so rates can be checked against what was actually sent.
 */
describe('jmx collector (devstack)', () => {
  const topic = `doflamingo-it-jmx-${process.pid}-${Date.now()}`;
  const kafka = new Kafka({ clientId: 'doflamingo-it-jmx', brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING });
  const jolokiaContext = collectorContext(devstackCluster());
  const prometheusContext = collectorContext(devstackCluster({ MONITOR_JOLOKIA_URLS: 'none', MONITOR_PROMETHEUS_URLS: endpoints.prometheusUrls.join(',') }));
  let jolokia: Collector;
  let prometheus: Collector;
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer;
  let consumed = 0;
  const collect = async (collector: Collector) => (await collector.collect(new AbortController().signal)) as CollectedBatch[];
  /** The result, and the middle of the call: the time the collector gives its reading. */
  const timed = async <T>(call: Promise<T>): Promise<[T, number]> => {
    const startedAt = Date.now();
    const result = await call;
    return [result, (startedAt + Date.now()) / 2];
  };

  /** Produces `count` messages to our topic and waits until our consumer has read them all. */
  async function traffic(count: number): Promise<void> {
    const target = consumed + count;
    for (let sent = 0; sent < count; sent += 100) await producer.send({ topic, acks: -1, messages: Array.from({ length: 100 }, (_, i) => ({ key: String(i), value: 'x'.repeat(200) })) });
    await eventually(async () => consumed, (n) => n >= target, 30000, `our consumer reading ${count} messages`);
  }

  // Two collections of each source with known traffic in between: [first, second] samples.
  let fromJolokia: MetricSample[][] = [];
  let fromExporter: MetricSample[][] = [];
  let secondsBetween = 0;
  const messagesBetween = 1200;

  beforeAll(async () => {
    jolokia = jmxCollector(jolokiaContext)!;
    prometheus = jmxCollector(prometheusContext)!;
    admin = await connectAdmin(endpoints.kafkaBrokers);
    // Six partitions over three brokers: every broker leads two of them.
    await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 3 }], waitForLeaders: true });
    producer = kafka.producer();
    await producer.connect();
    consumer = kafka.consumer({ groupId: topic, heartbeatInterval: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async () => void consumed++ });
    await traffic(600); // the topic's MBeans exist (and its fetch path is warm) before the first collection

    // The exporter's (slow) scrapes go outside the Jolokia ones, whose times bound the traffic exactly.
    const exporterFirst = await collect(prometheus);
    const [jolokiaFirst, firstAt] = await timed(collect(jolokia));
    await traffic(messagesBetween);
    await sleep(1000);
    const [jolokiaSecond, secondAt] = await timed(collect(jolokia));
    const exporterSecond = await collect(prometheus);
    secondsBetween = (secondAt - firstAt) / 1000;
    fromJolokia = [allSamples(jolokiaFirst), allSamples(jolokiaSecond)];
    fromExporter = [allSamples(exporterFirst), allSamples(exporterSecond)];
  }, 120000);

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin?.disconnect();
    await Promise.all([jolokiaContext.close(), prometheusContext.close()]);
  });

  it('reads every broker metric from all three brokers through Jolokia', () => {
    const expected = Object.values(jmxMetrics)
      .map((m) => m.name)
      .filter((name) => !KRAFT_ONLY.includes(name));
    for (const broker of BROKERS) {
      const metrics = new Set(ofBroker(fromJolokia[1], broker).map((s) => s.metric));
      expect([broker, expected.filter((name) => !metrics.has(name))]).toEqual([broker, []]);
      expect(valueOf(fromJolokia[1], 'kafka_broker_jmx_up', { broker })).toBe(1);
      for (const request of ['Produce', 'FetchConsumer', 'FetchFollower']) {
        expect(valueOf(fromJolokia[1], 'kafka_broker_request_time_p99_seconds', { broker, request })).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('measures the traffic we sent: per-topic message rates add up to the messages produced, on every broker', () => {
    const rates = BROKERS.map((broker) => valueOf(fromJolokia[1], 'kafka_broker_topic_messages_in_per_second', { broker, topic }) ?? 0);
    expect(rates.every((rate) => rate > 0)).toBe(true); // each broker leads two partitions
    const counted = rates.reduce((a, b) => a + b, 0) * secondsBetween;
    expect(counted).toBeGreaterThan(messagesBetween * 0.85);
    expect(counted).toBeLessThan(messagesBetween * 1.15);
    for (const broker of BROKERS) {
      expect(valueOf(fromJolokia[1], 'kafka_broker_topic_bytes_in_per_second', { broker, topic })).toBeGreaterThan(0);
      expect(valueOf(fromJolokia[1], 'kafka_broker_topic_bytes_out_per_second', { broker, topic })).toBeGreaterThan(0);
      // Replication factor 3: every broker holds every partition, 1800 messages of 200+ bytes.
      expect(valueOf(fromJolokia[1], 'kafka_broker_topic_log_size_bytes', { broker, topic })).toBeGreaterThan(1800 * 200);
      expect(valueOf(fromJolokia[1], 'kafka_broker_produce_requests_per_second', { broker })).toBeGreaterThan(0);
    }
  });

  it('gets the same series from the Prometheus JMX exporter, with plausible values', () => {
    for (const broker of BROKERS) {
      const fromJolokiaSeries = new Set(ofBroker(fromJolokia[1], broker).filter((s) => !JOLOKIA_ONLY.includes(s.metric) && !('topic' in s.labels)).map(series));
      const fromExporterSeries = new Set(ofBroker(fromExporter[1], broker).filter((s) => !('topic' in s.labels)).map(series));
      expect([broker, [...fromExporterSeries].sort()]).toEqual([broker, [...fromJolokiaSeries].sort()]);
      // Topics come and go as other tests run, so per-topic series are compared on our topic.
      const ours = (samples: MetricSample[]) => ofBroker(samples, broker).filter((s) => s.labels.topic === topic).map(series).sort();
      expect(ours(fromExporter[1])).toEqual(ours(fromJolokia[1]));
      expect(ours(fromExporter[1])).toHaveLength(4); // bytes in, bytes out, messages in, log size

      const v = (metric: string, labels: Record<string, string> = {}) => valueOf(fromExporter[1], metric, { broker, ...labels });
      expect(v('kafka_broker_jmx_up')).toBe(1);
      expect(v('kafka_broker_jvm_heap_max_bytes')).toBe(valueOf(fromJolokia[1], 'kafka_broker_jvm_heap_max_bytes', { broker }));
      expect(v('kafka_broker_jvm_heap_used_bytes')).toBeGreaterThan(0);
      expect(v('kafka_broker_network_processor_idle_ratio')).toBeGreaterThan(0);
      expect(v('kafka_broker_network_processor_idle_ratio')).toBeLessThanOrEqual(1);
      expect(v('kafka_broker_request_handler_idle_ratio')).toBeGreaterThan(0);
      expect(v('kafka_broker_topic_messages_in_per_second', { topic })).toBeGreaterThan(0);
    }
    const controllers = BROKERS.map((broker) => valueOf(fromExporter[1], 'kafka_controller_active_count', { broker }) ?? 0);
    expect(controllers.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('reads the same partition counts through both sources', async () => {
    // Other tests create topics at any moment, so the two reads are retried until they agree.
    await eventually(
      async () => {
        const [a, b] = await Promise.all([collect(jolokia), collect(prometheus)]);
        return BROKERS.map((broker) => [valueOf(allSamples(a), 'kafka_broker_partition_count', { broker }), valueOf(allSamples(b), 'kafka_broker_partition_count', { broker })]);
      },
      (pairs) => pairs.every(([a, b]) => a !== undefined && a > 0 && a === b),
      30000,
      'equal PartitionCount from Jolokia and the exporter',
    );
  });

  it("sees every broker's ZooKeeper session connected", async () => {
    // Another test may be restarting ZooKeeper servers: sessions reconnect within seconds.
    await eventually(
      async () => {
        const samples = allSamples(await collect(jolokia));
        return BROKERS.map((broker) => valueOf(samples, 'kafka_broker_zookeeper_connected', { broker }));
      },
      (connected) => connected.every((c) => c === 1),
      60000,
      'kafka_broker_zookeeper_connected 1 on every broker',
    );
  });

  it('has exactly one active controller among the brokers', async () => {
    await eventually(
      async () => {
        const samples = allSamples(await collect(jolokia));
        return BROKERS.map((broker) => valueOf(samples, 'kafka_controller_active_count', { broker }));
      },
      (counts) => counts.every((c) => c !== undefined) && counts.reduce((a, b) => a! + b!, 0) === 1,
      30000,
      'ActiveControllerCount summing to 1',
    );
  });

  it('reports a broker whose Jolokia does not answer as up 0, without delaying the others', async () => {
    const [first, , third] = endpoints.jolokiaUrls;
    const dead = `http://127.0.0.1:${await closedPort()}/jolokia`;
    const context = collectorContext(devstackCluster({ MONITOR_JOLOKIA_URLS: [first, dead, third].join(',') }));
    try {
      const sut = jmxCollector(context)!;
      await collect(sut);
      const startedAt = Date.now();
      const samples = allSamples(await collect(sut));
      const tookMs = Date.now() - startedAt;

      // The dead URL is second in the list, and never told its id: it is broker "2" by position.
      expect(ofBroker(samples, '2').map((s) => s.metric).sort()).toEqual(['kafka_broker_jmx_scrape_duration_seconds', 'kafka_broker_jmx_scrape_errors_total', 'kafka_broker_jmx_up']);
      expect(valueOf(samples, 'kafka_broker_jmx_up', { broker: '2' })).toBe(0);
      expect(valueOf(samples, 'kafka_broker_jmx_scrape_errors_total', { broker: '2' })).toBe(2);
      expect(valueOf(samples, 'kafka_broker_jmx_up', { broker: '1' })).toBe(1);
      expect(valueOf(samples, 'kafka_broker_jmx_up', { broker: '3' })).toBe(1);
      expect(valueOf(samples, 'kafka_broker_leader_count', { broker: '3' })).toBeGreaterThan(0);
      expect(tookMs).toBeLessThan(context.callTimeoutMs);
    } finally {
      await context.close();
    }
  });

  it('sends only catalogued samples that the metric event contract accepts', () => {
    const catalogue = metricCatalogue();
    const all = [...fromJolokia.flat(), ...fromExporter.flat()];
    expect(all.length).toBeGreaterThan(200);
    const invalid = all.filter((s) => {
      const definition = catalogue.get(s.metric);
      return !metricSampleSchema.safeParse(s).success || !definition || [...definition.labels].sort().join() !== Object.keys(s.labels).sort().join();
    });
    expect(invalid).toEqual([]);
  });
});
