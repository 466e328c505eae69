import { MetricDefinition, MetricGroup } from './metric-definition';

const m = <T extends MetricDefinition>(definition: T) => definition;

export const probeMetrics = {
  // Each entry: m({ name, type, unit, labels, help, healthy }) — see kafka-cluster.metrics.ts.
} as const satisfies Record<string, MetricDefinition>;

export const probeMetricGroup: MetricGroup = {
  collector: 'probe',
  title: 'End-to-end probe through Kafka',
  metrics: Object.values(probeMetrics),
};
