import { MetricDefinition, MetricGroup } from './metric-definition';

const m = <T extends MetricDefinition>(definition: T) => definition;

export const consumerGroupMetrics = {
  // Each entry: m({ name, type, unit, labels, help, healthy }) — see kafka-cluster.metrics.ts.
} as const satisfies Record<string, MetricDefinition>;

export const consumerGroupMetricGroup: MetricGroup = {
  collector: 'consumer-groups',
  title: 'Consumer groups: lag and health',
  metrics: Object.values(consumerGroupMetrics),
};
