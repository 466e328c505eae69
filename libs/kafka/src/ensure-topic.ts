import { Admin } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor: number;
  retentionMs: number;
}

/**
 * Creates a topic when it is missing. The replication factor is capped at the number of brokers so
 * a one-broker test cluster still works. Returns whether it created the topic; a topic created by
 * someone else in the meantime is not an error.
 */
export async function ensureTopic(admin: Admin, spec: TopicSpec): Promise<boolean> {
  const existing = await admin.listTopics();
  if (existing.includes(spec.topic)) return false;
  const { brokers } = await admin.describeCluster();
  const replicationFactor = Math.min(spec.replicationFactor, brokers.length);
  try {
    return await createTopic(admin, spec, replicationFactor);
  } catch (error) {
    if (alreadyExists(error)) return false;
    throw error;
  }
}

function createTopic(admin: Admin, spec: TopicSpec, replicationFactor: number): Promise<boolean> {
  return admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic: spec.topic,
        numPartitions: spec.partitions,
        replicationFactor,
        configEntries: [
          { name: 'retention.ms', value: String(spec.retentionMs) },
          { name: 'min.insync.replicas', value: String(Math.min(2, replicationFactor)) },
        ],
      },
    ],
  });
}

/** Another app (an agent, a second processor) created the topic between our check and our request. */
function alreadyExists(error: unknown): boolean {
  const errors = (error as { errors?: Array<{ type?: string }> }).errors;
  return Array.isArray(errors) && errors.length > 0 && errors.every((e) => e.type === 'TOPIC_ALREADY_EXISTS');
}
