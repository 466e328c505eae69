import { Admin } from 'kafkajs';
import { AgentSettings } from '@doflamingo/config';

/**
 * Creates the metrics topic when it is missing. The replication factor is capped at the number of
 * brokers so a one-broker test cluster still works; retention is the configured number of hours.
 * Returns whether it created the topic.
 */
export async function ensureMetricsTopic(admin: Admin, topic: string, settings: AgentSettings['metricsTopic']): Promise<boolean> {
  const existing = await admin.listTopics();
  if (existing.includes(topic)) return false;
  const { brokers } = await admin.describeCluster();
  const replicationFactor = Math.min(settings.replicationFactor, brokers.length);
  return admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic,
        numPartitions: settings.partitions,
        replicationFactor,
        configEntries: [
          { name: 'retention.ms', value: String(settings.retentionHours * 3600 * 1000) },
          { name: 'min.insync.replicas', value: String(Math.min(2, replicationFactor)) },
        ],
      },
    ],
  });
}
