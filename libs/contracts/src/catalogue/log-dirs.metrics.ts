import { defineMetric, MetricDefinition, MetricGroup } from './metric-definition';

const m = defineMetric;

/**
 * The disk under each broker log directory the agent can see (it runs on the broker's host, or the
 * directory is mounted): Kafka reports no disk capacity over JMX. `broker` is the broker id and
 * `dir` the directory, both as configured (MONITOR_KAFKA_LOG_DIRS or the clusters file's logDirs).
 * Several directories on one filesystem report the same disk.
 */
export const logDirMetrics = {
  readable: m({ name: 'kafka_broker_log_dir_readable', type: 'gauge', unit: 'boolean', labels: ['broker', 'dir'], help: "1 when the agent could read the log directory this collection (it exists, is a directory the agent may list, and statfs answered within the call timeout); 0 when it is missing, not a directory, not readable by the agent's user or its filesystem hangs. At 0 no byte gauges are sent for the directory.", healthy: '1 for every configured directory.' }),
  capacity: m({ name: 'kafka_broker_log_dir_capacity_bytes', type: 'gauge', unit: 'bytes', labels: ['broker', 'dir'], help: 'Size of the filesystem holding the log directory (statfs blocks × block size).', healthy: 'Constant.' }),
  free: m({ name: 'kafka_broker_log_dir_free_bytes', type: 'gauge', unit: 'bytes', labels: ['broker', 'dir'], help: "Bytes of that filesystem available to unprivileged users (statfs bavail × block size): what a broker not running as root can still write. Blocks reserved for root are left out, so capacity − free is more than the data on the disk. Kafka's own share is kafka_broker_topic_log_size_bytes summed over topics.", healthy: 'Far from 0, and not heading there: an alert projects its trend over a horizon.' }),
} as const satisfies Record<string, MetricDefinition>;

export const logDirMetricGroup: MetricGroup = {
  collector: 'log-dirs',
  title: 'Broker log directories (disk space, read by the agent on the broker host)',
  metrics: Object.values(logDirMetrics),
};
