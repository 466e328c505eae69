import { Admin } from 'kafkajs';
import { AgentSettings } from '@doflamingo/config';
import { ensureTopic } from '@doflamingo/kafka';

/** Creates the metrics topic with the configured partitions, replication and retention when it is missing. */
export function ensureMetricsTopic(admin: Admin, topic: string, settings: AgentSettings['metricsTopic']): Promise<boolean> {
  return ensureTopic(admin, {
    topic,
    partitions: settings.partitions,
    replicationFactor: settings.replicationFactor,
    retentionMs: settings.retentionHours * 3600 * 1000,
  });
}
