/**
 * The demo workload `npm start` runs on the devstack, so a fresh install has something to watch:
 * a few topics with steady producers, healthy consumer groups, an idle-but-caught-up group and one
 * group that deliberately falls behind. Run alone with `npm run demo`.
 */
import { Consumer, Kafka, logLevel, Producer } from 'kafkajs';
import { endpoints } from './topology';

interface DemoTopic {
  topic: string;
  partitions: number;
  messagesPerSecond: number;
}

interface DemoGroup {
  groupId: string;
  topic: string;
  /** Pause after each message: 0 keeps up; a large value makes the group lag on purpose. */
  delayPerMessageMs: number;
}

export const DEMO_TOPICS: DemoTopic[] = [
  { topic: 'demo.orders', partitions: 6, messagesPerSecond: 20 },
  { topic: 'demo.payments', partitions: 3, messagesPerSecond: 10 },
  { topic: 'demo.clickstream', partitions: 6, messagesPerSecond: 50 },
  // No traffic: its consumer is caught up and idle, which a good monitor calls OK, not STOP.
  { topic: 'demo.audit', partitions: 1, messagesPerSecond: 0 },
];

export const DEMO_GROUPS: DemoGroup[] = [
  { groupId: 'demo-order-service', topic: 'demo.orders', delayPerMessageMs: 0 },
  { groupId: 'demo-payment-service', topic: 'demo.payments', delayPerMessageMs: 0 },
  { groupId: 'demo-analytics', topic: 'demo.clickstream', delayPerMessageMs: 0 },
  { groupId: 'demo-auditor', topic: 'demo.audit', delayPerMessageMs: 0 },
  // Reads about 5 messages/s from a 50 messages/s topic: lag grows by ~45 messages every second.
  { groupId: 'demo-slow-reporting', topic: 'demo.clickstream', delayPerMessageMs: 200 },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runDemoWorkload(brokers: string[], signal: AbortSignal): Promise<void> {
  const kafka = new Kafka({ clientId: 'doflamingo-demo', brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  await admin.createTopics({
    topics: DEMO_TOPICS.filter((t) => !existing.has(t.topic)).map((t) => ({ topic: t.topic, numPartitions: t.partitions })),
    waitForLeaders: true,
  });
  await admin.disconnect();

  const producer = kafka.producer();
  await producer.connect();
  const consumers: Consumer[] = [];
  for (const group of DEMO_GROUPS) consumers.push(await startConsumer(kafka, group));

  const producing = DEMO_TOPICS.filter((t) => t.messagesPerSecond > 0).map((t) => produceSteadily(producer, t, signal));
  await Promise.all(producing);
  await Promise.allSettled([producer.disconnect(), ...consumers.map((c) => c.disconnect())]);
}

async function startConsumer(kafka: Kafka, group: DemoGroup): Promise<Consumer> {
  // The lagging group fetches little at a time: kafkajs would otherwise hold megabytes of fetched
  // messages in memory while it works through them slowly.
  const consumer = kafka.consumer(
    group.delayPerMessageMs > 0 ? { groupId: group.groupId, maxBytesPerPartition: 16384, maxBytes: 65536 } : { groupId: group.groupId },
  );
  await consumer.connect();
  await consumer.subscribe({ topic: group.topic, fromBeginning: false });
  await consumer.run({
    eachMessage: async () => {
      if (group.delayPerMessageMs > 0) await sleep(group.delayPerMessageMs);
    },
  });
  return consumer;
}

/** Sends one small batch every 100 ms so the rate is steady rather than bursty. */
async function produceSteadily(producer: Producer, topic: DemoTopic, signal: AbortSignal): Promise<void> {
  const perTick = topic.messagesPerSecond / 10;
  let owed = 0;
  let sequence = 0;
  while (!signal.aborted) {
    owed += perTick;
    const count = Math.floor(owed);
    owed -= count;
    if (count > 0) {
      const messages = Array.from({ length: count }, () => {
        sequence++;
        return { key: `k${sequence % 64}`, value: JSON.stringify({ sequence, at: Date.now() }) };
      });
      await producer.send({ topic: topic.topic, messages }).catch(() => undefined); // a broker fault is part of the demo
    }
    await sleep(100);
  }
}

if (require.main === module) {
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  const brokers = process.env.KAFKA_BROKERS ? process.env.KAFKA_BROKERS.split(',') : endpoints.kafkaBrokers;
  console.log(`demo workload: ${DEMO_TOPICS.length} topics, ${DEMO_GROUPS.length} consumer groups on ${brokers.join(',')}`);
  runDemoWorkload(brokers, stop.signal).then(
    () => process.exit(0),
    (error: Error) => {
      console.error(`demo workload failed: ${error.message}`);
      process.exit(1);
    },
  );
}
