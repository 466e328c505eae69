import { AppConfig } from '@doflamingo/config';
import { topicNames } from '@doflamingo/contracts';
import { TopicSpec } from './ensure-topic';

/** The metrics topic and the topics derived from it share its partitions, replication and retention. */
export function metricsTopicSpec(config: AppConfig, topic = topicNames(config.topicPrefix).metrics): TopicSpec {
  const { partitions, replicationFactor, retentionHours } = config.agent.metricsTopic;
  return { topic, partitions, replicationFactor, retentionMs: retentionHours * 3_600_000 };
}

/**
 * The alerts topic is small and kept a month: the alerter reads it back at start-up to learn which
 * alerts are firing, so an alert firing longer than the retention would be forgotten.
 */
export const ALERTS_TOPIC_RETENTION_MS = 30 * 86_400_000;

export function alertsTopicSpec(config: AppConfig): TopicSpec {
  return { topic: topicNames(config.topicPrefix).alerts, partitions: 3, replicationFactor: config.agent.metricsTopic.replicationFactor, retentionMs: ALERTS_TOPIC_RETENTION_MS };
}
