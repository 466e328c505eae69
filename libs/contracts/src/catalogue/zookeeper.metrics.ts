import { MetricDefinition, MetricGroup } from './metric-definition';

const m = <T extends MetricDefinition>(definition: T) => definition;

export const zookeeperMetrics = {
  // Each entry: m({ name, type, unit, labels, help, healthy }) — see kafka-cluster.metrics.ts.
} as const satisfies Record<string, MetricDefinition>;

export const zookeeperMetricGroup: MetricGroup = {
  collector: 'zookeeper',
  title: 'ZooKeeper servers and ensemble',
  metrics: Object.values(zookeeperMetrics),
};
