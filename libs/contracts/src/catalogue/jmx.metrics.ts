import { MetricDefinition, MetricGroup } from './metric-definition';

const m = <T extends MetricDefinition>(definition: T) => definition;

export const jmxMetrics = {
  // Each entry: m({ name, type, unit, labels, help, healthy }) — see kafka-cluster.metrics.ts.
} as const satisfies Record<string, MetricDefinition>;

export const jmxMetricGroup: MetricGroup = {
  collector: 'jmx',
  title: 'Broker JMX (Jolokia, Prometheus JMX exporter)',
  metrics: Object.values(jmxMetrics),
};
