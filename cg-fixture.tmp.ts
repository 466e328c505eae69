import { Kafka, logLevel } from 'kafkajs';
import { mapWithConcurrency } from './apps/agent/src/collection/map-with-concurrency';
const [mode, run, nTopics, nGroups] = [process.argv[2], process.argv[3], Number(process.argv[4] ?? 300), Number(process.argv[5] ?? 1000)];
(async () => {
  const kafka = new Kafka({ clientId: 'cg-fixture', brokers: ['localhost:9092', 'localhost:9093', 'localhost:9094'], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = Array.from({ length: nTopics }, (_, i) => `${run}-t${i}`);
  const groups = Array.from({ length: nGroups }, (_, i) => `${run}-g${i}`);
  if (mode === 'up') {
    let t = Date.now();
    const existing = new Set(await admin.listTopics());
    for (let i = 0; i < topics.length; i += 50) await admin.createTopics({ timeout: 60000, topics: topics.slice(i, i + 50).filter((t) => !existing.has(t)).map((topic) => ({ topic, numPartitions: 10, replicationFactor: 1 })), waitForLeaders: true });
    console.log('topics', Date.now() - t, 'ms');
    const producer = kafka.producer();
    await producer.connect();
    await producer.sendBatch({ topicMessages: topics.map((topic) => ({ topic, messages: Array.from({ length: 100 }, (_, i) => ({ partition: i % 10, value: "x" })) })) }).catch((e) => console.log("produce", e.message));
    await producer.disconnect();
    t = Date.now();
    await mapWithConcurrency(groups, 100, async (groupId) => {
      const i = Number(groupId.split('-g')[1]);
      await admin.setOffsets({ groupId, topic: topics[i % topics.length], partitions: Array.from({ length: 10 }, (_, p) => ({ partition: p, offset: '5' })) });
    });
    console.log('groups', Date.now() - t, 'ms');
  } else {
    for (let i = 0; i < groups.length; i += 100) await admin.deleteGroups(groups.slice(i, i + 100)).catch((e) => console.log('deleteGroups', e.message));
    for (let i = 0; i < topics.length; i += 100) await admin.deleteTopics({ topics: topics.slice(i, i + 100) }).catch((e) => console.log('deleteTopics', e.message));
    console.log('deleted');
  }
  await admin.disconnect();
})();
