import { Kafka, logLevel } from 'kafkajs';
(async () => {
  const run = process.argv[2];
  const kafka = new Kafka({ clientId: 'cg-check', brokers: ['localhost:9092'], logLevel: logLevel.NOTHING });
  const admin = kafka.admin(); await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(run));
  const md = await admin.fetchTopicMetadata({ topics });
  const bad = md.topics.flatMap((t) => t.partitions.filter((p) => p.leader < 0 || p.partitionErrorCode !== 0).map((p) => `${t.name}/${p.partitionId}:${p.leader}:${p.partitionErrorCode}`));
  console.log(topics.length, 'topics', md.topics.reduce((n, t) => n + t.partitions.length, 0), 'partitions; bad', bad.length, bad.slice(0, 5));
  await admin.disconnect();
})();
