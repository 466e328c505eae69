/**
 * What one broker's JMX says, whichever source it was read from (Jolokia or a Prometheus JMX
 * exporter). Both sources fill this same shape and one function turns it into samples, so both
 * give identical series. Anything the broker does not have (KRaft-only or ZooKeeper-only MBeans)
 * is simply absent.
 */

/** Running totals of the broker (MBean `Count` attributes): rates come from their change. */
export type BrokerCount =
  | 'bytesIn'
  | 'bytesOut'
  | 'messagesIn'
  | 'produceRequests'
  | 'fetchRequests'
  | 'failedProduceRequests'
  | 'failedFetchRequests'
  | 'isrShrinks'
  | 'isrExpands'
  | 'leaderElections'
  | 'uncleanLeaderElections'
  /** RequestHandlerAvgIdlePercent: a meter marked with idle nanoseconds per handler thread. */
  | 'requestHandlerIdleNanos'
  | 'zookeeperExpires';

/** Running totals kept per topic as well. */
export type TopicCount = 'bytesIn' | 'bytesOut' | 'messagesIn';

/** Values as they are now (MBean `Value` attributes and the like). */
export type BrokerGauge =
  | 'underReplicatedPartitions'
  | 'underMinIsrPartitions'
  | 'offlinePartitions'
  | 'activeControllers'
  | 'partitions'
  | 'leaders'
  | 'networkProcessorIdleRatio'
  | 'requestQueueSize'
  | 'replicaMaxLag'
  | 'offlineLogDirs'
  | 'heapUsedBytes'
  | 'heapMaxBytes'
  | 'raftCurrentLeader'
  | 'raftCurrentEpoch'
  | 'raftHighWatermark'
  | 'raftCommitLatencyAvgMs'
  | 'raftUnknownVoterConnections';

/** The requests whose total time is reported. */
export const TIMED_REQUESTS = ['Produce', 'FetchConsumer', 'FetchFollower'] as const;
export type TimedRequest = (typeof TIMED_REQUESTS)[number];
export type Percentile = 'p50' | 'p99';

export interface BrokerJmx {
  /** The broker id, when the source tells it (Jolokia's app-info MBean). */
  brokerId?: string;
  counts: Partial<Record<BrokerCount, number>>;
  topicCounts: Map<string, Partial<Record<TopicCount, number>>>;
  gauges: Partial<Record<BrokerGauge, number>>;
  /** Bytes on disk per topic: the sum over the topic's partitions on this broker. */
  topicLogSizeBytes: Map<string, number>;
  requestTimeMs: Map<TimedRequest, Partial<Record<Percentile, number>>>;
  /** Per garbage collector (its JVM name): collections and time spent, since the JVM started. */
  gc: Map<string, { collections?: number; timeSeconds?: number }>;
  /** ZooKeeper-mode brokers: CONNECTED, CONNECTING, CLOSED… */
  zookeeperSessionState?: string;
}

export function emptyBrokerJmx(): BrokerJmx {
  return { counts: {}, topicCounts: new Map(), gauges: {}, topicLogSizeBytes: new Map(), requestTimeMs: new Map(), gc: new Map() };
}

export function setTopicCount(jmx: BrokerJmx, topic: string, count: TopicCount, value: number): void {
  const counts = jmx.topicCounts.get(topic) ?? {};
  counts[count] = value;
  jmx.topicCounts.set(topic, counts);
}

export function addTopicLogSize(jmx: BrokerJmx, topic: string, bytes: number): void {
  jmx.topicLogSizeBytes.set(topic, (jmx.topicLogSizeBytes.get(topic) ?? 0) + bytes);
}

export function setRequestTime(jmx: BrokerJmx, request: TimedRequest, percentile: Percentile, ms: number): void {
  const times = jmx.requestTimeMs.get(request) ?? {};
  times[percentile] = ms;
  jmx.requestTimeMs.set(request, times);
}

export function setGc(jmx: BrokerJmx, collector: string, values: { collections?: number; timeSeconds?: number }): void {
  jmx.gc.set(collector, { ...jmx.gc.get(collector), ...values });
}

export function isTimedRequest(request: string | undefined): request is TimedRequest {
  return (TIMED_REQUESTS as readonly string[]).includes(request ?? '');
}
