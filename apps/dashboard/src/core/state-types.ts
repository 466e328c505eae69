/** The shapes of the gateway's /api/v1 state answers that the dashboard reads (see apps/gateway/src/rest/cluster-state.dto.ts). */
export interface Broker {
  id: string;
  up: boolean | null;
  jmxUp: boolean | null;
  controller: boolean;
  leaderPartitions: number | null;
  replicaPartitions: number | null;
  bytesInPerSecond: number | null;
  bytesOutPerSecond: number | null;
  messagesInPerSecond: number | null;
  requestTimeP99Seconds: Record<string, number | null>;
  requestHandlerIdleRatio: number | null;
  networkProcessorIdleRatio: number | null;
}

export interface Topic {
  name: string;
  partitions: number | null;
  replicationFactor: number | null;
  minInsyncReplicas: number | null;
  underReplicatedPartitions: number | null;
  offlinePartitions: number | null;
  underMinIsrPartitions: number | null;
  messagesInPerSecond: number | null;
  bytesInPerSecond: number | null;
}

export interface Partition {
  partition: number;
  leader: number | null;
  offline: boolean | null;
  inSyncReplicas: number | null;
  underReplicated: boolean | null;
  /** Broker ids of the assigned replicas; null when the agent does not report them. */
  replicas: number[] | null;
  /** Broker ids of the in-sync replicas; null when not reported. */
  isr: number[] | null;
  logStartOffset: number | null;
  logEndOffset: number | null;
}

export interface TopicDetail extends Topic {
  partitionDetails: Partition[];
  brokers: { broker: string; bytesInPerSecond: number | null; messagesInPerSecond: number | null; logSizeBytes: number | null }[];
}

export interface ConsumerGroup {
  group: string;
  status: string | null;
  state: string | null;
  members: number | null;
  partitions: number | null;
  lag: number | null;
  lagSeconds: number | null;
  lagTrend: number | null;
}

export type ZooKeeperMode = 'leader' | 'follower' | 'observer' | 'standalone' | 'read-only' | 'not-serving' | 'down' | 'unknown';

export interface ZooKeeperServer {
  server: string;
  up: boolean | null;
  mode: ZooKeeperMode;
  latencyAvgSeconds: number | null;
  latencyMaxSeconds: number | null;
  outstandingRequests: number | null;
  connections: number | null;
  znodes: number | null;
  watches: number | null;
}

export interface ZooKeeper {
  quorum: boolean | null;
  leader: string | null;
  serversUp: number | null;
  serversConfigured: number | null;
  serversServing: number | null;
  leaderChanges: number | null;
  probeSuccess: boolean | null;
  probeLatencySeconds: number | null;
  servers: ZooKeeperServer[];
}

export interface Alert {
  id: string;
  rule: string;
  state: 'pending' | 'firing' | 'resolved';
  severity: 'info' | 'warning' | 'critical';
  cluster: string;
  labels: Record<string, string>;
  message: string;
  value: number | null;
  startsAt: number;
  at: number;
  /** When it started firing; null while pending or for a pending alert that cleared. */
  firedAt?: number | null;
}
