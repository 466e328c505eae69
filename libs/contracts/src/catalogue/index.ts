import { agentMetricGroup } from './agent.metrics';
import { alerterMetricGroup } from './alerter.metrics';
import { consumerGroupMetricGroup } from './consumer-groups.metrics';
import { jmxMetricGroup } from './jmx.metrics';
import { kafkaClusterMetricGroup } from './kafka-cluster.metrics';
import { logDirMetricGroup } from './log-dirs.metrics';
import { MetricDefinition, MetricGroup } from './metric-definition';
import { probeMetricGroup } from './probe.metrics';
import { processorMetricGroup } from './processor.metrics';
import { zookeeperMetricGroup } from './zookeeper.metrics';

export * from './metric-definition';
export * from './agent.metrics';
export * from './alerter.metrics';
export * from './consumer-groups.metrics';
export * from './jmx.metrics';
export * from './kafka-cluster.metrics';
export * from './log-dirs.metrics';
export * from './probe.metrics';
export * from './processor.metrics';
export * from './zookeeper.metrics';
export * from './render-catalogue';

/** Every metric Doflamingo emits, grouped by collector. docs/metrics.md is rendered from this. */
export const METRIC_GROUPS: MetricGroup[] = [
  kafkaClusterMetricGroup,
  consumerGroupMetricGroup,
  jmxMetricGroup,
  logDirMetricGroup,
  zookeeperMetricGroup,
  probeMetricGroup,
  agentMetricGroup,
  processorMetricGroup,
  alerterMetricGroup,
].filter((group) => group.metrics.length > 0);

export function metricCatalogue(): Map<string, MetricDefinition> {
  return new Map(METRIC_GROUPS.flatMap((group) => group.metrics.map((metric) => [metric.name, metric] as const)));
}
export * from './sample';
