import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { mapWithConcurrency } from '../apps/agent/src/collection/map-with-concurrency';
import { classpath } from '../devstack/jars';
import { endpoints } from '../devstack/topology';
import { Benchmark, percentile, round } from './harness';

const TOPICS = 100;
const PARTITIONS_PER_TOPIC = 100; // 10,000 partitions
const GROUPS = 1000;
const PREFIX = 'bench-agent';
const run = promisify(execFile);

async function createCluster(admin: Admin, log: (line: string) => void): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const topics = Array.from({ length: TOPICS }, (_, i) => `${PREFIX}-${i}`).filter((t) => !existing.has(t));
  log(`creating ${topics.length} topics × ${PARTITIONS_PER_TOPIC} partitions (replication factor 1)`);
  for (let i = 0; i < topics.length; i += 10) {
    await admin.createTopics({ topics: topics.slice(i, i + 10).map((topic) => ({ topic, numPartitions: PARTITIONS_PER_TOPIC, replicationFactor: 1 })), waitForLeaders: true, timeout: 120000 });
  }
  log(`committing offsets for ${GROUPS} consumer groups (each on one topic's ${PARTITIONS_PER_TOPIC} partitions)`);
  let done = 0;
  await mapWithConcurrency(Array.from({ length: GROUPS }, (_, i) => i), 16, async (i) => {
    await admin.setOffsets({ groupId: `${PREFIX}-group-${i}`, topic: `${PREFIX}-${i % TOPICS}`, partitions: Array.from({ length: PARTITIONS_PER_TOPIC }, (_, p) => ({ partition: p, offset: '0' })) });
    if (++done % 250 === 0) log(`  ${done}/${GROUPS} groups`);
  });
}

async function removeCluster(admin: Admin, log: (line: string) => void): Promise<void> {
  log('removing the benchmark groups and topics');
  const groups = Array.from({ length: GROUPS }, (_, i) => `${PREFIX}-group-${i}`);
  for (let i = 0; i < groups.length; i += 100) await admin.deleteGroups(groups.slice(i, i + 100)).catch(() => undefined);
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${PREFIX}-`));
  for (let i = 0; i < topics.length; i += 20) await admin.deleteTopics({ topics: topics.slice(i, i + 20), timeout: 120000 }).catch(() => undefined);
}

/** The agent's cluster-state and consumer-group collection on a big cluster, against Kafka's own tool. */
export const agentCollectionBenchmark: Benchmark = {
  name: 'agent-collection',
  description: `One collection (kafka-cluster + consumer-groups collectors) of a cluster with ${TOPICS * PARTITIONS_PER_TOPIC} partitions and ${GROUPS} consumer groups with committed offsets, against kafka-consumer-groups --describe --all-groups.`,
  async run(log) {
    const admin = new Kafka({ clientId: 'doflamingo-bench', brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING, requestTimeout: 120000 }).admin();
    await admin.connect();
    try {
      await createCluster(admin, log);
      log('collecting (one warm-up, then 3 timed collections) in a separate process');
      const child = await run(join(__dirname, '..', 'node_modules', '.bin', 'tsx'), [join(__dirname, 'agent-collection.child.ts'), '3'], { maxBuffer: 16 * 2 ** 20, timeout: 600000 });
      const { timings, rssMb } = JSON.parse(child.stdout.trim().split('\n').pop()!) as { timings: Array<{ total: number; byCollector: Record<string, number>; samples: number }>; rssMb: number };
      const totals = timings.map((t) => t.total / 1000);

      log('timing Kafka\'s ConsumerGroupCommand --describe --all-groups');
      const toolRuns: number[] = [];
      for (let i = 0; i < 2; i++) {
        const startedAt = Date.now();
        await run('java', ['-Xmx512m', '-cp', classpath('kafka-zk'), 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', '--bootstrap-server', endpoints.kafkaBrokers[0], '--describe', '--all-groups'], { maxBuffer: 256 * 2 ** 20, timeout: 600000 });
        toolRuns.push((Date.now() - startedAt) / 1000);
      }
      const cycle = percentile(totals, 50);
      const tool = Math.min(...toolRuns);
      return {
        measurements: [
          { name: 'collection time (median of 3)', value: round(cycle, 2), unit: 's', target: '≤ 2 s', met: cycle <= 2 },
          { name: 'collection time (worst of 3)', value: round(Math.max(...totals), 2), unit: 's' },
          { name: 'kafka-cluster collector', value: round(percentile(timings.map((t) => t.byCollector['kafka-cluster'] / 1000), 50), 2), unit: 's' },
          { name: 'consumer-groups collector', value: round(percentile(timings.map((t) => t.byCollector['consumer-groups'] / 1000), 50), 2), unit: 's' },
          { name: 'samples per collection', value: timings[0].samples, unit: 'samples' },
          { name: 'agent RSS after the collections', value: round(rssMb, 0), unit: 'MB', target: '≤ 200 MB', met: rssMb <= 200 },
          { name: 'ConsumerGroupCommand --describe --all-groups (best of 2, incl. JVM start)', value: round(tool, 2), unit: 's' },
          { name: 'ratio: ConsumerGroupCommand time / agent collection time', value: round(tool / cycle, 1), unit: '×' },
        ],
        notes: [
          `${TOPICS} topics × ${PARTITIONS_PER_TOPIC} partitions, replication factor 1, on the 3-broker devstack; ${GROUPS} groups, each with committed offsets on all ${PARTITIONS_PER_TOPIC} partitions of one topic.`,
          'The agent collection covers more than the tool: every partition\'s leader/ISR/offsets and every group\'s lag, lag in seconds and status.',
          'ConsumerGroupCommand is Kafka 3.9.1\'s own class (kafka-consumer-groups.sh), run with java -cp on the Maven jars; its time includes JVM start-up (about 1 s).',
        ],
      };
    } finally {
      await removeCluster(admin, log);
      await admin.disconnect();
    }
  },
};
