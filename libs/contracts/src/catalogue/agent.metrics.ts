import { defineMetric, MetricGroup } from './metric-definition';

const m = defineMetric;

export const agentMetrics = {
  collectionDuration: m({
    name: 'doflamingo_agent_collection_duration_seconds',
    type: 'gauge',
    unit: 'seconds',
    labels: ['collector'],
    help: 'How long the last run of a collector took.',
    healthy: 'Well below the collector interval.',
  }),
  collectionErrors: m({
    name: 'doflamingo_agent_collection_errors_total',
    type: 'counter',
    unit: 'count',
    labels: ['collector'],
    help: 'Collector runs that failed (timeouts included) since the agent started.',
    healthy: 'Not increasing.',
  }),
  collectionsSkipped: m({
    name: 'doflamingo_agent_collections_skipped_total',
    type: 'counter',
    unit: 'count',
    labels: ['collector'],
    help: 'Runs skipped because the previous run of the same collector was still going (overrun).',
    healthy: 'Not increasing.',
  }),
  batchesDropped: m({
    name: 'doflamingo_agent_batches_dropped_total',
    type: 'counter',
    unit: 'count',
    labels: [],
    help: 'Metric batches dropped, oldest first, because Kafka was unreachable and the buffer was full.',
    healthy: '0.',
  }),
  bufferedBytes: m({
    name: 'doflamingo_agent_buffered_bytes',
    type: 'gauge',
    unit: 'bytes',
    labels: [],
    help: 'Bytes of metric batches waiting to be published.',
    healthy: 'Near 0; grows while the metrics topic is unreachable.',
  }),
  publishErrors: m({
    name: 'doflamingo_agent_publish_errors_total',
    type: 'counter',
    unit: 'count',
    labels: [],
    help: 'Failed attempts to publish to the metrics topic (each is retried with backoff).',
    healthy: 'Not increasing.',
  }),
} as const;

export const agentMetricGroup: MetricGroup = {
  collector: 'agent',
  title: 'The agent itself',
  metrics: Object.values(agentMetrics),
};
