/** Kafka topics Doflamingo owns. The prefix (TOPIC_PREFIX) lets several installations share a cluster. */
export interface TopicNames {
  /** Metric batches published by agents; read by the processor, gateways and downstream consumers. */
  metrics: string;
  /** Events a consumer could not decode, with the reason in a header and the original bytes. */
  metricsDeadLetter: string;
  /** Closed aggregation windows published by the processor. */
  rollups: string;
  /** Alert lifecycle events (pending, firing, resolved). */
  alerts: string;
  /** Anomalies the anomaly detector found in metric series. */
  anomalies: string;
}

export const DEFAULT_TOPIC_PREFIX = 'doflamingo';

export function topicNames(prefix: string = DEFAULT_TOPIC_PREFIX): TopicNames {
  return {
    metrics: `${prefix}.metrics`,
    metricsDeadLetter: `${prefix}.metrics.dlq`,
    rollups: `${prefix}.metrics.rollup`,
    alerts: `${prefix}.alerts`,
    anomalies: `${prefix}.anomalies`,
  };
}
