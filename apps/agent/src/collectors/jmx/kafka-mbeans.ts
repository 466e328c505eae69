import type { BrokerCount, BrokerGauge, TopicCount } from './broker-jmx';

/**
 * The Kafka MBeans the collector reads, in one table for both sources: Jolokia reads them by
 * ObjectName, and the Prometheus JMX exporter names them by the rules of its Kafka example
 * configuration (`exporterName`), so a metric added here is read the same way from both.
 */
export interface MBeanRef {
  domain: string;
  type: string;
  name: string;
  /** Further key properties that pin one MBean (e.g. clientId=Replica). */
  keys?: Record<string, string>;
}

const bean = (domain: string, type: string, name: string, keys?: Record<string, string>): MBeanRef => ({ domain, type, name, keys });

/** Broker-wide running counts, in the MBean's `Count` attribute. */
export const COUNT_MBEANS: Record<BrokerCount, MBeanRef> = {
  bytesIn: bean('kafka.server', 'BrokerTopicMetrics', 'BytesInPerSec'),
  bytesOut: bean('kafka.server', 'BrokerTopicMetrics', 'BytesOutPerSec'),
  messagesIn: bean('kafka.server', 'BrokerTopicMetrics', 'MessagesInPerSec'),
  produceRequests: bean('kafka.server', 'BrokerTopicMetrics', 'TotalProduceRequestsPerSec'),
  fetchRequests: bean('kafka.server', 'BrokerTopicMetrics', 'TotalFetchRequestsPerSec'),
  failedProduceRequests: bean('kafka.server', 'BrokerTopicMetrics', 'FailedProduceRequestsPerSec'),
  failedFetchRequests: bean('kafka.server', 'BrokerTopicMetrics', 'FailedFetchRequestsPerSec'),
  isrShrinks: bean('kafka.server', 'ReplicaManager', 'IsrShrinksPerSec'),
  isrExpands: bean('kafka.server', 'ReplicaManager', 'IsrExpandsPerSec'),
  leaderElections: bean('kafka.controller', 'ControllerStats', 'LeaderElectionRateAndTimeMs'),
  uncleanLeaderElections: bean('kafka.controller', 'ControllerStats', 'UncleanLeaderElectionsPerSec'),
  requestHandlerIdleNanos: bean('kafka.server', 'KafkaRequestHandlerPool', 'RequestHandlerAvgIdlePercent'),
  zookeeperExpires: bean('kafka.server', 'SessionExpireListener', 'ZooKeeperExpiresPerSec'),
};

/** Counts that also exist per topic: the same MBean with a `topic` key. */
export const TOPIC_COUNTS: readonly TopicCount[] = ['bytesIn', 'bytesOut', 'messagesIn'];

/** Gauges in the MBean's `Value` attribute. The JVM and KRaft values are read elsewhere (not Kafka MBeans of this shape). */
export const VALUE_MBEANS: Partial<Record<BrokerGauge, MBeanRef>> = {
  underReplicatedPartitions: bean('kafka.server', 'ReplicaManager', 'UnderReplicatedPartitions'),
  underMinIsrPartitions: bean('kafka.server', 'ReplicaManager', 'UnderMinIsrPartitionCount'),
  partitions: bean('kafka.server', 'ReplicaManager', 'PartitionCount'),
  leaders: bean('kafka.server', 'ReplicaManager', 'LeaderCount'),
  offlinePartitions: bean('kafka.controller', 'KafkaController', 'OfflinePartitionsCount'),
  activeControllers: bean('kafka.controller', 'KafkaController', 'ActiveControllerCount'),
  networkProcessorIdleRatio: bean('kafka.network', 'SocketServer', 'NetworkProcessorAvgIdlePercent'),
  requestQueueSize: bean('kafka.network', 'RequestChannel', 'RequestQueueSize'),
  replicaMaxLag: bean('kafka.server', 'ReplicaFetcherManager', 'MaxLag', { clientId: 'Replica' }),
  offlineLogDirs: bean('kafka.log', 'LogManager', 'OfflineLogDirectoryCount'),
};

/** Total time per request type; a histogram with NNthPercentile attributes and a `request` key. */
export const REQUEST_TIME_MBEAN = bean('kafka.network', 'RequestMetrics', 'TotalTimeMs');

/** Size in bytes of one partition's log on this broker, with `topic` and `partition` keys. */
export const LOG_SIZE_MBEAN = bean('kafka.log', 'Log', 'Size');

/** ZooKeeper-mode brokers: the session state as text (CONNECTED…). */
export const SESSION_STATE_MBEAN = bean('kafka.server', 'SessionExpireListener', 'SessionState');

/** KRaft nodes: `kafka.server:type=raft-metrics` attributes (Kafka metrics, not Yammer: no name key). */
export const RAFT_ATTRIBUTES: Partial<Record<BrokerGauge, string>> = {
  raftCurrentLeader: 'current-leader',
  raftCurrentEpoch: 'current-epoch',
  raftHighWatermark: 'high-watermark',
  raftCommitLatencyAvgMs: 'commit-latency-avg',
  raftUnknownVoterConnections: 'number-unknown-voter-connections',
};

export function objectName(ref: MBeanRef, extraKeys = ''): string {
  const keys = Object.entries(ref.keys ?? {}).map(([key, value]) => `,${key}=${value}`);
  return `${ref.domain}:type=${ref.type},name=${ref.name}${keys.join('')}${extraKeys}`;
}

/** Key properties of an ObjectName string (`domain:k=v,k="v"`): Kafka's values never hold commas. */
export function objectNameKeys(name: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const part of name.slice(name.indexOf(':') + 1).split(',')) {
    const at = part.indexOf('=');
    if (at > 0) keys.set(part.slice(0, at), part.slice(at + 1).replace(/^"(.*)"$/, '$1'));
  }
  return keys;
}

const PER_SEC = /PerSec\w*$/;

/**
 * The series name the JMX exporter's Kafka example rules give an MBean attribute: lowercased
 * `<domain>_<type>_<name>`, meters named …PerSec lose that suffix and gain `_total`, other `Count`s
 * gain `_count` (exporter 1.x appends `_total` to that too, so both spellings are returned).
 */
export function exporterNames(ref: MBeanRef, attribute: 'Count' | 'Value' | 'Percentile'): string[] {
  const base = `${ref.domain.replace(/\./g, '_')}_${ref.type}`.toLowerCase();
  if (attribute !== 'Count') return [`${base}_${ref.name}`.toLowerCase()];
  if (PER_SEC.test(ref.name)) return [`${base}_${ref.name.replace(PER_SEC, '')}_total`.toLowerCase()];
  const count = `${base}_${ref.name}_count`.toLowerCase();
  return [count, `${count}_total`];
}
